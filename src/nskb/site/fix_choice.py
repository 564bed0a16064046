"""Which fix to show first: the safest one that fits the program that failed.

Risk alone is not enough: the AppArmor cause lists an opam profile, a Steam profile and a generic
profile, all low or medium risk, and a Chrome user needs the generic one. A fix fits a tool when
its `tools` names it. Among the fitting fixes: lowest risk first, then a real fix before a
workaround, then the order the cause lists them in.
"""
from __future__ import annotations

from nskb.site.context import RISK_ORDER


def _key(site, fix_ids: list[str]):
    order = {f: n for n, f in enumerate(fix_ids)}
    def key(fix_id: str):
        data = site.entry("fix", fix_id).data
        return (RISK_ORDER.get(data.get("risk"), 3), bool(data.get("workaround")), order[fix_id])
    return key


def fitting_fixes(site, fix_ids: list[str], tool: str | None) -> list[str]:
    """The cause's fixes that fit `tool`, safest first ([] when none names it)."""
    known = [f for f in fix_ids if site.entry("fix", f) is not None]
    fitting = [f for f in known if tool and tool in (site.entry("fix", f).data.get("tools") or [])]
    return sorted(fitting, key=_key(site, known))


def safest_fix(site, fix_ids: list[str], tool: str | None) -> tuple[str | None, bool]:
    """(fix id, whether it names `tool`): the safest fitting fix, else the safest of all."""
    fitting = fitting_fixes(site, fix_ids, tool)
    if fitting:
        return fitting[0], True
    known = [f for f in fix_ids if site.entry("fix", f) is not None]
    return (sorted(known, key=_key(site, known))[0], False) if known else (None, False)


def safest_per_tool(site, fix_ids: list[str], tools: list[str]) -> list[tuple[str, list[str]]]:
    """[(fix id, [tools it is the safest fitting fix for])], in the order of first appearance;
    tools that no fix names are left out (the page's full fix table covers them)."""
    groups: dict[str, list[str]] = {}
    for tool in tools:
        fitting = fitting_fixes(site, fix_ids, tool)
        if fitting:
            groups.setdefault(fitting[0], []).append(tool)
    return list(groups.items())
