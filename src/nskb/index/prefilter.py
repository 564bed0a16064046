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


# --- required atoms: what the small-input screen looks for before it compiles a pattern ---------

MAX_ATOMS = 32      # alternatives kept for one pattern; beyond that the pattern is not screened
MAX_CLASS = 8       # a character class of at most this many characters counts as a set of literals
SELECTIVE = 6       # bytes after which a longer atom is not worth more searches


def required_atoms(pattern: str) -> list[str]:
    """Strings one of which every match of `pattern` contains, ASCII-lower-cased; [] when none is sure.

    The screen compares them with the ASCII-lower-cased line (bytes.lower()), so case-insensitive
    parts need no care beyond this: RE2's case folding maps an ASCII letter to a non-ASCII character
    only for k (U+212A KELVIN SIGN) and s (U+017F LONG S), which the screen maps back before it
    looks (diagnose.extract.screen_text). A case-insensitive part with a non-ASCII cased letter, RE2-only syntax,
    or anything Python's parser reads otherwise gives no atoms: the pattern is then always compiled.
    """
    if any(syntax in pattern for syntax in _FOREIGN_SYNTAX) or "{," in pattern:
        return []
    parsed = _parse_with_inline_flags(pattern)
    if parsed is None:
        return []
    exact, atoms = _sequence(list(parsed), bool(parsed.state.flags & re.IGNORECASE))
    found = _better(exact, atoms)
    return sorted(found) if found else []


def _parse_with_inline_flags(pattern: str) -> Any:
    """Python's parse of the pattern; RE2's `A|(?i)B|C` (a flag for the rest of the top level) read
    as `A|(?i:B|C)`, which is what it means. None when Python cannot read it."""
    try:
        return sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - rewritten below, or no atoms
        pass
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 2 if pattern[i + 1:i + 2] == "]" or pattern[i + 1:i + 3] == "^]" else 1
            continue
        elif pattern.startswith("(?i)", i) and depth == 0 and i > 0:
            try:
                return sre_parse.parse(pattern[:i] + "(?i:" + pattern[i + 4:] + ")")
            except Exception:  # noqa: BLE001
                return None
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        i += 1
    return None


def _ascii_lower(text: str) -> str:
    return "".join(ch.lower() if ch.isascii() else ch for ch in text)


def _better(first: set[str] | None, second: set[str] | None) -> set[str] | None:
    """The cheaper of two atom sets to screen with: each atom costs a search, and beyond
    SELECTIVE bytes a longer atom rules out hardly more lines; so the longer shortest atom up to
    that length, then the fewer atoms, then the longer."""
    usable = [_minimal(s) for s in (first, second) if s and "" not in s and len(s) <= MAX_ATOMS]
    if not usable:
        return None
    return max(usable, key=lambda s: (min(SELECTIVE, *(len(a.encode()) for a in s)), -len(s), min(len(a) for a in s)))


def _minimal(atoms: set[str]) -> set[str]:
    """Without the atoms that contain another one (a line holding the longer holds the shorter)."""
    return {a for a in atoms if not any(b != a and b in a for b in atoms)}


def _product(left: set[str], right: set[str]) -> set[str] | None:
    if len(left) * len(right) > MAX_ATOMS:
        return None
    return {a + b for a in left for b in right}


def _sequence(items: list[Any], icase: bool) -> tuple[set[str] | None, set[str] | None]:
    """(the exact strings the sequence matches, or None; atoms one of which each match contains)."""
    run: set[str] | None = {""}
    whole = True          # the sequence so far is all in `run`
    best: set[str] | None = None
    for item in items:
        exact, atoms = _node(item, icase)
        best = _better(best, run)  # the run so far may screen better than the run made longer
        joined = _product(run, exact) if run is not None and exact is not None else None
        if joined is not None:
            run = joined
            continue
        whole = False
        best = _better(best, run)
        best = _better(best, atoms)
        run = exact if exact is not None and len(exact) <= MAX_ATOMS else {""}
    best = _better(best, run)
    return (run if whole else None), best


def _node(item: Any, icase: bool) -> tuple[set[str] | None, set[str] | None]:
    op, arg = item
    name = str(op)
    if name == "LITERAL":
        return _char(chr(arg), icase), None
    if name == "AT":
        return {""}, None  # anchors and \b consume nothing
    if name == "IN":
        return _class(arg, icase), None
    if name == "SUBPATTERN":
        _group, add_flags, del_flags, body = arg
        inner = (icase or bool(add_flags & re.IGNORECASE)) and not (del_flags & re.IGNORECASE)
        return _sequence(list(body), inner)
    if name == "BRANCH":
        results = [_sequence(list(branch), icase) for branch in arg[1]]
        exact: set[str] | None = set()
        atoms: set[str] | None = set()
        for branch_exact, branch_atoms in results:
            exact = exact | branch_exact if exact is not None and branch_exact is not None else None
            chosen = _better(branch_exact, branch_atoms)
            atoms = atoms | chosen if atoms is not None and chosen is not None else None
        if exact is not None and len(exact) > MAX_ATOMS:
            exact = None
        return exact, atoms
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, body = arg
        exact, atoms = _sequence(list(body), icase)
        if low == 0:
            return ({""} | exact if high == 1 and exact is not None else None), None
        if low == high == 1:
            return exact, atoms
        return None, _better(exact, atoms)  # at least one repetition: it holds what one holds
    return None, None  # ANY, NOT_LITERAL, CATEGORY, group references, ...


def _char(ch: str, icase: bool) -> set[str] | None:
    if icase and not ch.isascii() and (ch.lower() != ch or ch.upper() != ch):
        return None  # folded by RE2 in ways bytes.lower() does not follow
    return {_ascii_lower(ch)}


def _class(items: Any, icase: bool) -> set[str] | None:
    """A small set of literal characters ([ug], [ _]) as exact one-character strings, else None."""
    chars: set[str] = set()
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            chars.add(chr(arg))
        elif name == "RANGE" and arg[1] - arg[0] < MAX_CLASS:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        else:
            return None  # NEGATE, CATEGORY (\d, \s, \w), a wide range
    folded: set[str] = set()
    for ch in chars:
        one = _char(ch, icase)
        if one is None:
            return None
        folded |= one
    return folded if len(folded) <= MAX_CLASS else None
