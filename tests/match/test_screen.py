"""The small-input screen's atoms (index.prefilter.required_atoms): one of a form's atoms is on
every line the form matches, so the screen never drops a line the block-wide alternation picks."""
from __future__ import annotations

from pathlib import Path

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from nskb.diagnose import normalize
from nskb.diagnose import scan as scan_module
from nskb.diagnose.scan import Scanner, screen_text
from nskb.diagnose.types import Scan
from nskb.evaluation import load_cases
from nskb.index.prefilter import required_atoms

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("pattern", "atoms"), [
    ("unshare failed: ", ["unshare failed: "]),
    (r"(?i)\bnamespaces?\b|\bsandbox", ["namespace", "sandbox"]),
    # a small class makes alternatives; one atom long enough beats several longer ones
    (r"ab[ug]", ["abg", "abu"]),
    (r"/etc/sub[ug]id\b", ["/etc/sub"]),
    # RE2 reads a flag in the middle of the top level as "for the rest of it"
    (r"CLONE_NEWPID\b|(?i)\bpid[ _]namespaces?\b", ["clone_newpid", "pid namespace", "pid_namespace"]),
    (r"x(?:abcdef)+y", ["abcdef"]),
    (r"(?:foo)?bar", ["bar"]),
    # nothing every match holds, or syntax Python's parser reads otherwise: no atoms
    (r"^[^a-z\n]*[A-Z]{4}[^a-z\n]*$", []),
    (r"(?:abc)?", []),
    (r"a|\d+", []),
    (r"[[:alpha:]]+ denied", []),
    (r"x{,3}", []),
    # a case-insensitive non-ASCII letter folds in ways bytes.lower() does not follow
    (r"(?i)Ärger", ["rger"]),
])
def test_required_atoms(pattern, atoms):
    assert required_atoms(pattern) == atoms


def test_the_two_non_ascii_folds_of_ascii_letters_reach_the_screen():
    # RE2 matches (?i)k with U+212A KELVIN SIGN and (?i)s with U+017F LONG S.
    pattern = r"(?i)\buser namespace|kernel:"
    atoms = required_atoms(pattern)
    for line in ("User name\u017fpace", "\u212aERNEL: x"):
        assert re2.compile(pattern).search(line)
        assert any(atom.encode() in screen_text(line.encode()) for atom in atoms)
    assert screen_text("\u212a\u017f".encode()) == b"ks"


def _corpus_lines() -> list[str]:
    lines = {line for case in load_cases(REPO / "tests" / "cases", REPO / "tests" / "fixtures" / "repro")
             for line in case.log.splitlines()}
    return sorted(lines)


def _example_lines(index) -> list[str]:
    from nskb.index.store import articles

    return sorted({line for d in articles(index)["symptom"].values() for key in ("match", "no_match")
                   for line in d["examples"][key]})


def _unsound(scanner: Scanner, lines: list[str]) -> list[tuple[str, str]]:
    """(form, line) pairs where the form matches the line but none of its atoms is on it."""
    bad = []
    for number in scanner.screened:
        form = scanner._form(number)
        atoms = scanner.screen_atoms[number]
        for line in lines:
            data = line.encode()
            if form.search(data) is not None and not any(atom in screen_text(data) for atom in atoms):
                bad.append((scanner.screen_forms[number], line))
    return bad


def test_atoms_are_on_every_corpus_and_example_line_their_form_matches(real_index):
    scanner = Scanner(real_index)
    lines = _corpus_lines() + _example_lines(real_index)
    variants = [v for line in lines for v in (line, line.upper(), line.lower())]
    assert not _unsound(scanner, variants)[:5]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_atoms_are_sound_on_mixed_up_lines(real_index, data):
    # Lines stitched from pieces of real lines, re-cased, with the two characters RE2 folds to ASCII.
    scanner = Scanner(real_index)
    pieces = _example_lines(real_index)
    parts = data.draw(st.lists(st.sampled_from(pieces), min_size=1, max_size=3))
    cuts = [data.draw(st.integers(0, len(p))) for p in parts]
    line = " ".join(p[c:] if n % 2 else p[:c] for n, (p, c) in enumerate(zip(parts, cuts, strict=True)))
    casing = data.draw(st.sampled_from([str.upper, str.lower, str.swapcase, str]))
    line = casing(line)
    if data.draw(st.booleans()):
        line = line.replace("k", "\u212a").replace("s", "\u017f")
    assert not _unsound(scanner, [line])


def test_both_screens_pick_the_same_corpus_lines(real_index, monkeypatch):
    cases = load_cases(REPO / "tests" / "cases", REPO / "tests" / "fixtures" / "repro")
    for case in cases:
        data = case.log.encode()
        found = []
        for small in (0, 1 << 30):
            monkeypatch.setattr(scan_module, "SMALL_BLOCK", small)
            monkeypatch.setattr(normalize, "LINE_CAP", max(64 * 1024, small))
            result = Scan()
            Scanner(real_index).feed(result, case.name, [data])
            found.append(({s: [(h.line, h.text) for h in hs] for s, hs in result.symptom_hits.items()},
                          {f: (h.line, h.text) for f, h in result.feature_hits.items()},
                          {f: (h.line, h.text) for f, h in result.line_facts.items()}))
        assert found[0] == found[1], case.name
