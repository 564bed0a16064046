"""kb-lint as a person meets it: exit codes, one line per problem, never a traceback."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
KB = REPO / "kb"


def kb_lint(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "nskb.cli.lint", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_real_kb_is_clean():
    result = kb_lint("kb")
    assert result.returncode == 0, result.stdout[-3000:]
    assert result.stdout == ""


@pytest.fixture
def kb_copy(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(KB, root)
    return root


def a_symptom(root: Path) -> Path:
    return sorted((root / "symptoms").glob("*.yaml"))[0]


def a_cause(root: Path) -> Path:
    return sorted((root / "causes").glob("*.yaml"))[0]


def inject(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in the file; return the 1-based line where it stood."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old):], encoding="utf-8")
    return text[:index].count("\n") + 1


def assert_one_clear_problem(result, path: Path, line: int, code: str):
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    rows = [r for r in result.stdout.splitlines() if f" {code} " in r]
    assert rows, result.stdout
    assert any(r.startswith(f"{path}:{line}:") for r in rows), (rows, path, line)


def test_duplicate_key_is_named_with_file_and_line(kb_copy):
    path = a_symptom(kb_copy)
    line = inject(path, "\nkind:", "\nkind: error\nkind:") + 2
    assert_one_clear_problem(kb_lint(kb_copy), path, line, "KB007")


def test_dangling_reference(kb_copy):
    path = a_symptom(kb_copy)
    line = inject(path, "\ncauses:\n  ", "\ncauses:\n  no-such-cause: usual\n  ") + 2
    assert_one_clear_problem(kb_lint(kb_copy), path, line, "KB014")


def test_backreference_pattern(kb_copy):
    path = a_symptom(kb_copy)
    line = inject(path, "\npatterns:\n  - ", "\npatterns:\n  - '(bwrap)\\1 nothing'\n  - ") + 2
    assert_one_clear_problem(kb_lint(kb_copy), path, line, "KB101")


def test_missing_chinese_field(kb_copy):
    path = a_cause(kb_copy)
    text = path.read_text(encoding="utf-8")
    start = text.index("\n  zh:\n") + 1
    summary = text.index("    summary:", start)
    end = text.index("\n    mechanism:", summary)
    path.write_text(text[:summary] + text[end + 1:], encoding="utf-8")
    result = kb_lint(kb_copy)
    line = text[:start].count("\n") + 1
    assert_one_clear_problem(result, path, line, "KB201")


def test_non_utf8_byte(kb_copy):
    path = a_symptom(kb_copy)
    raw = path.read_bytes()
    index = raw.index(b"\ntool:") + 1
    path.write_bytes(raw[:index] + b"\xfe" + raw[index:])
    line = raw[:index].count(b"\n") + 1
    assert_one_clear_problem(kb_lint(kb_copy), path, line, "KB002")


def test_single_file_reports_only_that_file(kb_copy):
    path = a_symptom(kb_copy)
    inject(path, "\nkind:", "\nkind: error\nkind:")
    result = kb_lint(path)
    assert result.returncode == 1
    assert {r.split(":")[0] for r in result.stdout.splitlines()} == {str(path)}


@pytest.mark.parametrize("argument", ["/nonexistent/kb", "/etc"])
def test_unusable_input_exits_2_with_one_line(argument):
    result = kb_lint(argument)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_output_is_sorted_and_each_row_has_a_hint(kb_copy):
    for path in sorted((kb_copy / "symptoms").glob("*.yaml"))[:3]:
        inject(path, "\nkind:", "\nkind: error\nkind:")
    result = kb_lint(kb_copy)
    rows = result.stdout.splitlines()
    assert len(rows) >= 3
    keys = [(r.split(":")[0], int(r.split(":")[1]), int(r.split(":")[2])) for r in rows]
    assert keys == sorted(keys)
    assert all(r.endswith(")") and " (" in r for r in rows)


def test_symlink_loop_fifo_and_folder_symlink_are_problems_not_a_hang(kb_copy):
    symptoms = kb_copy / "symptoms"
    (symptoms / "loop.yaml").symlink_to("loop.yaml")
    os.mkfifo(symptoms / "fifo.yaml")
    (symptoms / "up").symlink_to("..")
    result = kb_lint(kb_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    rows = result.stdout.splitlines()
    assert any(r.startswith(f"{symptoms / 'loop.yaml'}:1:1: KB004") for r in rows), rows
    assert any(r.startswith(f"{symptoms / 'fifo.yaml'}:1:1: KB004") for r in rows), rows
    assert any(r.startswith(f"{symptoms / 'up'}:1:1: KB001") for r in rows), rows  # its own name
    result = kb_lint(a_symptom(kb_copy))  # one file, beside the loop
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize("content", [b"{not json", b"\xff", b'{"type": 5}', None])
def test_a_broken_or_missing_schema_exits_2_with_one_line(kb_copy, content):
    schema = kb_copy / "schema" / "fix.schema.json"
    if content is None:
        schema.unlink()
    else:
        schema.write_bytes(content)
    result = kb_lint(kb_copy)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "fix.schema.json" in result.stderr


@pytest.mark.parametrize("old, new", [
    ("\ntools: [", "\ntools: 5\nx_tools: ["),                # cause: tools is not a list
    ("\nconfirms:\n", "\nconfirms: 5\nx_confirms:\n"),
    ("\nfixes:\n", "\nfixes: [{a: 1}]\nx_fixes:\n"),         # items that cannot be ids
    ('\n    in: ["1", "unknown:absent"]', "\n    in: 5"),       # a condition's `in` is not a list
])
def test_wrong_types_in_a_cause_are_schema_problems_not_a_crash(kb_copy, old, new):
    path = kb_copy / "causes" / "userns-clone-sysctl-off.yaml"
    inject(path, old, new)
    result = kb_lint(kb_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert f"{path}:" in result.stdout and " KB010 " in result.stdout


@pytest.mark.parametrize("folder, name, old, new", [
    ("symptoms", "bwrap-no-permission-create-namespace", "\n  match:\n", "\n  match: 5\n  x_match:\n"),
    ("symptoms", "bwrap-no-permission-create-namespace", "\ncauses:\n", "\nrelated: [{a: 1}]\ncauses:\n"),
    ("fixes", "replace-chroot-with-sandbox", "\nrisk: low\n", "\nrisk: [low]\n"),
])
def test_wrong_types_in_symptoms_and_fixes_are_schema_problems_not_a_crash(kb_copy, folder, name, old, new):
    path = kb_copy / folder / f"{name}.yaml"
    inject(path, old, new)
    result = kb_lint(kb_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert f"{path}:" in result.stdout and " KB010 " in result.stdout


def test_every_missing_key_is_reported_not_only_the_first(kb_copy):
    # Problems at one place with one code were kept once, so the other missing keys stayed hidden.
    path = kb_copy / "fixes" / "new-fix.yaml"
    path.write_text("# yaml-language-server: $schema=../schema/fix.schema.json\nid: new-fix\n", encoding="utf-8")
    result = kb_lint(path)
    assert result.returncode == 1, result.stderr
    missing = {row.split("'")[1] for row in result.stdout.splitlines() if "is a required property" in row}
    assert {"risk", "scope", "commands", "undo", "verify", "text"} <= missing, result.stdout


def test_a_reader_that_stops_early_gets_no_traceback(kb_copy):
    for path in sorted((kb_copy / "symptoms").glob("*.yaml")):  # more output than a pipe holds
        inject(path, "\nkind:", "\nkind: error" * 5 + "\nkind:")
    lint = subprocess.Popen([sys.executable, "-m", "nskb.cli.lint", str(kb_copy)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = lint.stdout.readline()
    lint.stdout.close()  # as `kb-lint | head -1` does
    err = lint.stderr.read().decode()
    assert lint.wait(timeout=120) == 1 and b" KB007 " in first
    assert "Traceback" not in err and "BrokenPipe" not in err, err


@pytest.mark.parametrize("old, new", [
    ("  - name: EPERM\n", "  - name: [EPERM]\n"),
    ("  - name: EPERM\n", "  - nam: EPERM\n"),
    ("    messages:\n      C: \"Operation not permitted\"\n", "    messages: 5\n    x:\n      C: \"Operation not permitted\"\n"),
    ("      C: \"Operation not permitted\"\n", "      C: [Operation not permitted]\n"),
])
def test_a_malformed_errno_table_is_a_schema_problem_not_a_crash(kb_copy, old, new):
    inject(kb_copy / "errno.yaml", old, new)
    result = kb_lint(kb_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert f"{kb_copy / 'errno.yaml'}:" in result.stdout and " KB010 " in result.stdout
