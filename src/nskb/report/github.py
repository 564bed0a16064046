"""The result as GitHub Actions workflow commands, so the cause shows next to the failing step.

    ::error file=build.log,line=12,title=nskb: <cause>::<the matched line>%0A<cause, fix, article>

A cause named with confidence is an `error` annotation at the first log line that points to it;
the other candidates (and every candidate when kb-match is not sure) are `warning` annotations;
when no failure was recognised, one `notice` says so. Escaping follows
the runner's rules (actions/toolkit `command.ts`): in the message `%`, CR and LF are percent-encoded;
in property values also `:` and `,`.
"""
from __future__ import annotations

from nskb.report.common import evidence_text, shorten, shown_causes, shown_evidence, verdict_line
from nskb.report.links import article_url, title
from nskb.words import COLON, UI, risk_note

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

_DATA = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_PROPERTY = _DATA + ((":", "%3A"), (",", "%2C"))
TITLE_PREFIX = "nskb: "


def escape_data(text: str) -> str:
    for raw, encoded in _DATA:  # '%' first, so the encodings themselves are not encoded again
        text = text.replace(raw, encoded)
    return text


def escape_property(text: str) -> str:
    for raw, encoded in _PROPERTY:
        text = text.replace(raw, encoded)
    return text


def workflow_command(name: str, message: str, **properties) -> str:
    """`::name key=value,...::message`, properties in the given order, None values left out."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _location(cause: dict) -> tuple[str | None, int | None]:
    """The first log line that points to the cause (a file the runner can show), if any."""
    for item in cause["evidence"]:
        if item["type"] in ("symptom", "feature", "clue") and item.get("file") not in (None, "-", "<stdin>"):
            return item["file"], item["line"]
    return None, None


def _message(cause: dict, result: dict, index: Mapping[str, Any], lang: str, site_url: str) -> str:
    words, colon = UI[lang], COLON[lang]
    lines = []
    first = next((e for e in cause["evidence"] if e["type"] == "symptom"), None)
    if first:
        hit = next((s for s in result["symptoms"] if s["id"] == first["id"] and s["line"] == first["line"]), None)
        if hit:
            lines.append(shorten(hit["text"], 300))
    lines.append(f"{words['likely_causes']}{colon}{title(index, 'cause', cause['id'], lang)} "
                 f"({words['probability']} {cause['probability']:.2f})")
    for item in shown_evidence(cause):
        lines.append(f"- {evidence_text(index, item, lang)}")
    if cause["fixes"]:
        fid = cause["fixes"][0]
        lines.append(f"{words['fix_to_show']}{colon}{title(index, 'fix', fid, lang)} {risk_note(lang, index['fixes'][fid]['risk'])} "
                     f"{article_url(site_url, lang, 'fix', fid)}")
    lines.append(f"{words['article']}{colon}{article_url(site_url, lang, 'cause', cause['id'])}")
    return "\n".join(lines)


def to_github(result: dict, index: Mapping[str, Any], lang: str, site_url: str, top: int, threshold: float) -> str:
    causes = shown_causes(result, index, top)
    if not causes or result["verdict"] == "no-failure":
        return workflow_command("notice", verdict_line(result, index, lang, threshold), title="nskb") + "\n"
    out = []
    for cause in causes:
        file, line = _location(cause)
        named = result["verdict"] == "cause" and cause["rank"] == 1
        out.append(workflow_command(
            "error" if named else "warning", _message(cause, result, index, lang, site_url),
            file=file, line=line, title=TITLE_PREFIX + title(index, "cause", cause["id"], lang)))
    return "\n".join(out) + "\n"
