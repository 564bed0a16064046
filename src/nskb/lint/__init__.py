"""kb-lint's checks. Returns problems; never prints.

Four layers, as in SigmaHQ: the file itself (loader), the JSON Schema, the links between entries,
the patterns with their proof, and the two languages.
"""
from __future__ import annotations

from pathlib import Path

from nskb.kb.loader import display_path, load_kb, load_schemas
from nskb.kb.model import KB, Problem
from nskb.kb.patterns import errno_texts
from nskb.lint.evidence import check_evidence
from nskb.lint.feature_patterns import check_feature_patterns
from nskb.lint.language import check_language
from nskb.lint.literals import check_literals
from nskb.lint.matching import check_examples, check_good_logs, compile_symptoms, pattern_set
from nskb.lint.names import check_tool_names
from nskb.lint.references import check_catalogue_keys, check_causes, check_fact_keys, check_ids, check_links
from nskb.lint.schema import (
    REQUIRED_SCHEMAS,
    SCHEMA_FOR_CATALOGUE,
    SCHEMA_FOR_KIND,
    build_validators,
    check_schema,
    check_schema_comment,
)


def validate_kb(root: Path) -> tuple[KB, list[Problem]]:
    """Load and check the whole KB; every problem found, sorted by place, each once."""
    kb, problems = load_kb(root)

    def shown(document) -> str:
        return display_path(document.path, kb.root)

    def shown_path(path) -> str:
        return display_path(path, kb.root)

    needed = REQUIRED_SCHEMAS + tuple(SCHEMA_FOR_CATALOGUE[c] for c in kb.catalogues if c == "features")
    validators = build_validators(load_schemas(kb.root, needed))
    errno_messages = [texts[0] for texts in errno_texts(kb.errno).values() if texts]  # the C texts
    for entry in kb.entries():
        name = SCHEMA_FOR_KIND[entry.kind]
        problems += check_schema_comment(entry, f"../schema/{name}", shown(entry))
        problems += check_schema(entry, validators[name], shown(entry))
        problems += check_language(entry, shown(entry))
        problems += check_literals(entry, shown(entry), errno_messages)
    for catalogue, document in kb.catalogues.items():
        name = SCHEMA_FOR_CATALOGUE[catalogue]
        problems += check_schema_comment(document, f"schema/{name}", shown(document))
        problems += check_schema(document, validators[name], shown(document))
        problems += check_language(document, shown(document))
    problems += check_ids(kb, shown)
    problems += check_links(kb, shown)
    problems += check_fact_keys(kb, shown)
    problems += check_causes(kb, shown)
    problems += check_evidence(kb, shown)
    problems += check_feature_patterns(kb, shown)
    problems += check_catalogue_keys(kb, shown)
    problems += check_tool_names(kb, shown)
    compiled, found = compile_symptoms(kb, shown)
    problems += found
    everything = pattern_set(compiled)
    problems += check_examples(compiled, everything, shown)
    problems += check_good_logs(kb, everything, shown_path)
    unique = {(p.path, p.line, p.col, p.code, p.message): p for p in reversed(problems)}
    return kb, sorted(unique.values())
