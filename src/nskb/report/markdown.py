"""The result as Markdown, for pasting into an issue or a chat."""
from __future__ import annotations

import re

from nskb.report.common import decide_lines, evidence_for_people, evidence_text, ruled_out_text, shorten, warning_text, where
from nskb.report.links import article_url, title
from nskb.words import COLON, UI, paren, risk_note

TYPE_CHECKING = False
if TYPE_CHECKING:
    from nskb.index.format import Index


def _md(text: str) -> str:
    """Inline text for Markdown: shown literally (log lines hold <, *, _ and backticks)."""
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)


def to_markdown(result: dict, index: Index, lang: str, site_url: str, top: int) -> str:
    words = UI[lang]
    out = []
    if result["symptoms"]:
        out += [f"### {words['matched']}", "", "```text"]
        out += [f"{where(h, True)}: {shorten(h['text'], 500)}" for h in result["symptoms"]]
        out += ["```", ""]
    else:
        out += [words["nothing"].format(lines=result["lines"]), ""]
    if result["causes"][:top]:
        out += [f"### {words['likely_causes']}", ""]
        for cause in result["causes"][:top]:
            cid = cause["id"]
            out.append(f"{cause['rank']}. **[{_md(title(index, 'cause', cid, lang))}]"
                       f"({article_url(site_url, lang, 'cause', cid)})** {paren(lang, words['score'] + ' ' + format(cause['score'], '.2f'))}")
            for item in evidence_for_people(index, cid, cause["evidence"]):
                out.append(f"    - {_md(evidence_text(index, item, result['facts'], lang))}")
            if cause["fixes"]:
                fid = cause["fixes"][0]
                out.append(f"    - {words['fix_to_show']}{COLON[lang]}[{_md(title(index, 'fix', fid, lang))}]"
                           f"({article_url(site_url, lang, 'fix', fid)}) {risk_note(lang, index['fixes'][fid]['risk'])}")
        out.append("")
    if result["ruled_out"]:
        out += [f"### {words['ruled_out']}", ""]
        out += [f"- {_md(ruled_out_text(index, item, lang))}" for item in result["ruled_out"]]
        out.append("")
    decide = decide_lines(result, index, lang)
    if decide:
        out += [f"> {_md(line.strip())}" for line in decide] + [""]
    if result["warnings"]:
        out += [f"### {words['warnings']}", ""] + [f"- {_md(warning_text(w, lang))}" for w in result["warnings"]] + [""]
    return "\n".join(out)
