"""Strict YAML reading: plain data plus the line and column of every node.

PyYAML's loaders silently keep the last of two equal keys and resolve anchors, aliases and merge
keys; our entries allow none of that. So the document is built here from the parser's events
(libyaml's C parser where available), which gives every node its place and lets each of those
constructs be reported as a problem instead of being accepted or crashing.
"""
from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from nskb.kb.model import Document, Problem

MAX_BYTES = 256 * 1024
# Entries nest a few levels; the place of every node is kept as a path from the root, so depth
# costs memory quadratically (10,000 levels took 0.8 GB) and later checks recurse on it.
MAX_DEPTH = 32
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = Resolver()


class _Builder:
    """Turns a stream of parser events into plain data, recording places and problems."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        # One per document: a constructor keeps every node it built until it is dropped.
        self.constructor = SafeConstructor()
        self.positions: dict[tuple, tuple[int, int]] = {}
        self.documents = 0
        # Frames: [container, node_path, pending_key, seen_keys, pending_key_mark]
        self.stack: list[list] = []
        self.root = None

    def problem(self, mark, code: str, message: str, hint: str) -> None:
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, code, message, hint))

    def _child_path(self) -> tuple:
        frame = self.stack[-1]
        container, node_path = frame[0], frame[1]
        if isinstance(container, list):
            return node_path + (len(container),)
        return node_path + (frame[2],)

    def _attach(self, value, mark) -> None:
        if not self.stack:
            self.root = value
            self.positions[()] = (mark.line + 1, mark.column + 1)
            return
        frame = self.stack[-1]
        container = frame[0]
        if isinstance(container, list):
            self.positions[frame[1] + (len(container),)] = (mark.line + 1, mark.column + 1)
            container.append(value)
        elif frame[2] is _NO_KEY:
            self._take_key(value, mark)
        else:
            key = frame[2]
            # A block value that starts below its key is placed at the key, where a reader looks.
            key_mark = frame[4]
            place = key_mark if key_mark is not None and mark.line > key_mark.line else mark
            self.positions.setdefault(frame[1] + (key,), (place.line + 1, place.column + 1))
            container[key] = value
            frame[2] = _NO_KEY

    def _take_key(self, key, mark) -> None:
        if not isinstance(key, str):  # an alias as a key (reported as KB008) stands for nothing
            key = "*"
        frame = self.stack[-1]
        seen = frame[3]
        if key in seen:
            first = seen[key]
            self.problem(mark, "KB007", f"duplicate key '{key}' (first at line {first})",
                         "PyYAML would silently keep the last one; remove or rename one of them")
            key = _Duplicate(key, mark.line)
        else:
            seen[key] = mark.line + 1
        frame[2] = key
        frame[4] = mark

    def feed(self, event) -> None:
        mark = event.start_mark
        if isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.problem(mark, "KB009", "more than one YAML document in the file",
                             "remove the extra '---' and keep one entry per file")
            return
        anchor = getattr(event, "anchor", None)
        if isinstance(event, AliasEvent):
            self.problem(mark, "KB008", f"alias '*{event.anchor}'", "write the value out in full; entries use no anchors or aliases")
            self._attach(None, mark)
            return
        if anchor:
            self.problem(mark, "KB008", f"anchor '&{anchor}'", "remove the anchor; entries use no anchors or aliases")
        if isinstance(event, ScalarEvent):
            self._scalar(event)
        elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            container: dict[Any, Any] | list[Any] = {} if isinstance(event, MappingStartEvent) else []
            if self.stack and self.stack[-1][2] is _NO_KEY and isinstance(self.stack[-1][0], dict):
                self.problem(mark, "KB006", "a mapping key must be a plain scalar", "write the key as a simple word")
                raise _Abort()
            if len(self.stack) >= MAX_DEPTH:
                self.problem(mark, "KB006", f"nested more than {MAX_DEPTH} levels deep",
                             "entries are a few levels of mappings and lists; flatten the structure")
                raise _Abort()
            node_path = self._child_path() if self.stack else ()
            self._attach(container, mark)
            self.stack.append([container, node_path, _NO_KEY, {}, None])
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            frame = self.stack.pop()
            container = frame[0]
            if isinstance(container, dict):
                for key in [k for k in container if isinstance(k, _Duplicate)]:
                    del container[key]

    def _scalar(self, event) -> None:
        tag = event.tag
        if tag is None or tag == "!":
            tag = _resolver.resolve(ScalarNode, event.value, event.implicit)
        if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is _NO_KEY:
            if tag == "tag:yaml.org,2002:merge":
                self.problem(event.start_mark, "KB008", "merge key '<<'",
                             "write the keys out in full; entries use no merge keys")
            # Keys keep their source text: `yes:` is the key "yes", not True.
            self._take_key(event.value, event.start_mark)
            return
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except ConstructorError as error:
            self.problem(event.start_mark, "KB006", f"unsupported YAML value: {error.problem}",
                         "use plain strings, numbers, booleans, lists and mappings")
            value = event.value
        self._attach(value, event.start_mark)


class _Duplicate(str):
    """A repeated key, kept apart so the first value wins and the duplicate is dropped."""

    def __new__(cls, key: str, line: int):
        return super().__new__(cls, f"{key}\0{line}")


_NO_KEY = object()


class _Abort(Exception):
    """The document cannot be turned into plain data; its problems are already recorded."""


def _decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(path, line, col, "KB002", f"byte 0x{raw[error.start]:02x} is not UTF-8",
                              "save the file as UTF-8")]


def read_document(path: Path, display: str | None = None) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file strictly. Returns the document (None when unusable) and its problems."""
    name = display or str(path)
    if path.suffix != ".yaml":
        return None, [Problem(name, 1, 1, "KB001", "not a .yaml file",
                              "entries are <id>.yaml; move other files out of the entry folders")]
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
            return None, [Problem(name, 1, 1, "KB004", "not a regular file",
                                  "entries are plain files; remove it or replace it with the file itself")]
        if info.st_size > MAX_BYTES:
            return None, [Problem(name, 1, 1, "KB004", f"file is {info.st_size} bytes, over the {MAX_BYTES}-byte limit",
                                  "split the entry or shorten it")]
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            return None, [Problem(name, 1, 1, "KB004", f"file is over the {MAX_BYTES}-byte limit",
                                  "split the entry or shorten it")]
    except OSError as error:
        return None, [Problem(name, 1, 1, "KB004", f"cannot read the file: {error.strerror}", "check its permissions")]
    return parse_document(path, raw, name)


