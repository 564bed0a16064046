"""The composite action (action.yml), run step by step with the variables the runner sets.

The install step really installs nskb from this checkout into a fresh venv (a few seconds here),
the probe really runs on this machine, and kb-match reads a real failing log: the failed step is
Debian's Chromium started headless as root, which refuses to run without --no-sandbox.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.ci.composite_runner import CompositeRunner
from tests.ci.workflow_commands import parse
from tests.conftest import require_root, require_tool

REPO = Path(__file__).resolve().parents[2]


def failed_step_log() -> str:
    """What `chromium --headless ... 2>&1 | tee build.log` leaves in a job that runs as root."""
    require_root()
    chromium = require_tool("chromium")
    done = subprocess.run([chromium, "--headless", "--disable-gpu", "--dump-dom", "about:blank"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0 and "without --no-sandbox" in done.stderr, done.stderr
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> CompositeRunner:
    root = tmp_path_factory.mktemp("action")
    workspace, temp = root / "workspace", root / "temp"
    workspace.mkdir()
    temp.mkdir()
    (workspace / "build.log").write_text("$ npm test\n" + failed_step_log() + "npm ERR! Test failed.\n")
    base = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(root), "LANG": "C.UTF-8"}
    return CompositeRunner(REPO, workspace, temp, base)


@pytest.fixture(scope="module")
def diagnosed(runner: CompositeRunner):
    return runner.run({"log": "build.log"})


def test_every_step_succeeds(diagnosed) -> None:
    assert [s.returncode for s in diagnosed.steps] == [0, 0, 0], [(s.name, s.stderr[-2000:]) for s in diagnosed.steps]


def test_annotations_name_the_cause_at_the_log_line(diagnosed, runner: CompositeRunner) -> None:
    commands = [parse(line) for line in diagnosed.steps[2].stdout.splitlines() if line.startswith("::")]
    errors = [c for c in commands if c[0] == "error"]
    assert len(errors) == 1
    _, props, message = errors[0]
    assert props["file"] == "build.log" and int(props["line"]) >= 2
    assert props["title"].startswith("nskb: ")
    assert "/causes/chrome-running-as-root/" in message
    match = json.loads((runner.temp / "nskb-match.json").read_text())
    assert diagnosed.outputs["match"]["cause"] == match["causes"][0]["id"]


def test_job_summary_is_markdown_with_the_report_and_the_redacted_probe(diagnosed) -> None:
    summary = diagnosed.summary
    assert summary.startswith("## nskb: build.log\n")
    assert "### " in summary and "/causes/chrome-running-as-root/" in summary
    assert "<details><summary>kb-probe</summary>" in summary and summary.rstrip().endswith("</details>")
    assert "replaced by placeholders" in summary  # the probe part went through --redact


def test_a_missing_log_fails_the_step_with_one_line(runner: CompositeRunner) -> None:
    shutil.rmtree(runner.temp / "nskb-venv", ignore_errors=True)  # and the install runs again from scratch
    run = runner.run({"log": "no-such.log", "lang": "zh"})
    assert [s.returncode for s in run.steps] == [0, 0, 2]
    assert run.steps[2].stderr.strip().splitlines() == [
        "kb-match: no-such.log: no such file; check the path, or pipe the log: cmd 2>&1 | kb-match"]
    assert run.summary == ""
