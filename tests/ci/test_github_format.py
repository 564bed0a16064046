"""kb-match --format github: workflow commands the runner reads back exactly as meant."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.ci.workflow_commands import parse

from nskb.report.github import escape_data, escape_property, workflow_command

REPRO = Path(__file__).resolve().parents[2] / "tests/fixtures/repro"
KB_MATCH = [sys.executable, "-m", "nskb.cli.match"]


def test_escaping_by_the_rules() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("nskb: a, b\n50%") == "nskb%3A a%2C b%0A50%25"
    assert escape_data("%0A") == "%250A"  # an encoding already in the text stays literal


@given(title=st.text(), file=st.text(min_size=1), message=st.text(), line=st.integers(1, 10**9))
def test_round_trip_through_the_runner_parser(title: str, file: str, message: str, line: int) -> None:
    name, props, text = parse(workflow_command("error", message, file=file, line=line, title=title))
    assert (name, props, text) == ("error", {"file": file, "line": str(line), "title": title}, message)


def test_the_parser_rejects_what_the_runner_would_misread() -> None:
    for bad in ("::error title=a,b::m", "::error file=x::m\nmore", "error::m", "::bogus::m"):
        with pytest.raises(ValueError):
            parse(bad)


def run_match(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*KB_MATCH, *args], capture_output=True, text=True, timeout=120, cwd=cwd, check=False)


def test_annotations_for_a_real_log(tmp_path: Path) -> None:
    """A file name with `,` and `:` and a log line with `%`: every line parses and names the place."""
    logs = tmp_path / "logs"
    logs.mkdir()
    name = "logs/job 1, step: build.log"
    stderr = (REPRO / "chroot-plain-dir/stderr.txt").read_text()
    (tmp_path / name).write_text("Step 3/7 : 100% of deps\nrunning the sandbox\n" + stderr)
    shutil.copy(REPRO / "chroot-plain-dir/probe.txt", tmp_path / "probe.txt")
    done = run_match(name, "--probe", "probe.txt", "--format", "github", "--lang", "en", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    parsed = [parse(line) for line in lines]
    kind, props, message = parsed[0]
    assert kind == "error"
    assert props["file"] == name and props["line"] == "3"
    assert props["title"].startswith("nskb: ") and "chroot" in props["title"]
    assert message.splitlines()[0].startswith("bwrap: No permissions to creat")
    assert "/causes/chroot-environment/" in message and "/fixes/" in message
    assert all(p[0] == "warning" for p in parsed[1:])


def test_nothing_matched_is_one_notice(tmp_path: Path) -> None:
    (tmp_path / "ok.log").write_text("all good\n")
    done = run_match("ok.log", "--format", "github", "--lang", "zh", cwd=tmp_path)
    assert done.returncode == 1
    [(kind, props, message)] = [parse(line) for line in done.stdout.splitlines()]
    assert (kind, props) == ("notice", {"title": "nskb"}) and "没有识别出" in message
