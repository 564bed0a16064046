"""Input for the matcher: byte chunks cut into blocks of whole, normalized lines.

Normalizing removes ANSI escapes, carriage returns and NUL bytes and nothing else; a line longer
than LINE_CAP is cut there (the rest of it is skipped, and the cut is reported). Binary and UTF-16
input is refused with `InputError`. Text is not decoded here: patterns match the bytes, and only
the lines they hit are decoded (and checked for invalid UTF-8 through `LineCutter.check_utf8`).

Memory stays bounded by the chunk size plus one LINE_CAP, whatever the input size.
"""
from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on the start-up path
if TYPE_CHECKING:
    import re
    from collections.abc import Callable, Iterator

CHUNK_SIZE = 1 << 20            # bytes read at a time
LINE_CAP = 64 * 1024            # longer lines are cut here; the cut is reported
BINARY_SAMPLE = 64 * 1024       # the start of each input checked for binary content
BINARY_CONTROL_RATIO = 0.10     # share of control bytes above which an input is binary

# ANSI escapes (CSI, OSC, and the short ones: ESC, intermediate bytes, one final byte, as in
# ESC c or ESC ( B); compiled on first use, through re.sub's cache (`re` itself is imported only
# for an input that needs it). The ESC is written once, before the alternatives: the same matches,
# but the engine then looks for that byte alone between escapes, a quarter faster on colored logs.
_ANSI = rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|[ -/]*[0-~])"
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x08\x1b") + b"\x7f"


class InputError(Exception):
    """An input that cannot be read as a log; `where` names it, `hint` says what to do."""

    def __init__(self, where: str, code: str, message: str, hint: str = ""):
        super().__init__(f"{where}: {message}")
        self.where, self.code, self.message, self.hint = where, code, message, hint


class Block:
    """A run of complete lines, each ending in a newline."""

    __slots__ = ("data", "lines_before", "long_lines", "cut")

    def __init__(self, data: bytes, lines_before: int, long_lines: list[tuple[int, int]], cut: bool):
        self.data = data                  # the normalized bytes
        self.lines_before = lines_before  # lines of this input before the block
        self.long_lines = long_lines      # (start, end) of lines longer than LINE_CAP in `data`
        self.cut = cut                    # the block is the LINE_CAP head of an overlong line


