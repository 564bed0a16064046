"""The diagnosis model: verdicts, the `other` hypothesis, evidence with codes and log-odds weights,
context that only shifts belief between causes, rules_out and `certain`, facts from lines."""
from __future__ import annotations

import math
import random

import pytest

from nskb.diagnose import model
from nskb.diagnose.model import CONFIDENT, diagnose, merge_facts
from nskb.diagnose.scan import Scanner
from nskb.diagnose.types import Diagnosis, Hit, LineFact, Scan

from .conftest import REPO, run

NO_PERM = b"bwrap: No permissions to create a new namespace.\n"          # printed by several causes
CHROOT = "unshare: unshare failed: 不允许的操作 in chroot.\n".encode()  # printed by one
AUDIT = b'audit: type=1400 apparmor="DENIED" operation="userns_create" profile="unconfined" comm="bwrap"\n'
CODES = {"symptom-usual", "symptom-common", "symptom-possible", "symptom-rare", "symptom-unlisted",
         "feature-strong", "feature-moderate", "feature-weak", "feature-hint", "feature-unlisted",
         "clue-usual", "clue-common", "clue-possible", "clue-rare", "clue-lowers", "fact-confirms", "fact-rules-out",
         "fact-where-strong", "fact-where-moderate", "fact-where-weak", "fact-where-hint"}


def ids(result: Diagnosis) -> list[str]:
    return [c.id for c in result.causes]


def cause(result: Diagnosis, cid: str):
    return next(c for c in result.causes if c.id == cid)


def probability(result: Diagnosis, cid: str) -> float:
    return next((c.probability for c in result.causes if c.id == cid), 0.0)


# --- verdicts --------------------------------------------------------------------------------


def test_a_log_without_failure_evidence_is_no_failure_and_other_leads(mini_index):
    result = run(mini_index, b"build started\nall good\n")
    assert result.verdict == "no-failure"
    assert result.other >= CONFIDENT and all(c.probability < result.other for c in result.causes)
    assert not any(c.explained for c in result.causes)


def test_a_clue_alone_is_no_failure(mini_index):
    # `docker run` says where the program ran, not that anything failed.
    result = run(mini_index, b"docker run -it debian\n")
    assert result.verdict == "no-failure"
    assert all(c.probability < result.other for c in result.causes)
    # With no failure anywhere, context raises no cause against `other`: `other` keeps what the
    # same silence without the clue gives it; the clue only orders the causes within the rest.
    assert result.other == pytest.approx(run(mini_index, b"make all\n").other)
    clue = [e for e in cause(result, "seccomp").evidence if e.type == "clue"]
    assert [(e.code, e.counted) for e in clue] == [("clue-common", True)]
    assert probability(result, "seccomp") > probability(result, "chroot")  # same prior: the clue orders them


def test_a_line_printed_by_one_cause_names_it(mini_index):
    result = run(mini_index, CHROOT)
    assert result.verdict == "cause"
    top = result.causes[0]
    assert top.id == "chroot" and top.probability >= CONFIDENT and top.explained
    assert [e.code for e in top.evidence if e.counted] == ["symptom-usual"]


def test_a_line_printed_by_several_causes_is_not_sure(mini_index):
    result = run(mini_index, NO_PERM)
    assert result.verdict == "not-sure"
    assert result.causes[0].probability < CONFIDENT
    assert {c.id for c in result.causes[:3]} == {"seccomp", "chroot", "sysctl"}
    assert result.decide is not None and set(result.decide["between"]) == {"seccomp", "chroot", "sysctl"}
    assert {"chroot", "seccomp.mode", "sysctl.kernel.unprivileged_userns_clone"} <= set(result.decide["facts"])


def test_a_confirming_fact_decides_between_the_causes_of_a_vague_line(mini_index):
    result = run(mini_index, NO_PERM, {"chroot": "yes"})
    assert result.verdict == "cause" and ids(result)[0] == "chroot"
    assert probability(result, "chroot") > probability(run(mini_index, NO_PERM), "chroot")
    confirms = [e for e in cause(result, "chroot").evidence if e.code == "fact-confirms"]
    assert len(confirms) == 1 and confirms[0].weight == pytest.approx(math.log(model.LR_CONFIRMS))
    assert confirms[0].source == "probe" and confirms[0].id == "chroot" and confirms[0].value == "yes"


