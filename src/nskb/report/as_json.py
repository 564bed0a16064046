"""The result as the nskb-match/1 JSON object of DESIGN.md ("CLI contract")."""
from __future__ import annotations

from nskb.report.links import article_url, title

TYPE_CHECKING = False
if TYPE_CHECKING:
    from nskb.index.format import Index

RESULT_FORMAT = "nskb-match/1"


def _evidence(item: dict) -> dict:
    if item["type"] == "fact":
        return {"type": "fact", "key": item["key"], "value": item["value"], "effect": item["effect"]}
    out = {"type": item["type"], "id": item["id"], "line": item["line"], "file": item["file"]}
    if item["type"] == "clue":
        out["effect"] = item["effect"]
    return out


def _warning(warning: dict) -> dict:
    """A warning as data: its code and values (file, line, key ...); the words are for text and Markdown."""
    out = {k: v for k, v in warning.items() if k != "message" or not isinstance(v, dict)}
    if isinstance(warning.get("message"), dict):  # a coded probe warning the engine wrapped
        out = dict(warning["message"])
    return out


def to_json(result: dict, index: Index, lang: str, site_url: str, top: int) -> dict:
    """The nskb-match/1 object (plus `file` beside each `line`)."""
    return {
        "format": RESULT_FORMAT,
        "symptoms": [{"id": s["id"], "kind": s["kind"], "line": s["line"], "text": s["text"], "file": s["file"]}
                     for s in result["symptoms"]],
        "causes": [{"id": c["id"], "rank": c["rank"], "score": c["score"],
                    "title": title(index, "cause", c["id"], lang),
                    "url": article_url(site_url, lang, "cause", c["id"]),
                    "evidence": [_evidence(e) for e in c["evidence"]],
                    "fixes": [{"id": f, "risk": index["fixes"][f]["risk"], "url": article_url(site_url, lang, "fix", f)}
                              for f in c["fixes"]]}
                   for c in result["causes"][:top]],
        "ruled_out": [{"id": r["id"], "because": [{"key": b["key"], "value": b["value"]} for b in r["because"]]}
                      for r in result["ruled_out"]],
        "facts": dict(result["facts"]),
        "warnings": [_warning(w) for w in result["warnings"]],
    }
