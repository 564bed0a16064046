"""The conditions causes state on facts (`confirms`, `rules_out`, and an evidence rule's `facts`). Pure.

A condition is `{fact, equals|in|matches}` or `{all: [...]}`. A value that could not be read
(`unknown:...`) neither confirms nor rules out anything, unless the condition names that exact
value: `unknown:absent` for a sysctl file is a real state (the kernel has no such switch), while
`unknown:no-proc` (the probe could not look) is never named and so always stays unknown.
"""
from __future__ import annotations

from nskb.regex import PatternError, compile_re2, re2_options

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on the start-up path
if TYPE_CHECKING:
    from typing import Any

_compiled: dict[str, Any] = {}


def matches(pattern: str, value: str) -> bool | None:
    """RE2 search of `pattern` in `value`; None when RE2 refuses the pattern (kb-lint reports it)."""
    if pattern not in _compiled:
        try:
            _compiled[pattern] = compile_re2(pattern, re2_options(1 << 20))
        except PatternError:
            _compiled[pattern] = None
    compiled = _compiled[pattern]
    return None if compiled is None else compiled.search(value) is not None


def tests_of(condition: dict[str, Any]) -> list[dict[str, Any]]:
    """The tests of one condition: its `all:` list, or the condition itself."""
    tests = condition["all"] if isinstance(condition.get("all"), list) else [condition]
    return [t for t in tests if isinstance(t, dict)]


def _test_holds(test: dict[str, Any], facts: dict[str, str]) -> bool | None:
    """True / False, or None when the fact is missing or could not be read."""
    value = facts.get(test.get("fact", ""))
    if value is None:
        return None
    if value.startswith("unknown:"):
        named = [test["equals"]] if "equals" in test else test.get("in") or []
        return True if value in named else None
    if "equals" in test:
        return bool(value == test["equals"])
    if "in" in test:
        return value in test["in"]
    if "matches" in test:
        return matches(test["matches"], value)
    return None


def condition_holds(condition: dict[str, Any], facts: dict[str, str]) -> tuple[bool | None, list[str]]:
    """Evaluate one condition; also return the fact keys it reads."""
    tests = tests_of(condition)
    results = [_test_holds(t, facts) for t in tests]
    keys = [t.get("fact", "") for t in tests]
    if not results:
        return None, keys
    if any(r is False for r in results):
        return False, keys
    if all(r is True for r in results):
        return True, keys
    return None, keys


def holding(conditions: list[dict[str, Any]], facts: dict[str, str]) -> tuple[list[str], int]:
    """Fact keys of the conditions that hold, and the number of tests in the largest of them."""
    keys: list[str] = []
    tests = 0
    for condition in conditions:
        holds, read = condition_holds(condition, facts)
        if holds:
            keys.extend(k for k in read if k not in keys)
            tests = max(tests, len(read))
    return keys, tests


def condition_keys(cause: dict[str, Any]) -> list[str]:
    """Every fact key a cause's `confirms` and `rules_out` conditions read, in order."""
    keys: list[str] = []
    for condition in cause.get("confirms", []) + cause.get("rules_out", []):
        for test in tests_of(condition):
            key = test.get("fact")
            if key and key not in keys:
                keys.append(key)
    return keys
