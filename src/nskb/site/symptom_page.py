"""Symptom pages: the literal message, who prints it, its likely causes with a check and a fix each."""
from __future__ import annotations

import json

from nskb.site import blocks, escape
from nskb.site.conditions import fact_link
from nskb.site.context import RISK_ORDER, SEARCH_BOOST
from nskb.site.fix_choice import safest_fix
from nskb.site.labels import colon, label, sep
from nskb.site.literals import command_blocks, output_lines

DISTRO_TAGS_SKIP = {"any"}


def tags(data: dict) -> list[str]:
    out: list[str] = [str(data["tool"])] if data.get("tool") else []
    out += [d for d in data.get("distros") or [] if d not in DISTRO_TAGS_SKIP]
    return out


def _headline(message: str, lang: str) -> str:
    """The literal message twice: as a section heading, so a search for the message hits a
    section *title* (weighed far above body text), hidden on screen (`.nskb-message`, the table
    of contents shows a short label); and as a code block with a copy button, kept out of the
    index. Other forms of the message are h4 headings (mkdocs.yml keeps h4 out of the toc)."""
    heading = f'## {escape.code_span(message)} {{ #message .nskb-message data-toc-label="{label("message", lang)}" }}'
    return blocks.join(heading, escape.code_block(message, "text", wrap=True, searchable=False))


def _printed_by_note(item: dict, lang: str) -> str:
    text = item.get("text")
    own = text.get(lang) if isinstance(text, dict) else None
    return (own.get("note") or "") if isinstance(own, dict) else ""


def _printed_by(data: dict, lang: str) -> str:
    """Program, versions and errno are language-invariant (`all` is shown in the page's language);
    each item's note is prose in that language, in a last column when any item has one."""
    items = [p for p in data.get("printed_by") or [] if isinstance(p, dict)]
    rows = [[escape.cell(p.get("program", "")),
             escape.cell(label("all_versions", lang) if p.get("versions") == "all" else p.get("versions", "")),
             escape.html_code(p["errno"]) if p.get("errno") else "",
             escape.cell(_printed_by_note(p, lang))]
            for p in items]
    if not rows:
        return ""
    headers = [label("program", lang), label("versions", lang), label("errno", lang), label("remarks", lang)]
    if not any(row[3] for row in rows):  # no notes anywhere: drop the empty column
        headers, rows = headers[:3], [row[:3] for row in rows]
    # Versions and program names: a reference table, kept out of the search index.
    return blocks.join(blocks.heading(2, label("printed_by", lang), "printed-by", searchable=False),
                       blocks.table(headers, rows))


def _clue_line(site, cause_id: str, lang: str, here: str) -> str:
    """Log lines that make this cause more or less likely, one line per direction."""
    groups: dict[str, list[str]] = {"raises": [], "lowers": []}
    for clue_id, effect in site.clues_for_cause.get(cause_id, []):
        groups[effect].append(site.link("symptom", clue_id, lang, here))
    lines = [f"{label(effect + '_short', lang)}{colon(lang)}{sep(lang).join(links)}"
             for effect, links in groups.items() if links]
    if not lines:
        return ""
    body = "\n".join("    " + line for line in blocks.bullets(lines).split("\n"))
    return f"??? info {json.dumps(label('clue_lines', lang), ensure_ascii=False)}\n\n{body}"


def _hand_check(cause_data: dict, lang: str) -> str:
    """The cause's first diagnostic step: what it checks, the command, what each answer means."""
    steps = cause_data.get("diagnostics") or []
    if not steps:
        return escape.prose(label("no_hand_check", lang))
    step = steps[0]
    purpose = ((step.get("text") or {}).get(lang) or {}).get("purpose", "")
    parts = [f"**{label('hand_check', lang)}**{colon(lang)}{escape.inline(purpose)}"]
    if step.get("needs_root"):
        parts.append(f"*{label('run_as_root', lang)}*")
    parts.append(escape.code_block(step.get("run", ""), "sh", searchable=False))
    return blocks.join(*parts, blocks.bullets(output_lines(step, lang)))


