"""The match index format (nskb-index/1) as types: what `compile` writes and everything else reads.

The index is JSON; these TypedDicts say which keys each part has, so mypy checks every reader
(`diagnose`, `report`, the CLI) against the one writer (`index.compile`).

The types exist for the type checker only: kb-match's start-up budget has no room for importing
`typing`, so readers import them under `if TYPE_CHECKING:` (with `from __future__ import
annotations`, an annotation is never evaluated at run time).
"""
from __future__ import annotations

FORMAT = "nskb-index/1"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal, NotRequired, TypedDict

    Condition = dict[str, Any]  # {fact, equals|in|matches} or {all: [...]} (kb/schema/defs.schema.json)
    Titles = dict[str, str]     # lang -> title

    class SetsFact(TypedDict):
        fact: str
        value: str

    class Symptom(TypedDict):
        """What matching needs of a symptom, on every run."""

        kind: Literal["error", "clue"]
        tool: str
        patterns: list[str]           # RE2, errno placeholders expanded
        literals: list[str]           # per pattern: a string every matching line contains ("" if none)
        prefilter: list[str]          # per pattern: the form the one-pass prefilter searches (unanchored, line-bounded)
        screen: list[list[str]]       # per pattern: ASCII-lower-cased strings, one of which each prefilter match holds ([]: none known)
        causes: list[str]             # most likely first
        strength: dict[str, str]      # cause -> usual | common | possible | rare (docs/dev/MODEL.md)
        background: str               # how often the line appears with no KB cause behind it
        lowers: list[str]
        sets_fact: SetsFact | None
        status: str
        replaced_by: str | None

    class Cause(TypedDict):
        confirms: list[Condition]
        rules_out: list[Condition]
        fixes: list[str]              # in the cause's own order
        fixes_by_risk: list[str]      # the same, safest first
        prevalence: str               # common | uncommon | rare: the prior (docs/dev/MODEL.md)
        evidence: list[dict[str, Any]]  # feature rules: which features of any line speak for it
        other_work: list[str]         # the work making no namespace that its mechanism refuses too
        diagnose: list[str]           # the first diagnostic command (the "check by hand" hint)
        tools: list[str]
        status: str
        replaced_by: str | None

    class Fix(TypedDict):
        risk: Literal["low", "medium", "high"]
        tools: list[str]
        status: str
        replaced_by: str | None

    class Fact(TypedDict):
        values: list[str]
        format: NotRequired[str]      # a free value's format (kb/facts.yaml), for checking probe output

    class Content(TypedDict):
        """What `index.compile.compile_index` returns; `Index` adds the format stamp."""

        kb_hash: str
        site_url: str
        symptoms: dict[str, Symptom]
        causes: dict[str, Cause]
        fixes: dict[str, Fix]
        facts: dict[str, Fact]
        titles: dict[str, dict[str, Titles]]   # kind (symptom, cause, fix, tool) -> id -> lang -> title
        articles: NotRequired[str]             # JSON: what only --explain reads (written to its own file)
        features: dict[str, Any]               # kb/features.yaml compiled: extractors and prefilter triggers
        errno: dict[str, Any]                  # errno name -> {number, texts in every locale}
        problems: list[str]

    class Index(Content):
        format: str
        _articles: NotRequired[dict[str, Any]]    # `articles`, decoded (store.articles)
        _articles_path: NotRequired[str]          # where the articles file is (store.read_index)
        _warning: NotRequired[str]                # kb/ changed but could not be compiled (build.current_index)
