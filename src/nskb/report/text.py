"""The result as text for a terminal (kb-match's default format)."""
from __future__ import annotations

from nskb.report.common import (
    decide_lines,
    evidence_text,
    ruled_out_text,
    shorten,
    shown_causes,
    shown_evidence,
    verdict_line,
    warning_text,
    where,
)
from nskb.report.links import article_url, title
from nskb.report.terminal import Style
from nskb.words import COLON, UI, paren, risk_note

TYPE_CHECKING = False  # typing is not imported at run time: kb-match's start-up budget
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


def to_text(result: dict[str, Any], index: Mapping[str, Any], lang: str, site_url: str, top: int, style: Style,
            threshold: float) -> str:
    words = UI[lang]
    out = _matched(result, index, lang, site_url, style)
    out += ["", style("bold", verdict_line(result, index, lang, threshold))]
    causes = shown_causes(result, index, top)
    if causes:
        if result["verdict"] == "cause":
            out += ["", style("bold", words["likely_causes"])]
        for cause in causes:
            out += _cause(cause, index, lang, site_url, style)
        out.append(f"  {words['other'].format(p=format(result['other'], '.2f'))}")
    if result["ruled_out"]:
        out += ["", style("bold", words["ruled_out"])]
        out += [f"  - {ruled_out_text(index, item, lang)}" for item in result["ruled_out"]]
    decide = decide_lines(result, index, lang)
    if decide:
        out += [""] + [style("bold", decide[0])] + decide[1:]
    if result["warnings"]:
        out += ["", style("bold", words["warnings"])]
        out += [f"  {style('yellow', '!')} {warning_text(w, lang)}" for w in result["warnings"]]
    return "\n".join(out) + "\n"


def _matched(result: dict[str, Any], index: Mapping[str, Any], lang: str, site_url: str, style: Style) -> list[str]:
    words = UI[lang]
    if not result["symptoms"] and not result["features"]:
        return [words["nothing"].format(lines=result["lines"]), words["nothing_hint"].format(site=site_url)]
    several = len(result.get("sources", [])) > 1
    out = [style("bold", words["matched"])]
    for hit in result["symptoms"]:
        out.append(f"  {style('yellow', where(hit, several))}: {shorten(hit['text'])}")
        out.append(f"      → {title(index, 'symptom', hit['id'], lang)}")
    return out


def _cause(cause: dict[str, Any], index: Mapping[str, Any], lang: str, site_url: str, style: Style) -> list[str]:
    """One ranked cause: title and probability, why, the safest fix that fits, the article."""
    words, cid = UI[lang], cause["id"]
    gap = "" if lang == "zh" else "  "
    out = [f"  {cause['rank']}. {style('bold', title(index, 'cause', cid, lang))}{gap}"
           f"{paren(lang, words['probability'] + ' ' + format(cause['probability'], '.2f'))}",
           f"     {words['why']}{COLON[lang].rstrip()}"]
    for item in shown_evidence(cause):
        out.append(f"       - {evidence_text(index, item, lang)}")
    if not cause["explained"]:
        out.append(f"       - {words['facts_only']}")
    if cause["fixes"]:
        fid = cause["fixes"][0]
        gap = "" if lang == "zh" else " "
        out.append(f"     {words['fix_to_show']}{COLON[lang]}{style('green', title(index, 'fix', fid, lang))}{gap}"
                   f"{risk_note(lang, index['fixes'][fid]['risk'])} {article_url(site_url, lang, 'fix', fid)}")
    out.append(f"     {words['article']}{COLON[lang]}{article_url(site_url, lang, 'cause', cid)}")
    return out
