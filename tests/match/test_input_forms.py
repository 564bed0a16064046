"""Inputs as they really arrive (issue 12, items 11 and 12): a FIFO, a log truncated in place, wide
encodings without a byte-order mark, a GBK log, invalid UTF-8 in a matched line whatever the input's
size, and output in the terminal's encoding."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from nskb.diagnose import scan as scan_module
from nskb.diagnose.normalize import InputError
from nskb.diagnose.scan import Scanner
from nskb.diagnose.types import Scan

LINE = "bwrap: setting up uid map: Permission denied\n"
SYMPTOM = "bwrap-uid-map-eacces"
ENV = {**os.environ, "LC_ALL": "C.UTF-8", "NO_COLOR": "1"}


def kb_match(*args: str, stdin: bytes = b"", env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nskb.cli.match", *args], input=stdin, capture_output=True,
                          timeout=60, env=env or ENV)


def hits(index, data: bytes) -> list[str]:
    result = Scan()
    Scanner(index).feed(result, "log", [data])
    return sorted(result.symptom_hits)


def test_a_fifo_is_read_once_and_whole(tmp_path: Path) -> None:
    fifo = tmp_path / "log.fifo"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "w") as handle:
            handle.write("noise\n" * 1000 + LINE)

    writer = threading.Thread(target=write)
    writer.start()
    done = kb_match("-f", "json", str(fifo))
    writer.join(timeout=30)
    assert done.returncode in (0, 1), done.stderr
    assert SYMPTOM.encode() in done.stdout


def test_a_copytruncate_hole_of_nul_bytes_is_not_binary(real_index) -> None:
    assert hits(real_index, b"\0" * 100_000 + LINE.encode()) == [SYMPTOM]


@pytest.mark.parametrize("encoding, name", [("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE"),
                                            ("utf-32-le", "UTF-32LE"), ("utf-32-be", "UTF-32BE")])
def test_wide_encodings_without_a_byte_order_mark_are_named(real_index, encoding: str, name: str) -> None:
    with pytest.raises(InputError) as caught:
        hits(real_index, (LINE * 5).encode(encoding))
    assert name in caught.value.message and f"iconv -f {name}" in caught.value.hint


def test_a_gbk_log_is_read_as_gb18030_and_said_so(real_index) -> None:
    data = "unshare: unshare failed: 不允许的操作\n".encode("gbk")
    result = Scan()
    Scanner(real_index).feed(result, "log", [data])
    assert "unshare-failed-eperm" in result.symptom_hits
    assert [w["code"] for w in result.warnings] == ["gb18030"]


def test_invalid_utf8_inside_a_matched_line_gives_one_answer_whatever_the_size(real_index, monkeypatch) -> None:
    line = b"bwrap: setting up uid map: Permission \xff denied\nbwrap: setting up uid map: Permission denied\xfe\n"
    answers = []
    for small in (1 << 20, 0):  # the line-by-line screen, then the block-wide alternation
        monkeypatch.setattr(scan_module, "SMALL_BLOCK", small)
        result = Scan()
        Scanner(real_index).feed(result, "log", [line])
        answers.append((sorted(result.symptom_hits), [h.text for h in result.symptom_hits.get(SYMPTOM, [])],
                        [w["code"] for w in result.warnings]))
    assert answers[0] == answers[1]
    assert answers[0][2] == ["invalid-utf8"]


def test_output_follows_a_gbk_terminal() -> None:
    env = {**ENV, "LC_ALL": "zh_CN.GBK", "PYTHONIOENCODING": ""}
    done = kb_match("-l", "zh", stdin="unshare: unshare failed: 不允许的操作\n".encode("gbk"), env=env)
    assert done.returncode in (0, 1), done.stderr
    text = done.stdout.decode("gbk")  # raises if the output were UTF-8 Chinese
    assert "匹配的行" in text
