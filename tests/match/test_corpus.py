"""The corpus of real failures (tests/cases/), through nskb.evaluation: the case files are well
formed, every cause and tool has a case (or is a listed gap, with the reason), and the figures
bench/accuracy prints stay above their floors.

Each floor is a few points below what the engine reached when it was set; raise it when the engine
gets better, never lower it to make a change pass. The test prints every figure (`-s` shows them).

    .venv/bin/pytest tests/match/test_corpus.py -s
"""
from __future__ import annotations

from functools import cache

import pytest
import yaml

from nskb.cli.match import parse_probe
from nskb.evaluation import CASE_FIELDS, NEGATIVE, Case, Scores, evaluate, load_cases, log_loss

from .conftest import REPO

CASES = REPO / "tests" / "cases"
REPRO = REPO / "tests" / "fixtures" / "repro"

# Causes and tools that may have no case yet, each with the reason. Empty: every one has a case.
KNOWN_GAPS: dict[str, dict[str, str]] = {"causes": {}, "tools": {}}

# Reproductions where nothing fails: no case names a cause for them.
CONTROL_REPRODUCTIONS = {"pivot-root-bind"}

# (figure, scores) -> minimum, reset on 2026-12-06 (fifth session) for 1111 cases, unchanged at 1312:
# seventeen held-out sets (774 logs from threads nobody had tuned on, each measured once before it
# joined) among them. At 1312 cases: in-sample top-1 82.0 %, top-3 92.8 %, negatives abstained 99.8 %,
# false-confident 3.7 %; leave-one-tool-out top-1 76.8 %, top-3 88.9 %, negatives abstained 99.5 %,
# false-confident 4.0 %. The top-1 margins are one point: each blind set that joins pulls top-1 down
# (sets 18-20 scored 79.3 %, 61.5 %, 55.0 % when measured); leave-one-tool-out top-1 must not go below
# 0.75, issue 10's target. On the same 1312 cases the sixth session's start engine (2585a1b) scores
# 81.5 % / 91.2 % and 76.3 % / 88.3 %; on the 1149 cases it started with, the final engine scores
# 83.2 % / 93.1 % and 78.0 % / 89.2 % (start: 82.9 % / 91.6 %, 77.6 % / 88.7 %). The floors came down
# at 1111 because two blind sets (97 logs, 36-39 % top-1) joined, not because the engine got worse.
# The first floors (482 cases, 89.3 % / 94.7 % in-sample) came from a corpus without blind sets.
FLOORS = {
    ("in-sample", "top-1"): 0.81,
    ("in-sample", "top-3"): 0.90,
    ("in-sample", "negatives abstained"): 0.97,
    ("leave-one-tool-out", "top-1"): 0.76,
    ("leave-one-tool-out", "top-3"): 0.87,
    ("leave-one-tool-out", "negatives abstained"): 0.97,
}
# (figure, scores) -> maximum: the share of all cases named with confidence and wrongly, and the
# expected calibration error (0.038 in-sample, 0.036 leave-one-tool-out on 1312 cases).
CEILINGS = {
    ("in-sample", "false-confident"): 0.06,
    ("leave-one-tool-out", "false-confident"): 0.07,
    ("in-sample", "calibration error"): 0.09,
    ("leave-one-tool-out", "calibration error"): 0.09,
}


@cache
def corpus() -> tuple[Case, ...]:
    return tuple(load_cases(CASES, REPRO))


def probe_parser(index: dict):
    known = set(index["facts"]) or None

    def parse(text: str, where: str) -> dict[str, str]:
        return parse_probe(text, where, known)[0]

    return parse


def kb_tools() -> set[str]:
    return {t.get("id") for t in yaml.safe_load((REPO / "kb" / "tools.yaml").read_text(encoding="utf-8"))["tools"]}


def figure(scores: Scores, name: str) -> float:
    return {"top-1": scores.top_k(1), "top-3": scores.top_k(3), "negatives abstained": scores.abstention(),
            "false-confident": scores.false_confident(), "calibration error": scores.calibration()[0]}[name]


@pytest.fixture(scope="module")
def results(real_index) -> dict[str, Scores]:
    return evaluate(real_index, corpus(), probe_parser(real_index))


def test_case_files_are_well_formed(real_index):
    tools = kb_tools()
    problems = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        name = path.stem
        if not isinstance(data, dict):
            problems.append(f"{name}: not a mapping")
            continue
        if set(data) - CASE_FIELDS:
            problems.append(f"{name}: unknown fields {sorted(set(data) - CASE_FIELDS)}")
        if not str(data.get("source", "")).startswith("https://"):
            problems.append(f"{name}: source is not an https URL")
        expected = data.get("expected")
        if expected != NEGATIVE and expected not in real_index["causes"]:
            problems.append(f"{name}: unknown cause {expected!r} (a cause ID, or `none` for a negative)")
        acceptable = data.get("acceptable") or []
        if expected == NEGATIVE and acceptable:
            problems.append(f"{name}: a negative (expected: none) has no acceptable causes")
        if any(c not in real_index["causes"] for c in acceptable):
            problems.append(f"{name}: unknown acceptable causes {acceptable}")
        if not data.get("tools") or not set(data["tools"]) <= tools:
            problems.append(f"{name}: tools {data.get('tools')} not all in kb/tools.yaml")
        if "repro" in data:
            folder = REPRO / str(data["repro"])
            if not (folder / "stderr.txt").is_file() or not (folder / "probe.txt").is_file():
                problems.append(f"{name}: repro folder {folder} lacks stderr.txt or probe.txt")
        elif not str(data.get("log") or "").strip():
            problems.append(f"{name}: empty log")
        if data.get("probe") and data.get("probe_origin") not in ("repro", "thread"):
            problems.append(f"{name}: probe_origin must be repro or thread")
    assert not problems, "\n".join(problems)


