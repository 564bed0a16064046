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
from nskb.diagnose.types import Diagnosis, RankedCause
from nskb.evaluation import CASE_FIELDS, NEGATIVE, Case, Scores, evaluate, load_cases, log_loss, outcome

from .conftest import REPO

CASES = REPO / "tests" / "cases"
REPRO = REPO / "tests" / "fixtures" / "repro"

# Causes and tools that may have no case yet, each with the reason. Empty: every one has a case.
KNOWN_GAPS: dict[str, dict[str, str]] = {"causes": {}, "tools": {}}

# Reproductions where nothing fails: no case names a cause for them.
CONTROL_REPRODUCTIONS = {"pivot-root-bind"}

# (figure, scores) -> minimum. Since the seventh session (2026-12-06) a case whose wanted cause ties
# with others earns what a random order of the tie would give it (nskb.evaluation.Outcome): the
# engine lists equal causes by name, and that order had been counted as evidence. On the same engine
# and 1312 cases that correction moved in-sample top-1 from 82.0 % to 79.5 % and leave-one-tool-out
# top-1 from 76.8 % to 74.1 % (top-3 92.8 -> 92.5 %, 88.9 -> 87.8 %). Three blind sets then joined
# (21-23: 129 logs, top-1 37.2 %, 55.6 %, 65.3 % when measured, the same for the session's start and
# final engines). At 1441 cases the final engine scores in-sample 78.7 % / 91.5 %, leave-one-tool-out
# 73.1 % / 86.9 %, negatives abstained 99.6 % / 99.4 %, false-confident 3.4 % / 3.9 %; the start
# engine (f46cb84) 77.5 % / 90.9 % and 72.1 % / 86.0 % on the same cases. So the floors came down
# with the count and the corpus, not with the engine; leave-one-tool-out top-1 is below issue 10's
# 75 % target. Earlier floors: 0.81 / 0.90 and 0.76 / 0.87 on the old count (1111-1312 cases); the
# first (482 cases, 89.3 % / 94.7 %) came from a corpus without blind sets.
# The eighth session added blind sets 24 to 28 (176 logs measured, 163 kept; 52.5 %, 47.1 %, 54.2 %,
# 59.1 % and 80.7 % top-1 when measured). At 1605 cases its final engine scores 77.7 % / 91.2 % and
# 71.3 % / 85.7 % (negatives 99.7 % / 99.5 %), the session's start engine (c189fab) 77.3 % / 90.5 %
# and 71.0 % / 85.2 %: the top-1 floors came down a point with the corpus, not with the engine.
# The ninth session added blind sets 29 to 32 (127 logs measured, 122 kept; 64.4 %, 32.1 %, 50.0 %
# and 61.9 % top-1 when measured). At 1727 cases its final engine scores 77.4 % / 91.0 % and
# 70.8 % / 85.2 %; its start engine (d5fcbf5) 76.4 % / 90.1 % and 69.8 % / 84.4 %, below the
# leave-one-tool-out floors.
# The tenth session added blind sets 33 to 35 (57 logs measured, 54 kept; 79.8 %, 50.0 % and 70.0 %
# top-1 when measured) and real logs of four causes new to the KB (runc's reopened sysctl in LXC, the
# ChromeOS LSM, pacman's sandbox under fakeroot, newuidmap's owner check), mostly told only by their
# own program's line. At 1794 cases its final engine scores 77.5 % / 90.9 % and 70.6 % / 84.6 %; its
# start engine (adbf586) 76.2 % / 89.6 % and 69.8 % / 83.8 %. The leave-one-tool-out top-3 floor came
# down from 0.85 to 0.84 with those cases, not with the engine (0.8 points above the start engine on
# the same cases).
# The eleventh session added blind sets 36 to 41 (116 logs measured, 114 kept; 45.8 %, 37.0 %, 66.7 %,
# 44.4 %, 66.7 % and 50.0 % top-1 when measured, the same for its start engine on every set). At 1908
# cases its final engine scores 76.7 % / 90.5 % and 71.0 % / 86.3 %; its start engine (a5c95de)
# 76.6 % / 90.2 % and 69.7 % / 83.9 %. The leave-one-tool-out top-3 floor went back to 0.85.
# The twelfth session added blind sets 42 and 43 (43 logs, all kept; 43.8 % and 68.2 % top-1 when
# measured, engine unchanged since the eleventh) and a cause for a program's own AppArmor profile
# (three former negatives relabelled). At 1951 cases its final engine scores 76.5 % / 90.3 % and
# 70.9 % / 86.0 %; its start engine (c046ae9) 76.1 % / 89.9 % and 70.5 % / 85.7 %. It then added
# sets 44 to 46 and two more causes (a pivot_root refused for a shared root; a setuid or file-capability
# helper without its privilege). Five cases labelled `none` for want of a cause became positives of the
# helper cause, whose logs mostly show only a program's own words: the in-sample top-1 floor came down
# from 0.76 to 0.75 with those labels (76.2 % on the same cases before them).
# Blind sets 47 to 52 left the floors as they were. Blind sets 53 to 56 (79 logs measured, all kept;
# 68.8 %, 43.3 %, 28.6 % and 30.0 % top-1 when measured) and two causes for a refused ptrace (six
# former negatives relabelled) followed. At 2199 cases the final engine scores 75.6 % / 89.0 % and
# 70.3 % / 84.9 %; the start engine (e8e1370) 74.3 % / 87.5 % and 69.0 % / 83.5 % on the same cases.
# Both top-3 floors came down a point with those cases, not with the engine (1.4 to 1.5 points above
# the start engine on the same cases).
# The fifteenth session added blind sets 57 to 61 (97 logs measured, all kept; 62.5 %, 50.0 %, 53.0 %,
# 53.3 % and 35.2 % top-1 on their positives when measured, the same as its start engine on every
# set). At 2296 cases the final engine scores 74.9 % / 88.2 % and 69.9 % / 84.1 %; the start engine
# (46319b6) 74.8 % / 88.2 % and 69.6 % / 84.1 % on the same cases. Both top-1 floors came down a
# point with those cases, not with the engine.
# The sixteenth session added blind sets 62 to 66 (86 logs measured, all kept; 71.7 %, 33.3 %, 57.4 %
# and 26.7 % top-1 on the positives of sets 62 to 65 when measured, the same as its start engine on
# every set; set 66 holds four negatives) and two causes (a container runtime confined by its own
# AppArmor profile, snap-confine without its profile; three former negatives relabelled). At 2382
# cases its final engine scores 74.9 % / 87.8 % and 69.6 % / 83.5 %; the start engine (d9b7ee1)
# 74.1 % / 87.1 % and 69.1 % / 83.0 % on the same cases. Both top-3 floors came down a point with
# those cases, not with the engine.
# The seventeenth session added blind sets 67 to 70 (51 logs measured, all kept; 77.8 %, 50.0 % and
# 37.5 % top-1 on the positives of 67 to 69 when measured; its start engine the same on 67 and 68,
# 25.0 % on 69; set 70 holds three negatives, all abstained)
# and one cause (Docker's daemon-wide userns-remap refusing privileged and host-namespace containers;
# three former negatives and one set-67 log relabelled); seven negatives whose old seccomp profile
# refused an image's newer calls became seccomp-profile-denies-newer-syscall. At 2433 cases its final
# engine scores 75.3 % / 88.1 % and 69.8 % / 83.7 %; the start engine (65356d6) 74.0 % / 86.7 % and
# 68.8 % / 82.5 % on the same cases. The floors stay where they were.
# The eighteenth session added blind sets 71 to 76 (129 logs measured, all kept; 43.8 %, 35.9 %,
# 12.5 %, 40.9 %, 36.4 % and 60.0 % top-1 on their positives when measured; its start engine the
# same on every set but 72, where it scored 28.2 %). At 2562 cases its final engine scores 74.3 % /
# 87.1 % and 68.7 % / 82.6 %; the start engine (7e69bf8) 73.8 % / 86.6 % and 68.2 % / 82.1 % on the
# same cases, against 75.3 % / 88.1 % and 69.8 % / 83.7 % on the 2433 it started from. Both
# leave-one-tool-out floors came down a point with those cases, not with the engine.
# The nineteenth session added blind sets 77 to 83 (130 logs measured, all kept; 80.0 %, 78.6 %,
# 66.7 %, 50.0 %, 70.6 %, 50.0 % and 40.0 % top-1 on their positives when measured; its start
# engine (4b334d2) 80.0 %, 64.3 %, 66.7 %, 50.0 %, 70.6 %, 50.0 % and 40.0 %). At 2692 cases its
# final engine scores 74.4 % / 86.9 % and 68.7 % / 82.4 %; the start engine 73.7 % / 86.1 % and
# 68.1 % / 81.7 % on the same cases, and 74.3 % / 87.0 % and 68.7 % / 82.6 % on the 2589 cases of
# mid-session. The in-sample top-3 floor came down a point with those cases, not with the engine.
# The twentieth session added blind sets 84 to 89 (141 logs measured, 139 kept: one source was not
# https, one a pull request already in; 65.6 %, 50.0 %, 69.2 %, 31.0 %, 42.3 % and 20.0 % top-1 on
# their positives when measured, the same for its start engine 4d76226). At 2831 cases its final
# engine scores 74.2 % / 86.4 % and 70.1 % / 83.5 %; the start engine 73.4 % / 85.6 % and 67.9 % /
# 81.3 % on the same cases. The leave-one-tool-out floors went
# up a point with the engine (program-independent readings of lines that had only a tool's symptom).
# The twenty-first session added blind sets 90 to 92 (83 logs measured, all kept; three more were
# dropped before measuring as logs already in; 53.8 %, 28.6 % and 35.2 % top-1 on their positives
# when measured, the same for its start engine 1fc41e5). At 2914 cases its final engine scores
# 74.3 % / 86.3 % and 70.1 % / 83.4 %; the start engine 73.6 % / 85.7 % and 69.5 % / 82.8 % on the
# same cases. The floors stay where they were.
# The twenty-second session added blind sets 93 to 97 (146 logs measured, all kept; three more were
# dropped before measuring as incidents already in; 44.0 %, 40.6 %, 50.0 %, 60.2 % and 38.9 % top-1
# on their positives when measured, against 44.0 %, 40.6 %, 50.0 %, 54.6 % and 38.9 % for its start
# engine a6e69af). At 3060 cases its final engine scores 74.0 % / 85.8 % and 69.8 % / 82.9 %; the
# start engine 73.1 % / 85.1 % and 69.0 % / 82.2 % on the same cases. The in-sample floors and the
# leave-one-tool-out top-3 floor came down a point with those cases, not with the engine.
FLOORS = {
    ("in-sample", "top-1"): 0.73,
    ("in-sample", "top-3"): 0.85,
    ("in-sample", "negatives abstained"): 0.97,
    ("leave-one-tool-out", "top-1"): 0.69,
    ("leave-one-tool-out", "top-3"): 0.82,
    ("leave-one-tool-out", "negatives abstained"): 0.97,
}
# (figure, scores) -> maximum: the share of all cases named with confidence and wrongly, and the
# expected calibration error (0.029 in-sample, 0.035 leave-one-tool-out on 1441 cases).
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
    assert scores.top_k(1) == pytest.approx(sum(o.within(1) for o in positives) / len(positives))
    for o in scores.outcomes:
        if o.hit in (0.0, 1.0):
            assert o.correct_top == ((o.top == NEGATIVE) if o.case.negative else (o.top in o.case.wanted))
        else:  # causes tie at the top: the share of them that are wanted
            assert not o.case.negative and 0 < o.hit < 1
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



