"""Host records from files and JSON Lines: every bad input becomes a record with a problem code."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from nskb.fleet.records import MAX_RECORD_BYTES, read_directory, read_json_lines, record_from_bytes

REPO = Path(__file__).resolve().parents[2]
PROBE = (REPO / "tests/fixtures/repro/chroot-plain-dir/probe.txt").read_text()
RECORD = {"format": "nskb-fleet-host/1", "host": "web1", "status": "ok", "probe": PROBE, "log": "x\n"}


@pytest.mark.parametrize(("raw", "problem"), [
    (b"", "empty"),
    (b"  \n\n", "empty"),
    (b"# nskb-probe/1\nos.id=debian\x00\n", "binary"),
    (b"\xff\xfe\x00\x01", "binary"),
    (b"os.id=deb\xe9ian\n", "not-utf8"),
    (json.dumps(RECORD).encode()[:300], "truncated-json"),
    (b'{"host": "a", "probe": "x",}', "invalid-json"),
    (b'{"ansible_facts": {"x": 1}, "changed": false}', "foreign-json"),
    (b'{"format": "other/2", "probe": ""}', "foreign-json"),
    (b'{"host": "a", "probe": 3}', "bad-field"),
    (b'{"host": "a", "probe": "", "status": "exploded"}', "bad-field"),
    (b'{"host": "", "probe": ""}', "bad-field"),
])
def test_bad_bytes_become_a_problem(raw: bytes, problem: str) -> None:
    record = record_from_bytes(raw, "h", "f")
    assert record.problem == problem, record


def test_deeply_nested_json_is_a_problem_not_a_crash() -> None:
    record = record_from_bytes(b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "h", "f")
    assert record.problem == "invalid-json"


def test_records_of_every_shape() -> None:
    full = record_from_bytes(json.dumps(RECORD).encode(), "file-stem", "f")
    assert (full.host, full.status, full.probe, full.log, full.problem) == ("web1", "ok", PROBE, "x\n", "")
    text = record_from_bytes(PROBE.encode(), "db2", "f")
    assert (text.host, text.probe, text.problem) == ("db2", PROBE, "")
    probe_json = json.dumps({"format": "nskb-probe/1", "facts": {"userns.create": "ok"}})
    assert record_from_bytes(probe_json.encode(), "db3", "f").probe == probe_json
    gone = record_from_bytes(json.dumps({"host": "g", "status": "unreachable", "message": "refused"}).encode(), "x", "f")
    assert (gone.host, gone.status, gone.message) == ("g", "unreachable", "refused")


def test_directory_keeps_going_past_bad_files(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({**RECORD, "host": "a"}))
    (tmp_path / "b.json").write_bytes(b"")
    (tmp_path / "c.probe").write_text(PROBE)
    (tmp_path / "d").mkdir()
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / "e.json").write_bytes(b"x" * (MAX_RECORD_BYTES + 10))
    (tmp_path / "f.example.org").write_text(PROBE)
    got = [(r.host, r.problem) for r in read_directory(str(tmp_path))]
    assert got == [("a", ""), ("b", "empty"), ("c", ""), ("d", "not-file"), ("e", "too-large"), ("f.example.org", "")]


def test_json_lines() -> None:
    lines = [json.dumps({"host": "a", "probe": PROBE}), "", "not json",
             json.dumps({"probe": PROBE}), '{"host": "cut", "probe": "# nskb', json.dumps({"host": "z", "log": "boom"})]
    got = [(r.host, r.source, r.problem) for r in read_json_lines(io.BytesIO("\n".join(lines).encode()))]
    assert got == [("a", "<stdin>:1", ""), ("line 3", "<stdin>:3", "not-json-line"), ("line 4", "<stdin>:4", "bad-field"),
                   ("line 5", "<stdin>:5", "truncated-json"), ("z", "<stdin>:6", "")]


def test_overlong_json_line_is_skipped_to_its_end() -> None:
    data = b'{"host": "big", "log": "' + b"x" * (MAX_RECORD_BYTES + 100) + b'"}\n' + json.dumps({"host": "next", "probe": PROBE}).encode()
    got = [(r.host, r.problem) for r in read_json_lines(io.BytesIO(data))]
    assert got == [("line 1", "too-large"), ("next", "")]
