"""Scanning: normalization, line numbers, long lines, chunk boundaries, prefilter soundness."""
from __future__ import annotations

import pytest

from nskb.diagnose import normalize
from nskb.diagnose import scan as match
from nskb.diagnose.normalize import InputError
from nskb.diagnose.scan import Scan, Scanner

LINE = b"bwrap: No permissions to create a new namespace, likely because the kernel does not allow it\n"


def scan(index, data: bytes, chunk: int = 1 << 20, source: str = "log") -> Scan:
    result = Scan()
    Scanner(index).feed(result, source, (data[i:i + chunk] for i in range(0, len(data), chunk)))
    return result


def hits(result: Scan) -> list[tuple[str, int]]:
    return sorted((sid, h["line"]) for sid, found in result.hits.items() for h in found)


def test_line_numbers_and_text(mini_index):
    result = scan(mini_index, b"one\ntwo\n" + LINE + b"four\n")
    assert hits(result) == [("four-causes", 3)]
    assert result.hits["four-causes"][0]["text"] == LINE.decode().rstrip("\n")
    assert result.lines == 4


def test_last_line_without_newline(mini_index):
    assert hits(scan(mini_index, b"a\n" + LINE.rstrip(b"\n"))) == [("four-causes", 2)]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1000])
def test_chunk_boundaries_do_not_change_the_result(mini_index, chunk):
    data = b"x\n" * 5 + LINE + "unshare: unshare failed: 不允许的操作 in chroot\n".encode() + b"y\n" + LINE
    assert hits(scan(mini_index, data, chunk)) == hits(scan(mini_index, data))
    assert hits(scan(mini_index, data)) == [("four-causes", 6), ("four-causes", 9), ("one-cause", 7)]


def test_ansi_escapes_and_carriage_returns_are_removed(mini_index):
    coloured = b"\x1b[1;31mbwrap:\x1b[0m No permissions to \x1b[33mcreate\x1b[0m a new namespace\r\n"
    result = scan(mini_index, b"first\r\n" + coloured)
    assert hits(result) == [("four-causes", 2)]
    assert result.hits["four-causes"][0]["text"] == "bwrap: No permissions to create a new namespace"


def test_osc_sequences_are_removed(mini_index):
    result = scan(mini_index, b"\x1b]0;title\x07bwrap: No permissions to create new namespace\n")
    assert result.hits["four-causes"][0]["text"] == "bwrap: No permissions to create new namespace"


def test_short_escape_sequences_are_removed(mini_index):
    # ESC c (reset), ESC ( B (character set), ESC 7 (save cursor): ESC, intermediates, one final byte.
    result = scan(mini_index, b"\x1bc\x1b(B\x1b7bwrap: No permissions to create new namespace\n")
    assert result.hits["four-causes"][0]["text"] == "bwrap: No permissions to create new namespace"


def test_localized_errno_placeholders_match(mini_index):
    for text in ("Operation not permitted", "不允许的操作", "此項操作並不被允許"):
        assert hits(scan(mini_index, f"unshare: unshare failed: {text} in chroot\n".encode())) == [("one-cause", 1)]


def test_invalid_utf8_is_replaced_and_reported(mini_index):
    result = scan(mini_index, b"ok\n\xff\xfe bad \xc3\n" + LINE)
    assert hits(result) == [("four-causes", 3)]
    assert [w for w in result.warnings if w["code"] == "invalid-utf8"] == [{"code": "invalid-utf8", "file": "log", "line": 2}]


def test_invalid_utf8_inside_a_matching_line(mini_index):
    result = scan(mini_index, b"\xffbwrap: No permissions to create new namespace \xfe\n")
    assert result.hits["four-causes"][0]["text"].startswith("\ufffdbwrap")


def test_nul_bytes_are_removed_and_counted(mini_index):
    result = scan(mini_index, b"a\x00b\n" + LINE.replace(b"permissions", b"permis\x00sions"))
    assert hits(result) == [("four-causes", 2)]
    assert {"code": "nul-bytes", "file": "log", "count": 2} in result.warnings


def test_binary_input_is_refused(mini_index):
    with pytest.raises(InputError) as caught:
        scan(mini_index, bytes(range(256)) * 100)
    assert caught.value.code == "binary" and "binary" in caught.value.message


def test_utf16_is_refused_with_a_conversion_hint(mini_index):
    with pytest.raises(InputError) as caught:
        scan(mini_index, "\ufeffhi\n".encode("utf-16-le"))
    assert caught.value.code == "utf16" and "iconv" in caught.value.hint


