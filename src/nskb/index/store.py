"""The compiled match index on disk: its format, where it lives, loading it, and rebuilding it.

kb-match runs on `src/nskb/data/index.json`, written by `build_index` at package build time
(setup.py) and, when kb-match runs from a checkout whose kb/ is newer than it, rebuilt by
`load_index` first. Only json and os are imported at the top: this module is on kb-match's
start-up path, while the loader (YAML) and the compiler come in only to rebuild.
"""
from __future__ import annotations

import json
import os

from nskb.index.sources import checkout_kb_root, newest_source_mtime

FORMAT = "nskb-index/1"
PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # src/nskb
INDEX_PATH = os.path.join(PACKAGE_DIR, "data", "index.json")
# The modules that shape the index: a change to one of them makes the index stale too.
COMPILER_FILES = tuple(os.path.join(PACKAGE_DIR, name) for name in (
    "index/__init__.py", "index/compile.py", "index/prefilter.py", "index/store.py", "index/sources.py",
    "kb/__init__.py", "kb/loader.py", "kb/yamldoc.py", "kb/model.py", "kb/patterns.py"))
PLURALS = {"symptom": "symptoms", "cause": "causes", "fix": "fixes"}


class IndexUnusable(Exception):
    """The index is missing, unreadable or of another format; the message says what to do."""


def compile_kb(kb_root) -> dict:
    """Load kb/ (the loader imports YAML) and compile it into an index of this FORMAT."""
    from pathlib import Path

    from nskb.index.compile import compile_index
    from nskb.kb.loader import load_kb

    kb, _problems = load_kb(Path(kb_root))  # kb-lint reports the problems; we compile what loaded
    return {"format": FORMAT, **compile_index(kb)}


def write_index(index: dict, path) -> None:
    """Write atomically, so a kb-match running meanwhile sees the old or the new index, whole."""
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = {k: v for k, v in index.items() if not k.startswith("_")}
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def build_index(kb_root, out=INDEX_PATH) -> dict:
    """Compile kb/ and write the index to `out`; returns it."""
    index = compile_kb(kb_root)
    write_index(index, out)
    return index


def _rebuild(kb_root: str, path: str) -> dict:
    try:
        return build_index(kb_root, path)
    except OSError:  # read-only checkout: use a fresh index without saving it
        return compile_kb(kb_root)


def load_index(path: str = INDEX_PATH, kb_root: str | None | bool = True) -> dict:
    """The index kb-match runs on. From a checkout, rebuilt first when kb/ is newer than it.

    `kb_root=True` finds the checkout's kb/ next to the package; None/False never rebuilds.
    """
    if kb_root is True:
        kb_root = checkout_kb_root(PACKAGE_DIR)
    index = None
    try:
        with open(path, "rb") as handle:
            index = json.loads(handle.read())
        stale = not isinstance(index, dict) or index.get("format") != FORMAT
    except (OSError, ValueError):
        stale = True
    if kb_root:
        if stale or newest_source_mtime(kb_root, COMPILER_FILES) > os.stat(path).st_mtime:
            try:
                return _rebuild(kb_root, path)
            except Exception as error:  # noqa: BLE001 - a KB being edited must not stop kb-match
                if stale:
                    raise IndexUnusable(f"kb/ could not be compiled into {path} ({type(error).__name__}: {error}); "
                                        "run kb-lint kb to find the problem") from None
                index["_warning"] = (f"kb/ changed but could not be compiled ({type(error).__name__}: {error}); "
                                     "using the previous index (run kb-lint kb)")
    elif stale:
        found = index.get("format") if isinstance(index, dict) else None
        what = f"is of format {found!r}, not {FORMAT!r}" if found else "is missing or unreadable"
        raise IndexUnusable(f"the match index {path} {what}; reinstall nskb (pip install --force-reinstall nskb)")
    return index


def articles(index: dict) -> dict:
    """What only --explain needs ({"text": prose, "symptom": {id: details}, ...}), decoded once."""
    if "_articles" not in index:
        index["_articles"] = json.loads(index["articles"])
    return index["_articles"]


def entry(index: dict, kind: str, entry_id: str) -> dict:
    """One symptom, cause or fix with everything the index holds about it (matching data and details)."""
    return {**index[PLURALS[kind]][entry_id], **articles(index)[kind].get(entry_id, {})}