def test_all_tests_of_a_condition_must_hold(mini_index):
    half = run(mini_index, NO_PERM, {"seccomp.mode": "2"})
    assert not any(e.code == "fact-confirms" for e in cause(half, "seccomp").evidence)
    full = run(mini_index, NO_PERM, {"seccomp.mode": "2", "container.runtime": "docker"})
    assert ids(full)[0] == "seccomp" and full.verdict == "cause"
    confirms = [e for e in cause(full, "seccomp").evidence if e.code == "fact-confirms"]
    # Two tests: a stronger ratio, shared between the two facts.
    total = math.log(model.LR_CONFIRMS * model.LR_CONFIRMS_EACH_MORE)
    assert sorted(e.id for e in confirms) == ["container.runtime", "seccomp.mode"]
    assert sum(e.weight for e in confirms) == pytest.approx(total)


def test_matches_condition(mini_index):
    result = run(mini_index, NO_PERM, {"container.runtime": "systemd-nspawn"})
    assert any(e.code == "fact-confirms" for e in cause(result, "systemd").evidence)
    assert probability(result, "systemd") > probability(run(mini_index, NO_PERM), "systemd")


def test_unknown_values_neither_confirm_nor_rule_out(mini_index):
    plain = run(mini_index, NO_PERM)
    result = run(mini_index, NO_PERM, {"chroot": "unknown:EACCES", "sysctl.kernel.unprivileged_userns_clone": "unknown:EPERM"})
    assert not result.ruled_out
    assert [(c.id, round(c.probability, 9)) for c in result.causes] == [(c.id, round(c.probability, 9)) for c in plain.causes]


def test_an_unknown_value_a_condition_names_counts(mini_index):
    # unknown:absent (the kernel has no such switch) is a real state that sysctl's rules_out names.
    result = run(mini_index, NO_PERM, {"sysctl.kernel.unprivileged_userns_clone": "unknown:absent"})
    assert [r.id for r in result.ruled_out] == ["sysctl"]


# --- facts alone never explain an error ------------------------------------------------------


def test_facts_about_another_tool_do_not_name_a_cause_for_an_error_they_do_not_explain(mini_index):
    # subuid.count=0 confirms `subid`; it says nothing about an unshare EPERM in a chroot.
    result = run(mini_index, CHROOT, {"subuid.count": "0"})
    assert result.verdict == "cause" and ids(result)[0] == "chroot"
    subid = cause(result, "subid")
    assert not subid.explained and subid.probability < 0.05
    gated = [e for e in subid.evidence if e.type == "fact"]
    assert [(e.code, e.counted) for e in gated] == [("fact-confirms-unexplained", False)]
    assert probability(result, "subid") == pytest.approx(probability(run(mini_index, CHROOT), "subid"), abs=1e-9)


def test_facts_alone_do_not_win_over_a_vague_error(mini_index):
    result = run(mini_index, NO_PERM, {"subuid.count": "0", "process.uid": "0"})
    assert ids(result)[:3] != [] and {"subid", "root-browser"}.isdisjoint(ids(result)[:3])
    assert result.verdict != "cause" or result.causes[0].explained


def test_a_line_that_lists_the_cause_lets_the_fact_count(mini_index):
    result = run(mini_index, b"newuidmap: write to uid_map failed\n" + NO_PERM, {"subuid.count": "0"})
    assert ids(result)[0] == "subid" and result.verdict == "cause"
    assert [(e.code, e.counted) for e in cause(result, "subid").evidence if e.type == "fact"] == [("fact-confirms", True)]


def test_healthy_probe_as_root_with_an_empty_log_is_no_failure(mini_index):
    # What `kb-match --probe-here < /dev/null` run as root gives: process.uid=0 confirms a cause,
    # but nothing failed, so nothing is named.
    result = run(mini_index, b"", {"process.uid": "0", "userns.create": "ok", "chroot": "no"})
    assert result.verdict == "no-failure"
    assert ids(result)[0] == "root-browser"  # still the closest candidate, shown as such


def test_a_failure_the_probe_saw_lets_facts_alone_name_a_cause(mini_index):
    # No log, but the probe's own attempt failed: that attempt is the failure, read as a failure
    # line would be, and the facts decide between the causes it can mean.
    result = run(mini_index, b"", {"userns.create": "EPERM", "chroot": "yes"})
    assert result.verdict in ("cause", "not-sure") and ids(result)[0] == "chroot"
    assert result.causes[0].explained == any(e.type == "probe" for e in result.causes[0].evidence)
    no_failure = run(mini_index, b"", {"userns.create": "ok", "chroot": "yes"})
    assert no_failure.verdict == "no-failure"


