"""Which fix a report shows first: the one that fits the program that failed, then the safest."""
from __future__ import annotations

from typing import Any

RISK_ORDER = {"low": 0, "medium": 1, "high": 2}
# A fix to the kernel itself (a sysctl, a boot option, WSL 2) helps whatever program failed.
GENERAL_TOOLS = frozenset({"kernel"})


def fix_fits(fix: dict[str, Any], tools: set[str]) -> bool:
    """Whether a fix fits the tools of the matched symptoms: its `tools` include one of them, or it
    is general (it names no tool, or GENERAL_TOOLS), or no symptom matched (only facts point here)."""
    own = fix.get("tools") or []
    return not tools or not own or not tools.isdisjoint(own) or not GENERAL_TOOLS.isdisjoint(own)


def order_fixes(index: dict[str, Any], fix_ids: list[str], tools: set[str]) -> list[str]:
    """A cause's fixes (`fix_ids`, in the cause's order): the ones that fit `tools` first, then the
    lowest risk, then the cause's own order. The first one is the "safest fix" a report shows, so a
    low-risk fix written for another program does not stand in for one for the program that failed."""
    fixes = index["fixes"]
    position = {fid: n for n, fid in enumerate(fix_ids)}
    return sorted(fix_ids, key=lambda f: (not fix_fits(fixes[f], tools), RISK_ORDER.get(fixes[f].get("risk"), 3),
                                          position[f]))
