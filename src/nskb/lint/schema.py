"""Layer one: JSON Schema, with every error placed at the node it is about."""
from __future__ import annotations

import jsonschema
from referencing import Registry, Resource

from nskb.kb.loader import BrokenSchema
from nskb.kb.model import Document, Problem

SCHEMA_FOR_KIND = {"symptom": "symptom.schema.json", "cause": "cause.schema.json", "fix": "fix.schema.json"}
SCHEMA_FOR_CATALOGUE = {name: f"{name}.schema.json" for name in ("facts", "errno", "tools", "glossary", "features")}
OPTIONAL_SCHEMAS = ("features.schema.json",)  # a KB without features.yaml needs no schema for it
# Every file the entries are checked against, directly or through a $ref.
REQUIRED_SCHEMAS = (*SCHEMA_FOR_KIND.values(), *(s for s in SCHEMA_FOR_CATALOGUE.values() if s not in OPTIONAL_SCHEMAS),
                    "defs.schema.json")


def build_validators(schemas: dict[str, dict]) -> dict[str, jsonschema.protocols.Validator]:
    """One validator per schema file, resolving the relative $refs between our schema files.

    Raises BrokenSchema when a file is not a valid draft 2020-12 schema."""
    for name, schema in schemas.items():
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as error:
            raise BrokenSchema(f"schema/{name}: not a valid JSON Schema ({error.message}); restore it from git") from None
    resources = [(schema["$id"], Resource.from_contents(schema)) for schema in schemas.values() if "$id" in schema]
    registry = Registry().with_resources(resources)
    return {name: jsonschema.Draft202012Validator(schema, registry=registry) for name, schema in schemas.items()}


def _place(document: Document, error) -> tuple[tuple, str]:
    """Where an error belongs and what to say; unknown keys are placed on the key itself."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in error.instance if k not in allowed)
        if extra:
            return path + (extra[0],), f"unknown key '{extra[0]}'"
    if error.validator == "oneOf" and error.context:
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        return tuple(deepest.absolute_path), deepest.message
    where = ".".join(str(p) for p in path) or "the document"
    return path, f"{where}: {error.message}"


def _code_and_hint(error, path: tuple) -> tuple[str, str]:
    if "references" in path and error.validator == "pattern":
        return "KB018", "write an absolute https:// URL to the primary source"
    if error.validator == "required" and "text" in path:
        return "KB201", "write the missing language; both zh and en are required"
    if error.validator == "required":
        return "KB010", "add the required key (see the entry's schema in kb/schema/)"
    if error.validator == "additionalProperties":
        return "KB010", "remove the key or fix its spelling (see the schema for the allowed keys)"
    if error.validator in ("type", "enum", "const"):
        return "KB010", "quote strings like \"yes\" or \"0\"; use a value the schema allows"
    return "KB010", "see the schema in kb/schema/ for the expected shape"


def check_schema(document: Document, validator, display: str) -> list[Problem]:
    problems = []
    for error in validator.iter_errors(document.data):
        path, message = _place(document, error)
        if error.validator == "required" and "text" in path:
            missing = error.message.split("'")[1] if "'" in error.message else "?"
            message = f"{'.'.join(str(p) for p in path)}.{missing} is missing"
        code, hint = _code_and_hint(error, path)
        if code == "KB018":
            message = f"{error.instance!r} is not an absolute https URL"
        line, col = document.position(path)
        problems.append(Problem(display, line, col, code, message, hint))
    return problems


def check_schema_comment(document: Document, expected: str, display: str) -> list[Problem]:
    """Each file's first line tells editors which schema to check it against."""
    try:
        first = document.path.read_text(encoding="utf-8").split("\n", 1)[0]
    except (OSError, UnicodeDecodeError):
        return []
    want = f"# yaml-language-server: $schema={expected}"
    if first.strip() != want:
        return [Problem(display, 1, 1, "KB011", "first line is not the schema comment",
                        f"make line 1 exactly: {want}")]
    return []
