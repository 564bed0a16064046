"""The article of a symptom, cause or fix in the terminal (`kb-match --explain ID`).

Same structure as on the site: the literal message or title first, where it applies, cause and
mechanism, how to confirm it, fixes from the safest, when it does not apply, references.
"""
from __future__ import annotations

import re

from nskb.entries import FOLDERS, OUTPUT_SIDES, command_line
from nskb.index.store import articles, entry
from nskb.report.fixes import order_fixes
from nskb.report.links import article_url, title, tool_title
from nskb.report.terminal import Style, wrap
from nskb.words import COLON, LIST_SEP, UI, condition_text, paren, risk_note

TYPE_CHECKING = False
if TYPE_CHECKING:
    from nskb.index.format import Index


def find_entry(index: Index, entry_id: str) -> list[str]:
    """The kinds (symptom, cause, fix) that have an entry with this ID."""
    return [kind for kind, folder in FOLDERS.items() if entry_id in index[folder]]  # type: ignore[literal-required]


class _Page:
    """Lines of one article, with its sections, code blocks and filled paragraphs."""

    def __init__(self, lang: str, style: Style, width: int):
        self.lang, self.style, self.width = lang, style, width
        self.words = UI[lang]
        self.out: list[str] = []

    def section(self, name: str, body: list) -> None:
        body = [line for line in body if line is not None]
        if body:
            self.out.extend([self.style("bold", self.words[name])] + body + ([""] if body[-1] else []))

    def code(self, lines: list, prompt: str = "$ ") -> list[str]:
        return ["    " + self.style("cyan", prompt + line) for line in lines]

    def paragraphs(self, text: str, indent: str = "  ") -> list[str]:
        out = []
        for paragraph in re.split(r"\n\s*\n", text or ""):
            if paragraph.strip():
                out += [self.style.prose(line) for line in wrap(paragraph, self.width, indent)]
                out.append("")
        return out

    def flags(self, fix: dict) -> list[str]:
        """Risk, scope and whether root is needed, as short words."""
        words = self.words
        return [f"{words['risk_word']}{COLON[self.lang]}{words['risk_' + fix['risk']]}",
                words["scope_temporary"] if fix.get("scope") == "temporary" else words["scope_persistent"],
                words["a_needs_root"] if fix.get("needs_root") else words["a_no_root"]]


def article(index: Index, kind: str, entry_id: str, lang: str, site_url: str, style: Style, width: int = 88) -> str:
    text = articles(index)["text"][kind].get(entry_id, {}).get(lang) or {}
    data = entry(index, kind, entry_id)
    page = _Page(lang, style, width)
    page.out += [style("bold", text.get("title", entry_id)), ""]
    if data.get("status") == "retired" and data.get("replaced_by"):
        page.out += [page.words["a_retired"].format(id=data["replaced_by"]), ""]
    sections = {"symptom": _symptom, "cause": _cause, "fix": _fix}[kind]
    sections(page, index, data, text, site_url)
    page.section("references", [f"  - {url}" for url in data.get("references", [])])
    page.out += [f"{page.words['a_url']}{COLON[lang]}{article_url(site_url, lang, kind, entry_id)}"]
    return "\n".join(page.out).rstrip("\n") + "\n"


def _symptom(page: _Page, index: Index, data: dict, text: dict, site_url: str) -> None:
    lang, words, style = page.lang, page.words, page.style
    page.section("a_message", page.code(data["examples"]["match"][:1], prompt=""))
    # printed_by: program, versions and errno are language-invariant (`all` is the one word, shown in
    # the reader's language); each item's note is prose in text[lang]["printed_by"], in the same order.
    notes = text.get("printed_by") or []
    applies = []
    for n, p in enumerate(data.get("printed_by", [])):
        versions = words["all_versions"] if p.get("versions") == "all" else p.get("versions", "")
        errno = paren(lang, p["errno"]) if p.get("errno") else ""
        applies.append(f"  - {p.get('program', '')}{COLON[lang]}{versions}{'' if lang == 'zh' or not errno else ' '}{errno}")
        if n < len(notes) and notes[n]:
            applies += [style.prose(line) for line in wrap(notes[n], page.width, "    ")]
    if data.get("tool"):
        applies += [f"  - {words['tool']}{COLON[lang]}{tool_title(index, data['tool'], lang)}"]
    if data.get("distros"):
        applies.append(f"  - {words['distros']}{COLON[lang]}{LIST_SEP[lang].join(data['distros'])}")
    page.section("a_applies", applies)
    page.section("a_meaning", page.paragraphs(text.get("summary", "")))
    page.section("a_causes", [f"  {n}. {title(index, 'cause', c, lang)}  {style('dim', article_url(site_url, lang, 'cause', c))}"
                              for n, c in enumerate(data["causes"], 1)])
    fixes = []
    for cid in data["causes"]:
        fixes += [f for f in index["causes"][cid].get("fixes_by_risk", []) if f not in fixes]
    fixes = order_fixes(index, fixes, set())  # an article lists fixes by risk alone (DESIGN "Entries")
    gap = "" if lang == "zh" else " "
    page.section("fixes_by_risk", [f"  - {title(index, 'fix', f, lang)}{gap}{risk_note(lang, index['fixes'][f]['risk'])}"
                             f"  {style('dim', article_url(site_url, lang, 'fix', f))}" for f in fixes])
    page.section("a_notes", page.paragraphs(text.get("notes", "")))


