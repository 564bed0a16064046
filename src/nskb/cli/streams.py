"""Standard streams that may be closed (`>&-`, `2>&-`, `<&-`), full (`>/dev/full`) or a pipe
whose reader left. The CLI modules write only through these, so that none of those cases ends in
a traceback, an "Exception ignored" at exit, or the wrong exit status.
"""
from __future__ import annotations

import sys

# C0 controls except tab and newline, DEL, C1 controls: what a terminal would act on. A translate
# table, not a regex: `re` is not imported on kb-match's start-up path.
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0))}


def printable(text: str) -> str:
    """`text` with terminal controls shown as \\x1b and the like (file names may hold them)."""
    return text.translate(_CONTROL)


def say(prog: str, message: str) -> None:
    """One line on stderr, `prog: message`; nothing (and no error) when stderr is closed or broken."""
    line = f"{prog}: {printable(' '.join(message.split(chr(10))))}\n"
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.buffer.write(line.encode("utf-8", "replace"))
        stream.flush()
    except (OSError, ValueError, AttributeError):
        pass


def write_out(prog: str, text: str) -> bool:
    """Write `text` to stdout and flush. False, after saying why on stderr, when it cannot be written.

    A reader that went away (`| head`) is not an error: True, and stdout is dropped so that the
    flush at exit stays quiet.
    """
    stream = sys.stdout
    if stream is None:
        say(prog, "standard output is closed; redirect it to a file or a pipe")
        return False
    # The terminal's encoding: GBK in a zh_CN.GBK locale, UTF-8 almost everywhere else.
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        data = text.encode(encoding, "replace")
    except LookupError:
        data = text.encode("utf-8", "replace")
    try:
        stream.buffer.write(data)
        stream.flush()
        return True
    except BrokenPipeError:
        sys.stdout = None  # nothing more to write, and nothing to flush at exit
        return True
    except (OSError, ValueError) as error:
        sys.stdout = None
        reason = getattr(error, "strerror", None) or str(error)
        say(prog, f"cannot write the output ({reason}); check the disk or the redirection")
        return False


def read_stdin_bytes(limit: int) -> bytes | None:
    """Up to `limit` bytes of stdin, or None when stdin is closed."""
    if sys.stdin is None:
        return None
    try:
        return sys.stdin.buffer.read(limit)
    except (OSError, ValueError):
        return None
