"""Probe-fact conditions (`confirms` / `rules_out`) in words, with links to the facts page."""
from __future__ import annotations

from nskb import words
from nskb.site import escape


def fact_link(site, key: str, lang: str, here: str, *, in_table: bool) -> str:
    # In narrow table cells a long key may break after its dots and underscores, nowhere else.
    code = escape.html_code(key).replace(".", ".<wbr>").replace("_", "_<wbr>") if in_table else escape.code_span(key)
    if not any(f.get("key") == key for f in site.kb.facts):
        return code
    return f"[{code}]({site.page_href('facts', lang, here, escape.anchor(key))})"


def _value(value: str, in_table: bool) -> str:
    return escape.html_code(value) if in_table else escape.code_span(value)


def condition_text(site, condition: dict, lang: str, here: str, *, in_table: bool = False) -> str:
    return words.condition_text(condition, lang, key=lambda k: fact_link(site, k, lang, here, in_table=in_table),
                                value=lambda v: _value(v, in_table))


def conditions_cell(site, conditions: list | None, lang: str, here: str) -> str:
    """Several conditions in one table cell: any one of them is enough."""
    if not conditions:
        return ""
    texts = [condition_text(site, c, lang, here, in_table=True) for c in conditions]
    return texts[0] if len(texts) == 1 else "<br>".join("• " + t for t in texts)
