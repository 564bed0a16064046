"""Which fix to show: a cause's fixes in the order a report lists them, the first being "the safest
fix that fits"."""
from __future__ import annotations

from nskb.entries import risk_rank

TYPE_CHECKING = False  # typing is not imported at run time: kb-match's start-up budget
if TYPE_CHECKING:
    from collections.abc import Collection, Mapping
    from typing import Any

# A fix to the kernel itself (a sysctl, a boot option, WSL 2) helps whatever program failed.
GENERAL_TOOLS = frozenset({"kernel"})
# Tools that are a mechanism, not a program that fails: a fix naming them still names its programs.
MECHANISM_TOOLS = frozenset({"kernel", "apparmor", "selinux"})


def fix_fits(fix: Mapping[str, Any], tools: Collection[str], program_unknown: bool = False) -> bool:
    """Whether a fix fits the tools of the matched symptoms: its `tools` include one of them, or it
    is general (it names no tool, or GENERAL_TOOLS). With no tools, every fix fits, unless the
    failing program is unknown (the failure was read from a line no symptom knows): then only a
    general fix or one written for several programs does, not one for a single other program."""
    own = fix.get("tools") or []
    if not own or not GENERAL_TOOLS.isdisjoint(own):
        return True
    if tools:
        return not set(tools).isdisjoint(own)
    return not program_unknown or len([t for t in own if t not in MECHANISM_TOOLS]) > 1


def order_fixes(index: Mapping[str, Any], fix_ids: list[str], tools: Collection[str],
                program_unknown: bool = False) -> list[str]:
    """A cause's fixes (`fix_ids`, in the cause's order): the ones that fit `tools` first, then the
    lowest risk, then the cause's own order. The first one is the "safest fix" a report shows, so a
    low-risk fix written for another program does not stand in for one for the program that failed."""
    fixes = index["fixes"]
    position = {fid: n for n, fid in enumerate(fix_ids)}
    fits = {f: fix_fits(fixes[f], tools, program_unknown) for f in fix_ids}
    if tools and not any(fits.values()):
        # No fix names the program that failed (BitBake under Ubuntu's restriction): as for an
        # unknown program, a general fix or one written for several programs, not Steam's.
        fits = {f: fix_fits(fixes[f], (), True) for f in fix_ids}
    return sorted(fix_ids, key=lambda f: (not fits[f], risk_rank(fixes[f].get("risk")), position[f]))