def parse_document(path: Path, raw: bytes, name: str) -> tuple[Document | None, list[Problem]]:
    """The strict reading of a file's bytes (at most MAX_BYTES, already read)."""
    text, problems = _decode(name, raw)
    if text is None:
        return None, problems
    if text.startswith("\ufeff"):
        text = text[1:]
    for number, line in enumerate(text.split("\n"), 1):
        if "\t" in line:
            problems.append(Problem(name, number, line.index("\t") + 1, "KB003", "tab character",
                                    "indent with spaces; YAML forbids tabs in indentation"))
    if problems:
        return None, problems
    if not text.strip() or all(not row.strip() or row.lstrip().startswith("#") for row in text.splitlines()):
        return None, [Problem(name, 1, 1, "KB005", "empty file", "write the entry, or delete the file")]
    builder = _Builder(name)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except _Abort:
        return None, builder.problems
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        at_line, at_col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, builder.problems + [Problem(name, at_line, at_col, "KB006", f"YAML syntax: {error.problem}",
                                                 "fix the syntax at this place (quote strings that contain ': ' or '#')")]
    except yaml.YAMLError as error:
        return None, builder.problems + [Problem(name, 1, 1, "KB006", f"YAML syntax: {error}", "fix the YAML syntax")]
    if not isinstance(builder.root, dict):
        found = type(builder.root).__name__ if builder.root is not None else "nothing"
        return None, builder.problems + [Problem(name, 1, 1, "KB009", f"the document is a {found}, not a mapping",
                                                 "an entry is a mapping of keys such as id:, text:")]
    return Document(path, builder.root, builder.positions), builder.problems