def _diagnosis(probabilities: dict[str, float], other: float) -> Diagnosis:
    ranked = [RankedCause(cid, rank, p, 0.0, True, []) for rank, (cid, p) in enumerate(probabilities.items(), 1)]
    return Diagnosis("not-sure", ranked, other, [], {}, {}, [], [], [], None, 1, 1, [])


def test_causes_that_tie_earn_what_a_random_order_would():
    """The engine lists causes of equal probability in name order; the figures do not reward that
    order. Wanted second in a tie of two at the top: half a hit, sure within two."""
    case = Case("t", "https://example.org/t", ["bwrap"], "b", [], "", "", "")
    o = outcome(case, _diagnosis({"a": 0.45, "b": 0.45, "c": 0.09}, 0.01))
    assert (o.top, o.rank, o.tie, o.hit) == ("a", 2, (1, 2, 1), 0.5)
    assert (o.within(1), o.within(2), o.reciprocal_rank()) == (0.5, 1.0, 0.75)
    # A tie of three straddling the third place, with the wanted cause in it.
    o = outcome(case, _diagnosis({"x": 0.4, "a": 0.2, "c": 0.2, "b": 0.2}, 0.0))
    assert o.tie == (2, 3, 1) and o.hit == 0.0
    assert o.within(1) == 0 and o.within(3) == pytest.approx(2 / 3) and o.within(4) == pytest.approx(1.0)
    # Two wanted causes in a tie of three at the top: the first of them leads two times in three.
    both = Case("t", "https://example.org/t", ["bwrap"], "b", ["c"], "", "", "")
    o = outcome(both, _diagnosis({"a": 0.3, "b": 0.3, "c": 0.3}, 0.1))
    assert o.hit == pytest.approx(2 / 3) and o.within(1) == pytest.approx(2 / 3)
    assert o.within(2) == pytest.approx(1.0)
    # No tie: the plain rank.
    o = outcome(case, _diagnosis({"a": 0.6, "b": 0.3}, 0.1))
    assert (o.hit, o.within(1), o.within(2), o.reciprocal_rank()) == (0.0, 0.0, 1.0, 0.5)
    scores = Scores("x", [o])
    assert scores.false_confident() == 0.0  # "not-sure" names no cause


