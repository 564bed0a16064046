"""Symptom patterns: errno placeholders and their expansion into plain RE2 syntax."""
from __future__ import annotations

import re

from nskb.regex import PatternError, compile_re2, re2_options  # noqa: F401 - PatternError, compile_re2: kb's API

# `{EPERM}` in a pattern stands for the glibc texts of that errno in every locale we match.
PLACEHOLDER = re.compile(r"\{(E[A-Z0-9]+)\}")


def errno_texts(errno_table: list[dict]) -> dict[str, list[str]]:
    """{"EPERM": ["Operation not permitted", "operation not permitted", "不允许的操作", ...], ...}

    The C text first, then its lowercase form (Go's and Rust's runtimes print errno text in lower
    case: `fork/exec /proc/self/exe: operation not permitted`), then every locale of the table and
    the wordings other glibc releases give the same message (`other_releases`).
    """
    texts = {}
    for item in errno_table:
        name, messages = item.get("name"), item.get("messages")
        if not isinstance(name, str) or not isinstance(messages, dict):
            continue  # the schema check reports the entry
        found = [text for text in messages.values() if isinstance(text, str) and text]
        others = item.get("other_releases")
        if isinstance(others, dict):  # older or newer glibc catalogs that word a message otherwise
            found += [text for texts in others.values() if isinstance(texts, list)
                      for text in texts if isinstance(text, str) and text]
        c_text = messages.get("C")
        if isinstance(c_text, str) and c_text and c_text.lower() != c_text:
            found.insert(1, c_text[0].lower() + c_text[1:])
        texts[name] = list(dict.fromkeys(found))
    return texts


def placeholders(pattern: str) -> list[str]:
    return PLACEHOLDER.findall(pattern)


def expand_pattern(pattern: str, texts: dict[str, list[str]]) -> str:
    """Replace each `{ENAME}` with a group of its escaped texts; unknown names stay as they are."""

    def one(match: re.Match) -> str:
        names = texts.get(match.group(1))
        if not names:
            return match.group(0)
        return "(?:" + "|".join(re.escape(text) for text in names) + ")"

    return PLACEHOLDER.sub(one, pattern)


class PatternSet:
    """Many patterns searched in one pass (RE2::Set): which of them occur in a line."""

    def __init__(self, patterns: list[tuple[str, object]]):
        import re2

        self._set = re2.Set.SearchSet(re2_options())
        self._tags = []
        for source, tag in patterns:
            self._set.Add(source)
            self._tags.append(tag)
        self._set.Compile()

    def tags(self, line: str) -> set:
        hits = self._set.Match(line) if self._tags else None
        return {self._tags[i] for i in hits} if hits else set()
