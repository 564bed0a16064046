"""How well the engine diagnoses the corpus of real failures (tests/cases/): in-sample, with each
tool's symptoms held out (leave-one-tool-out), against simple baselines, and how well its
probabilities are calibrated. Used by bench/accuracy and by the corpus tests.

A case names the cause its source established (`expected`, plus `acceptable` alternatives), or
`none` for a log that is not a namespace failure (a negative). The first tool of a case is the
program that printed the failing line: leave-one-tool-out removes every symptom of that tool from
the index, so the case is diagnosed by everything else (features, other tools' lines, facts).
"""
from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nskb.diagnose.model import CONFIDENT, diagnose
from nskb.diagnose.scan import Scanner
from nskb.diagnose.types import Diagnosis, Scan

NEGATIVE = "none"
CASE_FIELDS = {"source", "tools", "expected", "acceptable", "note", "log", "probe", "probe_origin", "repro"}


@dataclass
class Case:
    name: str
    source: str
    tools: list[str]
    expected: str
    acceptable: list[str]
    log: str
    probe: str
    probe_origin: str

    @property
    def negative(self) -> bool:
        return self.expected == NEGATIVE

    @property
    def wanted(self) -> set[str]:
        return {self.expected, *self.acceptable}


class CaseError(ValueError):
    """A case file that cannot be read: the message names the file and what is wrong."""


