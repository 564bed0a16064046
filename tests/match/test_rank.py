"""Ranking: the score, its evidence, ruled-out causes, facts from lines, determinism."""
from __future__ import annotations

import pytest

from nskb.diagnose.conditions import merge_facts
from nskb.diagnose.rank import CONFIRM_BONUS, FACT_ONLY_WEIGHT, diagnose, harmonic_shares
from nskb.diagnose.scan import Scan, Scanner

NO_PERM = b"bwrap: No permissions to create a new namespace\n"


def run(index, text: bytes, probe: dict | None = None) -> dict:
    result = Scan()
    Scanner(index).feed(result, "log", [text])
    return diagnose(index, result, probe or {})


def ranked(result: dict) -> list[str]:
    return [c["id"] for c in result["causes"]]


def test_harmonic_shares():
    assert harmonic_shares(1) == [1.0]
    four = harmonic_shares(4)
    assert four == sorted(four, reverse=True) and abs(sum(four) - 1) < 1e-9
    assert harmonic_shares(6)[0] < four[0] < harmonic_shares(1)[0]


def test_listed_order_is_the_prior(mini_index):
    result = run(mini_index, NO_PERM)
    assert ranked(result) == ["seccomp", "chroot", "sysctl", "systemd"]
    scores = [c["score"] for c in result["causes"]]
    assert scores == sorted(scores, reverse=True) and abs(sum(scores) - 1) < 0.01
    assert result["causes"][0]["evidence"] == [{"type": "symptom", "id": "four-causes", "file": "log", "line": 1,
                                                "weight": 0.48}]


def test_a_specific_symptom_outweighs_a_vague_one(mini_index):
    result = run(mini_index, NO_PERM + "unshare: unshare failed: 不允许的操作 in chroot\n".encode())
    assert ranked(result)[0] == "chroot"
    assert result["causes"][0]["points"] == pytest.approx(0.24 + 1.0, abs=0.01)


def test_a_fact_confirms_and_another_rules_out(mini_index):
    result = run(mini_index, NO_PERM, {"chroot": "yes", "chroot.signal": "mountinfo",
                                       "sysctl.kernel.unprivileged_userns_clone": "1"})
    assert ranked(result)[0] == "chroot"
    top = result["causes"][0]
    assert top["confirmed"] and {"type": "fact", "key": "chroot", "value": "yes", "effect": "confirms",
                                 "weight": CONFIRM_BONUS, "source": "probe"} in top["evidence"]
    assert result["ruled_out"] == [{"id": "sysctl", "because": [
        {"key": "sysctl.kernel.unprivileged_userns_clone", "value": "1", "source": "probe"}]}]
    assert "sysctl" not in ranked(result)


def test_all_conditions_must_hold(mini_index):
    half = run(mini_index, NO_PERM, {"seccomp.mode": "2"})
    assert not half["causes"][0]["confirmed"]
    full = run(mini_index, NO_PERM, {"seccomp.mode": "2", "container.runtime": "docker"})
    assert full["causes"][0]["id"] == "seccomp" and full["causes"][0]["confirmed"]


def test_matches_condition(mini_index):
    result = run(mini_index, NO_PERM, {"container.runtime": "systemd-nspawn"})
    assert ranked(result)[0] == "systemd"


def test_unknown_values_neither_confirm_nor_rule_out(mini_index):
    result = run(mini_index, NO_PERM, {"chroot": "unknown:EACCES", "sysctl.kernel.unprivileged_userns_clone": "unknown:EPERM"})
    assert ranked(result) == ["seccomp", "chroot", "sysctl", "systemd"] and not result["ruled_out"]


def test_facts_alone_make_a_candidate(mini_index):
    result = run(mini_index, b"nothing here\n", {"chroot": "yes"})
    assert ranked(result) == ["chroot"]
    assert result["causes"][0]["evidence"][0]["weight"] == CONFIRM_BONUS


def test_a_fact_only_cause_ranks_below_a_confirmed_symptom_cause(mini_index):
    result = run(mini_index, b"unshare: unshare failed: Operation not permitted in chroot\n",
                 {"seccomp.mode": "2", "container.runtime": "docker", "chroot": "yes"})
    assert ranked(result) == ["chroot", "seccomp"]


def test_a_narrow_cause_of_another_tool_does_not_join_error_lines(mini_index):
    assert "root-browser" not in ranked(run(mini_index, NO_PERM, {"process.uid": "0"}))
    assert ranked(run(mini_index, b"", {"process.uid": "0"})) == ["root-browser"]


def test_a_cause_about_other_tools_stays_out_however_many_messages_list_it(mini_index):
    # "subid" is about podman/newuidmap; subuid.count=0 confirms it, but says nothing about bwrap.
    facts = {"subuid.count": "0"}
    assert "subid" not in ranked(run(mini_index, NO_PERM, facts))
    assert ranked(run(mini_index, b"newuidmap: write to uid_map failed\n" + NO_PERM, facts))[0] == "subid"
    assert ranked(run(mini_index, b"nothing here\n", facts)) == ["subid"]  # no error line: facts alone