def _cause(page: _Page, index: Index, data: dict, text: dict, site_url: str) -> None:
    lang, words, style, width = page.lang, page.words, page.style, page.width
    env = page.paragraphs(text.get("environment", ""))
    if data.get("distros"):
        env.append(f"  {words['distros']}{COLON[lang]}{LIST_SEP[lang].join(data['distros'])}")
    if data.get("tools"):
        names = LIST_SEP[lang].join(tool_title(index, t, lang) for t in data["tools"])
        env.append(f"  {words['tool']}{COLON[lang]}{names}")
    page.section("a_environment", env)
    page.section("a_meaning", page.paragraphs(text.get("summary", "")))
    page.section("mechanism", page.paragraphs(text.get("mechanism", "")))
    page.section("a_symptoms", [f"  - {title(index, 'symptom', s, lang)}" for s in data.get("symptoms", [])])
    steps = []
    step_texts = text.get("diagnostics") or []
    for n, step in enumerate(data.get("diagnostics", []), 1):
        step_text = step_texts[n - 1] if len(step_texts) >= n else {}
        steps += wrap(f"{n}. {step_text.get('purpose', '')}", width, "  ")
        steps += page.code([step["run"]], prompt="# " if step.get("needs_root") else "$ ")
        for side in OUTPUT_SIDES:  # literal output as printed; words about it in the reader's language
            literal = step.get(side + "_output") or ""
            said = step_text.get(side) or ""
            if literal or said:
                shown = style("cyan", literal) if literal else ""
                if said:
                    shown = (shown + ("" if lang == "zh" else " ") + paren(lang, said)) if literal else said
                steps.append(style.prose(f"    → {words['a_' + side + '_output']}{COLON[lang]}{shown}"))
        if step_text.get("reading"):
            steps += [style.prose(line) for line in wrap(step_text["reading"], width, "    ")]
        steps.append("")
    page.section("a_diagnose", steps)
    facts = [f"  {words['a_fact_confirms']}{COLON[lang]}{condition_text(c, lang)}" for c in data.get("confirms", [])]
    facts += [f"  {words['a_fact_rules_out']}{COLON[lang]}{condition_text(c, lang)}" for c in data.get("rules_out", [])]
    page.section("a_facts", facts)
    fixes = []
    prose = articles(index)["text"]["fix"]
    for n, fid in enumerate(data.get("fixes_by_risk", []), 1):
        fix = entry(index, "fix", fid)
        fix_text = prose.get(fid, {}).get(lang) or {}
        joined = ("，" if lang == "zh" else ", ").join(page.flags(fix))
        fixes.append(f"  {n}. {style('bold', title(index, 'fix', fid, lang))}{'' if lang == 'zh' else ' '}{paren(lang, joined)}")
        if fix_text.get("risk_reason"):
            fixes += [style.prose(line) for line in wrap(fix_text["risk_reason"], width, "     ")]
        fixes += page.code(_commented(fix.get("commands", []), fix_text.get("commands")))
        fixes.append(f"     {style('dim', article_url(site_url, lang, 'fix', fid))}")
    page.section("fixes_by_risk", fixes)
    page.section("not_applicable", page.paragraphs(text.get("not_applicable", "")))


def _fix(page: _Page, index: Index, data: dict, text: dict, site_url: str) -> None:
    lang, words, style = page.lang, page.words, page.style
    risk = ["  " + ("，" if lang == "zh" else ", ").join(page.flags(data))]
    risk += [f"  {words['a_workaround']}"] if data.get("workaround") else []
    risk += page.paragraphs(text.get("risk_reason", ""))
    page.section("a_meaning", page.paragraphs(text.get("summary", "")))
    page.out.extend([style("bold", words["risk"])] + risk)
    page.section("commands", page.code(_commented(data.get("commands", []), text.get("commands"))) + [""])
    files = []
    for item in data.get("files", []):
        files += [f"  {item.get('path', '')}:"] + ["    " + line for line in str(item.get("content", "")).splitlines()]
    page.section("a_files", files)
    page.section("undo", page.code(_commented(data.get("undo", []), text.get("undo"))) + [""] + page.paragraphs(text.get("undo_note", "")))
    page.section("verify", page.code(_commented(data.get("verify", []), text.get("verify"))) + [""] + page.paragraphs(text.get("verify_note", "")))
    page.section("a_notes", page.paragraphs(text.get("notes", "")))
    page.section("a_fixes_causes", [f"  - {title(index, 'cause', c, lang)}  {style('dim', article_url(site_url, lang, 'cause', c))}"
                                    for c in data.get("causes", [])])



def _commented(runs: list[str], notes: list[str] | None) -> list[str]:
    """Commands with their comments (text[lang][key], one per command, same order) as `# …`."""
    notes = notes or []
    return [command_line(run, notes[n] if n < len(notes) else "") for n, run in enumerate(runs)]
