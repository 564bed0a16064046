"""Fold host verdicts into groups as they stream by.

Only host names, counts and a bounded tally of a few facts per group are kept, never a host's whole
result, so memory grows with the number of host names, not with what each host sent.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from nskb.fleet.verdict import BLOCKED, GROUPS, NOT_SURE, UNREACHABLE, UNREADABLE, WORKS, Verdict

# Facts that tell hosts of one group apart: distribution, kernel, runtime and the settings that
# most often differ between machines of a fleet.
VARYING_FACTS = (
    "os.id", "os.version_id", "kernel.release", "kernel.arch", "container.runtime", "process.uid",
    "seccomp.mode", "apparmor.profile", "selinux.mode", "chroot",
    "sysctl.kernel.unprivileged_userns_clone", "sysctl.user.max_user_namespaces",
    "sysctl.kernel.apparmor_restrict_unprivileged_userns", "bwrap.version", "userns.create",
)
MAX_VALUES = 20  # distinct values tallied per fact and group; the rest are counted as "other"
OTHER = "…"


@dataclass
class FactTally:
    """How many hosts of a group had each value of each VARYING_FACTS key."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, facts: dict) -> None:
        for key in VARYING_FACTS:
            value = facts.get(key)
            if value is None:
                continue
            values = self.counts.setdefault(key, {})
            if value not in values and len(values) >= MAX_VALUES:
                value = OTHER
            values[value] = values.get(value, 0) + 1

    def differing(self) -> dict[str, list[tuple[str, int]]]:
        """The facts with more than one value in the group, most common value first."""
        return {key: sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
                for key, values in self.counts.items() if len(values) > 1}


@dataclass
class Group:
    """Hosts with one verdict (and, for blocked and not-sure hosts, one leading cause)."""

    verdict: str
    cause: dict | None = None            # nskb-match/2 cause object of the first host
    hosts: list[str] = field(default_factory=list)
    reasons: list[tuple[str, str]] = field(default_factory=list)  # unreachable / unreadable: (code, detail) per host
    sources: list[str] = field(default_factory=list)   # unreadable: the file of each host
    candidates: dict[str, int] = field(default_factory=dict)  # not-sure: other close causes
    facts: FactTally = field(default_factory=FactTally)


class FleetSummary:
    def __init__(self):
        self.total = 0
        self.counts = {g: 0 for g in GROUPS}
        self.groups: dict[tuple[str, str], Group] = {}

    def add(self, host: str, source: str, verdict: Verdict) -> None:
        self.total += 1
        self.counts[verdict.group] += 1
        lead = verdict.cause or (verdict.candidates[0] if verdict.candidates else None)
        key = (verdict.group, lead["id"] if lead and verdict.group in (BLOCKED, NOT_SURE) else "")
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = Group(verdict.group, cause=lead if key[1] else None)
        group.hosts.append(host)
        if verdict.group in (UNREACHABLE, UNREADABLE) or (verdict.group == NOT_SURE and not lead):
            group.reasons.append((verdict.reason, verdict.detail))
            group.sources.append(source)
        for other in verdict.candidates[1:]:
            group.candidates[other["id"]] = group.candidates.get(other["id"], 0) + 1
        if verdict.facts:
            group.facts.add(verdict.facts)

    def ordered(self) -> list[Group]:
        """Groups in report order: verdicts as in GROUPS, then the largest first, then by cause id."""
        rank = {g: i for i, g in enumerate(GROUPS)}
        return sorted(self.groups.values(),
                      key=lambda g: (rank[g.verdict], -len(g.hosts), g.cause["id"] if g.cause else ""))

    @property
    def all_work(self) -> bool:
        return self.total > 0 and self.counts[WORKS] == self.total