# --- rules_out, certain, clues ---------------------------------------------------------------


def test_rules_out_lowers_a_cause_without_removing_it(mini_index):
    plain = run(mini_index, NO_PERM)
    result = run(mini_index, NO_PERM, {"sysctl.kernel.unprivileged_userns_clone": "1"})
    assert [(r.id, r.certain) for r in result.ruled_out] == [("sysctl", False)]
    assert result.ruled_out[0].because == [{"key": "sysctl.kernel.unprivileged_userns_clone", "value": "1", "source": "probe"}]
    assert "sysctl" in ids(result) and probability(result, "sysctl") < probability(plain, "sysctl") / 10
    against = [e for e in cause(result, "sysctl").evidence if e.code == "fact-rules-out"]
    assert len(against) == 1 and against[0].weight == pytest.approx(math.log(model.LR_RULES_OUT))


def test_certain_rules_out_removes_the_cause(mini_index):
    result = run(mini_index, CHROOT, {"chroot": "no"})
    assert [(r.id, r.certain) for r in result.ruled_out] == [("chroot", True)]
    assert "chroot" not in ids(result)
    assert result.verdict != "cause"  # the only cause the line names is gone


def test_clue_raises_and_lowers(mini_index):
    plain = run(mini_index, NO_PERM)
    result = run(mini_index, b"docker run -it debian\n" + NO_PERM)
    assert ids(result)[0] == "seccomp" and probability(result, "seccomp") > probability(plain, "seccomp")
    raise_ = [e for e in cause(result, "seccomp").evidence if e.type == "clue"]
    assert [(e.code, e.id, e.line) for e in raise_] == [("clue-common", "docker-clue", 1)]
    lowers = [e for e in cause(result, "sysctl").evidence if e.code == "clue-lowers"]
    assert len(lowers) == 1 and lowers[0].weight == pytest.approx(math.log(model.LR_LOWERS)) and lowers[0].weight < 0
    assert probability(result, "sysctl") < probability(plain, "sysctl")


# --- facts from lines ------------------------------------------------------------------------


def test_pasted_lines_set_facts(mini_index):
    result = run(mini_index, NO_PERM + b"kernel.unprivileged_userns_clone = 0\n")
    assert result.facts["sysctl.kernel.unprivileged_userns_clone"] == "0"
    assert result.fact_sources["sysctl.kernel.unprivileged_userns_clone"] == {"source": "line", "file": "log", "line": 2}
    assert ids(result)[0] == "sysctl"
    fact = [e for e in cause(result, "sysctl").evidence if e.type == "fact"][0]
    assert fact.source == "line" and fact.line == 2 and fact.code == "fact-confirms"


def test_probe_wins_over_a_pasted_line_and_the_conflict_is_reported(mini_index):
    result = run(mini_index, NO_PERM + b"kernel.unprivileged_userns_clone = 0\n",
                 {"sysctl.kernel.unprivileged_userns_clone": "1"})
    assert result.facts["sysctl.kernel.unprivileged_userns_clone"] == "1"
    assert "sysctl" in [r.id for r in result.ruled_out]
    assert {"code": "fact-conflict", "key": "sysctl.kernel.unprivileged_userns_clone", "probe": "1", "value": "0",
            "file": "log", "line": 2} in result.warnings


def test_lines_that_disagree_leave_the_fact_unknown_whatever_their_order(mini_index):
    for text in (b'ID=debian\nx\nID="ubuntu"\n', b'ID="ubuntu"\nx\nID=debian\n'):
        result = run(mini_index, NO_PERM + text)
        assert "os.id" not in result.facts
        conflict = [w for w in result.warnings if w["code"] == "fact-conflict-lines"]
        assert conflict == [{"code": "fact-conflict-lines", "key": "os.id", "values": ["debian", "ubuntu"],
                             "file": "log", "line": 2}]


def test_merge_facts_is_order_free():
    scan = Scan()
    scan.line_facts = {LineFact("os.id", "debian"): Hit("a", 9, "ID=debian"), LineFact("os.id", "ubuntu"): Hit("a", 1, "ID=ubuntu"),
                       LineFact("chroot", "yes"): Hit("a", 4, "x")}
    facts, sources, warnings = merge_facts({}, scan)
    assert facts == {"chroot": "yes"} and sources["chroot"] == {"source": "line", "file": "a", "line": 4}
    assert warnings == [{"code": "fact-conflict-lines", "key": "os.id", "values": ["debian", "ubuntu"], "file": "a", "line": 1}]
    scan.line_facts = dict(reversed(list(scan.line_facts.items())))
    assert merge_facts({}, scan) == (facts, sources, warnings)


