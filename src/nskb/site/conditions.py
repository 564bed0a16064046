"""Probe-fact conditions (`confirms` / `rules_out`) in words, with links to the facts page."""
from __future__ import annotations

from nskb.site import escape
from nskb.site.labels import label


def fact_link(site, key: str, lang: str, here: str, *, in_table: bool) -> str:
    # In narrow table cells a long key may break after its dots and underscores, nowhere else.
    code = escape.html_code(key).replace(".", ".<wbr>").replace("_", "_<wbr>") if in_table else escape.code_span(key)
    if not any(f.get("key") == key for f in site.kb.facts):
        return code
    return f"[{code}]({site.page_href('facts', lang, here, escape.anchor(key))})"


def _value(value: str, in_table: bool) -> str:
    return escape.html_code(value) if in_table else escape.code_span(value)


def test_text(site, test: dict, lang: str, here: str, *, in_table: bool = False) -> str:
    key = fact_link(site, test.get("fact", "?"), lang, here, in_table=in_table)
    if "equals" in test:
        return f"{key} = {_value(test['equals'], in_table)}"
    if "in" in test:
        values = ", ".join(_value(v, in_table) for v in test["in"])
        return f"{key} {label('one_of', lang)} {values}"
    if "matches" in test:
        return f"{key} {label('matches', lang)} {_value(test['matches'], in_table)}"
    return key


def condition_text(site, condition: dict, lang: str, here: str, *, in_table: bool = False) -> str:
    if "all" in condition:
        joiner = f" {label('and', lang)} "
        return joiner.join(test_text(site, t, lang, here, in_table=in_table) for t in condition["all"])
    return test_text(site, condition, lang, here, in_table=in_table)


def conditions_cell(site, conditions: list | None, lang: str, here: str) -> str:
    """Several conditions in one table cell: any one of them is enough."""
    if not conditions:
        return ""
    texts = [condition_text(site, c, lang, here, in_table=True) for c in conditions]
    return texts[0] if len(texts) == 1 else "<br>".join("• " + t for t in texts)