def test_long_line_is_cut_and_reported(mini_index, monkeypatch):
    monkeypatch.setattr(normalize, "LINE_CAP", 1024)
    long = b"x" * 100 + LINE.rstrip(b"\n") + b"y" * 5000 + LINE
    result = scan(mini_index, b"a\n" + long + b"z\n", chunk=300)
    assert hits(result) == [("four-causes", 2)]
    assert result.hits["four-causes"][0]["cut"] is True
    assert len(result.hits["four-causes"][0]["text"]) <= 1024
    warning = [w for w in result.warnings if w["code"] == "long-line"]
    assert warning == [{"code": "long-line", "file": "log", "line": 2, "length": len(long) - 1, "cap": 1024}]
    assert result.lines == 3


def test_symptom_after_the_cut_is_not_reported(mini_index, monkeypatch):
    monkeypatch.setattr(normalize, "LINE_CAP", 1024)
    result = scan(mini_index, b"y" * 4000 + LINE + LINE)
    assert hits(result) == [("four-causes", 2)]


def test_long_line_inside_one_chunk(mini_index, monkeypatch):
    monkeypatch.setattr(normalize, "LINE_CAP", 1024)
    data = b"a\n" + b"q" * 3000 + b"\n" + LINE
    result = scan(mini_index, data)
    assert hits(result) == [("four-causes", 3)]
    assert [w["line"] for w in result.warnings if w["code"] == "long-line"] == [2]


def test_anchored_pattern_matches_only_at_line_start(mini_index):
    result = scan(mini_index, b"x kernel.unprivileged_userns_clone = 0\nkernel.unprivileged_userns_clone = 0\n")
    assert hits(result) == [("sysctl-line", 2)]
    assert result.line_facts == [{"key": "sysctl.kernel.unprivileged_userns_clone", "value": "0", "file": "log",
                                  "line": 2, "symptom": "sysctl-line"}]


def test_prefilter_hit_across_lines_does_not_lose_the_next_line(mini_index):
    # `\s*` in the prefilter form may span a newline; the exact per-line check must still find line 2.
    result = scan(mini_index, b"  \nkernel.unprivileged_userns_clone = 1\n")
    assert hits(result) == [("sysctl-line", 2)]


def test_many_hits_are_capped_but_counted(mini_index):
    result = scan(mini_index, LINE * (match.MAX_HITS_PER_SYMPTOM + 5))
    assert len(result.hits["four-causes"]) == match.MAX_HITS_PER_SYMPTOM
    assert result.hit_counts["four-causes"] == match.MAX_HITS_PER_SYMPTOM + 5


def test_empty_input(mini_index):
    result = scan(mini_index, b"")
    assert result.bytes == 0 and result.lines == 0 and not result.hits


def test_retired_symptoms_do_not_match(mini_index):
    index = {**mini_index, "symptoms": {k: dict(v) for k, v in mini_index["symptoms"].items()}}
    index["symptoms"]["four-causes"]["status"] = "retired"
    assert hits(scan(index, LINE)) == []


def _all_examples(index):
    from nskb.index.store import articles

    details = articles(index)["symptom"]
    return [(sid, line) for sid in sorted(index["symptoms"]) for line in details[sid]["examples"]["match"]]


@pytest.mark.parametrize("small_block", [0, 1 << 20])
def test_every_kb_example_is_found_by_both_prefilters(real_index, monkeypatch, small_block):
    """The literal screen (small inputs) and the RE2 alternation (large ones) miss no example line."""
    monkeypatch.setattr(match, "SMALL_BLOCK", small_block)
    monkeypatch.setattr(normalize, "LINE_CAP", max(normalize.LINE_CAP, small_block))
    examples = _all_examples(real_index)
    data = "".join(f"{line}\n" for _sid, line in examples).encode()
    result = scan(real_index, data)
    found = {(sid, h["line"]) for sid, hs in result.hits.items() for h in hs}
    missing = [(sid, line) for n, (sid, line) in enumerate(examples, 1)
               if (sid, n) not in found and result.hit_counts.get(sid, 0) <= match.MAX_HITS_PER_SYMPTOM]
    assert not missing, missing[:5]


def test_both_prefilters_agree_on_examples_and_near_misses(real_index, monkeypatch):
    from nskb.index.store import articles

    details = articles(real_index)["symptom"]
    lines = [line for d in details.values() for key in ("match", "no_match") for line in d["examples"][key]]
    data = "".join(f"{line}\n" for line in lines).encode()
    monkeypatch.setattr(match, "SMALL_BLOCK", 0)
    large = scan(real_index, data)
    monkeypatch.setattr(match, "SMALL_BLOCK", 1 << 30)
    monkeypatch.setattr(normalize, "LINE_CAP", 1 << 30)
    small = scan(real_index, data)
    assert hits(small) == hits(large) and small.line_facts == large.line_facts
