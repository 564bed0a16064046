"""kb-fleet's command line: JSON Lines on stdin, exit codes, usage errors as one line."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPRO = Path(__file__).resolve().parents[2] / "tests/fixtures/repro"
KB_FLEET = [sys.executable, "-m", "nskb.cli.fleet"]


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([*KB_FLEET, *args], input=stdin, capture_output=True, timeout=120, check=False)


def line(host: str, name: str, log: bool = True) -> str:
    d = REPRO / name
    return json.dumps({"host": host, "probe": (d / "probe.txt").read_text(),
                       "log": (d / "stderr.txt").read_text() if log else ""})


def test_json_lines_from_stdin() -> None:
    data = "\n".join([line("a", "pivot-root-bind"), line("b", "chroot-plain-dir"), line("c", "chroot-mount-point"),
                      "garbage", line("d\x1b[31m", "pivot-root-bind")]).encode()
    done = run("-", "--format", "json", stdin=data)
    assert done.returncode == 1 and done.stderr == b""
    report = json.loads(done.stdout)
    assert report["counts"] == {"blocked": 2, "not-sure": 0, "unreachable": 0, "unreadable": 1, "works": 2}
    blocked = next(g for g in report["groups"] if g["verdict"] == "blocked")
    assert (blocked["cause"]["id"], blocked["hosts"]) == ("chroot-environment", ["b", "c"])
    text = run("--lang", "en", stdin=data).stdout.decode()
    assert "\x1b" not in text and "d\\x1b[31m" in text  # a host name cannot drive the terminal


def test_all_hosts_work_exits_0() -> None:
    done = run(stdin=(line("a", "pivot-root-bind") + "\n").encode())
    assert done.returncode == 0, done.stderr


def test_usage_errors_are_one_line(tmp_path: Path) -> None:
    afile = tmp_path / "f.json"
    afile.write_text("{}")
    empty = tmp_path / "empty"
    empty.mkdir()
    for args, needle in [((str(tmp_path / "nope"),), "no such directory"), ((str(afile),), "not a directory"),
                         (("--format", "xml"), "invalid choice"), ((str(empty),), "no host records"),
                         (("a", "b"), "one DIR only"), (("--bogus",), "unrecognized")]:
        done = run(*args)
        err = done.stderr.decode()
        assert done.returncode == 2 and needle in err and err.count("\n") == 1 and "Traceback" not in err, (args, err)


def test_the_docs_example_still_reads_as_the_page_says() -> None:
    """docs/fleet*.md show kb-fleet on docs/examples/fleet; the grouping they describe must hold."""
    docs = Path(__file__).resolve().parents[2] / "docs/examples/fleet"
    report = json.loads(run(str(docs), "--format", "json").stdout)
    assert report["counts"] == {"blocked": 2, "not-sure": 0, "unreachable": 2, "unreadable": 1, "works": 2}
    causes = sorted(g["cause"]["id"] for g in report["groups"] if g["verdict"] == "blocked")
    assert causes == ["chroot-environment", "max-user-namespaces-zero"]