def load_cases(cases_dir: Path, repro_dir: Path) -> list[Case]:
    import yaml  # the corpus is YAML; only the evaluation reads it

    cases = []
    for path in sorted(cases_dir.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise CaseError("not a mapping of the case's fields")
            if "repro" in data:
                folder = repro_dir / data["repro"]
                data["log"] = (folder / "stderr.txt").read_text(encoding="utf-8")
                data["probe"] = (folder / "probe.txt").read_text(encoding="utf-8")
                data.setdefault("probe_origin", "repro")
            cases.append(Case(path.stem, data["source"], list(data["tools"]), data["expected"],
                              list(data.get("acceptable") or []), data.get("log") or "", data.get("probe") or "",
                              data.get("probe_origin") or ""))
        except (yaml.YAMLError, OSError, UnicodeDecodeError, KeyError, TypeError, CaseError) as error:
            place, problem = str(path), " ".join(str(error).split())
            if isinstance(error, KeyError):
                problem = f"no {error.args[0]!r} field"
            elif isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
                place, problem = f"{path}:{error.problem_mark.line + 1}", str(error.problem)
            raise CaseError(f"{place}: {problem} (the format is in tests/cases/README.md)") from None
    return cases


Parse = Callable[[str, str], dict[str, str]]


def run_case(index: dict[str, Any], case: Case, parse_probe: Parse, use_log: bool = True,
             use_probe: bool = True, scanner: Scanner | None = None) -> Diagnosis:
    facts = parse_probe(case.probe, case.name) if (use_probe and case.probe) else {}
    scan = Scan()
    (scanner or Scanner(index)).feed(scan, case.name, [case.log.encode("utf-8")] if use_log else [])
    return diagnose(index, scan, facts, [])


def without_tool(index: dict[str, Any], tool: str) -> dict[str, Any]:
    """The index with every symptom written for `tool` removed (leave-one-tool-out)."""
    held = copy.copy(index)
    held["symptoms"] = {sid: s for sid, s in index["symptoms"].items() if s.get("tool") != tool}
    return held


@dataclass
class Outcome:
    case: Case
    rank: int | None          # rank of the first wanted cause as listed (None: not ranked)
    top: str                  # the leading cause
    probability: float        # of the leading cause
    verdict: str
    hit: float                # chance that the leader is right: 1 or 0, or a share when causes tie at the top
    # The wanted cause's tie group: its first rank, its size, and how many wanted causes it holds.
    # Causes with the same probability are listed in name order, which is no evidence; so a case
    # earns for them what a random order would give it on average.
    tie: tuple[int, int, int] = (0, 0, 0)
    # What the engine read from the case (its symptoms, features and facts): cases that read the
    # same get the same answer from any engine that reads them this way (Scores.ceiling).
    evidence: tuple[Any, ...] = ()

    @property
    def correct_top(self) -> bool:
        return self.hit >= 1.0

    def within(self, k: int) -> float:
        """Chance that a wanted cause is among the first k (a random order within its tie group)."""
        return sum(p for rank, p in self._first_wanted() if rank <= k)

    def reciprocal_rank(self) -> float:
        return sum(p / rank for rank, p in self._first_wanted())

    def _first_wanted(self) -> list[tuple[int, float]]:
        first, size, wanted = self.tie
        if not wanted:
            return []
        # Position j of the first wanted cause in a random order of the group: C(size-j, wanted-1) / C(size, wanted).
        return [(first + j - 1, math.comb(size - j, wanted - 1) / math.comb(size, wanted))
                for j in range(1, size - wanted + 2)]


@dataclass
class Scores:
    label: str
    outcomes: list[Outcome] = field(default_factory=list)

    def positives(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.case.negative]

    def negatives(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.negative]

    def top_k(self, k: int) -> float:
        pos = self.positives()
        return sum(o.within(k) for o in pos) / len(pos) if pos else 0.0

    def mrr(self) -> float:
        pos = self.positives()
        return sum(o.reciprocal_rank() for o in pos) / len(pos) if pos else 0.0

    def abstention(self) -> float:
        neg = self.negatives()
        return sum(1 for o in neg if o.verdict != "cause") / len(neg) if neg else 1.0

    def false_confident(self) -> float:
        """Share of all cases where a cause was named with confidence and it was wrong."""
        wrong = sum(1 - o.hit for o in self.outcomes if o.verdict == "cause")
        return wrong / len(self.outcomes) if self.outcomes else 0.0

    def confident_accuracy(self) -> float:
        named = [o for o in self.outcomes if o.verdict == "cause"]
        return sum(o.hit for o in named) / len(named) if named else 0.0

    def coverage(self) -> float:
        pos = self.positives()
        return sum(1 for o in pos if o.verdict == "cause") / len(pos) if pos else 0.0

    def ceiling(self, k: int) -> float:
        """The best top-k any ranking could score on the positives when it must rank causes the
        same way for cases whose evidence is the same: per group of such cases, the k causes that
        are right for most of them. Not an estimate of what is reachable, an upper bound of it
        given what the engine reads from the logs; reading more from a log raises it."""
        groups: dict[tuple[Any, ...], list[set[str]]] = {}
        for o in self.positives():
            groups.setdefault(o.evidence, []).append(o.case.wanted)
        best = 0
        for wanted in groups.values():
            labels = sorted(set().union(*wanted))
            best += max(sum(1 for w in wanted if w & set(pick))
                        for pick in itertools.combinations(labels, min(k, len(labels))))
        return best / len(self.positives()) if self.positives() else 0.0

    def calibration(self, bins: int = 10) -> tuple[float, float, list[tuple[float, float, int]]]:
        """(expected calibration error, Brier score, reliability table) of the leading cause's
        probability against whether it is right, over every case (a negative is right only when
        the leader is not named: its leader is then `other`)."""
        table: list[list[float]] = [[0.0, 0.0, 0] for _ in range(bins)]
        brier = 0.0
        for o in self.outcomes:
            p = o.probability
            brier += o.hit * (p - 1) ** 2 + (1 - o.hit) * p ** 2
            cell = table[min(bins - 1, int(p * bins))]
            cell[0] += p
            cell[1] += o.hit
            cell[2] += 1
        n = len(self.outcomes) or 1
        ece = sum(abs(c[0] - c[1]) for c in table if c[2]) / n
        rows = [(c[0] / c[2], c[1] / c[2], int(c[2])) if c[2] else (0.0, 0.0, 0) for c in table]
        return ece, brier / n, rows


def _tied(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def outcome(case: Case, diagnosis: Diagnosis) -> Outcome:
    causes = diagnosis.causes
    rank = next((c.rank for c in causes if c.id in case.wanted), None)
    tie = (0, 0, 0)
    if rank is not None:
        p_wanted = causes[rank - 1].probability
        group = [c for c in causes if _tied(c.probability, p_wanted)]
        tie = (min(c.rank for c in group), len(group), sum(1 for c in group if c.id in case.wanted))
    if causes and causes[0].probability > diagnosis.other:
        top, p = causes[0].id, causes[0].probability
        leaders = [c for c in causes if _tied(c.probability, p)]
        hit = 0.0 if case.negative else sum(1 for c in leaders if c.id in case.wanted) / len(leaders)
    else:
        top, p = NEGATIVE, diagnosis.other
        hit = 1.0 if case.negative else 0.0
    return Outcome(case, rank, top, p, diagnosis.verdict, hit, tie, evidence_read(diagnosis))


def evidence_read(diagnosis: Diagnosis) -> tuple[Any, ...]:
    """The symptoms, features and facts the engine read, as one comparable value."""
    return (tuple(sorted({s["id"] for s in diagnosis.symptoms})),
            tuple(sorted({(f["kind"], tuple(sorted(f["fields"].items()))) for f in diagnosis.features})),
            tuple(sorted(diagnosis.facts.items())))


def first_listed_baseline(index: dict[str, Any], case: Case, scanner: Scanner) -> Outcome:
    """The old rule: the first cause of the first error symptom matched (in line order)."""
    scan = Scan()
    scanner.feed(scan, case.name, [case.log.encode("utf-8")])
    hits = sorted(((h[0].line, sid) for sid, h in scan.symptom_hits.items()
                   if index["symptoms"][sid]["kind"] == "error"))
    ranked = list(index["symptoms"][hits[0][1]]["causes"]) if hits else []
    rank = next((n for n, c in enumerate(ranked, 1) if c in case.wanted), None)
    top = ranked[0] if ranked else NEGATIVE
    correct = (top == NEGATIVE) if case.negative else (top in case.wanted)
    return Outcome(case, rank, top, 1.0 if ranked else 0.0, "cause" if ranked else "no-failure", float(correct),
                   (rank, 1, 1) if rank else (0, 0, 0))


def evaluate(index: dict[str, Any], cases: Iterable[Case], parse_probe: Parse) -> dict[str, Scores]:
    """Every figure bench/accuracy prints, in one pass."""
    cases = list(cases)
    scanner = Scanner(index)
    results = {name: Scores(name) for name in ("in-sample", "leave-one-tool-out", "first-listed", "log-only", "probe-only")}
    for case in cases:
        results["in-sample"].outcomes.append(outcome(case, run_case(index, case, parse_probe, scanner=scanner)))
        results["log-only"].outcomes.append(outcome(case, run_case(index, case, parse_probe, use_probe=False, scanner=scanner)))
        results["first-listed"].outcomes.append(first_listed_baseline(index, case, scanner))
        if case.probe:
            results["probe-only"].outcomes.append(outcome(case, run_case(index, case, parse_probe, use_log=False, scanner=scanner)))
    by_tool: dict[str, list[Case]] = {}
    for case in cases:
        by_tool.setdefault(case.tools[0] if case.tools else "", []).append(case)
    for tool, group in sorted(by_tool.items()):
        held = without_tool(index, tool)
        held_scanner = Scanner(held)
        for case in group:
            results["leave-one-tool-out"].outcomes.append(outcome(case, run_case(held, case, parse_probe, scanner=held_scanner)))
    return results


def log_loss(scores: Scores) -> float:
    return -sum(o.hit * math.log(max(o.probability, 1e-6)) + (1 - o.hit) * math.log(max(1 - o.probability, 1e-6))
                for o in scores.outcomes) / (len(scores.outcomes) or 1)


__all__ = ["CONFIDENT", "Case", "CaseError", "Outcome", "Scores", "evaluate", "load_cases", "log_loss", "outcome", "run_case",
           "without_tool"]