class LineCutter:
    """Streaming state for one input: the carried partial line, the line count, overlong lines.

    `add(chunk)` and `finish()` yield blocks. Warnings (`long-line`, `nul-bytes`, `invalid-utf8`)
    go to `warn(code, **params)`; a long line inside a block is reported once the consumer has
    searched the block, so warnings come in the order of the input.
    """

    def __init__(self, source: str, warn: Callable[..., None]):
        self.source, self.warn = source, warn
        self.carry = b""
        self.lines = 0             # complete lines before the current block
        self.first = True
        self.skipping = False      # inside an overlong line whose head was already searched
        self.skip_len = 0
        self.invalid_utf8 = False  # reported once per input
        self.nul = 0
        self.after_cr = False      # the previous chunk ended with CR
        self.gb18030 = False       # the input was read as GB 18030 (reported once)

    def add(self, chunk: bytes) -> Iterator[Block]:
        if self.first:
            self.first = False
            check_binary(self.source, chunk[:BINARY_SAMPLE])
            if not chunk[:BINARY_SAMPLE].isascii():
                self._detect_gb18030(chunk[:BINARY_SAMPLE])
        if b"\r" in chunk:
            # CR LF ends a line; a lone CR (a progress bar redrawing its line) ends one too, before
            # the line-length cap is applied. A CR LF split between two chunks is one line end.
            if self.after_cr and chunk.startswith(b"\n"):
                chunk = chunk[1:]
            self.after_cr = chunk.endswith(b"\r")
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        elif self.after_cr:
            if chunk.startswith(b"\n"):
                chunk = chunk[1:]
            self.after_cr = False
        if self.skipping:
            newline = chunk.find(b"\n")
            if newline < 0:
                self.skip_len += len(chunk)
                return
            self.skip_len += newline
            self._end_overlong()
            chunk = chunk[newline + 1:]
        last = chunk.rfind(b"\n")  # the carried partial line holds no newline
        if last < 0:
            buf = self.carry + chunk if self.carry else chunk
            if len(buf) > LINE_CAP:
                yield from self._start_overlong(buf)
            else:
                self.carry = buf
            return
        tail = chunk[last + 1:]
        if self.carry:  # one copy of the chunk, not two (carry + chunk, then cut at the newline)
            yield from self._block(b"".join((self.carry, memoryview(chunk)[:last + 1])))
        else:
            yield from self._block(chunk[:last + 1] if tail else chunk)
        if len(tail) > LINE_CAP:
            yield from self._start_overlong(tail)
        else:
            self.carry = tail

    def finish(self) -> Iterator[Block]:
        if self.skipping:
            self._end_overlong()
        elif self.carry:
            yield from self._block(self.carry + b"\n")
            self.carry = b""
        if self.nul:
            self.warn("nul-bytes", file=self.source, count=self.nul)

    def _clean_text(self, data: bytes) -> bytes:
        """A GB 18030 input (found by its first block) as UTF-8, and no-break spaces as the spaces
        the patterns write. Invalid UTF-8 is left as it is: both screens read bytes the same way,
        and the lines they pick are decoded (and checked) by the scanner."""
        if self.gb18030:
            try:
                data = data.decode("gb18030").encode("utf-8")
            except UnicodeDecodeError:
                data = data.decode("gb18030", "replace").encode("utf-8")
        # The one-byte tests (memchr) first: most text holds neither last byte, and the two- and
        # three-byte searches cost more than scanning the block with the prefilter.
        if (b"\xa0" in data and b"\xc2\xa0" in data) or (b"\xaf" in data and b"\xe2\x80\xaf" in data):
            data = data.replace(b"\xc2\xa0", b" ").replace(b"\xe2\x80\xaf", b" ")
        return data

    def _detect_gb18030(self, sample: bytes) -> None:
        """A log written in a GBK / GB 18030 locale: its start is no UTF-8 but valid GB 18030 Chinese."""
        try:
            sample.decode("utf-8")
            return
        except UnicodeDecodeError as error:
            if error.reason == "unexpected end of data" and error.end == len(sample):
                return  # a character cut by the sample's end
        cut = sample[: sample.rfind(b"\n") + 1] or sample
        if _as_gb18030(cut) is not None:
            self.gb18030 = True
            self.warn("gb18030", file=self.source)

    def check_utf8(self, data: bytes, lines_before: int, warn: Callable[..., None] | None = None) -> None:
        """Report the first invalid UTF-8 in `data` (which starts after `lines_before` lines), to
        `warn` (the searching thread's) or the cutter's own."""
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.reason == "unexpected end of data" and error.end == len(data) and not data.endswith(b"\n"):
                return  # a character cut by the sample's end, not an invalid one
            self.invalid_utf8 = True
            (warn or self.warn)("invalid-utf8", file=self.source, line=lines_before + data.count(b"\n", 0, error.start) + 1)

    def _start_overlong(self, buf: bytes) -> Iterator[Block]:
        self.carry = b""
        yield from self._block(buf[:LINE_CAP] + b"\n", cut=True)
        self.lines -= 1            # the line is not over yet; _end_overlong counts it
        self.skipping = True
        self.skip_len = len(buf)

    def _end_overlong(self) -> None:
        self.skipping = False
        self.lines += 1
        self.warn("long-line", file=self.source, line=self.lines, length=self.skip_len, cap=LINE_CAP)

    def _block(self, data: bytes, cut: bool = False) -> Iterator[Block]:
        if b"\x1b" in data:
            import re

            data = re.sub(_ANSI, b"", data)
        if b"\x00" in data:
            self.nul += data.count(b"\x00")
            data = data.replace(b"\x00", b"")
        if not data.isascii():
            data = self._clean_text(data)
            # The start of an input is checked whole; after it, only the lines the screens pick.
            if not self.invalid_utf8 and self.lines == 0 and not self.gb18030:
                self.check_utf8(data[:BINARY_SAMPLE * 16], 0)
        if b"\\" in data and (b'\\"' in data or b"\\u" in data or b'\\n"' in data):
            data = unescape_json_lines(data)
        long_lines = [] if cut or len(data) <= LINE_CAP else find_long_lines(data)
        yield Block(data, self.lines, long_lines, cut)
        for start, end in long_lines:
            number = self.lines + data.count(b"\n", 0, start) + 1
            self.warn("long-line", file=self.source, line=number, length=end - start, cap=LINE_CAP)
        self.lines += data.count(b"\n")


def find_long_lines(block: bytes) -> list[tuple[int, int]]:
    """(start, end) of every line longer than LINE_CAP, found with a few C-level scans per chunk.

    A line of 2W bytes or more contains a whole window of W bytes, so newline-free windows of
    W = LINE_CAP/2 find every overlong line; windows that hold a newline cost one short find.
    """
    found, width, i, end = [], LINE_CAP // 2, 0, len(block)
    while i + width <= end:
        if block.find(b"\n", i, i + width) >= 0:
            i += width
            continue
        start = block.rfind(b"\n", 0, i) + 1
        stop = block.find(b"\n", i, end)
        stop = end if stop < 0 else stop
        if stop - start > LINE_CAP:
            found.append((start, stop))
        i = stop + 1
    return found


