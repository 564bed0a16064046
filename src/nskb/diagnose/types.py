"""The engine's typed contracts: what a scan found, and the diagnosis made from it.

Everything here is language-free: IDs, codes, line numbers, fact keys and numbers. The report
package turns it into words. `Diagnosis.to_dict()` is the JSON shape kb-match prints.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Verdict = Literal["cause", "not-sure", "no-failure"]


@dataclass(frozen=True)
class Feature:
    """One piece of evidence read from a line: a kind (`apparmor`, `selinux`, `syscall`,
    `seccomp`, `failure`) and its normalised fields, sorted so equal features compare equal."""

    kind: str
    fields: tuple[tuple[str, str], ...]

    @staticmethod
    def of(kind: str, fields: dict[str, str]) -> Feature:
        return Feature(kind, tuple(sorted((k, v) for k, v in fields.items() if v)))

    def get(self, key: str) -> str:
        for k, v in self.fields:
            if k == key:
                return v
        return ""

    def as_dict(self) -> dict[str, str]:
        return dict(self.fields)


@dataclass(frozen=True)
class LineFact:
    key: str
    value: str


@dataclass
class Hit:
    """Where a symptom, feature or fact was seen first."""

    file: str
    line: int
    text: str
    cut: bool = False


@dataclass
class Scan:
    """What the inputs contained. Filled by `Scanner.feed`; read by the model."""

    symptom_hits: dict[str, list[Hit]] = field(default_factory=dict)   # symptom id -> first hits
    symptom_counts: dict[str, int] = field(default_factory=dict)
    feature_hits: dict[Feature, Hit] = field(default_factory=dict)     # feature -> first line
    error_lines: set[tuple[str, int]] = field(default_factory=set)     # lines an error symptom matched
    line_facts: dict[LineFact, Hit] = field(default_factory=dict)      # fact read from a line -> first line
    warnings: list[dict[str, Any]] = field(default_factory=list)
    warning_counts: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    lines: int = 0
    sources: list[str] = field(default_factory=list)

    MAX_WARNINGS_PER_KIND = 20

    def warn(self, code: str, **params: Any) -> None:
        count = self.warning_counts.get(code, 0) + 1
        self.warning_counts[code] = count
        if count <= self.MAX_WARNINGS_PER_KIND:
            self.warnings.append({"code": code, **params})
        elif count == self.MAX_WARNINGS_PER_KIND + 1:
            self.warnings.append({"code": "more-warnings", "of": code})


@dataclass
class Evidence:
    """One reason a hypothesis gained or lost belief, with its contribution in log-odds (nats)."""

    type: Literal["symptom", "feature", "clue", "fact", "prior"]
    weight: float
    code: str                       # what kind of reason: symptom-usual, feature-strong, fact-confirms, ...
    id: str = ""                    # symptom id, feature kind, or fact key
    value: str = ""                 # fact value, or the matched feature's fields as text
    file: str = ""
    line: int = 0
    source: str = ""                # for facts: probe | line
    counted: bool = True            # False: shown, but already counted by a stronger line of the same event

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "code": self.code, "weight": round(self.weight, 3)}
        for key in ("id", "value", "file", "source"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.line:
            out["line"] = self.line
        if not self.counted:
            out["counted"] = False
        return out


@dataclass
class RankedCause:
    id: str
    rank: int
    probability: float
    log_odds: float
    explained: bool                 # some line of the log speaks for it (not facts alone)
    evidence: list[Evidence]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "rank": self.rank, "probability": round(self.probability, 3),
                "score": round(self.probability, 3), "log_odds": round(self.log_odds, 3),
                "explained": self.explained, "evidence": [e.to_dict() for e in self.evidence]}


@dataclass
class RuledOut:
    id: str
    because: list[dict[str, Any]]
    certain: bool


@dataclass
class Diagnosis:
    verdict: Verdict
    causes: list[RankedCause]
    other: float                    # probability that no cause of the KB explains the input
    ruled_out: list[RuledOut]
    facts: dict[str, str]
    fact_sources: dict[str, dict[str, Any]]
    symptoms: list[dict[str, Any]]
    features: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    decide: dict[str, Any] | None
    lines: int
    bytes: int
    sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "other": round(self.other, 3),
                "causes": [c.to_dict() for c in self.causes],
                "ruled_out": [{"id": r.id, "because": r.because, "certain": r.certain} for r in self.ruled_out],
                "facts": self.facts, "fact_sources": self.fact_sources, "symptoms": self.symptoms,
                "features": self.features, "warnings": self.warnings, "decide": self.decide,
                "lines": self.lines, "bytes": self.bytes, "sources": self.sources}
