"""kb/facts.yaml documents every key the probe prints, in both languages, and every value it prints."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from tests.probe.probe_helpers import (
    FACTS_YAML,
    REPO,
    REPRO_FIXTURES,
    SAMPLES,
    SCRIPT,
    catalogue,
    catalogue_keys,
    run,
    undocumented,
)

from nskb.probe.parse import parse_probe_output

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_schema_valid() -> None:
    import yaml

    schemas = [json.loads(p.read_text()) for p in (REPO / "kb" / "schema").glob("*.json")]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    schema = next(s for s in schemas if s["$id"].endswith("/facts.schema.json"))
    data = yaml.safe_load(FACTS_YAML.read_text(encoding="utf-8"))
    errors = [f"{list(e.path)}: {e.message}" for e in jsonschema.Draft202012Validator(schema, registry=registry).iter_errors(data)]
    assert errors == []
    assert FACTS_YAML.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=schema/facts.schema.json\n")


def test_keys_are_the_probe_keys_in_order() -> None:
    keys = catalogue_keys()
    assert len(keys) == len(set(keys))
    done = run(["sh", str(SCRIPT)])
    printed = [line.split("=", 1)[0] for line in done.stdout.splitlines() if not line.startswith("#")]
    assert printed == keys


def test_every_key_is_in_the_conventions_table() -> None:
    table = (REPO / "docs" / "dev" / "CONVENTIONS.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+|chroot)`", table))
    fixed = {k for k in named if k.split(".")[0] in {f["key"].split(".")[0] for f in catalogue()}}
    missing = sorted(k for k in fixed if k not in catalogue_keys() and not k.startswith("kernel.unprivileged"))
    assert missing == []


def _texts(entry: dict) -> list[tuple[str, str, str]]:
    out = [(lang, part, entry["text"][lang][part]) for lang in ("zh", "en") for part in ("meaning", "how")]
    for value in entry.get("values", []):
        out += [(lang, f"value {value['value']}", value["text"][lang]["meaning"]) for lang in ("zh", "en")]
    return out


@pytest.mark.parametrize("key", catalogue_keys())
def test_bilingual(key: str) -> None:
    entry = next(f for f in catalogue() if f["key"] == key)
    assert "values" in entry or "format" in entry
    for lang, part, text in _texts(entry):
        if lang == "zh":
            assert CJK.search(text), f"{key} {part}: no Chinese in {text!r}"
            prose = re.sub(r"`[^`]*`", "`x`", text)  # code spans count as Latin words
            assert not re.search(r"[\u4e00-\u9fff][A-Za-z0-9`]|[A-Za-z0-9`][\u4e00-\u9fff]", prose), \
                f"{key} {part}: put a space between Chinese and Latin text: {text!r}"
            assert not re.search(r"[\u4e00-\u9fff][,;:?!(]|[,;:?!)][\u4e00-\u9fff]", prose), \
                f"{key} {part}: use full-width punctuation in Chinese: {text!r}"
        else:
            assert not CJK.search(text), f"{key} {part}: Chinese in the English text"
    assert entry["text"]["zh"]["meaning"] != entry["text"]["en"]["meaning"]


def _outputs() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt")) + sorted(REPRO_FIXTURES.glob("*/probe.txt"))


@pytest.mark.parametrize("path", _outputs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_printed_value_is_documented(path: Path) -> None:
    assert undocumented(parse_probe_output(path.read_text(encoding="utf-8")).facts) == []
