"""Scanning: normalization, line numbers, long lines, chunk boundaries, decorated lines, what a
Scan records (symptom_hits, symptom_counts, feature_hits, line_facts), prefilter soundness."""
from __future__ import annotations

import json

import pytest

from nskb.diagnose import normalize
from nskb.diagnose import scan as match
from nskb.diagnose.normalize import InputError
from nskb.diagnose.scan import Scanner
from nskb.diagnose.types import Feature, LineFact, Scan

LINE = b"bwrap: No permissions to create a new namespace, likely because the kernel does not allow it.\n"
CHROOT = "unshare: unshare failed: 不允许的操作 in chroot.\n".encode()


def scan(index, data: bytes, chunk: int = 1 << 20, source: str = "log") -> Scan:
    result = Scan()
    Scanner(index).feed(result, source, (data[i:i + chunk] for i in range(0, len(data), chunk)))
    return result


def hits(result: Scan) -> list[tuple[str, int]]:
    return sorted((sid, h.line) for sid, found in result.symptom_hits.items() for h in found)


def test_line_numbers_and_text(mini_index):
    result = scan(mini_index, b"one\ntwo\n" + LINE + b"four\n")
    assert hits(result) == [("four-causes", 3)]
    hit = result.symptom_hits["four-causes"][0]
    assert (hit.file, hit.text, hit.cut) == ("log", LINE.decode().rstrip("\n"), False)
    assert result.lines == 4 and result.bytes == len(b"one\ntwo\n" + LINE + b"four\n") and result.sources == ["log"]
    assert result.symptom_counts == {"four-causes": 1}


def test_last_line_without_newline(mini_index):
    assert hits(scan(mini_index, b"a\n" + LINE.rstrip(b"\n"))) == [("four-causes", 2)]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1000])
def test_chunk_boundaries_do_not_change_the_result(mini_index, chunk):
    data = b"x\n" * 5 + LINE + CHROOT + b"y\n" + LINE
    assert hits(scan(mini_index, data, chunk)) == hits(scan(mini_index, data))
    assert hits(scan(mini_index, data)) == [("four-causes", 6), ("four-causes", 9), ("one-cause", 7)]


@pytest.mark.parametrize("first", [
    b"bwrap: No permissions to create a new namespace",
    # as wide as a terminal: looks wrapped, so it is read joined with the next line
    b"bwrap: No permissions to create a new namespace, likely because the kernel does not allow it, see",
])
def test_each_symptom_is_reported_at_its_own_line_after_an_unfinished_one(mini_features_index, first):
    # A symptom that the next line holds in full is reported there, not one line up as well.
    data = first + b"\n" + CHROOT
    assert hits(scan(mini_features_index, data)) == [("four-causes", 1), ("one-cause", 2)]


def test_a_wrapped_message_is_read_joined(mini_features_index):
    # The first half is a candidate through a namespace word (a feature trigger); read with the
    # next line it is the whole message.
    indented = b"unshare: unshare failed: Operation not\n    permitted in chroot.\n"
    assert hits(scan(mini_features_index, b"x\n" + indented)) == [("one-cause", 2)]
    # A line as wide as a terminal that stops mid-sentence goes on on the next line.
    wide = b"2024-05-01T12:34:56.789Z build-host runner[4321]: unshare: unshare failed: Operation not\npermitted in chroot.\n"
    assert hits(scan(mini_features_index, b"x\n" + wide)) == [("one-cause", 2)]
    # A short line that stops mid-sentence, with the next one not indented under it: not joined ...
    short = b"unshare: unshare failed: Operation\nnot permitted in chroot.\n"
    assert hits(scan(mini_features_index, b"x\n" + short)) == []
    # ... unless it stops on a word no sentence ends with and the next line goes on in lower case.
    open_ended = b"unshare: unshare failed: Operation not\npermitted in chroot.\n"
    assert hits(scan(mini_features_index, b"x\n" + open_ended)) == [("one-cause", 2)]
    assert hits(scan(mini_features_index, b"x\n" + open_ended.replace(b"\npermitted", b"\nPermitted"))) == []


def test_ansi_escapes_and_carriage_returns_are_removed(mini_index):
    coloured = b"\x1b[1;31mbwrap:\x1b[0m No permissions to \x1b[33mcreate\x1b[0m a new namespace.\r\n"
    result = scan(mini_index, b"first\r\n" + coloured)
    assert hits(result) == [("four-causes", 2)]
    assert result.symptom_hits["four-causes"][0].text == "bwrap: No permissions to create a new namespace."


def test_osc_and_short_escape_sequences_are_removed(mini_index):
    result = scan(mini_index, b"\x1b]0;title\x07bwrap: No permissions to create new namespace.\n")
    assert result.symptom_hits["four-causes"][0].text == "bwrap: No permissions to create new namespace."
    # ESC c (reset), ESC ( B (character set), ESC 7 (save cursor): ESC, intermediates, one final byte.
    result = scan(mini_index, b"\x1bc\x1b(B\x1b7bwrap: No permissions to create new namespace.\n")
    assert result.symptom_hits["four-causes"][0].text == "bwrap: No permissions to create new namespace."


