"""A large input is searched on a second thread while the next blocks are read and normalized. The
scan must be exactly the one a single thread gives: hits, counts, facts, warnings and their order."""
from __future__ import annotations

import random
import threading

import pytest

from nskb.diagnose import scan as scan_module
from nskb.diagnose.normalize import LINE_CAP
from nskb.diagnose.scan import Scanner
from nskb.diagnose.types import Scan

PIECES = [
    b"step %d of the build finished",
    b"\x1b[31mbwrap: setting up uid map: Permission denied\x1b[0m",
    b"unshare: unshare failed: Operation not permitted",
    b'audit: type=1400 audit(1.2:%d): apparmor="DENIED" operation="userns_create" class="namespace" '
    b'profile="unprivileged_userns" pid=%d comm="bwrap"',
    b"a NUL \x00 byte in the middle",
    b"progress 10%%\rprogress 20%%\rdone",
    b"Linux host 6.8.0-45-generic #45-Ubuntu SMP x86_64 GNU/Linux",
    b"uid=1000(alice) gid=1000(alice) groups=1000(alice)",
]


# Said by the searching thread (once per input): placed where that thread searches, after overlong
# lines that the reading thread reports, so that the two threads' warnings interleave.
INVALID = b"invalid \xff\xfe bytes next to bwrap: No permissions to create new namespace"
LONG_BEFORE_INVALID = (1500 << 10, 700 << 10, 300 << 10, 100 << 10)


def big_input(seed: int, size: int) -> bytes:
    rng = random.Random(seed)
    invalid_at = size // 2 + scan_module.PIPELINE_AFTER // 2
    longs = sorted(invalid_at - d for d in LONG_BEFORE_INVALID)
    out, total, n = [], 0, 0
    while total < size:
        n += 1
        if longs and total >= longs[0]:
            longs.pop(0)
            line = b"x" * (LINE_CAP + rng.randint(1, 5000))  # an overlong line, reported and cut
        elif invalid_at and total >= invalid_at:
            line, invalid_at = INVALID, 0
        else:
            piece = rng.choice(PIECES) if rng.random() < 0.02 else PIECES[0]
            line = piece.replace(b"%d", str(n).encode()).replace(b"%%", b"%")
        out.append(line)
        total += len(line) + 1
    return b"\n".join(out) + b"\n"


def chunks(data: bytes, seed: int) -> list[bytes]:
    """Uneven chunks, so that lines, CR LF pairs and escapes are cut between reads."""
    rng = random.Random(seed)
    out, pos = [], 0
    while pos < len(data):
        step = rng.randint(1, 3) << 19
        out.append(data[pos:pos + step])
        pos += step
    return out


def snapshot(scan: Scan) -> tuple:
    def hit(h):
        return (h.file, h.line, h.text, h.cut)

    return ({sid: [hit(h) for h in hits] for sid, hits in scan.symptom_hits.items()}, scan.symptom_counts,
            {f: hit(h) for f, h in scan.feature_hits.items()}, {f: hit(h) for f, h in scan.line_facts.items()},
            scan.warnings, scan.warning_counts, scan.lines, scan.bytes, scan.sources)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_pipelined_scan_is_the_scan_one_thread_gives(real_index, monkeypatch, seed):
    data = big_input(seed, 3 * scan_module.PIPELINE_AFTER)
    started = []

    class Counted(scan_module._Pipeline):
        def __init__(self, *args):
            started.append(1)
            super().__init__(*args)

    monkeypatch.setattr(scan_module, "_Pipeline", Counted)
    piped = Scan()
    Scanner(real_index).feed(piped, "big.log", chunks(data, seed))
    assert started == [1]
    monkeypatch.setattr(scan_module, "PIPELINE_AFTER", 1 << 62)
    single = Scan()
    Scanner(real_index).feed(single, "big.log", chunks(data, seed))
    assert started == [1]
    assert snapshot(piped) == snapshot(single)
    codes = {w["code"] for w in single.warnings}
    assert {"long-line", "invalid-utf8", "nul-bytes"} <= codes
    assert {"bwrap-uid-map-eacces", "unshare-failed-eperm"} <= set(single.symptom_hits)


def test_an_error_on_the_searching_thread_reaches_the_caller(real_index, monkeypatch):
    data = big_input(3, 2 * scan_module.PIPELINE_AFTER)
    scanner = Scanner(real_index)
    calls = []

    def failing(scan, source, block):
        if threading.current_thread().name == "nskb-search":
            calls.append(block)
            if len(calls) == 2:
                raise RuntimeError("search failed")

    monkeypatch.setattr(scanner, "search", failing)
    with pytest.raises(RuntimeError, match="search failed"):
        scanner.feed(Scan(), "big.log", chunks(data, 3))
    assert len(calls) == 2  # the queue was drained, not searched, after the error
    assert not [t for t in threading.enumerate() if t.name == "nskb-search"]
