"""Issue 3 done-criterion: every message row of the fact sheet's tool sections is matched by a symptom.

The rows live in upstream_messages.yaml (one concrete line each, as the program prints it). A row with
`expect` must be matched by that symptom; a row with `uncovered` states why no symptom covers it, and
must stay unmatched so the list does not go stale.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .conftest import kb_and_patterns, matches, short_id

ROWS = yaml.safe_load((Path(__file__).parent / "upstream_messages.yaml").read_text(encoding="utf-8"))["messages"]


def _ids(rows: list[dict]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        base = short_id(f"s{row['section']}", row["message"].removeprefix("bwrap: "))
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return out


COVERED = [r for r in ROWS if "expect" in r]
UNCOVERED = [r for r in ROWS if "uncovered" in r]


def test_rows_are_well_formed():
    for row in ROWS:
        assert set(row) in ({"section", "message", "expect"}, {"section", "message", "uncovered"}), row
        assert row["message"].strip() == row["message"] and "\n" not in row["message"], row
        assert "<" not in row["message"] or "<https://" in row["message"] or "<file://" in row["message"], \
            f"placeholder left in {row['message']!r}"
    kb, _ = kb_and_patterns()
    unknown = sorted({r["expect"] for r in COVERED} - set(kb.symptoms))
    assert not unknown, f"expected symptoms that do not exist: {unknown}"


@pytest.mark.parametrize("row", COVERED, ids=_ids(COVERED))
def test_message_matches_expected_symptom(row):
    _kb, compiled = kb_and_patterns()
    expected = row["expect"]
    assert matches(compiled[expected], row["message"]), (
        f"§{row['section']}: {expected} does not match {row['message']!r}; "
        f"matched by: {sorted(s for s, p in compiled.items() if matches(p, row['message'])) or 'nothing'}")


@pytest.mark.parametrize("row", UNCOVERED, ids=_ids(UNCOVERED))
def test_uncovered_message_stays_unmatched(row):
    _kb, compiled = kb_and_patterns()
    hits = sorted(s for s, p in compiled.items() if matches(p, row["message"]))
    assert not hits, f"§{row['section']}: now matched by {hits}; move the row to `expect:`"
