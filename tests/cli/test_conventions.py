"""The three commands share their option conventions: -f/--format, --color with NO_COLOR, -V/--version,
--help with examples, and usage errors as one line with exit status 2."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nskb import __version__

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
COMMANDS = ("kb-match", "kb-probe", "kb-lint")
UID_MAP = "bwrap: setting up uid map: Permission denied\n"  # names its cause with confidence: exit 0
PROBE = "# nskb-probe/1\nchroot=yes\nsysctl.kernel.unprivileged_userns_clone=1\n"


def run(*args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / args[0]), *args[1:]], input=stdin, capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(command, flag):
    done = run(command, flag)
    assert (done.returncode, done.stdout) == (0, f"{command} (nskb) {__version__}\n")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_the_shared_options_and_examples(command):
    done = run(command, "--help")
    assert done.returncode == 0
    for option in ("-f", "--format", "--color WHEN", "-V, --version", "examples:"):
        assert option in done.stdout, option
    assert f"{command} " in done.stdout.split("examples:")[1]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_bad_choice_is_one_line_and_status_2(command):
    done = run(command, "--color", "sometimes")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "--color" in done.stderr


def test_short_forms_equal_long_forms():
    long = run("kb-match", "--format", "json", "--lang", "zh", "--top", "1", stdin=UID_MAP)
    short = run("kb-match", "-f", "json", "-l", "zh", "-n", "1", stdin=UID_MAP)
    glued = run("kb-match", "-fjson", "-lzh", "-n1", stdin=UID_MAP)
    assert long.stdout == short.stdout == glued.stdout and json.loads(long.stdout)["causes"]
    assert run("kb-probe", "-i", "-", "-f", "json", stdin=PROBE).stdout == run("kb-probe", "--input", "-", "--format", "json",
                                                                                stdin=PROBE).stdout
    assert json.loads(run("kb-lint", "-f", "json", "kb").stdout)["format"] == "nskb-lint/1"


@pytest.mark.parametrize("args", [("kb-match", "-l", "en"), ("kb-probe", "-i", "-")])
def test_color_always_never_and_no_color(args):
    stdin = PROBE if args[0] == "kb-probe" else UID_MAP
    assert "\x1b[" in run(*args, "--color", "always", stdin=stdin).stdout
    assert "\x1b[" not in run(*args, "--color", "never", stdin=stdin).stdout
    assert "\x1b[" not in run(*args, stdin=stdin).stdout  # auto: not a terminal
    assert "\x1b[" in run(*args, "--color=always", stdin=stdin, env={"NO_COLOR": "1"}).stdout  # asked for explicitly


def test_kb_lint_colors_its_problems_only_when_asked(tmp_path):
    bad = tmp_path / "kb"
    shutil.copytree(REPO / "tests" / "data" / "mini-kb", bad)
    (bad / "symptoms" / "x.yml").write_text("id: x\n")
    plain, coloured = run("kb-lint", str(bad)), run("kb-lint", "--color", "always", str(bad))
    assert plain.returncode == coloured.returncode == 1
    assert "KB001" in plain.stdout and "\x1b[" not in plain.stdout and "\x1b[31mKB001" in coloured.stdout
