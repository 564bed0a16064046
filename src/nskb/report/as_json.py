"""The result as the nskb-match/2 JSON object: codes, IDs, numbers and URLs; titles are the only
words (in the requested language), and no field a program reads holds prose."""
from __future__ import annotations

from nskb.report.common import shown_causes
from nskb.report.links import article_url, title

TYPE_CHECKING = False  # typing is not imported at run time: kb-match's start-up budget
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

RESULT_FORMAT = "nskb-match/2"


def to_json(result: dict[str, Any], index: Mapping[str, Any], lang: str, site_url: str, top: int,
            threshold: float) -> dict[str, Any]:
    return {
        "format": RESULT_FORMAT,
        "verdict": result["verdict"],
        "threshold": threshold,
        "other": round(result["other"], 3),
        "symptoms": [{"id": s["id"], "kind": s["kind"], "line": s["line"], "text": s["text"], "file": s["file"]}
                     for s in result["symptoms"]],
        "features": result["features"],
        "causes": [{"id": c["id"], "rank": c["rank"], "probability": round(c["probability"], 3),
                    "score": round(c["probability"], 3), "log_odds": round(c["log_odds"], 3),
                    "explained": c["explained"], "title": title(index, "cause", c["id"], lang),
                    "url": article_url(site_url, lang, "cause", c["id"]),
                    "evidence": c["evidence"],
                    "fixes": [{"id": f, "risk": index["fixes"][f]["risk"], "url": article_url(site_url, lang, "fix", f)}
                              for f in c["fixes"]]}
                   for c in shown_causes(result, index, top)],
        "ruled_out": [{"id": r["id"], "certain": r["certain"],
                       "because": [{"key": b["key"], "value": b["value"]} for b in r["because"]]}
                      for r in result["ruled_out"]],
        "decide": result.get("decide"),
        "facts": dict(result["facts"]),
        "warnings": result["warnings"],
    }
