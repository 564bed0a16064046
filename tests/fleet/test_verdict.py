"""The adapter (verdict_of) on today's and the announced engine result, and HostDiagnoser on real
reproductions (tests/fixtures/repro: real stderr and probe output)."""
from __future__ import annotations

from pathlib import Path

import pytest

from nskb.fleet.records import HostRecord
from nskb.fleet.verdict import BLOCKED, NOT_SURE, UNREACHABLE, UNREADABLE, WORKS, HostDiagnoser, verdict_of
from nskb.index.build import current_index as load_index

REPRO = Path(__file__).resolve().parents[2] / "tests/fixtures/repro"
OK = {"userns.create": "ok", "userns.map_write": "ok"}
ERROR = [{"id": "bwrap-no-permission-create-namespace", "kind": "error", "line": 1}]


def cause(cid: str, score: float, confirmed: bool = True, **extra) -> dict:
    evidence = [{"type": "fact", "key": "chroot", "value": "yes", "effect": "confirms"}] if confirmed else []
    return {"id": cid, "score": score, "evidence": evidence, "fixes": [], **extra}


# Today's engine: no "verdict", no "probability".
def test_works_needs_the_probe_and_no_error_line() -> None:
    assert verdict_of({"facts": OK, "causes": [cause("chrome-running-as-root", 1.0)]}).group == WORKS
    assert verdict_of({"facts": OK, "symptoms": ERROR, "causes": []}).group == NOT_SURE
    assert verdict_of({"facts": {**OK, "userns.map_write": "EPERM"}, "causes": []}).group == NOT_SURE


def test_confident_cause_is_blocked_a_tie_is_not_sure() -> None:
    failing = {"userns.create": "EPERM", "userns.map_write": "skipped"}
    named = verdict_of({"facts": failing, "causes": [cause("chroot-environment", 0.78), cause("x", 0.2)]})
    assert (named.group, named.cause["id"]) == (BLOCKED, "chroot-environment")
    tie = verdict_of({"facts": failing, "causes": [cause("chroot-environment", 0.5), cause("subid-ranges-missing", 0.5)]})
    assert tie.group == NOT_SURE and [c["id"] for c in tie.candidates] == ["chroot-environment", "subid-ranges-missing"]
    unconfirmed = verdict_of({"facts": failing, "causes": [cause("chroot-environment", 0.9, confirmed=False)]})
    assert unconfirmed.group == NOT_SURE
    assert verdict_of({"facts": failing, "causes": []}).reason == "no-cause"


# The engine being written: a top-level "verdict" and a "probability" per cause win when present.
def test_engine_verdict_field_wins() -> None:
    failing = {"userns.create": "EPERM", "userns.map_write": "skipped"}
    low = [cause("chroot-environment", 0.3, confirmed=False, probability=0.9)]
    assert verdict_of({"verdict": "cause", "facts": failing, "causes": low}).group == BLOCKED
    assert verdict_of({"verdict": "not-sure", "facts": failing, "causes": [cause("c", 0.99)]}).group == NOT_SURE
    assert verdict_of({"verdict": "no-failure", "facts": OK, "causes": []}).group == WORKS
    untested = verdict_of({"verdict": "no-failure", "facts": {"userns.create": "unknown:no-tool"}, "causes": []})
    assert (untested.group, untested.reason) == (NOT_SURE, "no-test")


def test_probability_replaces_score_without_a_verdict() -> None:
    failing = {"userns.create": "EPERM", "userns.map_write": "skipped"}
    assert verdict_of({"facts": failing, "causes": [cause("c", 0.2, confirmed=False, probability=0.8)]}).group == BLOCKED
    assert verdict_of({"facts": failing, "causes": [cause("c", 0.99, probability=0.3)]}).group == NOT_SURE


@pytest.fixture(scope="module")
def diagnoser() -> HostDiagnoser:
    return HostDiagnoser(load_index(), "en", "https://example.org/")


def repro(name: str, with_log: bool = True) -> HostRecord:
    d = REPRO / name
    return HostRecord(host=name, source=str(d), probe=(d / "probe.txt").read_text(),
                      log=(d / "stderr.txt").read_text() if with_log else "")


@pytest.mark.parametrize(("name", "group", "cid"), [
    ("chroot-plain-dir", BLOCKED, "chroot-environment"),
    ("chroot-mount-point", BLOCKED, "chroot-environment"),
    ("seccomp-docker-default", BLOCKED, "container-seccomp-blocks-userns"),
    ("max-user-namespaces-zero", BLOCKED, "max-user-namespaces-zero"),
    ("pivot-root-bind", WORKS, None),
])
def test_real_reproductions(diagnoser: HostDiagnoser, name: str, group: str, cid: str | None) -> None:
    verdict = diagnoser.verdict(repro(name))
    assert verdict.group == group
    assert (verdict.cause or {}).get("id") == cid


def test_the_probe_alone_names_the_cause_its_own_attempt_shows(diagnoser: HostDiagnoser) -> None:
    """No log: the probe's failed attempt (userns.create=EPERM) is the failure, and chroot=yes
    explains it, so the engine names the cause with confidence."""
    verdict = diagnoser.verdict(repro("chroot-plain-dir", with_log=False))
    assert verdict.group == BLOCKED
    assert (verdict.cause or {}).get("id") == "chroot-environment"


def test_records_that_say_nothing(diagnoser: HostDiagnoser) -> None:
    probe = (REPRO / "chroot-plain-dir/probe.txt").read_text()
    cases = {
        "gone": (HostRecord("gone", "f", status="unreachable", message="refused"), UNREACHABLE, "unreachable"),
        "bad": (HostRecord("bad", "f", problem="binary"), UNREADABLE, "binary"),
        "cut": (HostRecord("cut", "f", probe=probe[: len(probe) // 2]), UNREADABLE, "probe-truncated"),
        "other": (HostRecord("other", "f", probe="kernel.pid_max = 4194304\nvm.swappiness = 60\n"), UNREADABLE,
                  "not-probe-keys"),
        "prose": (HostRecord("prose", "f", probe="hello world\n"), UNREADABLE, "not-probe"),
        "twice": (HostRecord("twice", "f", probe=probe + probe.replace("chroot=yes", "chroot=no")), UNREADABLE,
                  "two-runs"),
        "none": (HostRecord("none", "f"), UNREADABLE, "nothing"),
    }
    for host, (record, group, reason) in cases.items():
        verdict = diagnoser.verdict(record)
        assert (verdict.group, verdict.reason) == (group, reason), host


def test_a_log_alone_is_diagnosed(diagnoser: HostDiagnoser) -> None:
    log = (REPRO / "max-user-namespaces-zero/stderr.txt").read_text()
    verdict = diagnoser.verdict(HostRecord("ci-7", "<stdin>:1", log=log))
    assert verdict.group in (BLOCKED, NOT_SURE)
    lead = verdict.cause or verdict.candidates[0]
    assert lead["id"] == "max-user-namespaces-zero"
