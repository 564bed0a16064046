"""The compiled match index on disk, as kb-match reads it: where it lives and loading it.

Only json and os are imported: this module is on kb-match's start-up path, and it never imports
the YAML side (an import-linter contract checks it). Rebuilding a stale index from kb/ is
`index.build`'s job.
"""
from __future__ import annotations

import json
import os

from nskb.entries import FOLDERS
from nskb.index.format import FORMAT

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nskb.index.format import Index

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # src/nskb
INDEX_PATH = os.path.join(PACKAGE_DIR, "data", "index.json")

__all__ = ["FORMAT", "INDEX_PATH", "PACKAGE_DIR", "IndexUnusable", "articles", "entry", "load_index", "read_index"]


class IndexUnusable(Exception):
    """The index is missing, unreadable or of another format; the message says what to do."""


def articles_path(path: str) -> str:
    """Where the articles of the index at `path` are: `index.json` -> `index.articles.json`.

    They are most of the index's bytes and only --explain reads them, so they are a file of their
    own: every other run skips decoding them."""
    return path[:-len(".json")] + ".articles.json" if path.endswith(".json") else path + ".articles"


def read_index(path: str) -> Index | None:
    """The index at `path` if it is one of this FORMAT, else None."""
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
