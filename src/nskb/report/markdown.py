"""The result as Markdown, for pasting into an issue or a chat."""
from __future__ import annotations

import re

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
from nskb.words import COLON, UI, paren, risk_note

TYPE_CHECKING = False  # typing is not imported at run time: kb-match's start-up budget
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


def _md(text: str) -> str:
    """Inline text for Markdown: shown literally (log lines hold <, *, _ and backticks)."""
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)


def to_markdown(result: dict[str, Any], index: Mapping[str, Any], lang: str, site_url: str, top: int,
                threshold: float) -> str:
    words = UI[lang]
    out = []
    if result["symptoms"]:
        out += [f"### {words['matched']}", "", "```text"]
        out += [f"{where(h, True)}: {shorten(h['text'], 500)}" for h in result["symptoms"]]
        out += ["```", ""]
    elif not result["features"]:
        out += [words["nothing"].format(lines=result["lines"]), ""]
    out += [f"**{_md(verdict_line(result, index, lang, threshold))}**", ""]
    causes = shown_causes(result, index, top)
    if causes:
        out += [f"### {words['likely_causes']}", ""]
        for cause in causes:
            cid = cause["id"]
            out.append(f"{cause['rank']}. **[{_md(title(index, 'cause', cid, lang))}]"
                       f"({article_url(site_url, lang, 'cause', cid)})** "
                       f"{paren(lang, words['probability'] + ' ' + format(cause['probability'], '.2f'))}")
            for item in shown_evidence(cause):
                out.append(f"    - {_md(evidence_text(index, item, lang))}")
            if cause["fixes"]:
                fid = cause["fixes"][0]
                out.append(f"    - {words['fix_to_show']}{COLON[lang]}[{_md(title(index, 'fix', fid, lang))}]"
                           f"({article_url(site_url, lang, 'fix', fid)}) {risk_note(lang, index['fixes'][fid]['risk'])}")
        out += ["", f"_{_md(words['other'].format(p=format(result['other'], '.2f')))}_", ""]
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
