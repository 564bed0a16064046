"""The engine's typed contracts: what a scan found, and the diagnosis made from it.

Everything here is language-free: IDs, codes, line numbers, fact keys and numbers. The report
package turns it into words. `Diagnosis.to_dict()` is the JSON shape kb-match prints.

Plain classes with __slots__ rather than dataclasses: this module is on kb-match's start-up path,
and `dataclasses` (with `inspect` behind it) costs more to import than the whole scan of a small
log. The attributes are declared and typed all the same, for mypy and for readers.
"""
from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on the start-up path

if TYPE_CHECKING:
    from typing import Any, Literal

    Verdict = Literal["cause", "not-sure", "no-failure"]
    EvidenceType = Literal["symptom", "feature", "probe", "clue", "fact"]


class Feature:
    """One piece of evidence read from a line: a kind (`apparmor`, `selinux`, `syscall`,
    `seccomp`, `failure`, `mention`) and its normalised fields, sorted so equal features are equal."""

    __slots__ = ("kind", "fields")

    def __init__(self, kind: str, fields: tuple[tuple[str, str], ...]):
        self.kind = kind
        self.fields = fields

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

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Feature) and (self.kind, self.fields) == (other.kind, other.fields)

    def __hash__(self) -> int:
        return hash((self.kind, self.fields))

    def __repr__(self) -> str:
        return f"Feature({self.kind!r}, {self.as_dict()!r})"


class LineFact:
    """A fact read from a pasted line (`kernel.release` from `uname -a`)."""

    __slots__ = ("key", "value")

    def __init__(self, key: str, value: str):
        self.key = key
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LineFact) and (self.key, self.value) == (other.key, other.value)

    def __hash__(self) -> int:
        return hash((self.key, self.value))

    def __repr__(self) -> str:
        return f"LineFact({self.key!r}, {self.value!r})"


class Hit:
    """Where a symptom, feature or fact was seen first."""

    __slots__ = ("file", "line", "text", "cut")

    def __init__(self, file: str, line: int, text: str, cut: bool = False):
        self.file = file
        self.line = line
        self.text = text
        self.cut = cut


class Scan:
    """What the inputs contained. Filled by `Scanner.feed`; read by the model."""

    MAX_WARNINGS_PER_KIND = 20

    def __init__(self) -> None:
        self.symptom_hits: dict[str, list[Hit]] = {}   # symptom id -> first hits
        self.symptom_counts: dict[str, int] = {}
        self.feature_hits: dict[Feature, Hit] = {}     # feature -> first line
        self.line_facts: dict[LineFact, Hit] = {}      # fact read from a line -> first line
        # source -> last traceback words: (line, words, the line's failure with no errno, if any)
        self.frame_words: dict[str, tuple[int, dict[str, str], Feature | None]] = {}
        self.completed: set[Feature] = set()  # errno-less failures an error chain's next link completed
        self.wrapped_to: dict[str, int] = {}  # source -> last line that continues an error symptom's line
        self.warnings: list[dict[str, Any]] = []
        self.warning_counts: dict[str, int] = {}
        self.bytes = 0
        self.lines = 0
        self.sources: list[str] = []

    def warn(self, code: str, **params: Any) -> None:
        count = self.warning_counts.get(code, 0) + 1
        self.warning_counts[code] = count
        if count <= self.MAX_WARNINGS_PER_KIND:
            self.warnings.append({"code": code, **params})
        elif count == self.MAX_WARNINGS_PER_KIND + 1:
            self.warnings.append({"code": "more-warnings", "of": code})


class Evidence:
    """One reason a hypothesis gained or lost belief, with its contribution in log-odds (nats)."""

    __slots__ = ("type", "weight", "code", "id", "value", "file", "line", "source", "counted")

    def __init__(self, type: EvidenceType, weight: float, code: str, id: str = "", value: str = "",
                 file: str = "", line: int = 0, source: str = "", counted: bool = True):
        self.type = type
        self.weight = weight
        self.code = code          # symptom-usual, feature-strong, clue-common, fact-confirms, ... (-unexplained)
        self.id = id              # symptom id, feature kind, or fact key
        self.value = value        # fact value, or the matched feature's fields as text
        self.file = file
        self.line = line
        self.source = source      # for facts: probe | line
        self.counted = counted    # False: shown, but not counted (same event as a stronger line, or unexplained)

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


class RankedCause:
    __slots__ = ("id", "rank", "probability", "log_odds", "explained", "evidence")

    def __init__(self, id: str, rank: int, probability: float, log_odds: float, explained: bool,
                 evidence: list[Evidence]):
        self.id = id
        self.rank = rank
        self.probability = probability
        self.log_odds = log_odds
        self.explained = explained    # some line of the log speaks for it (not facts alone)
        self.evidence = evidence

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "rank": self.rank, "probability": round(self.probability, 4),
                "log_odds": round(self.log_odds, 3), "explained": self.explained,
                "evidence": [e.to_dict() for e in self.evidence]}


class RuledOut:
    __slots__ = ("id", "because", "certain")

    def __init__(self, id: str, because: list[dict[str, Any]], certain: bool):
        self.id = id
        self.because = because
        self.certain = certain


class Diagnosis:
    __slots__ = ("verdict", "causes", "other", "ruled_out", "facts", "fact_sources", "symptoms", "features",
                 "warnings", "decide", "lines", "bytes", "sources")

    def __init__(self, verdict: Verdict, causes: list[RankedCause], other: float, ruled_out: list[RuledOut],
                 facts: dict[str, str], fact_sources: dict[str, dict[str, Any]], symptoms: list[dict[str, Any]],
                 features: list[dict[str, Any]], warnings: list[dict[str, Any]], decide: dict[str, Any] | None,
                 lines: int, bytes: int, sources: list[str]):
        self.verdict = verdict
        self.causes = causes
        self.other = other            # probability that no cause of the KB explains the input
        self.ruled_out = ruled_out
        self.facts = facts
        self.fact_sources = fact_sources
        self.symptoms = symptoms
        self.features = features
        self.warnings = warnings
        self.decide = decide
        self.lines = lines
        self.bytes = bytes
        self.sources = sources

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "other": round(self.other, 4),
                "causes": [c.to_dict() for c in self.causes],
                "ruled_out": [{"id": r.id, "because": r.because, "certain": r.certain} for r in self.ruled_out],
                "facts": self.facts, "fact_sources": self.fact_sources, "symptoms": self.symptoms,
                "features": self.features, "warnings": self.warnings, "decide": self.decide,
                "lines": self.lines, "bytes": self.bytes, "sources": self.sources}
