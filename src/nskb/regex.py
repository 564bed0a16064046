"""RE2, the only regular-expression engine that runs a KB pattern: linear time, bounded memory.

One home for how every layer builds its options, so no pattern can log to stderr or grow without
limit.
"""
from __future__ import annotations

import re2


def re2_options(max_mem: int = 8 << 20, case_insensitive: bool = False) -> re2.Options:
    options = re2.Options()
    options.log_errors = False
    options.max_mem = max_mem
    options.case_sensitive = not case_insensitive
    return options


def compile_re2(pattern: str, max_mem: int = 8 << 20, case_insensitive: bool = False):
    """Compile with RE2 or raise re2.error (the caller decides what a refused pattern means)."""
    return re2.compile(pattern, re2_options(max_mem, case_insensitive))
