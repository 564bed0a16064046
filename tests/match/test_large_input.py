"""Large inputs stream in bounded memory: a 1 GB log, a 1 GB sparse file, a single 100 MB line.

Memory is asserted (peak RSS of the kb-match process, from wait4); time is not (see bench/).
kb-match is started by a small Python launcher, not by pytest itself: Linux carries the peak RSS of
the process that forked a child into the child's own figure, and pytest may be large by then.
Nothing large is kept: the 1 GB log goes through a pipe, the sparse file is a hole and is deleted.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

KB_MATCH = str(Path(sys.executable).parent / "kb-match")
RSS_LIMIT_KB = 100 * 1024
# Forks kb-match from a small process, waits for it and writes its peak RSS (KiB) to the file argv[1].
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""
SYMPTOM = b"bwrap: No permissions to create a new namespace, likely because the kernel does not allow it\n"
NOISE = b"".join(b"2024-05-01 12:00:%02d INFO build step %d finished in %d ms; cache hit ratio 0.%d\n" % (i % 60, i, i * 7, i)
                 for i in range(12000))


@pytest.fixture(autouse=True, scope="module")
def fresh_index():
    # A checkout rebuilds a stale index on the first run; that rebuild loads the whole KB and
    # would be counted in the peak RSS measured below, so let it happen before measuring.
    subprocess.run([KB_MATCH], input=b"", capture_output=True, timeout=300)


def run_streaming(args: list[str], produce, tmp_path: Path) -> tuple[int, dict, str, int]:
    """Run kb-match, feed stdin from `produce(write)` in a thread; return code, JSON, stderr, peak RSS (KiB)."""
    rss_file = tmp_path / "rss"
    proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(rss_file), KB_MATCH, "--format", "json", *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def feed():
        try:
            produce(proc.stdin.write)
        except BrokenPipeError:
            pass  # kb-match refused the input early; its exit code says why
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed)
    writer.start()
    out = proc.stdout.read()
    err = proc.stderr.read()
    writer.join()
    proc.wait(timeout=600)
    return proc.returncode, json.loads(out) if out else {}, err.decode(), int(rss_file.read_text())


def test_one_gigabyte_log_through_a_pipe(tmp_path):
    block_lines = NOISE.count(b"\n")
    blocks = (1 << 30) // len(NOISE) + 1

    def produce(write):
        write(SYMPTOM)
        for _ in range(blocks):
            write(NOISE)
        write(SYMPTOM)

    code, data, err, rss = run_streaming(["-"], produce, tmp_path)
    assert code == 0, err
    assert [s["line"] for s in data["symptoms"]] == [1, 2 + blocks * block_lines]
    print(f"peak RSS {rss} KiB")
    assert rss <= RSS_LIMIT_KB, f"peak RSS {rss} KiB"


def test_one_gigabyte_sparse_file(tmp_path):
    path = tmp_path / "sparse.log"
    with open(path, "wb") as handle:
        handle.write(NOISE[:100_000].rsplit(b"\n", 1)[0] + b"\n")
        handle.seek(1 << 30, os.SEEK_CUR)  # a 1 GiB hole reads as NUL bytes
        handle.write(b"\n" + SYMPTOM)
    try:
        code, data, err, rss = run_streaming([str(path)], lambda write: None, tmp_path)
    finally:
        path.unlink()
    assert code == 0, err
    assert [s["text"] for s in data["symptoms"]] == [SYMPTOM.decode().rstrip("\n")]
    assert any(w["code"] == "long-line" for w in data["warnings"])  # the hole is one 1 GiB line of NUL bytes
    print(f"peak RSS {rss} KiB")
    assert rss <= RSS_LIMIT_KB, f"peak RSS {rss} KiB"


def test_a_file_of_nul_bytes_is_refused_at_once(tmp_path):
    path = tmp_path / "zeros.log"
    with open(path, "wb") as handle:
        handle.truncate(1 << 30)
    try:
        code, data, err, rss = run_streaming([str(path)], lambda write: None, tmp_path)
    finally:
        path.unlink()
    assert code == 2 and "binary" in err and err.count("\n") == 1
    assert rss <= RSS_LIMIT_KB


def test_single_hundred_megabyte_line(tmp_path):
    def produce(write):
        write(SYMPTOM.rstrip(b"\n") + b" ")
        chunk = b"x" * (1 << 20)
        for _ in range(100):
            write(chunk)
        write(b"\n" + SYMPTOM)

    code, data, err, rss = run_streaming(["-"], produce, tmp_path)
    assert code == 0, err
    assert [s["line"] for s in data["symptoms"]] == [1, 2]
    long = [w for w in data["warnings"] if w["code"] == "long-line"]
    assert len(long) == 1 and long[0]["line"] == 1 and long[0]["length"] == len(SYMPTOM) + 100 * (1 << 20)
    print(f"peak RSS {rss} KiB")
    assert rss <= RSS_LIMIT_KB, f"peak RSS {rss} KiB"
