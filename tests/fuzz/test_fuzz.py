"""Short runs of the fuzz targets (bench/fuzz runs them for a million inputs each with atheris).

Hypothesis draws from the real seeds with byte-level changes and from structured probe input,
so a short run still reaches the interesting paths.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.fuzz.targets import TARGETS, seeds

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


def mutated(name: str):
    base = seeds(name)

    def apply(seed_index: int, edits: list[tuple[int, bytes]]) -> bytes:
        data = bytearray(base[seed_index % len(base)])
        for at, chunk in edits:
            at %= len(data) + 1
            data[at:at + len(chunk)] = chunk
        return bytes(data)

    edit = st.tuples(st.integers(0, 1 << 16), st.binary(max_size=8)
                     | st.sampled_from([b"\n", b"- ", b": ", b"[", b"{", b"\xed\xa0\x80", b"\\u2028", b"=",
                                        b"\t", b"\r", b"# nskb-probe/1 end\n", b'"', b"9" * 40]))
    return st.builds(apply, st.integers(0, 1000), st.lists(edit, max_size=6))


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_seeds_pass(name: str) -> None:
    for seed in seeds(name):
        TARGETS[name](seed)


@SETTINGS
@given(mutated("yaml_lint") | st.binary(max_size=300))
def test_yaml_lint(data: bytes) -> None:
    TARGETS["yaml_lint"](data)


@SETTINGS
@given(mutated("probe_parser") | st.binary(max_size=300))
def test_probe_parser_bytes(data: bytes) -> None:
    TARGETS["probe_parser"](data)


KEYS = st.from_regex(r"\A[a-z][a-z0-9_]{0,6}(\.[a-z0-9_]{1,6}){0,2}\Z") | st.text(max_size=12)
VALUES = st.text(max_size=40) | st.integers() | st.booleans() | st.none() | st.floats() | st.lists(st.text(), max_size=2)


@SETTINGS
@given(st.dictionaries(KEYS, VALUES, max_size=12), st.sampled_from([True, False, None]))
def test_probe_parser_json(facts: dict, complete) -> None:
    doc = {"format": "nskb-probe/1", "facts": facts}
    if complete is not None:
        doc["complete"] = complete
    TARGETS["probe_parser"](json.dumps(doc, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.lists(st.tuples(KEYS, st.text(max_size=30)), max_size=12), st.booleans())
def test_probe_parser_lines(pairs: list, end: bool) -> None:
    text = "# nskb-probe/1\n" + "".join(f"{k}={v}\n" for k, v in pairs) + ("# nskb-probe/1 end\n" if end else "")
    TARGETS["probe_parser"](text.encode("utf-8", "surrogatepass"))
