"""Lines that ordinary build and CI logs repeat on most of their lines are no candidates: the
prefilter passes them by, so the matcher stays as fast as grep on such logs. A context or failure
pattern that matched one of them would send every such line through the full analysis (a GitHub
Actions workspace path on 30 % of a 41 MB log once took 29 s instead of under one)."""
from __future__ import annotations

import pytest

from nskb.diagnose.scan import Scanner, screen_text

ORDINARY = [
    "Step 7/38 : RUN apt-get install -y curl ca-certificates",
    "#8 [build 2/5] RUN npm ci --omit=dev",
    "RUN apt-get update && apt-get install -y git",
    "STEP 2/4: RUN dnf -y install make",
    " ---> Running in 3f4e5d6c7b8a",
    "/home/runner/work/shop/shop/src/cart/total.ts:12:5 - warning TS6133: 'x' is declared but its value is never read.",
    "  /__w/app/app/src/main.rs:10:9: warning: unused variable",
    "npm WARN deprecated inflight@1.0.6: This module is not supported",
    "Get:12 http://deb.debian.org/debian bookworm/main amd64 libc6 amd64 2.36-9 [2757 kB]",
    "   Compiling serde v1.0.197",
    "[ 42/118] Building C object CMakeFiles/core.dir/src/mount_table.c.o",
    "test parser::tests::parses_flags ... ok",
    "2024-05-02 12:00:01 INFO [runner] job step completed in 1204ms",
    'time="2024-05-02T12:00:01Z" level=info msg="mount overlay"',
    # Kubernetes and other structured logs name the object's namespace on every line.
    'I0502 12:00:20.871720 1 controller.go:838] "watch done" namespace="ns-257" name="app-79422" duration="218ms"',
    '{"level":"info","ts":"2024-05-02T12:00:20Z","msg":"reconciled","namespace":"default","name":"web"}',
]


@pytest.mark.parametrize("line", ORDINARY)
def test_a_line_that_fills_ordinary_logs_is_no_candidate(real_index, line):
    prefilter = Scanner(real_index).prefilter()
    assert prefilter is None or prefilter.search(line.encode()) is None, line


def test_the_context_gate_lets_through_every_line_a_context_pattern_matches(real_index):
    """facts_in searches all context patterns at once before trying them one by one (a small input
    screens each by its atoms instead): on every line of the corpus, in every decoration form, the
    gate, the atoms and the patterns agree."""
    from pathlib import Path

    from nskb.diagnose.decoration import variants
    from nskb.evaluation import load_cases

    extractor = Scanner(real_index).extractor
    root = Path(__file__).resolve().parents[1]
    lines = {line for case in load_cases(root / "cases", root / "fixtures" / "repro")
             for line in (case.log + "\n" + case.probe).splitlines()}
    matched = 0
    for line in lines:
        forms = variants(line)
        matching = [(pattern, atoms) for _, _, pattern, atoms, _ in extractor.context
                    if any(pattern.search(text) for text in forms)]
        any_pattern = bool(matching)
        gate = any(extractor.context_gate.search(text) for text in forms)
        assert gate == any_pattern, line
        # The small-input screen: a pattern that matches has one of its atoms in the lower-cased line.
        folded = [screen_text(text.encode()) for text in forms]
        assert all(any(atom in f for atom in atoms for f in folded) for _, atoms in matching), line
        matched += any_pattern
    assert matched > 100  # the corpus has context lines enough for the check to mean something


def test_the_sets_find_what_each_pattern_finds_on_every_corpus_line(real_index):
    """Words, errno forms and symptom candidates are read with RE2 sets, one pass for many patterns;
    on every line of the corpus (each decoration form, and forms joined), every set gives exactly the
    patterns that match when each is searched alone."""
    from pathlib import Path

    from nskb.diagnose.decoration import variants
    from nskb.evaluation import load_cases

    scanner = Scanner(real_index)
    extractor = scanner.extractor
    root = Path(__file__).resolve().parents[1]
    lines = {line for case in load_cases(root / "cases", root / "fixtures" / "repro")
             for line in (case.log + "\n" + case.probe).splitlines()}
    word_lists = [extractor.syscall_words, extractor.namespace_words, extractor.object_words,
                  extractor.errno_words, extractor.errno_form_set]
    found = {"words": 0, "literal": 0, "unliteral": 0}
    for line in lines:
        forms = variants(line)
        for text in forms:
            for words in word_lists:
                alone = [i for i, rx in enumerate(words.patterns) if rx.search(text) is not None]
                assert words.matching(text) == alone, (line, words.names)
                found["words"] += bool(alone)
        joined = " ".join(forms)
        by_literal = [n for n, literal in scanner.with_literal if literal in joined]
        by_pattern = [n for n in scanner.without_literal if any(scanner.exact(n).search(f) for f in forms)]
        assert scanner.candidates(joined, forms) == by_literal + by_pattern, line
        assert scanner.candidates(joined) == by_literal + scanner.without_literal, line
        found["literal"] += bool(by_literal)
        found["unliteral"] += bool(by_pattern)
    # Enough of each for the check to mean something.
    assert found["words"] > 1000 and found["literal"] > 500 and found["unliteral"] > 5, found
