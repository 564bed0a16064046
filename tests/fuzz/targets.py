"""Fuzz targets shared by the short Hypothesis runs (tests/fuzz) and the long atheris runs
(bench/fuzz). Each takes bytes, and raises AssertionError (or anything else) on a defect.

- yaml_lint: the strict YAML reader, then kb-lint's checks of one symptom entry (schema,
  language, RE2 patterns against their examples and against the whole seed KB).
- probe_parser: the probe parser on any text (key=value or JSON), with the round-trip property:
  what it returns, written back as text, JSON or Markdown, reads back to the same facts, and its
  warnings are one line each, starting with `line N:`.
"""
from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KB_ROOT = REPO / "kb"
LINE_WARNING = re.compile(r"^line [0-9]+: [^\n\r]*\Z")
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


@cache
def _lint_context():
    from nskb.kb.loader import load_kb, load_schemas
    from nskb.lint.schema import REQUIRED_SCHEMAS, SCHEMA_FOR_KIND, build_validators

    kb, _ = load_kb(KB_ROOT)
    validators = build_validators(load_schemas(KB_ROOT, REQUIRED_SCHEMAS))
    return kb, validators[SCHEMA_FOR_KIND["symptom"]]


def yaml_lint(data: bytes) -> None:
    from nskb.kb.model import KB, Entry, Problem
    from nskb.kb.yamldoc import MAX_BYTES, parse_document
    from nskb.lint.language import check_language
    from nskb.lint.matching import check_examples, compile_symptoms, pattern_set
    from nskb.lint.schema import check_schema

    path = KB_ROOT / "symptoms" / "fuzzed.yaml"
    document, problems = parse_document(path, data[:MAX_BYTES], "fuzzed.yaml")
    for problem in problems:
        assert isinstance(problem, Problem) and problem.line >= 1 and problem.col >= 1, problem
    if document is None:
        assert problems, "an unusable document must say why"
        return
    assert isinstance(document.data, dict)
    kb, validator = _lint_context()
    entry = Entry(path, document.data, document.positions, kind="symptom")
    found = check_schema(entry, validator, "fuzzed.yaml") + check_language(entry, "fuzzed.yaml")
    one = KB(root=KB_ROOT, errno=kb.errno, symptoms={"fuzzed": entry})
    compiled, more = compile_symptoms(one, lambda e: "fuzzed.yaml")
    found += more + check_examples(compiled, pattern_set(compiled), lambda e: "fuzzed.yaml")
    for problem in found:
        assert problem.code.startswith("KB") and problem.line >= 1, problem


@cache
def _fact_specs():
    import yaml

    from nskb.probe.parse import FactSpec

    items = yaml.safe_load((KB_ROOT / "facts.yaml").read_text(encoding="utf-8"))["facts"]
    return {f["key"]: FactSpec(frozenset(v["value"] for v in f.get("values", [])), f.get("format", ""))
            for f in items}


def probe_parser(data: bytes) -> None:
    from nskb.probe.parse import KEY_RE, MAX_VALUE_CHARS, parse_probe_output
    from nskb.probe.run import format_json, format_markdown, format_text

    text = data.decode("utf-8", "surrogateescape")  # lone surrogates reach the parser too
    for known in (None, _fact_specs()):
        result = parse_probe_output(text, known)
        for warning in map(str, result.warnings):
            assert LINE_WARNING.match(warning) and not CONTROL.search(warning), warning
        for key, value in result.facts.items():
            assert KEY_RE.match(key), key
            assert 0 < len(value) <= MAX_VALUE_CHARS and not CONTROL.search(value), (key, value)
            assert value == value.strip(), (key, value)
    facts, complete = result.facts, result.complete
    if not facts:
        return
    # Round trip: each form the tools write reads back to the same facts and completeness.
    for written in (format_text(facts, complete), format_json(facts, [], complete),
                    format_markdown(facts, [], False, complete)):
        again = parse_probe_output(written)
        assert again.facts == facts, (written, again.facts, facts)
        assert again.complete == complete, written
        written.encode("utf-8")  # always writable
    json.loads(format_json(facts, result.warnings, complete))


TARGETS = {"yaml_lint": yaml_lint, "probe_parser": probe_parser}


def seeds(name: str) -> list[bytes]:
    """Real inputs to start from: KB entries, and probe outputs in every form."""
    if name == "yaml_lint":
        return [p.read_bytes() for p in sorted((KB_ROOT / "symptoms").glob("*.yaml"))[:40]]
    from nskb.probe.parse import parse_probe_output
    from nskb.probe.run import format_json, format_markdown

    out = []
    for p in sorted((REPO / "tests" / "probe" / "samples").glob("*.txt")):
        raw = p.read_bytes()
        facts = parse_probe_output(raw.decode()).facts
        out += [raw, format_json(facts, []).encode(), format_markdown(facts, [], True).encode()]
    return out
