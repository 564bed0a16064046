"""The in-memory knowledge base. No I/O here: the loader builds it, everything else reads it."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nskb.entries import KINDS, LANGS  # noqa: F401 - the loader and lint take them from here

# A place in a YAML document: the path of keys and list indexes leading to a node.
NodePath = tuple


def as_list(value: Any) -> list[Any]:
    """A YAML value that should be a list, or [] when it is not (the schema check reports that)."""
    return value if isinstance(value, list) else []


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the KB, printed as `path:line:col: KBnnn message (hint)`."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}{hint}"


@dataclass
class Document:
    """A parsed YAML file: its plain data and the (line, col) of every node, 1-based."""

    path: Path
    data: Any  # plain dicts, lists and strings, as YAML gave them
    positions: dict[NodePath, tuple[int, int]] = field(default_factory=dict)

    def position(self, node_path: NodePath) -> tuple[int, int]:
        """The place of a node, or of its nearest ancestor that has one."""
        node_path = tuple(node_path)
        while node_path and node_path not in self.positions:
            node_path = node_path[:-1]
        return self.positions.get(node_path, (1, 1))


@dataclass
class Entry(Document):
    """A symptom, cause or fix."""

    kind: str = ""

    @property
    def id(self) -> str:
        # The file stem is the id; the validator checks that the `id:` field agrees.
        return self.path.stem

    def text(self, lang: str) -> dict:
        return ((self.data.get("text") or {}).get(lang)) or {}

    @property
    def retired(self) -> bool:
        return self.data.get("status") == "retired"


@dataclass
class KB:
    root: Path
    symptoms: dict[str, Entry] = field(default_factory=dict)
    causes: dict[str, Entry] = field(default_factory=dict)
    fixes: dict[str, Entry] = field(default_factory=dict)
    facts: list[dict] = field(default_factory=list)
    errno: list[dict] = field(default_factory=list)
    tools: list[dict] = field(default_factory=list)
    glossary: list[dict] = field(default_factory=list)
    features: dict = field(default_factory=dict)     # features.yaml: what kb-match reads from any line
    good_logs: dict[Path, str] = field(default_factory=dict)
    # The top-level catalogue files as documents, so the validator can place its problems.
    catalogues: dict[str, Document] = field(default_factory=dict)

    def by_kind(self, kind: str) -> dict[str, Entry]:
        return {"symptom": self.symptoms, "cause": self.causes, "fix": self.fixes}[kind]

    def entries(self):
        for kind in KINDS:
            yield from self.by_kind(kind).values()
