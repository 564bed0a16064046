"""One host's verdict: its record goes through the engine (as kb-match would run it), and
`verdict_of` maps the nskb-match/2 result to a group.

`verdict_of` is the only code that reads the engine's result for kb-fleet: when the engine's result
changes, it is the one function to change. It prefers the engine's own `verdict` field and each
cause's `probability` where the engine gives them, and falls back on today's `score` and
evidence otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nskb.diagnose.model import CONFIDENT, diagnose
from nskb.diagnose.normalize import CHUNK_SIZE, InputError
from nskb.diagnose.scan import Scanner
from nskb.diagnose.types import Scan
from nskb.fleet.records import PROBE_FORMAT, HostRecord
from nskb.probe.parse import CONFLICTS, parse_probe_output
from nskb.report.as_json import to_json

WORKS, BLOCKED, NOT_SURE, UNREACHABLE, UNREADABLE = "works", "blocked", "not-sure", "unreachable", "unreadable"
GROUPS = (BLOCKED, NOT_SURE, UNREACHABLE, UNREADABLE, WORKS)
# Today's engine has no verdict: a cause counts as named when the probe's facts confirm it and it
# holds at least this share of the points (a tie between two fact-only causes is 0.5 each).
CONFIDENT_SCORE = 0.55
# With the new engine's calibrated probability, when it gives no verdict of its own.
CONFIDENT_PROBABILITY = 0.5
CANDIDATES = 3  # causes kept for a not-sure host
# Lines of the probe output without which it says nothing about user namespaces: their absence
# means the output was cut short.
REQUIRED_FACTS = ("userns.create", "userns.map_write")


@dataclass
class Verdict:
    group: str
    cause: dict | None = None                # the named cause (nskb-match/2 cause object)
    candidates: list[dict] = field(default_factory=list)  # for not-sure: the closest causes
    reason: str = ""                         # a code of FLEET_WORDS in nskb/words.py: why unreachable, unreadable, not sure
    detail: str = ""                         # its language-free detail (Ansible's message, a position)
    facts: dict = field(default_factory=dict)


def _confident(cause: dict) -> bool:
    if isinstance(cause.get("probability"), (int, float)):
        return cause["probability"] >= CONFIDENT_PROBABILITY
    confirmed = any(e.get("type") == "fact" and e.get("effect") == "confirms" for e in cause.get("evidence", []))
    return confirmed and cause.get("score", 0) >= CONFIDENT_SCORE


def verdict_of(match: dict) -> Verdict:
    """The adapter: one host's nskb-match/2 result (kb-match --format json) -> its verdict group.

    works     the probe created a user namespace and wrote its maps, and no error line matched
    blocked   a cause is named (the engine's verdict "cause", or a confident top cause)
    not-sure  failure evidence, but no confident cause (the closest ones are kept)
    """
    facts = match.get("facts") or {}
    causes = match.get("causes") or []
    errors = [s for s in match.get("symptoms") or [] if s.get("kind") == "error"]
    userns_works = facts.get("userns.create") == "ok" and facts.get("userns.map_write") == "ok"
    verdict = match.get("verdict")
    if verdict == "cause" and causes:
        return Verdict(BLOCKED, cause=causes[0], facts=facts)
    if verdict == "no-failure":
        if userns_works:
            return Verdict(WORKS, facts=facts)
        return Verdict(NOT_SURE, reason="no-test", facts=facts)
    if verdict == "not-sure":
        return Verdict(NOT_SURE, candidates=causes[:CANDIDATES], facts=facts)
    if userns_works and not errors:
        return Verdict(WORKS, facts=facts)
    if causes and _confident(causes[0]):
        return Verdict(BLOCKED, cause=causes[0], facts=facts)
    return Verdict(NOT_SURE, candidates=causes[:CANDIDATES], reason="" if causes else "no-cause", facts=facts)


class HostDiagnoser:
    """Runs the engine on one host record at a time; build once per index and report language."""

    def __init__(self, index: Any, lang: str, site_url: str):
        self.index, self.lang, self.site_url = index, lang, site_url
        self.scanner = Scanner(index)
        self.known = set(index.get("facts") or {}) or None

    def verdict(self, record: HostRecord) -> Verdict:
        if record.problem:
            return Verdict(UNREADABLE, reason=record.problem, detail=record.detail)
        if record.status != "ok":
            return Verdict(UNREACHABLE, reason=record.status, detail=record.message)
        facts, problem, detail = self._probe_facts(record.probe)
        if problem:
            return Verdict(UNREADABLE, reason=problem, detail=detail)
        scan = Scan()
        if record.log:
            data = record.log.encode("utf-8", "replace")
            chunks = (data[i:i + CHUNK_SIZE] for i in range(0, len(data), CHUNK_SIZE))
            try:
                self.scanner.feed(scan, "log", chunks)
            except InputError as error:
                return Verdict(UNREADABLE, reason="bad-log", detail=error.message)
        if not facts and scan.bytes == 0:
            return Verdict(UNREADABLE, reason="nothing")
        result = diagnose(self.index, scan, facts, []).to_dict()
        return verdict_of(to_json(result, self.index, self.lang, self.site_url, CANDIDATES, CONFIDENT))

    def _probe_facts(self, text: str) -> tuple[dict, str, str]:
        """The probe's facts, or why the text is not (whole) probe output, and the detail."""
        if not text.strip():
            return {}, "", ""
        parsed = parse_probe_output(text, known_keys=self.known)
        conflicts = [w for w in parsed.warnings if w.code in CONFLICTS]
        if conflicts:
            return {}, "two-runs", str(conflicts[0])
        facts = {str(k): str(v) for k, v in parsed.facts.items()}
        if not facts:
            return {}, "not-probe", str(parsed.warnings[0]) if parsed.warnings else ""
        missing = ", ".join(key for key in REQUIRED_FACTS if key not in facts)
        if missing:
            return {}, "probe-truncated" if PROBE_FORMAT in text[:200] else "not-probe-keys", missing
        return facts, "", ""