def test_the_ceiling_is_the_best_answer_for_cases_that_read_alike():
    """Cases with the same symptoms, features and facts must get the same ranking: of three that
    read alike and want a, a and b, at most two can have the right cause first, all three within
    two. A case that reads differently is counted on its own."""
    same = Diagnosis("cause", [], 0.0, [], {}, {}, [{"id": "s"}], [], [], None, 1, 1, [])
    other = Diagnosis("cause", [], 0.0, [], {"os.id": "ubuntu"}, {}, [{"id": "s"}], [], [], None, 1, 1, [])
    outcomes = [outcome(Case(n, "https://example.org/" + n, ["bwrap"], want, acceptable, "", "", ""), d)
                for n, want, acceptable, d in (("1", "a", [], same), ("2", "a", [], same), ("3", "b", [], same),
                                               ("4", "b", [], other), ("5", "c", ["a"], same))]
    scores = Scores("x", outcomes)
    # a is right for 1, 2 and 5 of the four alike; 4 stands alone.
    assert scores.ceiling(1) == pytest.approx(4 / 5)
    assert scores.ceiling(2) == scores.ceiling(3) == 1.0
    assert Scores("x", outcomes[:3]).ceiling(1) == pytest.approx(2 / 3)


def test_a_case_file_that_cannot_be_read_is_named_with_its_line(tmp_path):
    from nskb.evaluation import CaseError

    broken = {"bad-yaml.yaml": ("source: [\n", ":2: "), "no-expected.yaml": ("source: x\ntools: [bwrap]\n", "no 'expected' field"),
              "a-list.yaml": ("- a\n", "not a mapping")}
    for name, (text, said) in broken.items():
        folder = tmp_path / name.removesuffix(".yaml")
        folder.mkdir()
        (folder / name).write_text(text, encoding="utf-8")
        with pytest.raises(CaseError) as raised:
            load_cases(folder, REPRO)
        assert str(raised.value).startswith(str(folder / name)) and said in str(raised.value), raised.value
