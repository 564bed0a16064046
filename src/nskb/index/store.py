"""The compiled match index on disk, as kb-match reads it: where it lives and loading it.

The index is JSON (`index.json`: the site and other readers use it as it is). Beside it, whoever
writes it also writes the same data in marshal form for this interpreter (`index.<cache_tag>.marshal`,
like a .pyc): kb-match loads that instead, which costs half the parse time and no `json` import
(json brings `re` and `enum` with it, a third of kb-match's own start-up). The JSON file stays the
authority: the marshal copy is used only while the JSON file beside it has the size it was made from.

Only marshal, os and sys are imported at the top: this module is on kb-match's start-up path, and
it never imports the YAML side (an import-linter contract checks it). Rebuilding a stale index
from kb/ is `index.build`'s job.
"""
from __future__ import annotations

import marshal
import os
import sys

from nskb.entries import FOLDERS
from nskb.index.format import FORMAT

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nskb.index.format import Index

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # src/nskb
INDEX_PATH = os.path.join(PACKAGE_DIR, "data", "index.json")

__all__ = ["FORMAT", "INDEX_PATH", "PACKAGE_DIR", "IndexUnusable", "articles", "entry", "load_index", "marshal_copy",
           "marshal_path", "read_index"]


class IndexUnusable(Exception):
    """The index is missing, unreadable or of another format; the message says what to do."""


def articles_path(path: str) -> str:
    """Where the articles of the index at `path` are: `index.json` -> `index.articles.json`.

    They are most of the index's bytes and only --explain reads them, so they are a file of their
    own: every other run skips decoding them."""
    return path[:-len(".json")] + ".articles.json" if path.endswith(".json") else path + ".articles"


def marshal_path(path: str) -> str | None:
    """Where the marshal copy of the index at `path` is for this interpreter (None: no cache tag)."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    stem = path[:-len(".json")] if path.endswith(".json") else path
    return f"{stem}.{tag}.marshal"


def marshal_copy(data: dict[str, Any], json_size: int) -> bytes:
    """The marshal form of an index as read back from its JSON text (same key order, lists, str),
    stamped with the JSON file's size so that a JSON file replaced without it is noticed. Equal
    strings are made one object first: marshal then writes the later ones as references, and
    loading makes a quarter fewer objects."""
    strings: dict[str, str] = {}

    def shared(value: Any) -> Any:
        if isinstance(value, str):
            return strings.setdefault(value, value)
        if isinstance(value, list):
            return [shared(item) for item in value]
        if isinstance(value, dict):
            return {shared(key): shared(item) for key, item in value.items()}
        return value

    return marshal.dumps(shared({**data, "_json_size": json_size}))


def _read_marshal(path: str) -> dict[str, Any] | None:
    cache = marshal_path(path)
    if cache is None:
        return None
    try:
        with open(cache, "rb") as handle:
            index = marshal.loads(handle.read())
        json_size = os.stat(path).st_size
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(index, dict) or index.pop("_json_size", None) != json_size:
        return None
    return index


def read_index(path: str) -> Index | None:
    """The index at `path` if it is one of this FORMAT, else None (its marshal copy when current)."""
    index = _read_marshal(path)
    if index is None:
        import json  # only when the marshal copy is missing or stale

        try:
            with open(path, "rb") as handle:
                index = json.loads(handle.read())
        except (OSError, ValueError):
            return None
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        return None
    if "articles" not in index:
        index["_articles_path"] = articles_path(path)
    found: Index = index  # type: ignore[assignment]  # json.loads is untyped; FORMAT vouches for the shape
    return found


def load_index(path: str = INDEX_PATH) -> Index:
    """The index at `path`; IndexUnusable (with the way out) when it is missing or of another format."""
    index = read_index(path)
    if index is not None:
        return index
    import json

    try:
        with open(path, "rb") as handle:
            found = json.loads(handle.read()).get("format")
    except (OSError, ValueError, AttributeError):
        found = None
    what = f"is of format {found!r}, not {FORMAT!r}" if found else "is missing or unreadable"
    raise IndexUnusable(f"the match index {path} {what}; reinstall nskb (pip install --force-reinstall nskb)")


def articles(index: Index) -> dict[str, Any]:
    """What only --explain needs ({"text": prose, "symptom": {id: details}, ...}), decoded once: from
    the index itself when it was compiled in memory, else from its articles file."""
    if "_articles" not in index:
        import json

        if "articles" in index:
            index["_articles"] = json.loads(index["articles"])
        else:
            try:
                with open(index.get("_articles_path", ""), "rb") as handle:
                    index["_articles"] = json.loads(handle.read())
            except (OSError, ValueError) as error:
                raise IndexUnusable(f"the articles of the match index are missing or unreadable ({error}); "
                                    "reinstall nskb, or run kb-match from the checkout to rebuild them") from None
    return index["_articles"]


def entry(index: Index, kind: str, entry_id: str) -> dict[str, Any]:
    """One symptom, cause or fix with everything the index holds about it (matching data and details)."""
    lean: dict[str, Any] = index[FOLDERS[kind]][entry_id]  # type: ignore[literal-required]
    return {**lean, **articles(index)[kind].get(entry_id, {})}
