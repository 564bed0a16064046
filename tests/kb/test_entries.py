"""Per-entry checks: each symptom against its own examples, each cause condition against facts.

Symptoms: every `examples.match` line matches one of the symptom's patterns (errno placeholders
expanded as the matcher does), and no `examples.no_match` line does.

Causes: for every `confirms` / `rules_out` condition, a facts dict built from documented values
(kb/facts.yaml) that satisfies it makes the matcher's `condition_holds` return True, and changing one
tested fact to another documented value makes it return False. Conditions that name an `unknown:*`
value (`unknown:absent`: the sysctl patch or the file does not exist) are checked separately: such a
value is a real state when the condition names it, and unreadable otherwise.
"""
from __future__ import annotations

import re

import pytest

from nskb.diagnose.conditions import condition_holds
from nskb.kb.patterns import compile_re2

from .conftest import kb_and_patterns, matches

KB, COMPILED = kb_and_patterns()

# Values for free-form facts that kb/facts.yaml describes but does not enumerate ("e.g. ..."), so that
# every `matches:` test in a cause can be both met and missed with a realistic value.
EXTRA_VALUES = {
    "kernel.release": ["4.4.0-19041-Microsoft", "3.10.0-1160.el7.x86_64", "6.8.0-45-generic"],
    "bwrap.path": ["/usr/bin/bwrap", "/nix/store/3x1k5rw2q1lm4xnb0d7f9x8v5l4c5w4b-bubblewrap-0.11.0/bin/bwrap",
                   "/home/alice/.local/bin/bwrap", "unknown:absent"],
    "bwrap.version": ["0.12.0", "0.11.2", "0.11.1", "0.8.0"],
    "bwrap.caps": ["none", "cap_sys_admin,cap_net_admin,cap_sys_chroot,cap_setuid,cap_setgid=ep"],
    "systemd.unit": ["none", "nix-daemon.service", "session-3.scope"],
    "apparmor.profile": ["unconfined", "docker-default", "cri-containerd.apparmor.d", "unprivileged_userns"],
    "os.version_id": ["22.04", "23.04", "23.10", "7"],
}
INTEGERS = ["0", "1", "1000", "15000", "2147483647"]


def documented_values(key: str) -> list[str]:
    """Values of a fact the KB documents: its `values`, the examples in `format`, and EXTRA_VALUES."""
    fact = next((f for f in KB.facts if f.get("key") == key), None)
    assert fact is not None, f"fact key {key!r} is not in kb/facts.yaml"
    values = [v["value"] for v in fact.get("values") or []]
    fmt = fact.get("format") or ""
    if fmt.startswith("integer"):
        values += INTEGERS
    example = re.search(r"e\.g\. ([^;()]+)", fmt)
    if example:
        values += [v.strip() for v in example.group(1).split(",") if v.strip()]
    values += EXTRA_VALUES.get(key, [])
    return list(dict.fromkeys(values))


def _tests_of(condition: dict) -> list[dict]:
    return condition["all"] if isinstance(condition.get("all"), list) else [condition]


def satisfying_values(test: dict) -> list[str]:
    """Every documented value that meets one test (for `in`: each listed value)."""
    if "equals" in test:
        return [test["equals"]]
    if "in" in test:
        return list(test["in"])
    pattern = compile_re2(test["matches"])
    found = [v for v in documented_values(test["fact"]) if pattern.search(v)]
    assert found, f"no documented value of {test['fact']} matches {test['matches']!r}; add one to EXTRA_VALUES"
    return found


def violating_value(test: dict) -> str:
    """A documented value of the same fact that does not meet the test: a readable one when there is
    one, else `unknown:absent` (for `bwrap.path matches ^/`, every readable value is a path)."""
    for value in documented_values(test["fact"]):
        if value.startswith("unknown:"):
            continue
        if "equals" in test and value != test["equals"]:
            return value
        if "in" in test and value not in test["in"]:
            return value
        if "matches" in test and compile_re2(test["matches"]).search(value) is None:
            return value
    if "unknown:absent" in documented_values(test["fact"]) and "unknown:absent" not in _accepted(test):
        return "unknown:absent"
    raise AssertionError(f"no documented value of {test['fact']} violates {test}")


def _accepted(test: dict) -> list:
    return [test["equals"]] if "equals" in test else list(test.get("in", []))


def _readable(values: list[str]) -> list[str]:
    return [v for v in values if not str(v).startswith("unknown:")]


def _names_unknown(condition: dict) -> bool:
    return any(str(v).startswith("unknown:") for t in _tests_of(condition) for v in _accepted(t))


def _conditions(only_unknown: bool = False):
    cases = []
    for cid, entry in sorted(KB.causes.items()):
        for group in ("confirms", "rules_out"):
            for index, condition in enumerate(entry.data.get(group) or []):
                if only_unknown and not _names_unknown(condition):
                    continue
                cases.append(pytest.param(cid, group, index, condition, id=f"{cid}/{group}/{index}"))
    return cases


@pytest.mark.parametrize("sid", sorted(KB.symptoms))
def test_symptom_examples(sid):
    examples = KB.symptoms[sid].data.get("examples") or {}
    patterns = COMPILED[sid]
    missed = [line for line in examples.get("match") or [] if not matches(patterns, line)]
    wrong = [line for line in examples.get("no_match") or [] if matches(patterns, line)]
    assert not missed, f"{sid}: examples.match lines its patterns do not match: {missed}"
    assert not wrong, f"{sid}: examples.no_match lines its patterns match: {wrong}"


@pytest.mark.parametrize("cid, group, index, condition", _conditions())
def test_cause_condition(cid, group, index, condition):
    tests = _tests_of(condition)
    accepted = {id(t): _readable(satisfying_values(t)) for t in tests}
    base = {t["fact"]: accepted[id(t)][0] for t in tests if accepted[id(t)]}
    if len(base) == len(tests):
        # Each readable value a test accepts makes the whole condition hold.
        for test in tests:
            for value in accepted[id(test)]:
                facts = {**base, test["fact"]: value}
                holds, keys = condition_holds(condition, facts)
                assert holds is True, f"{cid} {group}[{index}] does not hold on {facts}"
                assert set(keys) == {t["fact"] for t in tests}
    # Changing any one tested fact to another documented value makes it fail: False for a readable
    # value; for unknown:absent the matcher answers None (undecided), which does not hold either.
    for test in tests:
        value = violating_value(test)
        facts = {**base, test["fact"]: value}
        holds, _keys = condition_holds(condition, facts)
        if value.startswith("unknown:"):
            assert holds is not True, f"{cid} {group}[{index}] still holds on {facts}"
        else:
            assert holds is False, f"{cid} {group}[{index}] still holds (or is undecided) on {facts}"


@pytest.mark.parametrize("cid, group, index, condition", _conditions(only_unknown=True))
def test_cause_condition_on_unknown_value(cid, group, index, condition):
    tests = _tests_of(condition)
    for test in tests:
        for value in [v for v in _accepted(test) if str(v).startswith("unknown:")]:
            facts = {t["fact"]: (_readable(satisfying_values(t)) or satisfying_values(t))[0] for t in tests}
            facts[test["fact"]] = value
            holds, _keys = condition_holds(condition, facts)
            assert holds is True, f"{cid} {group}[{index}] does not hold on {facts}"