def _fix_box(site, cause_data: dict, tool: str, lang: str, here: str) -> str:
    """The safest fix for this symptom's tool, folded, with its commands (copy buttons)."""
    fix_id, fits = safest_fix(site, cause_data.get("fixes") or [], tool)
    if fix_id is None:
        return escape.prose(label("no_fix", lang))
    fix = site.entry("fix", fix_id)
    risk = fix.data.get("risk", "")
    tool_name = escape.text(site.product(tool)) if tool else ""
    if not tool:
        heading = label("safest_fix_any_tool", lang)
    else:
        heading = label("safest_fix_for" if fits else "safest_fix_any", lang).format(tool=tool_name)
    risk_word = label("risk_" + risk, lang) if risk in RISK_ORDER else "?"
    title = f"{heading}{colon(lang)}{escape.text(escape.plain(site.title('fix', fix_id, lang)))}" \
            f"{'（' if lang == 'zh' else ' ('}{label('risk', lang)}{colon(lang)}{risk_word}{'）' if lang == 'zh' else ')'}"
    body = command_blocks(fix.data.get("commands"), lang, searchable=False)
    body.append(label("fix_details", lang) + site.link("fix", fix_id, lang, here))
    kind = {"low": "success", "medium": "warning", "high": "danger"}.get(risk, "note")
    quoted = json.dumps(title, ensure_ascii=False)
    indented = "\n".join(("    " + line) if line else "" for line in "\n\n".join(body).split("\n"))
    return f"??? {kind} {quoted}\n\n{indented}"


def _cause_cards(site, data: dict, lang: str, here: str) -> str:
    """One card per cause, most likely first: a check to run by hand and the safest fix for the
    tool that printed the message. Cards fit a phone; the sections stay out of the search index
    (they repeat the cause and fix pages)."""
    cards = []
    tool = data.get("tool") or ""
    for number, cause_id in enumerate(data.get("causes") or [], 1):
        cause = site.entry("cause", cause_id)
        title = f"{number}. " + site.link("cause", cause_id, lang, here)
        if cause is None:
            cards.append(blocks.card(blocks.heading(3, title, f"cause-{cause_id}", searchable=False)))
            continue
        cards.append(blocks.card(blocks.join(
            blocks.heading(3, title, f"cause-{cause_id}", searchable=False),
            _hand_check(cause.data, lang),
            _fix_box(site, cause.data, tool, lang, here),
            _clue_line(site, cause_id, lang, here),
        )))
    facts_link = f"[{label('title_facts', lang)}]({site.page_href('facts', lang, here)})"
    return blocks.join(blocks.heading(2, label("possible_causes", lang), "causes", searchable=False),
                       escape.prose(label("cards_intro", lang)), *cards,
                       escape.prose(label("next_step", lang)) + (" " if lang == "en" else "")
                       + label("facts_see", lang).format(link=facts_link))


def _clue_effect(site, data: dict, lang: str, here: str) -> str:
    parts = []
    if data.get("causes"):
        parts.append(f"**{label('raises', lang)}**\n\n" + blocks.bullets(
            [site.link("cause", c, lang, here) for c in data["causes"]]))
    if data.get("lowers"):
        parts.append(f"**{label('lowers', lang)}**\n\n" + blocks.bullets(
            [site.link("cause", c, lang, here) for c in data["lowers"]]))
    fact = data.get("sets_fact")
    if fact:
        value = escape.code_span(fact.get("value", ""))
        key = fact_link(site, fact.get("fact", ""), lang, here, in_table=False)
        parts.append(f"**{label('sets_fact', lang)}**: {key} = {value}")
    return blocks.join(blocks.heading(2, label("clue_effect", lang), "causes"), *parts)


def render(site, entry, lang: str) -> str:
    data, text = entry.data, entry.text(lang)
    here = f"symptoms/{entry.id}"
    examples = (data.get("examples") or {}).get("match") or []
    title = text.get("title") or entry.id
    parts = [
        blocks.front_matter(title, description=text.get("summary", ""), tags=tags(data),
                            edit_url=site.edit_url(entry),
                            search_boost=SEARCH_BOOST["clue" if data.get("kind") == "clue" else "error"]),
        blocks.heading(1, escape.inline(title)),
        blocks.reviewed_line(site.reviewed_on(entry), lang),
        _headline(examples[0], lang) if examples else "",
        escape.prose(text.get("summary")),
    ]
    if len(examples) > 1:
        parts += [blocks.heading(2, label("variants", lang), "variants"),
                  *(f"#### {escape.code_span(line)} {{ #message-{n} .nskb-message }}"
                    for n, line in enumerate(examples[1:], 2))]
    parts.append(_printed_by(data, lang))
    if data.get("kind") == "clue":
        parts.append(_clue_effect(site, data, lang, here))
    else:
        parts.append(_cause_cards(site, data, lang, here))
    if text.get("notes"):
        parts += [blocks.heading(2, label("notes", lang), "notes"), escape.prose(text["notes"])]
    related = [site.link("symptom", s, lang, here) for s in data.get("related") or []]
    if data.get("tool") and site.exists("tool", data["tool"]):
        related.append(site.link("tool", data["tool"], lang, here))
    if related:
        parts += [blocks.heading(2, label("related", lang), "related", searchable=False), blocks.bullets(related)]
    parts += [blocks.heading(2, label("references", lang), "references", searchable=False),
              blocks.bullets([blocks.external_link(u) for u in data.get("references") or []])]
    return blocks.join(*parts)