def test_the_same_fact_on_two_lines_is_the_first(mini_index):
    result = run(mini_index, NO_PERM + b"ID=debian\nID=debian\n")
    assert result.facts["os.id"] == "debian" and result.fact_sources["os.id"]["line"] == 2
    assert not any(w["code"].startswith("fact-conflict") for w in result.warnings)


# --- the numbers -----------------------------------------------------------------------------


INPUTS = [
    (b"all good\n", {}),
    (NO_PERM, {}),
    (CHROOT, {"subuid.count": "0"}),
    (b"docker run x\n" + NO_PERM + CHROOT, {"seccomp.mode": "2"}),
    (NO_PERM, {"sysctl.kernel.unprivileged_userns_clone": "1", "chroot": "no"}),
    (b"", {"process.uid": "0", "userns.create": "ok"}),
]


@pytest.mark.parametrize("text, facts", INPUTS)
def test_probabilities_and_other_sum_to_one(mini_index, text, facts):
    result = run(mini_index, text, facts)
    assert 0 <= result.other <= 1 and all(0 <= c.probability <= 1 for c in result.causes)
    assert sum(c.probability for c in result.causes) + result.other == pytest.approx(1.0, abs=1e-9)
    removed = {r.id for r in result.ruled_out if r.certain}
    live = set(mini_index["causes"]) - removed
    assert set(ids(result)) == live  # every cause not removed is ranked, with its probability
    assert [c.rank for c in result.causes] == list(range(1, len(result.causes) + 1))
    assert [c.probability for c in result.causes] == sorted((c.probability for c in result.causes), reverse=True)


@pytest.mark.parametrize("text, facts", INPUTS)
def test_evidence_has_codes_and_weights_that_add_up(mini_index, text, facts):
    result = run(mini_index, text, facts)
    for ranked in result.causes:
        for item in ranked.evidence:
            assert item.code.removesuffix("-unexplained") in CODES, item
            assert item.type == item.code.split("-")[0] and isinstance(item.weight, float) and math.isfinite(item.weight)
            if item.type in ("symptom", "clue"):
                assert item.id in mini_index["symptoms"] and item.file == "log" and item.line >= 1
            if item.type == "fact" and not item.code.startswith("fact-where-"):
                assert item.id in result.facts and item.value == result.facts[item.id]
        counted = sum(e.weight for e in ranked.evidence if e.counted)
        unlisted = ranked.log_odds - counted  # what unlisted lines add: shown nowhere, counted once per channel
        assert unlisted >= -1e-9
        # Explained: some line of the input lists it (facts alone never explain).
        assert ranked.explained == any(e.type in ("symptom", "feature") for e in ranked.evidence)


def test_the_weights_are_the_documented_ratios(mini_index):
    result = run(mini_index, NO_PERM)
    # How often the line turns up with no KB cause behind it (`background`, rare by default).
    background = model.P_BACKGROUND[mini_index["symptoms"]["four-causes"]["background"]]
    assert mini_index["symptoms"]["four-causes"]["background"] == "rare"
    sysctl = cause(result, "sysctl")
    assert [e.to_dict() for e in sysctl.evidence] == [
        {"type": "symptom", "code": "symptom-common", "weight": round(math.log(model.P_LINK["common"] / background), 3),
         "id": "four-causes", "file": "log", "line": 1}]
    # A cause the line does not list still gets the ratio of an unlisted line (against `other`).
    assert cause(result, "apparmor").log_odds == pytest.approx(math.log(model.P_UNLISTED / background))
    assert cause(result, "apparmor").evidence == [] and not cause(result, "apparmor").explained


def test_one_channel_counts_its_strongest_line_once(mini_index):
    result = run(mini_index, NO_PERM + CHROOT)
    chroot = cause(result, "chroot")
    symptoms = [(e.id, e.code, e.counted) for e in chroot.evidence if e.type == "symptom"]
    assert symptoms == [("one-cause", "symptom-usual", True), ("four-causes", "symptom-common", False)]
    assert chroot.log_odds == pytest.approx(math.log(model.P_LINK["usual"] / model.P_BACKGROUND["rare"]))
    repeated = run(mini_index, CHROOT * 5)
    assert cause(repeated, "chroot").log_odds == pytest.approx(cause(run(mini_index, CHROOT), "chroot").log_odds)


