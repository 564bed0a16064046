"""`printed_by` stays language-neutral: `program` and `versions` are shown as written on the Chinese
and the English pages alike, so conditions, wordings and remarks belong in the item's bilingual
`text.*.note` (which kb-lint checks like any other prose)."""
from __future__ import annotations

import re

import pytest

from .conftest import kb_and_patterns

KB, _ = kb_and_patterns()
ITEMS = [(sid, n, item) for sid, entry in sorted(KB.symptoms.items())
         for n, item in enumerate(entry.data.get("printed_by") or [])]

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Words that turn a program name or a version range into an English sentence.
SENTENCE_WORDS = r"and|or|to|up|with|without|when|where|while|only|later|before|after|since|until|every|any|the"
PROGRAM_PROSE = re.compile(rf"\b(?:{SENTENCE_WORDS})\b", re.IGNORECASE)
VERSIONS_PROSE = re.compile(rf"\b(?:{SENTENCE_WORDS}|from|all|releases?|versions?|builds?|observed|seen|about)\b",
                            re.IGNORECASE)


def test_there_are_printed_by_items():
    assert len(ITEMS) > 100


@pytest.mark.parametrize("sid, n, item", ITEMS, ids=[f"{sid}-{n}" for sid, n, _ in ITEMS])
def test_versions_and_program_are_language_neutral(sid, n, item):
    versions, program = item["versions"], item["program"]
    assert versions == "all" or not VERSIONS_PROSE.search(versions), \
        f"versions {versions!r}: write a range (`≥ 0.7.0`, `0.2.0 – 0.11.0`, `all`); put the rest in text.*.note"
    assert not CJK.search(versions) and not CJK.search(program)
    assert not PROGRAM_PROSE.search(program), f"program {program!r}: put conditions and remarks in text.*.note"