def test_a_matched_clue_that_lists_a_confirmed_cause_lets_it_in(mini_index):
    result = run(mini_index, b"podman run --rm fedora\n" + NO_PERM, {"subuid.count": "0"})
    subid = next(c for c in result["causes"] if c["id"] == "subid")
    assert subid["confirmed"] and {e["type"] for e in subid["evidence"]} == {"fact", "clue"}


def test_a_cause_about_the_same_tool_joins_error_lines_that_do_not_list_it(mini_index):
    # "one-cause" (unshare) lists only chroot; the sysctl cause is about unshare too.
    result = run(mini_index, "unshare: unshare failed: 不允许的操作 in chroot\n".encode(),
                 {"sysctl.kernel.unprivileged_userns_clone": "0"})
    assert ranked(result) == ["chroot", "sysctl"]
    sysctl = result["causes"][1]
    assert sysctl["evidence"][0]["weight"] == FACT_ONLY_WEIGHT  # no linked cause is confirmed: not halved


def test_clues_only_reweigh_candidates(mini_index):
    # A clue alone makes no candidate.
    assert run(mini_index, b"docker run -it debian\n")["causes"] == []
    result = run(mini_index, b"docker run -it debian\n" + NO_PERM)
    top = result["causes"][0]
    assert top["id"] == "seccomp" and {"type": "clue", "id": "docker-clue", "file": "log", "line": 1,
                                       "effect": "raises", "weight": 0.5} in top["evidence"]
    sysctl = next(c for c in result["causes"] if c["id"] == "sysctl")
    assert any(e["effect"] == "lowers" for e in sysctl["evidence"] if e["type"] == "clue")
    assert ranked(result).index("sysctl") > ranked(run(mini_index, NO_PERM)).index("sysctl") - 1


def test_pasted_lines_set_facts(mini_index):
    result = run(mini_index, NO_PERM + b"kernel.unprivileged_userns_clone = 0\n")
    assert result["facts"]["sysctl.kernel.unprivileged_userns_clone"] == "0"
    assert ranked(result)[0] == "sysctl"
    fact = [e for e in result["causes"][0]["evidence"] if e["type"] == "fact"][0]
    assert fact["source"] == "line" and fact["line"] == 2


def test_probe_wins_over_a_pasted_line_and_the_conflict_is_reported(mini_index):
    result = run(mini_index, NO_PERM + b"kernel.unprivileged_userns_clone = 0\n",
                 {"sysctl.kernel.unprivileged_userns_clone": "1"})
    assert result["facts"]["sysctl.kernel.unprivileged_userns_clone"] == "1"
    assert "sysctl" in [r["id"] for r in result["ruled_out"]]
    assert {"code": "fact-conflict", "key": "sysctl.kernel.unprivileged_userns_clone", "probe": "1", "value": "0",
            "file": "log", "line": 2} in result["warnings"]


def test_two_pasted_lines_disagree():
    facts, sources, warnings = merge_facts({}, [
        {"key": "os.id", "value": "debian", "file": "a", "line": 1},
        {"key": "os.id", "value": "ubuntu", "file": "a", "line": 9}])
    assert facts == {"os.id": "ubuntu"} and sources["os.id"]["line"] == 9
    assert warnings[0]["code"] == "fact-conflict-lines"


def test_close_candidates_name_the_deciding_facts(mini_index):
    assert run(mini_index, NO_PERM)["decide"]["between"] == ["seccomp", "chroot"]  # 0.24 of 0.48: close
    assert run(mini_index, b"docker run x\n" + NO_PERM)["decide"] is None  # 0.24 of 0.73: not close
    result = run(mini_index, b"docker run x\n" + NO_PERM + "unshare: unshare failed: 不允许的操作 in chroot\n".encode())
    assert result["decide"]["between"] == ["chroot", "seccomp"]
    assert set(result["decide"]["facts"]) == {"chroot", "seccomp.mode", "container.runtime"}


def test_no_decider_once_a_fact_confirmed_the_leader(mini_index):
    result = run(mini_index, b"docker run x\n" + NO_PERM + "unshare: unshare failed: 不允许的操作 in chroot\n".encode(),
                 {"chroot": "yes"})
    assert result["decide"] is None


def test_confirmed_and_ruled_out_at_once_is_ruled_out_with_a_warning(mini_index):
    index = {**mini_index, "causes": {**mini_index["causes"]}}
    index["causes"]["chroot"] = {**index["causes"]["chroot"], "rules_out": [{"fact": "os.id", "equals": "x"}]}
    result = run(index, NO_PERM, {"chroot": "yes", "os.id": "x"})
    assert "chroot" in [r["id"] for r in result["ruled_out"]]
    assert any(w["code"] == "confirmed-and-ruled-out" for w in result["warnings"])


def test_order_is_deterministic(mini_index):
    text = b"docker run x\n" + NO_PERM * 3 + "unshare: unshare failed: 不允许的操作 in chroot\n".encode()
    results = [run(mini_index, text, {"seccomp.mode": "2"}) for _ in range(5)]
    assert all(r == results[0] for r in results)


def test_fixes_are_ordered_by_risk(mini_index):
    seccomp = next(c for c in run(mini_index, NO_PERM)["causes"] if c["id"] == "seccomp")
    assert seccomp["fixes"] == ["relax-seccomp", "privileged"]