def test_a_feature_a_cause_claims_is_failure_evidence(mini_features_index):
    result = run(mini_features_index, AUDIT)
    assert result.verdict == "cause" and ids(result)[0] == "apparmor"
    feature = [e for e in cause(result, "apparmor").evidence if e.type == "feature"]
    assert [(e.code, e.id, e.line) for e in feature] == [("feature-strong", "apparmor", 1)]
    assert "operation=userns_create" in feature[0].value
    assert result.features == [{"kind": "apparmor", "file": "log", "line": 1,
                                "fields": {"apparmor": "DENIED", "operation": "userns_create", "profile": "unconfined",
                                           "comm": "bwrap"}}]


def test_a_feature_no_cause_claims_is_not_a_failure(mini_features_index):
    result = run(mini_features_index, AUDIT.replace(b"userns_create", b"file_mmap"))
    assert result.features and result.verdict == "no-failure"


def test_without_a_features_section_nothing_is_extracted(mini_index):
    result = run(mini_index, AUDIT + b"uid=0(root) gid=0(root)\n")
    assert result.features == [] and result.verdict == "no-failure" and "process.uid" not in result.facts


def test_a_context_line_sets_a_fact(mini_features_index):
    result = run(mini_features_index, NO_PERM + b"uid=0(root) gid=0(root) groups=0(root)\n")
    assert result.facts["process.uid"] == "0" and result.fact_sources["process.uid"]["line"] == 2
    # root-browser is confirmed by it, but no line explains it: it stays below the bwrap causes.
    assert ids(result).index("root-browser") >= 3


def test_no_decider_once_the_leader_is_near_certain(mini_index):
    result = run(mini_index, b"docker run x\n" + NO_PERM, {"seccomp.mode": "2", "container.runtime": "docker"})
    assert result.verdict == "cause" and result.causes[0].probability >= 0.9 and result.decide is None


def test_retired_causes_are_not_ranked(mini_index):
    index = {**mini_index, "causes": {**mini_index["causes"], "chroot": {**mini_index["causes"]["chroot"], "status": "retired"}}}
    result = run(index, CHROOT)
    assert "chroot" not in ids(result) and result.verdict != "cause"


def test_order_and_repetition_do_not_change_the_result(mini_index):
    lines = [b"docker run x\n", NO_PERM, CHROOT, b"ID=debian\n", b"kernel.unprivileged_userns_clone = 1\n", b"noise\n"]
    base = run(mini_index, b"".join(lines), {"seccomp.mode": "2"})
    shuffler = random.Random(7)
    for _ in range(10):
        mixed = lines * shuffler.randint(1, 3)
        shuffler.shuffle(mixed)
        other = run(mini_index, b"".join(mixed), {"seccomp.mode": "2"})
        assert other.verdict == base.verdict and ids(other) == ids(base)
        assert [round(c.probability, 12) for c in other.causes] == [round(c.probability, 12) for c in base.causes]


def test_to_dict_is_the_report_input(mini_index):
    data = run(mini_index, NO_PERM, {"chroot": "no"}).to_dict()
    assert set(data) == {"verdict", "other", "causes", "ruled_out", "facts", "fact_sources", "symptoms", "features",
                         "warnings", "decide", "lines", "bytes", "sources"}
    assert data["ruled_out"] == [{"id": "chroot", "because": [{"key": "chroot", "value": "no", "source": "probe"}],
                                  "certain": True}]
    first = data["causes"][0]
    assert set(first) == {"id", "rank", "probability", "log_odds", "explained", "evidence"}
    assert data["symptoms"] == [{"id": "four-causes", "kind": "error", "file": "log", "line": 1,
                                 "text": NO_PERM.decode().rstrip("\n"), "cut": False}]


def test_real_kb_healthy_probe_as_root_with_no_log_is_no_failure(real_index):
    from nskb.cli.match import parse_probe

    probe = (REPO / "tests" / "fixtures" / "repro" / "chroot-plain-dir" / "probe.txt").read_text(encoding="utf-8")
    facts, _ = parse_probe(probe, "probe.txt", set(real_index["facts"]))
    facts.update({"process.uid": "0", "process.gid": "0", "chroot": "no", "userns.create": "ok",
                  "userns.map_write": "ok", "userns.proc_mount": "ok", "subuid.count": "1", "subgid.count": "1"})
    scan = Scan()
    Scanner(real_index).feed(scan, "<stdin>", [])
    result = diagnose(real_index, scan, facts, [])
    assert result.verdict == "no-failure", [(c.id, round(c.probability, 2)) for c in result.causes[:3]]