def test_localized_errno_placeholders_match(mini_index):
    for text in ("Operation not permitted", "不允许的操作", "此項操作並不被允許"):
        assert hits(scan(mini_index, f"unshare: unshare failed: {text} in chroot.\n".encode())) == [("one-cause", 1)]


def test_invalid_utf8_is_replaced_and_reported(mini_index):
    result = scan(mini_index, b"ok\n\xff\xfe bad \xc3\n" + LINE)
    assert hits(result) == [("four-causes", 3)]
    assert [w for w in result.warnings if w["code"] == "invalid-utf8"] == [{"code": "invalid-utf8", "file": "log", "line": 2}]


def test_invalid_utf8_inside_a_matching_line(mini_index):
    result = scan(mini_index, b"\xffbwrap: No permissions to create new namespace. \xfe\n")
    assert result.symptom_hits["four-causes"][0].text.startswith("\ufffdbwrap")


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
    assert result.symptom_hits["four-causes"][0].cut is True
    assert len(result.symptom_hits["four-causes"][0].text) <= 1024
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
    assert {f: (h.file, h.line) for f, h in result.line_facts.items()} == {
        LineFact("sysctl.kernel.unprivileged_userns_clone", "0"): ("log", 2)}


def test_a_fact_keeps_its_first_line(mini_index):
    result = scan(mini_index, b"ID=debian\nx\nID=debian\nID=arch\n")
    assert {(f.key, f.value): h.line for f, h in result.line_facts.items()} == {("os.id", "debian"): 1, ("os.id", "arch"): 4}


def test_prefilter_hit_across_lines_does_not_lose_the_next_line(mini_index):
    # `\s*` in the prefilter form may span a newline; the exact per-line check must still find line 2.
    result = scan(mini_index, b"  \nkernel.unprivileged_userns_clone = 1\n")
    assert hits(result) == [("sysctl-line", 2)]


def test_many_hits_are_capped_but_counted(mini_index):
    result = scan(mini_index, LINE * (match.MAX_HITS_PER_SYMPTOM + 5))
    assert len(result.symptom_hits["four-causes"]) == match.MAX_HITS_PER_SYMPTOM
    assert result.symptom_counts["four-causes"] == match.MAX_HITS_PER_SYMPTOM + 5


def test_a_dense_block_is_counted_exactly(mini_index):
    # More hits than DENSE_HITS in one block: the rest is counted in bulk, with the right lines.
    count = match.DENSE_HITS * 3
    data = (LINE + b"noise\n") * count + CHROOT
    result = scan(mini_index, data)
    assert result.symptom_counts == {"four-causes": count, "one-cause": 1}
    assert [h.line for h in result.symptom_hits["four-causes"]] == list(range(1, 2 * match.MAX_HITS_PER_SYMPTOM, 2))
    assert [h.line for h in result.symptom_hits["one-cause"]] == [2 * count + 1]


def test_empty_input(mini_index):
    result = scan(mini_index, b"")
    assert result.bytes == 0 and result.lines == 0 and not result.symptom_hits and not result.feature_hits


def test_retired_symptoms_do_not_match(mini_index):
    index = {**mini_index, "symptoms": {k: dict(v) for k, v in mini_index["symptoms"].items()}}
    index["symptoms"]["four-causes"]["status"] = "retired"
    assert hits(scan(index, LINE)) == []


def test_features_and_context_facts_are_recorded_with_their_first_line(mini_features_index):
    audit = b'audit: type=1400 apparmor="DENIED" operation="userns_create" profile="unconfined" comm="bwrap"\n'
    result = scan(mini_features_index, b"x\n" + audit + audit + b"uid=1000(me) gid=1000(me)\n")
    apparmor = Feature.of("apparmor", {"apparmor": "DENIED", "operation": "userns_create", "profile": "unconfined",
                                       "comm": "bwrap"})
    assert {f: h.line for f, h in result.feature_hits.items()} == {apparmor: 2}
    assert {(f.key, f.value): h.line for f, h in result.line_facts.items()} == {("process.uid", "1000"): 4}


def test_a_failure_line_of_any_program_is_a_feature(mini_features_index):
    result = scan(mini_features_index, b"myjail: unshare(CLONE_NEWUSER) failed: Operation not permitted\n")
    assert [(f.kind, f.get("errno"), f.get("syscall")) for f in result.feature_hits] == [("failure", "EPERM", "unshare")]
    assert not result.symptom_hits


# --- every KB example, decorated as real logs decorate it -------------------------------------


