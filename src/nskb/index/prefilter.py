"""What the matcher's prefilter needs from each symptom pattern, worked out when the index is built.

`longest_literal` is the text every match of a pattern must contain (a small input is screened for
it line by line); `prefilter_form` is the pattern as the combined alternation scans whole chunks
with it, and whether that scan must be multi-line.
"""
from __future__ import annotations

import re
from re import _parser as sre_parse  # type: ignore[attr-defined]  # Python's regex parser (3.11+), untyped

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# RE2 syntax Python's parser reads differently: no literal rather than a wrong one.
_FOREIGN_SYNTAX = ("[[:", "\\p", "\\P", "\\C", "\\Q", "\\z")
_LINE_ANCHORS = ("AT_BEGINNING", "AT_END", "AT_BEGINNING_STRING", "AT_END_STRING")


def longest_literal(pattern: str) -> str:
    """The longest run of literal text every match of `pattern` contains ('' when none is sure).

    Parsed with Python's regex parser, which reads the RE2 subset our patterns use; anything it
    cannot read, or case-insensitive matching, gives '' (the pattern is then never prefiltered).
    """
    if any(syntax in pattern for syntax in _FOREIGN_SYNTAX):
        return ""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - any parse failure just means "no literal"
        return ""
    if parsed.state.flags & re.IGNORECASE:
        return ""
    best, run = "", list[str]()

    def flush() -> None:
        nonlocal best, run
        text = "".join(run)
        if len(text.encode()) > len(best.encode()):
            best = text
        run = []

    def walk(items: Any) -> None:
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                run.append(chr(arg))
            elif name == "AT":
                continue  # anchors consume nothing
            elif name == "SUBPATTERN" and not arg[1] and not any(str(o) == "BRANCH" for o, _ in arg[3]):
                walk(arg[3])
            else:
                flush()

    walk(parsed)
    flush()
    return str(best)


def verified_literal(pattern: str, compiled: Any, examples: list[Any]) -> str:
    """The pattern's literal, kept only if every example line the pattern matches contains it."""
    literal = longest_literal(pattern)
    for line in examples:
        if isinstance(line, str) and compiled.search(line) and literal not in line:
            return ""
    return literal


def prefilter_form(pattern: str) -> tuple[str, bool]:
    """The pattern as the combined prefilter scans whole chunks with it, and whether it needs (?m).

    The pattern is kept whole (anchors too, so `^Description:` does not wake up on every
    "Description:" in the middle of a line); a pattern with `^` or `$` makes the combined scan
    multi-line, so that they keep meaning the start and end of a line.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - unreadable here: assume anchors
        return pattern, True

    def has_anchor(items: Any) -> bool:
        for op, arg in items:
            name = str(op)
            if name == "AT" and str(arg) in _LINE_ANCHORS:
                return True
            if name == "SUBPATTERN" and has_anchor(arg[3]):
                return True
            if name == "BRANCH" and any(has_anchor(branch) for branch in arg[1]):
                return True
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and has_anchor(arg[2]):
                return True
        return False

    return pattern, has_anchor(parsed)


def unanchored_form(pattern: str) -> str:
    """The pattern as the prefilter scans with it: without its line anchors (`^`, `$` outside
    character classes), so that a line behind a timestamp or a CI prefix is still a candidate (the
    exact check then runs the anchored pattern on the line with its decoration taken off); and
    line-bounded (see `line_bounded`)."""
    return _rewrite(pattern, drop_anchors=True)


def line_bounded(pattern: str) -> str:
    """The pattern made unable to match a line break, so that a prefilter hit never runs from one
    line into the next (the block-wide scan and the line-by-line screen then pick the same lines):
    \\s, \\D and \\W lose the newline, and so does every negated character class."""
    return _rewrite(pattern, drop_anchors=False)


def _rewrite(pattern: str, drop_anchors: bool) -> str:
    """One pass over the pattern's text, inside and outside character classes."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            pair = pattern[i:i + 2]
            if pair == "\\s":
                out.append(" \\t\\r\\f\\v" if in_class else "[ \\t\\r\\f\\v]")
            elif pair in ("\\D", "\\W") and not in_class:
                out.append("[^0-9\\n]" if pair == "\\D" else "[^0-9A-Za-z_\\n]")
            else:
                out.append(pair)
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
            out.append(ch)
        elif ch == "[":
            in_class = True
            out.append(ch)
            negated = pattern[i + 1:i + 2] == "^"
            if negated:
                out.append("^")
                i += 1
            if pattern[i + 1:i + 2] == "]":  # a ] first in the class is literal
                out.append("]")
                i += 1
            if negated:
                out.append("\\n")
        elif not (drop_anchors and ch in "^$"):
            out.append(ch)
        i += 1
    return "".join(out)
