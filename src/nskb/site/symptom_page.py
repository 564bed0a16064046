"""Symptom pages: the literal message, who prints it, and what tells its causes apart."""
from __future__ import annotations

from nskb.site import blocks, escape
from nskb.site.conditions import conditions_cell, fact_link
from nskb.words import COLON, label

DISTRO_TAGS_SKIP = {"any"}


def tags(data: dict) -> list[str]:
    out: list[str] = [data["tool"]] if data.get("tool") else []
    out += [d for d in data.get("distros") or [] if d not in DISTRO_TAGS_SKIP]
    return out


def _headline(message: str, lang: str) -> str:
    """The literal message as a heading of its own: searches for the message then hit a section
    *title* (weighed far above body text); the table of contents shows a short label instead.
    Other forms of the message are h4 headings for the same reason (mkdocs.yml keeps h4 out of
    the table of contents)."""
    return f'## {escape.code_span(message)} {{ #message .nskb-message data-toc-label="{label("message", lang)}" }}'


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
    return blocks.join(blocks.heading(2, label("printed_by", lang), "printed-by"),
                       blocks.table(headers, rows))


def _clue_cell(site, cause_id: str, lang: str, here: str) -> str:
    parts = []
    for clue_id, effect in site.clues_for_cause.get(cause_id, []):
        word = label("raises_short" if effect == "raises" else "lowers_short", lang)
        parts.append(f"{word}{COLON[lang]}{site.link('symptom', clue_id, lang, here, in_table=True)}")
    return "<br>".join(parts)


def _decision_table(site, data: dict, lang: str, here: str) -> str:
    rows = []
    for number, cause_id in enumerate(data.get("causes") or [], 1):
        cause = site.entry("cause", cause_id)
        cause_data = cause.data if cause else {}
        rows.append([
            f"{number}. " + site.link("cause", cause_id, lang, here, in_table=True),
            conditions_cell(site, cause_data.get("confirms"), lang, here),
            conditions_cell(site, cause_data.get("rules_out"), lang, here),
            _clue_cell(site, cause_id, lang, here),
        ])
    headers = [label("cause", lang), label("confirmed_if", lang), label("ruled_out_if", lang),
               label("clue_lines", lang)]
    if not any(row[3] for row in rows):  # no clue lines anywhere: drop the empty column
        headers, rows = headers[:3], [row[:3] for row in rows]
    facts_link = f"[{label('title_facts', lang)}]({site.page_href('facts', lang, here)})"
    intro = escape.prose(label("decision_intro", lang)) + (" " if lang == "en" else "") + \
        label("facts_see", lang).format(link=facts_link)
    return blocks.join(blocks.heading(2, label("possible_causes", lang), "causes"), intro,
                       blocks.table(headers, rows), escape.prose(label("next_step", lang)))


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
                            edit_url=site.edit_url(entry), search_boost=2),
        blocks.heading(1, escape.inline(title)),
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
        parts.append(_decision_table(site, data, lang, here))
    if text.get("notes"):
        parts += [blocks.heading(2, label("notes", lang), "notes"), escape.prose(text["notes"])]
    related = [site.link("symptom", s, lang, here) for s in data.get("related") or []]
    if data.get("tool") and site.exists("tool", data["tool"]):
        related.append(site.link("tool", data["tool"], lang, here))
    if related:
        parts += [blocks.heading(2, label("related", lang), "related"), blocks.bullets(related)]
    parts += [blocks.heading(2, label("references", lang), "references"),
              blocks.bullets([blocks.external_link(u) for u in data.get("references") or []])]
    return blocks.join(*parts)