def check_binary(source: str, sample: bytes) -> None:
    """Raise InputError for UTF-16 or binary content in the first bytes of an input."""
    if not sample:
        return
    wide = _wide_encoding(sample)
    if wide:
        code = "utf32" if wide.startswith("UTF-32") else "utf16"
        raise InputError(source, code, f"the input is {wide} text, not UTF-8",
                         f"convert it first: iconv -f {wide} -t UTF-8 FILE | kb-match")
    # A log truncated in place (logrotate copytruncate) starts with a hole of NUL bytes: the NULs
    # are removed anyway, so judge the text that follows them.
    sample = sample.lstrip(b"\x00")
    if not sample:
        return
    control = len(sample) - len(sample.translate(None, _CONTROL))
    if control / len(sample) > BINARY_CONTROL_RATIO:
        percent = round(100 * control / len(sample))
        raise InputError(source, "binary", f"this is a binary file ({percent}% control bytes in its first "
                         f"{len(sample) // 1024 or 1} KiB), not a text log",
                         "give kb-match the text output of the failing command, e.g. cmd 2>&1 | kb-match")


_HAN = "[\u4e00-\u9fff]"  # compiled on first use (re's cache): most inputs never need it


def _as_gb18030(data: bytes) -> bytes | None:
    """The block as UTF-8 when it is valid GB 18030 (a superset of GBK) holding Chinese text."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    import re

    return text.encode("utf-8") if re.search(_HAN, text) else None


def _wide_encoding(sample: bytes) -> str:
    """UTF-16 or UTF-32 recognised by a byte-order mark, or without one by where its NUL bytes
    fall in mostly-ASCII text (every other byte, or three bytes in four); "" for anything else."""
    if sample.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if sample.startswith(b"\xff\xfe"):
        return "UTF-16LE"
    if sample.startswith(b"\xfe\xff"):
        return "UTF-16BE"
    head = sample[:4096]
    if len(head) < 16 or head.count(0) < len(head) // 3:
        return ""
    quarter = len(head) // 4 * 4
    lanes = [head[i:quarter:4].count(0) / (quarter // 4) for i in range(4)]
    if sum(lane > 0.9 for lane in lanes) == 3:
        return "UTF-32LE" if lanes[0] < 0.9 else "UTF-32BE"
    even, odd = head[0::2].count(0) / len(head[0::2]), head[1::2].count(0) / len(head[1::2])
    if odd > 0.9 and even < 0.1:
        return "UTF-16LE"
    if even > 0.9 and odd < 0.1:
        return "UTF-16BE"
    return ""


# A JSON string's \n counts only where the string ends a JSON value (`..\n"}`, `..\n",`): a plain
# line may quote a written map (`writing "0 0 4294967295\n" to /proc/33/uid_map`).
_JSON_ESCAPED_LINE = rb'[^\n]*\\(?:"|u[0-9a-fA-F]{4}|n"(?=[ \t]*(?:[,}\]]|\n|$)))[^\n]*'
_JSON_ESCAPE = rb'\\(?:u([0-9a-fA-F]{4})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?|(["\\/bfnrt]))'
_NESTING = 4
_SIMPLE = {b'"': b'"', b"\\": b"\\", b"/": b"/", b"b": b"", b"f": b"", b"n": b"\n", b"r": b"", b"t": b"\t"}


def unescape_json_lines(data: bytes) -> bytes:
    """Lines that hold JSON-escaped text (`docker logs` JSON, CI APIs) read as the program wrote
    them: \\" becomes ", \\uXXXX the character, \\n a line break. Other lines are left alone."""
    import re

    def one(match: re.Match[bytes]) -> bytes:
        if match.group(3) is not None:
            return _SIMPLE[match.group(3)]
        high = int(match.group(1), 16)
        if match.group(2) is not None and 0xD800 <= high <= 0xDBFF:
            code = 0x10000 + ((high - 0xD800) << 10) + (int(match.group(2), 16) - 0xDC00)
            return chr(code).encode("utf-8")
        if 0xD800 <= high <= 0xDFFF:
            return "\ufffd".encode("utf-8")
        return chr(high).encode("utf-8")

    def line(match: re.Match[bytes]) -> bytes:
        text = match.group(0)
        # Go's %q escapes once more for each error it wraps (runc's `caused \"...\\\"proc\\\"...\"`):
        # unescape until no escaped quote is left, a few levels at most.
        for _ in range(_NESTING):
            text = re.sub(_JSON_ESCAPE, one, text)
            if b'\\"' not in text:
                break
        return text

    return re.sub(_JSON_ESCAPED_LINE, line, data)
