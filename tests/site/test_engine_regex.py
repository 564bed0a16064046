"""The page's engine (nskb-engine.js) reads the KB's RE2 patterns with the browser's RegExp: every
pattern of the match index compiles there, and the RE2-only spellings it translates (`(?i)` in
mid-pattern, `(?i:...)`, `(?P<name>`) match what RE2 matches. Run under Node."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import re2
from tests.conftest import require_tool

from nskb.index.build import current_index

ENGINE = Path(__file__).resolve().parents[2] / "src/nskb/site/theme/assets/javascripts/nskb-engine.js"
# Index keys whose string values are RE2 patterns.
PATTERN_KEYS = {"patterns", "prefilter", "triggers", "pattern", "matches", "not_matches", "absent", "marker",
                "positional", "exception_line", "foreign_call", "quiet_line", "thread_start", "error_words",
                "errno_forms"}
SCRIPT = """
const eng = require(process.argv[1])
const { patterns, probes } = JSON.parse(require("fs").readFileSync(0, "utf8"))
const broken = patterns.filter(p => eng.re(p) === null)
const found = probes.map(([p, text]) => {
  const rx = eng.re(p)
  if (rx === null) return "(does not compile)"
  const m = rx.exec(text)
  return m ? m[0] : null
})
process.stdout.write(JSON.stringify({ broken, found }))
"""
# (pattern, text): RE2's first match must be the browser's.
PROBES = [
    (r"\bmount: (?i:operation not permitted|permission denied)\b", "x: mount: Permission denied"),
    (r"\bmount: (?i:operation not permitted|permission denied)\b", "mount: OPERATION NOT PERMITTED"),
    (r"\bMount: (?i:denied)\b", "mount: denied"),  # outside the group the case counts
    (r"(?i:ab)C", "ABc"),
    (r"(?i:ab)C", "ABC"),
    (r"x(?:y(?i)z)Q", "xyZQ"),
    (r"x(?:y(?i)z)Q", "xyZq"),
    (r"(?i:[a-c]+)d", "ABCd"),
    (r"(?P<name>E[A-Z]+)\b", "errno EPERM here"),
]


def _patterns() -> list[str]:
    index = current_index()
    found: set[str] = set()

    def walk(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in PATTERN_KEYS:
            found.add(value)

    walk({k: v for k, v in index.items() if k not in ("articles", "problems") and not k.startswith("_")})
    return sorted(found)


@pytest.fixture(scope="module")
def browser_regex():
    node = require_tool("node")
    patterns = _patterns()
    payload = json.dumps({"patterns": patterns, "probes": PROBES})
    done = subprocess.run([node, "-e", SCRIPT, str(ENGINE)], input=payload, capture_output=True, text=True,
                          timeout=60, check=True)
    return patterns, json.loads(done.stdout)


def test_every_pattern_of_the_index_compiles_in_the_browser(browser_regex):
    patterns, out = browser_regex
    assert len(patterns) > 300
    assert out["broken"] == []


def test_translated_spellings_match_what_re2_matches(browser_regex):
    _, out = browser_regex
    for (pattern, text), browser in zip(PROBES, out["found"], strict=True):
        m = re2.search(pattern, text)
        assert browser == (m.group(0) if m else None), (pattern, text)
