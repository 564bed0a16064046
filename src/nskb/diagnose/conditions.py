"""Facts and the conditions causes state on them (`confirms`, `rules_out`). Pure.

Facts come from the probe and from pasted lines a symptom turns into a fact (`sets_fact`); a
condition is `{fact, equals|in|matches}` or `{all: [...]}`, and a value that could not be read
(`unknown:...`) neither confirms nor rules out anything, unless the condition names that exact
value: `unknown:absent` for a sysctl file is a real state (the kernel has no such switch).
"""
from __future__ import annotations

import re2

_compiled: dict[str, object] = {}


def merge_facts(probe: dict[str, str], line_facts: list[dict]) -> tuple[dict, dict, list[dict]]:
    """Probe facts plus facts read from pasted lines. The probe wins; disagreements are warned.

    Returns (facts, where each fact came from, warnings).
    """
    facts = dict(probe)
    sources = {key: {"source": "probe"} for key in probe}
    warnings = []
    for item in line_facts:
        key, value = item["key"], item["value"]
        place = {"source": "line", "file": item["file"], "line": item["line"]}
        if key in probe:
            if probe[key] != value:
                warnings.append({"code": "fact-conflict", "key": key, "probe": probe[key], "value": value,
                                 "file": item["file"], "line": item["line"]})
            continue
        if key in facts and facts[key] != value:
            warnings.append({"code": "fact-conflict-lines", "key": key, "value": value, "earlier": facts[key],
                             "file": item["file"], "line": item["line"]})
        facts[key] = value                 # the later line wins: it shows the later state
        sources[key] = place
    return facts, sources, warnings


def _matches(pattern: str, value: str) -> bool | None:
    if pattern not in _compiled:
        options = re2.Options()
        options.log_errors = False
        options.max_mem = 1 << 20
        try:
            _compiled[pattern] = re2.compile(pattern, options)
        except re2.error:
            _compiled[pattern] = None
    compiled = _compiled[pattern]
    return None if compiled is None else compiled.search(value) is not None


def _test_holds(test: dict, facts: dict) -> bool | None:
    """True / False, or None when the fact is missing or could not be read."""
    value = facts.get(test.get("fact"))
    if value is None:
        return None
    if value.startswith("unknown:"):
        named = [test["equals"]] if "equals" in test else test.get("in") or []
        return True if value in named else None
    if "equals" in test:
        return value == test["equals"]
    if "in" in test:
        return value in test["in"]
    if "matches" in test:
        return _matches(test["matches"], value)
    return None


def condition_holds(condition: dict, facts: dict) -> tuple[bool | None, list[str]]:
    """Evaluate one `confirms`/`rules_out` condition; also return the fact keys it reads."""
    tests = condition["all"] if isinstance(condition.get("all"), list) else [condition]
    results = [_test_holds(t, facts) for t in tests if isinstance(t, dict)]
    keys = [t.get("fact") for t in tests if isinstance(t, dict)]
    if not results:
        return None, keys
    if any(r is False for r in results):
        return False, keys
    if all(r is True for r in results):
        return True, keys
    return None, keys


def holding(conditions: list, facts: dict) -> tuple[list[str], int]:
    """Fact keys of the conditions that hold, and the number of tests in the largest of them."""
    keys: list[str] = []
    tests = 0
    for condition in conditions:
        holds, read = condition_holds(condition, facts)
        if holds:
            keys.extend(k for k in read if k not in keys)
            tests = max(tests, len(read))
    return keys, tests


def condition_keys(cause: dict) -> list[str]:
    """Every fact key a cause's `confirms` and `rules_out` conditions read, in order."""
    keys: list[str] = []
    for condition in cause.get("confirms", []) + cause.get("rules_out", []):
        for key in condition_holds(condition, {})[1]:
            if key and key not in keys:
                keys.append(key)
    return keys
