"""Shared helpers for the KB tests: the real KB, loaded once, with every symptom's patterns compiled."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from nskb.kb.loader import load_kb
from nskb.kb.patterns import compile_re2, errno_texts, expand_pattern

REPO = Path(__file__).resolve().parents[2]
KB_ROOT = REPO / "kb"


def load() -> tuple:
    """(kb, {symptom id: [compiled pattern, ...]}) with the errno placeholders expanded."""
    kb, _problems = load_kb(KB_ROOT)
    texts = errno_texts(kb.errno)
    compiled = {sid: [compile_re2(expand_pattern(p, texts)) for p in entry.data.get("patterns") or []]
                for sid, entry in kb.symptoms.items()}
    return kb, compiled


_CACHE: dict = {}


def kb_and_patterns() -> tuple:
    if "kb" not in _CACHE:
        _CACHE["kb"] = load()
    return _CACHE["kb"]


def matches(patterns: list, line: str) -> bool:
    return any(p.search(line) is not None for p in patterns)


def short_id(*parts: str, width: int = 60) -> str:
    """A readable, ASCII-only pytest id."""
    text = "-".join(parts)
    text = re.sub(r"[^A-Za-z0-9._/-]+", "_", text).strip("_")
    return text[:width]


@pytest.fixture(scope="session")
def compiled_kb():
    return kb_and_patterns()
