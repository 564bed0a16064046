"""The strict loader: every bad input is a placed problem, never an exception."""
import gc
import os
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.nodes import ScalarNode

from nskb.kb.yamldoc import read_document


def problems_for(tmp_path: Path, content, name="entry.yaml"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return read_document(path)


def codes(result):
    return [p.code for p in result[1]]


def test_valid_document_keeps_places(tmp_path):
    document, problems = problems_for(tmp_path, "a: 1\nb:\n  - x\n  - {c: yes}\n")
    assert problems == []
    assert document.data == {"a": 1, "b": ["x", {"c": True}]}
    assert document.positions[("b", 1, "c")] == (4, 9)


def test_duplicate_key_keeps_first_and_reports_second(tmp_path):
    document, problems = problems_for(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert codes((document, problems)) == ["KB007"]
    assert (problems[0].line, problems[0].col) == (3, 1)
    assert document.data == {"a": 1, "b": 2}


def test_nested_duplicate_key(tmp_path):
    assert codes(problems_for(tmp_path, "t:\n  zh: {a: 1, a: 2}\n")) == ["KB007"]


def test_anchor_alias_and_merge_key(tmp_path):
    result = problems_for(tmp_path, "a: &x {k: 1}\nb: *x\nc:\n  <<: {k: 2}\n")
    assert codes(result) == ["KB008", "KB008", "KB008"]


def test_not_utf8(tmp_path):
    assert codes(problems_for(tmp_path, b"a: \xff\n")) == ["KB002"]


def test_tab(tmp_path):
    assert codes(problems_for(tmp_path, "a:\n\tb: 1\n")) == ["KB003"]


def test_over_the_size_cap(tmp_path):
    assert codes(problems_for(tmp_path, "a: 1\n" + "#" * 300_000)) == ["KB004"]


def test_not_a_mapping(tmp_path):
    assert codes(problems_for(tmp_path, "- a\n- b\n")) == ["KB009"]
    assert codes(problems_for(tmp_path, "just a string\n")) == ["KB009"]


def test_empty_and_comment_only(tmp_path):
    assert codes(problems_for(tmp_path, "")) == ["KB005"]
    assert codes(problems_for(tmp_path, "# only a comment\n\n")) == ["KB005"]


def test_not_yaml(tmp_path):
    assert codes(problems_for(tmp_path, "a: 1\n", name="entry.yml")) == ["KB001"]
    assert codes(problems_for(tmp_path, "a: 1\n", name="entry.json")) == ["KB001"]


def test_syntax_error_is_placed(tmp_path):
    document, problems = problems_for(tmp_path, "a: [1, 2\nb: 3\n")
    assert document is None and problems[0].code == "KB006" and problems[0].line >= 1


def test_python_tags_are_refused(tmp_path):
    assert "KB006" in codes(problems_for(tmp_path, "a: !!python/object:os.system ls\n"))


def test_several_documents(tmp_path):
    assert "KB009" in codes(problems_for(tmp_path, "a: 1\n---\nb: 2\n"))


def test_complex_key(tmp_path):
    assert codes(problems_for(tmp_path, "? [a, b]\n: 1\n")) == ["KB006"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(tmp_path, data):
    document, problems = problems_for(tmp_path, data)
    assert document is not None or problems


# Control characters do not survive a PyYAML dump/load round trip ('\x85' comes back as ' ').
printable = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20)
yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | printable,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(printable, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(yaml_values)
def test_arbitrary_yaml_documents_never_raise(tmp_path, value):
    text = yaml.safe_dump(value, allow_unicode=True)
    document, problems = problems_for(tmp_path, text)
    if isinstance(value, dict) and value and not any("\t" in line for line in text.splitlines()):
        assert document is not None
        assert document.data == value


def test_a_device_or_fifo_is_not_read(tmp_path):
    # /dev/null reads as empty (and /dev/zero or a FIFO would never end): refused before opening.
    (tmp_path / "entry.yaml").symlink_to("/dev/null")
    assert codes(read_document(tmp_path / "entry.yaml")) == ["KB004"]
    os.mkfifo(tmp_path / "fifo.yaml")
    assert codes(read_document(tmp_path / "fifo.yaml")) == ["KB004"]


def test_reading_documents_keeps_no_yaml_nodes_alive(tmp_path):
    # A constructor remembers every node it built: one shared by all documents grew without end.
    problems_for(tmp_path, "a: 1\nb: [x, y]\n")
    gc.collect()
    before = sum(isinstance(o, ScalarNode) for o in gc.get_objects())
    for _ in range(5):
        problems_for(tmp_path, "a: 1\nb: [x, y, z]\nc: {d: e}\n")
    gc.collect()
    assert sum(isinstance(o, ScalarNode) for o in gc.get_objects()) == before
