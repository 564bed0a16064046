"""Reproduce each failure for real, keep the real stderr, and check that the probe names the cause.

Needs root (to build the condition) and bubblewrap, util-linux, setpriv; the failing tools run
as user 65534, except in a scenario of a failure only root meets (pivot-root-shared). Set NSKB_REGEN_FIXTURES=1 to rewrite tests/fixtures/repro/ from the fresh runs.
"""
from __future__ import annotations

import os
import re

import pytest
from tests.conftest import require, require_root, require_tool
from tests.integration.repro import FIXTURES, SCENARIOS, Run, Scenario, run_scenario, write_fixture

from nskb.probe.parse import parse_probe_output

REGEN = os.environ.get("NSKB_REGEN_FIXTURES") == "1"

pytestmark = pytest.mark.integration


def key_lines(scenario: Scenario, stderr: str) -> list[str]:
    if scenario.expect_line is None:
        return []
    return [line for line in stderr.splitlines() if re.search(scenario.expect_line, line)]


@pytest.fixture(scope="module")
def runs() -> dict[str, Run]:
    return {}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_reproduction(scenario: Scenario, runs: dict[str, Run]) -> None:
    require_root()
    for tool in ("unshare", "bwrap", "setpriv", "chroot", "pivot_root"):
        require_tool(tool)
    run = run_scenario(scenario)
    runs[scenario.name] = run

    # The failure happened, for the reason the scenario set up.
    assert run.status >= 0, run.runner_err
    lines = key_lines(scenario, run.stderr)
    if scenario.expect_line is None:
        assert run.status == 0 and run.stderr == "", f"control scenario failed: {run.stderr!r} ({run.runner_err})"
    else:
        assert run.status != 0, f"the command succeeded; the condition was not created ({run.runner_err})"
        assert lines, f"no line matching {scenario.expect_line!r} in stderr {run.stderr!r} ({run.runner_err})"

    # The probe ran in the same environment, cleanly, and its facts reveal the cause.
    assert run.probe_err == "", run.probe_err
    result = parse_probe_output(run.probe)
    assert result.warnings == [], result.warnings
    got = {k: result.facts.get(k) for k in scenario.expect_facts}
    assert got == scenario.expect_facts

    if REGEN:
        write_fixture(scenario, run)
    check_fixture(scenario, run)


def check_fixture(scenario: Scenario, run: Run) -> None:
    """The stored fixture agrees with the fresh run on the lines that matter."""
    d = FIXTURES / scenario.name
    hint = "regenerate: sudo NSKB_REGEN_FIXTURES=1 .venv/bin/pytest tests/integration"
    for name in ("command.txt", "stderr.txt", "probe.txt"):
        require((d / name).is_file(), f"fixture {d / name} is missing ({hint})")
    assert (d / "command.txt").read_text().strip() == scenario.command, hint
    assert key_lines(scenario, (d / "stderr.txt").read_text()) == key_lines(scenario, run.stderr), hint
    stored = parse_probe_output((d / "probe.txt").read_text())
    assert stored.warnings == [], stored.warnings
    fresh = parse_probe_output(run.probe)
    assert sorted(stored.facts) == sorted(fresh.facts), hint
    assert {k: stored.facts.get(k) for k in scenario.expect_facts} == scenario.expect_facts, hint


def test_chroot_kinds_differ_only_in_signal(runs: dict[str, Run]) -> None:
    """A chroot is found whether or not its directory is a mount point; the signal says which."""
    needed = ("chroot-plain-dir", "chroot-mount-point", "chroot-bind-mount-point", "pivot-root-bind")
    require(all(n in runs for n in needed), "the chroot reproductions did not run")
    facts = {n: parse_probe_output(runs[n].probe).facts for n in needed}
    assert [facts[n]["chroot"] for n in needed] == ["yes", "yes", "yes", "no"]
    assert facts["chroot-plain-dir"]["chroot.signal"] == "mountinfo"
    # Same root-field situation (a bind of a subdirectory at /), opposite answers: the root field
    # alone cannot decide, the ancestor's view of the mount does.
    assert "ancestor-mountinfo" in facts["pivot-root-bind"]["chroot.checked"]
    assert facts["chroot-bind-mount-point"]["chroot.signal"] == "ancestor-mountinfo"


def test_same_message_different_facts(runs: dict[str, Run]) -> None:
    """The bwrap EPERM line is identical for the chroot and the seccomp case; the facts are not."""
    needed = ("chroot-plain-dir", "seccomp-docker-default")
    require(all(n in runs for n in needed), "the chroot and seccomp reproductions did not run")
    chroot_line = key_lines(SCENARIOS[0], runs["chroot-plain-dir"].stderr)
    seccomp = next(s for s in SCENARIOS if s.name == "seccomp-docker-default")
    assert chroot_line == key_lines(seccomp, runs["seccomp-docker-default"].stderr)
    a = parse_probe_output(runs["chroot-plain-dir"].probe).facts
    b = parse_probe_output(runs["seccomp-docker-default"].probe).facts
    assert (a["chroot"], a["seccomp.mode"]) == ("yes", "0")
    assert (b["chroot"], b["seccomp.mode"]) == ("no", "2")