def test_case_probes_parse(real_index):
    """Every probe in the corpus is kb-probe output kb-match accepts (a UsageError would end a run)."""
    parse = probe_parser(real_index)
    for case in corpus():
        if case.probe:
            assert parse(case.probe, case.name), case.name


def test_every_cause_and_tool_has_a_case_or_is_a_known_gap(real_index):
    cases = corpus()
    assert len(cases) >= 300 and sum(1 for c in cases if c.negative) >= 50, len(cases)
    active = {cid for cid, c in real_index["causes"].items() if c.get("status") != "retired"}
    missing_causes = active - {c.expected for c in cases} - set(KNOWN_GAPS["causes"])
    missing_tools = kb_tools() - {t for c in cases for t in c.tools} - set(KNOWN_GAPS["tools"])
    assert not missing_causes, f"no case for the causes {sorted(missing_causes)}"
    assert not missing_tools, f"no case for the tools {sorted(missing_tools)}"
    # A gap that got its case, or names nothing that exists, is taken off the list.
    stale = {cid for cid in KNOWN_GAPS["causes"] if cid not in active or cid in {c.expected for c in cases}}
    stale |= {tid for tid in KNOWN_GAPS["tools"] if tid not in kb_tools() or tid in {t for c in cases for t in c.tools}}
    assert not stale, f"known gaps that are no longer gaps: {sorted(stale)}"
    assert all(reason.strip() for group in KNOWN_GAPS.values() for reason in group.values())


def test_figures_stay_above_their_floors(results):
    lines = [f"corpus: {len(corpus())} cases ({sum(1 for c in corpus() if c.negative)} negatives)"]
    for name, scores in results.items():
        ece, brier, _ = scores.calibration()
        lines.append(f"  {name:20} top-1 {scores.top_k(1):6.1%}  top-3 {scores.top_k(3):6.1%}  "
                     f"neg-abst {scores.abstention():6.1%}  false-conf {scores.false_confident():5.1%}  "
                     f"conf-acc {scores.confident_accuracy():6.1%}  ECE {ece:.3f}  Brier {brier:.3f}  "
                     f"logloss {log_loss(scores):.3f}")
    print("\n" + "\n".join(lines))
    low = [f"{label} {what}: {figure(results[label], what):.1%} < floor {floor:.0%}"
           for (label, what), floor in FLOORS.items() if figure(results[label], what) < floor]
    high = [f"{label} {what}: {figure(results[label], what):.3f} > ceiling {ceiling:.3f}"
            for (label, what), ceiling in CEILINGS.items() if figure(results[label], what) > ceiling]
    misses = [f"  {o.case.name}: expected {o.case.expected}, got {o.top} ({o.probability:.2f}, {o.verdict})"
              for o in results["in-sample"].outcomes if not o.correct_top]
    assert not (low or high), "\n".join(low + high) + "\nin-sample misses:\n" + "\n".join(misses[:40])


def test_the_engine_beats_its_baselines(results):
    """The model ranks better than the first cause of the first matched line, and the log and the
    probe together beat either alone."""
    assert results["in-sample"].top_k(1) > results["first-listed"].top_k(1)
    assert results["in-sample"].mrr() > results["first-listed"].mrr()
    assert results["in-sample"].false_confident() < results["first-listed"].false_confident()
    assert results["in-sample"].top_k(1) >= results["log-only"].top_k(1)


def test_evaluation_counts_what_it_says(results):
    """The figures are read from the outcomes as documented (a check of nskb.evaluation itself)."""
    scores = results["in-sample"]
    positives = [o for o in scores.outcomes if not o.case.negative]
    assert len(scores.outcomes) == len(corpus()) == len(results["leave-one-tool-out"].outcomes)
    assert scores.top_k(1) == pytest.approx(sum(1 for o in positives if o.rank == 1) / len(positives))
    for o in scores.outcomes:
        assert o.correct_top == ((o.top == NEGATIVE) if o.case.negative else (o.top in o.case.wanted))
        if o.verdict == "cause":
            assert o.top != NEGATIVE
    assert len(results["probe-only"].outcomes) == sum(1 for c in corpus() if c.probe)
    ece, brier, rows = scores.calibration()
    assert 0 <= ece <= 1 and 0 <= brier <= 1 and sum(n for _, _, n in rows) == len(scores.outcomes)


def test_every_reproduction_is_named_with_confidence(results):
    """The reproductions' stderr and probe come from real runs: each one's cause is found, confidently."""
    repro = [o for o in results["in-sample"].outcomes if o.case.probe_origin == "repro"]
    folders = {p.name for p in REPRO.iterdir() if p.is_dir()}
    # Each reproduction of a failure is a case; the control (nothing fails) is tested in test_reproductions.
    assert len(repro) == len(folders - CONTROL_REPRODUCTIONS)
    wrong = [f"{o.case.name}: {o.top} ({o.probability:.2f}, {o.verdict})" for o in repro
             if not (o.correct_top and o.verdict == "cause")]
    assert not wrong, wrong

