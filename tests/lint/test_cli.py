"""kb-lint as a person meets it: exit codes, one line per problem, never a traceback."""
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
    line = inject(path, "\ncauses:\n  - ", "\ncauses:\n  - no-such-cause\n  - ") + 2
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
