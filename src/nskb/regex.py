"""google-re2 set up once: the options every compiled pattern uses, and RE2's errors as one type.

RE2 runs in linear time, so no pattern from the KB, a condition or a log can hang kb-match. Its
default is to log parse errors to stderr; every caller here wants them as exceptions only.
"""
from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time: kb-match's start-up budget
if TYPE_CHECKING:
    from typing import Any


class PatternError(ValueError):
    """A pattern RE2 refuses; the message is RE2's own."""


def re2_options(max_mem: int | None = None, case_insensitive: bool = False) -> Any:
    """re2.Options with logging off and, if given, a memory budget in bytes for the compiled program."""
    import re2  # here, so that importing this module costs nothing until a pattern is compiled

    options = re2.Options()
    options.log_errors = False
    if max_mem is not None:
        options.max_mem = max_mem
    if case_insensitive:
        options.case_sensitive = False
    return options


_default_options: Any = None
SET_MAX_MEM = 64 << 20  # a set's automaton; RE2 answers "no match" when it runs out, so be generous


def compile_set(patterns: list[str]) -> Any:
    """An unanchored re2.Set of `patterns`: Match(text) gives the indices of those that match."""
    import re2

    words = re2.Set.SearchSet(re2_options(SET_MAX_MEM))
    try:
        for pattern in patterns:
            words.Add(pattern)
        words.Compile()
    except re2.error as error:
        raise PatternError(str(error)) from None
    return words


def compile_re2(pattern: str, options: Any = None) -> Any:
    """Compile with google-re2; a pattern RE2 refuses raises PatternError with RE2's message."""
    global _default_options
    import re2

    if options is None:
        if _default_options is None:
            _default_options = re2_options()
        options = _default_options
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        detail = error.args[0] if error.args else error
        raise PatternError(detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)) from None