def _go_json(line: str) -> str:
    """A line as `docker logs` JSON holds it (Go's encoder: <, > and & escaped, the rest raw)."""
    text = json.dumps({"log": line + "\n", "stream": "stderr"}, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


DECORATIONS = {
    "iso-timestamp": lambda line: "2024-05-01T12:34:56.789Z " + line,
    "github-actions": lambda line: "##[error]" + line,
    "docker-build": lambda line: "#12 0.345 " + line,
    "journald": lambda line: "May 01 12:34:56 build-host bwrap[4321]: " + line,
    "kubernetes-cri": lambda line: "2024-01-01T00:00:00.000000000Z stderr F " + line,
    "dmesg": lambda line: "[   12.345678] " + line,
    "opam-output": lambda line: "# " + line,  # opam's report of a failed command's output
    "tab": lambda line: "\t" + line,
    "trailing-dot": lambda line: line + ".",
    "docker-json": _go_json,
    "nbsp": lambda line: line.replace(" ", "\u00a0"),
    "progress-bar-cr": lambda line: "Downloading  45% [=====>      ]\r" + line,
    "uppercase": lambda line: line.upper(),
}


def _examples(index) -> list[tuple[str, str]]:
    from nskb.index.store import articles

    details = articles(index)["symptom"]
    return [(sid, line) for sid in sorted(index["symptoms"]) if index["symptoms"][sid].get("status") != "retired"
            for line in details[sid]["examples"]["match"]]


def test_every_kb_example_matches_its_symptom_plain(real_index):
    scanner = Scanner(real_index)
    missing = []
    for sid, line in _examples(real_index):
        result = Scan()
        scanner.feed(result, "log", [line.encode() + b"\n"])
        if sid not in result.symptom_hits:
            missing.append(f"{sid}: {line!r}")
    assert not missing, f"{len(missing)} examples do not match their own symptom:\n" + "\n".join(missing)


def test_every_kb_example_matches_its_symptom_however_it_is_decorated(real_index):
    scanner = Scanner(real_index)
    examples = _examples(real_index)
    assert len(examples) > 100
    plain = set()
    for sid, line in examples:
        result = Scan()
        scanner.feed(result, "log", [line.encode() + b"\n"])
        if sid in result.symptom_hits:
            plain.add((sid, line))  # the plain test above reports the others
    failed: dict[str, list[str]] = {}
    for name, decorate in DECORATIONS.items():
        for sid, line in examples:
            if (sid, line) not in plain:
                continue
            result = Scan()
            scanner.feed(result, "log", [decorate(line).encode() + b"\n"])
            if sid not in result.symptom_hits:
                failed.setdefault(name, []).append(f"{sid}: {decorate(line)!r}")
    report = "\n".join(f"{name} ({len(items)} of {len(plain)}):\n    " + "\n    ".join(items[:8])
                       for name, items in failed.items())
    assert not failed, "decorated examples that no longer match their symptom:\n" + report


@pytest.mark.parametrize("small_block", [0, 1 << 20])
def test_every_kb_example_is_found_by_both_screens(real_index, monkeypatch, small_block):
    """The per-line screen (small inputs) and the RE2 alternation (large ones) miss no example line."""
    monkeypatch.setattr(match, "SMALL_BLOCK", small_block)
    monkeypatch.setattr(normalize, "LINE_CAP", max(normalize.LINE_CAP, small_block))
    # Each distinct line once (a large input records a repeated line at its first place only),
    # with a blank line after it, so that no example is read joined with the next.
    owners: dict[str, list[str]] = {}
    for sid, line in _examples(real_index):
        owners.setdefault(line, []).append(sid)
    lines = list(owners)
    result = scan(real_index, "".join(f"{line}\n\n" for line in lines).encode())
    found = {(sid, h.line) for sid, hs in result.symptom_hits.items() for h in hs}
    missing = [(sid, line) for n, line in enumerate(lines) for sid in owners[line]
               if (sid, 2 * n + 1) not in found and result.symptom_counts.get(sid, 0) <= match.MAX_HITS_PER_SYMPTOM]
    assert not missing, missing[:10]


def test_both_screens_agree_on_examples_and_near_misses(real_index, monkeypatch):
    from nskb.index.store import articles

    details = articles(real_index)["symptom"]
    lines = [line for d in details.values() for key in ("match", "no_match") for line in d["examples"][key]]
    data = "".join(f"{line}\n\n" for line in lines).encode()  # no line read as the continuation of another
    monkeypatch.setattr(match, "SMALL_BLOCK", 0)
    large = scan(real_index, data)
    monkeypatch.setattr(match, "SMALL_BLOCK", 1 << 30)
    monkeypatch.setattr(normalize, "LINE_CAP", 1 << 30)
    small = scan(real_index, data)

    def texts(result: Scan) -> dict[str, set[str]]:
        return {sid: {h.text for h in hs} for sid, hs in result.symptom_hits.items()}

    assert small.symptom_counts == large.symptom_counts
    assert texts(small) == texts(large)
    assert small.line_facts.keys() == large.line_facts.keys() and small.feature_hits.keys() == large.feature_hits.keys()
