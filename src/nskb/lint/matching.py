"""Layer three: symptom patterns and their proof (examples, near misses, known-good logs).

Only RE2 (linear time) ever runs a KB pattern on text. Python's `re` backtracks: `(a+)+$` on a
long near miss never ends, so it only parses patterns here (syntax and group count), never
searches with them.
"""
from __future__ import annotations

import re
from typing import Any

from nskb.kb.model import KB, Entry, Problem, as_list
from nskb.kb.patterns import PatternError, PatternSet, compile_re2, errno_texts, expand_pattern, placeholders


class Compiled:
    """A symptom's patterns compiled with RE2, and what Python's re parser says about each."""

    def __init__(self, entry: Entry):
        self.entry = entry
        self.re2: list[Any] = []                  # the RE2 programs kb-match runs
        self.py: list[tuple[tuple[Any, ...], re.Pattern[str]]] = []  # Python's reading of the same, for KB102
        self.sources: list[str] = []

    def matches(self, line: str) -> bool:
        return any(p.search(line) for p in self.re2)


RE2_REFUSES = ("KB101", "RE2 cannot compile the pattern: {error}", "RE2 has no look-around and no backreferences; rewrite without them")
MATCHES_EMPTY = ("KB109", "the pattern matches an empty line")


def compiled_or_problem(pattern: str) -> tuple[Any, tuple[str, str, str] | None]:
    """RE2's program for a KB pattern and None, or None and the problem (code, message, hint) RE2 gave."""
    try:
        return compile_re2(pattern), None
    except PatternError as error:
        code, message, hint = RE2_REFUSES
        return None, (code, message.format(error=error), hint)


def _problem(entry, display, path, code, message, hint):
    line, col = entry.position(path)
    return Problem(display, line, col, code, message, hint)


def compile_symptoms(kb: KB, shown) -> tuple[dict[str, Compiled], list[Problem]]:
    problems = []
    texts = errno_texts(kb.errno)
    compiled = {}
    for entry in kb.symptoms.values():
        item = Compiled(entry)
        patterns = entry.data.get("patterns")
        for index, pattern in enumerate(patterns if isinstance(patterns, list) else []):
            if not isinstance(pattern, str):
                continue
            path = ("patterns", index)
            unknown = [n for n in placeholders(pattern) if n not in texts]
            if unknown:
                problems.append(_problem(entry, shown(entry), path, "KB103", f"unknown errno placeholder {{{unknown[0]}}}",
                                         "add it to kb/errno.yaml or use one that exists there"))
                continue
            expanded = expand_pattern(pattern, texts)
            fast, refused = compiled_or_problem(expanded)
            if refused is not None:
                problems.append(_problem(entry, shown(entry), path, *refused))
                continue
            try:
                slow = re.compile(expanded)
            except re.error as error:
                problems.append(_problem(entry, shown(entry), path, "KB102", f"Python re cannot compile the pattern: {error}",
                                         "use syntax that RE2 and Python re read alike"))
                continue
            if fast.search(""):
                problems.append(_problem(entry, shown(entry), path, *MATCHES_EMPTY, "anchor it on the literal text of the message"))
                continue
            sets = entry.data.get("sets_fact")
            if isinstance(sets, dict) and sets.get("value") == "$1" and slow.groups < 1:
                problems.append(_problem(entry, shown(entry), path, "KB108", "sets_fact uses $1 but the pattern has no group",
                                         "capture the value with ( ), or give a literal value"))
            item.re2.append(fast)
            item.py.append((path, slow))
            item.sources.append(expanded)
        compiled[entry.id] = item
    return compiled, problems


# Escapes that RE2 reads as ASCII-only and Python's re as Unicode, and the characters of a line
# on which the two readings differ (\d matches "٣" in Python; \s a no-break space; \w and \b
# any letter).
_UNICODE_SENSITIVE = re.compile(r"\\([bBdDsSwW])")
_DIFFERS_ON = {
    "d": lambda c: c.isdecimal() and not c.isascii(),
    "s": lambda c: c.isspace() and (not c.isascii() or c in "\x0b\x1c\x1d\x1e\x1f"),
    "w": lambda c: (c.isalnum() or c == "_") and not c.isascii(),
}
_DIFFERS_ON["b"] = _DIFFERS_ON["w"]


def _same_meaning(item: Compiled, line: str, shown) -> list[Problem]:
    """KB102 when RE2 and Python re could read a pattern differently on this line.

    Decided from the pattern's text and the line's characters, without running Python's re.
    """
    if line.isascii() and not any(c in line for c in "\x0b\x1c\x1d\x1e\x1f"):
        return []
    for source, (path, _) in zip(item.sources, item.py, strict=True):
        for found in _UNICODE_SENSITIVE.finditer(source.replace("\\\\", "")):
            differs = _DIFFERS_ON[found.group(1).lower()]
            odd = next((c for c in line if differs(c)), None)
            if odd is not None:
                return [_problem(item.entry, shown(item.entry), path, "KB102",
                                 f"{found.group(0)} reads {odd!r} differently in RE2 (ASCII) and Python re "
                                 f"(Unicode), in {line[:80]!r}",
                                 "spell the characters out, e.g. [0-9] for \\d and [ \\t] for \\s")]
    return []


def pattern_set(compiled: dict[str, Compiled]) -> PatternSet:
    """Every symptom's patterns in one RE2 set, tagged with the symptom id."""
    return PatternSet([(source, symptom_id) for symptom_id, item in compiled.items() for source in item.sources])


def _strings(value) -> set[str]:
    return {item for item in as_list(value) if isinstance(item, str)}


def check_examples(compiled: dict[str, Compiled], everything: PatternSet, shown) -> list[Problem]:
    problems = []
    for item in compiled.values():
        entry = item.entry
        examples = entry.data.get("examples") if isinstance(entry.data.get("examples"), dict) else {}
        related = _strings(entry.data.get("related"))
        for index, line in enumerate(as_list(examples.get("match"))):
            if not isinstance(line, str):
                continue
            path = ("examples", "match", index)
            problems += _same_meaning(item, line, shown)
            if item.re2 and not item.matches(line):
                problems.append(_problem(entry, shown(entry), path, "KB104", "this example does not match any pattern",
                                         "fix the pattern, or the example if it is not the real message"))
            for other_id in sorted(everything.tags(line) - {entry.id} - related):
                if entry.id in _strings(compiled[other_id].entry.data.get("related")):
                    continue
                problems.append(_problem(entry, shown(entry), path, "KB106",
                                         f"this example also matches the symptom '{other_id}'",
                                         "make one pattern narrower, or list each other in related:"))
        for index, line in enumerate(as_list(examples.get("no_match"))):
            if not isinstance(line, str):
                continue
            problems += _same_meaning(item, line, shown)
            if item.matches(line):
                problems.append(_problem(entry, shown(entry), ("examples", "no_match", index), "KB105",
                                         "this near miss matches a pattern", "make the pattern narrower"))
    return problems


def check_good_logs(kb: KB, everything: PatternSet, shown_path) -> list[Problem]:
    """No symptom may match any line of a known-good log."""
    problems = []
    for path, text in sorted(kb.good_logs.items()):
        for number, line in enumerate(text.splitlines(), 1):
            if line.startswith("#nskb "):
                continue
            hits = sorted(everything.tags(line))
            if hits:
                problems.append(Problem(shown_path(path), number, 1, "KB107",
                                        f"known-good line matches the symptom '{hits[0]}'",
                                        f"narrow kb/symptoms/{hits[0]}.yaml so that working output does not match"))
    return problems
