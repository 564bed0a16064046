"""kb-lint on hostile input: backtracking patterns, deep nesting, symlinks out of kb/, terminal
escapes in file names, and closed or full standard streams. None may hang or print a traceback."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from tests.lint.test_cli import KB, REPO, a_symptom, assert_one_clear_problem, inject, kb_lint

from nskb.kb.yamldoc import MAX_DEPTH


@pytest.fixture
def kb_copy(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(KB, root)
    return root


def test_backtracking_pattern_with_a_long_near_miss_ends(kb_copy):
    """Python's re needs 2^n steps for (a+)+$ on 'a' * n + '!'; RE2 is linear. The guard below is
    a hang guard only: before the fix this run never ended."""
    path = a_symptom(kb_copy)
    near_miss = "bwrap: " + "a" * 64 + "!"
    inject(path, "\npatterns:\n  - ", "\npatterns:\n  - 'bwrap: (a+)+$'\n  - ")
    line = inject(path, "\n  no_match:\n", f"\n  no_match:\n    - '{near_miss}'\n") + 2
    result = kb_lint(kb_copy)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1)
    assert f"{path}:{line}:" not in result.stdout  # the near miss does not match, and is judged so


def test_a_non_ascii_line_and_unicode_sensitive_escapes(kb_copy):
    """What Python's re was run for (do the engines agree?) is now read from the pattern text."""
    path = a_symptom(kb_copy)
    inject(path, "\npatterns:\n  - ", "\npatterns:\n  - 'bwrap: count \\d+ done'\n  - ")
    inject(path, "\n  no_match:\n", "\n  no_match:\n    - 'bwrap: count ٣ done'\n")
    result = kb_lint(kb_copy)
    rows = [r for r in result.stdout.splitlines() if " KB102 " in r]
    assert rows and "\\d reads '٣' differently" in rows[0], result.stdout


@pytest.mark.parametrize("depth", [1000, 10000])
def test_deep_flow_nesting_is_one_problem(kb_copy, depth):
    path = a_symptom(kb_copy)
    inject(path, "\nrelated:", "\nrelated:") if "\nrelated:" in path.read_text() else None
    with path.open("a", encoding="utf-8") as handle:
        handle.write("extra: " + "[" * depth + "]" * depth + "\n")
    result = kb_lint(kb_copy)
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stdout
    rows = [r for r in result.stdout.splitlines() if r.startswith(f"{path}:") and " KB006 " in r]
    assert rows and f"nested more than {MAX_DEPTH} levels deep" in rows[0], result.stdout


def test_a_symlink_out_of_the_kb_is_refused_and_not_echoed(kb_copy, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("root:$6$very-secret-hash:19000:0:99999:7:::\n")
    link = kb_copy / "symptoms" / "evil.yaml"
    link.symlink_to(secret)
    result = kb_lint(kb_copy)
    assert "very-secret-hash" not in result.stdout + result.stderr
    assert_one_clear_problem(result, link, 1, "KB004")
    assert "leads out of the KB folder" in result.stdout


def test_terminal_escapes_in_a_file_name_are_shown_not_obeyed(kb_copy):
    evil = kb_copy / "symptoms" / "evil\x1b]0;owned\x07\x1b[31m.yaml"
    evil.write_text("id: x\n", encoding="utf-8")
    result = kb_lint(kb_copy)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout
    assert "evil\\x1b]0;owned\\x07\\x1b[31m.yaml" in result.stdout


def _shell(command: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run(["bash", "-c", command], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


PY = sys.executable
STREAM_CASES = {
    # command, redirection, exit status, text expected on stderr ("" = nothing)
    "lint-stdout-closed": (f"{PY} -m nskb.cli.lint {{badkb}}", ">&-", 2, "standard output is closed"),
    "lint-stdout-full": (f"{PY} -m nskb.cli.lint {{badkb}}", ">/dev/full", 2, "No space left"),
    "lint-stderr-closed": (f"{PY} -m nskb.cli.lint kb", "2>&-", 0, ""),
    "lint-stdin-closed": (f"{PY} -m nskb.cli.lint kb", "<&-", 0, ""),
    "lint-help-full": (f"{PY} -m nskb.cli.lint --help", ">/dev/full", 2, "No space left"),
    "probe-stdout-closed": (f"{PY} -m nskb.cli.probe --input tests/probe/samples/docker.txt", ">&-", 2,
                            "standard output is closed"),
    "probe-stdout-full": (f"{PY} -m nskb.cli.probe --input tests/probe/samples/docker.txt", ">/dev/full", 2,
                          "No space left"),
    "probe-stdin-closed": (f"{PY} -m nskb.cli.probe --input -", "<&-", 2, "stdin is closed"),
    "probe-stderr-closed": (f"{PY} -m nskb.cli.probe --input /nonexistent", "2>&-", 2, ""),
    "match-stdout-closed": (f"{PY} -m nskb.cli.match docs/examples/bwrap-in-docker.log", ">&-", 2,
                            "standard output is closed"),
    "match-stdout-full": (f"{PY} -m nskb.cli.match docs/examples/bwrap-in-docker.log", ">/dev/full", 2,
                          "No space left"),
    "match-stdin-closed": (f"{PY} -m nskb.cli.match", "<&-", 2, "stdin is closed"),
    "match-probe-stdin-closed": (f"{PY} -m nskb.cli.match --probe - docs/examples/bwrap-in-docker.log", "<&-", 2,
                                 "stdin is closed"),
    "match-missing-stderr-closed": (f"{PY} -m nskb.cli.match missing", "2>&-", 2, ""),
}


@pytest.mark.parametrize("case", sorted(STREAM_CASES))
def test_closed_and_full_streams(case: str, tmp_path) -> None:
    command, redirection, status, message = STREAM_CASES[case]
    if "{badkb}" in command:  # a KB with one problem to print
        shutil.copytree(REPO / "tests" / "data" / "mini-kb", tmp_path / "kb")
        (tmp_path / "kb" / "symptoms" / "bad.yaml").write_text("id: x\n")
        command = command.replace("{badkb}", str(tmp_path / "kb"))
    done = _shell(f"{command} {redirection}")
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert "internal error" not in done.stderr
    if message:
        assert len(done.stderr.splitlines()) == 1 and message in done.stderr, done.stderr
    elif "2>&-" in redirection:
        assert done.stderr == ""


def test_match_escapes_a_file_name_in_its_error(tmp_path):
    done = _shell(f"{PY} -m nskb.cli.match {tmp_path}/'x\x1b[2Jy.log'")
    assert done.returncode == 2
    assert "\x1b" not in done.stderr and "x\\x1b[2Jy.log" in done.stderr
