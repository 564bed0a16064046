"""The probe facts reference and the glossary."""
from __future__ import annotations

from nskb.site import blocks, escape
from nskb.words import COLON, LIST_SEP, label


def facts_page(site, lang: str) -> str:
    here = "facts"
    parts = [blocks.front_matter(label("title_facts", lang), description=label("intro_facts", lang),
                                 edit_url=site.catalogue_edit_url("facts")),
             blocks.heading(1, label("title_facts", lang)), escape.prose(label("intro_facts", lang))]
    for fact in site.kb.facts:
        key = fact.get("key", "")
        text = (fact.get("text") or {}).get(lang) or {}
        parts += [blocks.heading(2, escape.code_span(key), escape.anchor(key)),
                  escape.prose(text.get("meaning"))]
        details = [f"{label('source', lang)}{COLON[lang]}{escape.code_span(fact.get('source', ''))}"]
        if fact.get("format"):
            details.append(f"{label('format', lang)}{COLON[lang]}{escape.inline(fact['format'])}")
        details.append(f"{label('how', lang)}{COLON[lang]}{escape.inline(text.get('how', ''))}")
        parts.append(blocks.bullets(details))
        rows = [[escape.html_code(v.get("value", "")),
                 escape.cell(((v.get("text") or {}).get(lang) or {}).get("meaning", ""))]
                for v in fact.get("values") or []]
        parts.append(blocks.table([label("value", lang), label("meaning", lang)], rows))
        users = [site.link("cause", c, lang, here) for c in site.causes_using_fact.get(key, [])]
        if users:
            parts.append(f"{label('used_by', lang)}{COLON[lang]}" + LIST_SEP[lang].join(users))
    return blocks.join(*parts)


def glossary_page(site, lang: str) -> str:
    other = "en" if lang == "zh" else "zh"
    parts = [blocks.front_matter(label("title_glossary", lang), edit_url=site.catalogue_edit_url("glossary")),
             blocks.heading(1, label("title_glossary", lang)), escape.prose(label("intro_glossary", lang))]
    terms = sorted(site.kb.glossary, key=lambda t: (((t.get("text") or {}).get(lang) or {}).get("term", "")).lower())
    for term in terms:
        mine = (term.get("text") or {}).get(lang) or {}
        theirs = (term.get("text") or {}).get(other) or {}
        heading = escape.inline(mine.get("term", term.get("id", "")))
        if theirs.get("term") and theirs.get("term") != mine.get("term"):
            heading += f" · {escape.inline(theirs['term'])}"
        parts += [blocks.heading(2, heading, term.get("id")), escape.prose(mine.get("definition"))]
    return blocks.join(*parts)
