"""Building the match index from kb/, and keeping a checkout's index current.

`build_index` runs at package build time (setup.py) and `current_index` on every kb-match run
from a checkout: it compares the content hash of kb/ and the compiler modules with the one the
index was built from, and rebuilds only when they differ. The YAML loader and the compiler are
imported only to rebuild, so a current index costs kb-match no YAML import (nor json: kb-match
reads the index's marshal copy, see `index.store`).
"""
from __future__ import annotations

import os

from nskb.index.format import FORMAT
from nskb.index.sources import checkout_kb_root, kb_hash, stat_signature
from nskb.index.store import INDEX_PATH, PACKAGE_DIR, IndexUnusable, read_index

TYPE_CHECKING = False
if TYPE_CHECKING:
    from nskb.index.format import Index

# The modules that shape the index: a change to one of them makes the index stale too (store.py
# shapes its marshal copy).
COMPILER_FILES = tuple(os.path.join(PACKAGE_DIR, name) for name in (
    "entries.py", "chinese.py", "regex.py", "index/build.py", "index/compile.py", "index/format.py", "index/prefilter.py",
    "index/__init__.py", "index/sources.py", "index/store.py", "kb/__init__.py", "kb/loader.py", "kb/yamldoc.py", "kb/model.py",
    "kb/patterns.py"))


def compile_kb(kb_root: str | os.PathLike[str], source_hash: str | None = None) -> Index:
    """Load kb/ (the loader imports YAML) and compile it into an index of this FORMAT."""
    from pathlib import Path

    from nskb.index.compile import compile_index
    from nskb.kb.loader import load_kb

    kb, problems = load_kb(Path(kb_root))  # kb-lint reports the problems; we compile what loaded
    content = compile_index(kb, source_hash=source_hash or kb_hash(kb_root, COMPILER_FILES))
    # What did not load is missing from the index: kept, so that kb-match can say so.
    content["problems"] = [str(p) for p in problems] + content["problems"]
    return {"format": FORMAT, **content}


def write_index(index: Index, path: str | os.PathLike[str]) -> None:
    """Write atomically, so a kb-match running meanwhile sees the old or the new index, whole. The
    articles (only --explain reads them) go first, to their own file (store.articles_path); the
    marshal copy kb-match loads (store.marshal_path) last, made from the JSON text as written."""
    import json

    from nskb.index.store import articles_path, marshal_copy, marshal_path

    path = os.fspath(path)
    cache = marshal_path(path)
    if cache is not None:
        try:  # gone before the JSON changes: a stale copy is never read beside a new index
            os.unlink(cache)
        except FileNotFoundError:
            pass
    data = {k: v for k, v in index.items() if not k.startswith("_") and k != "articles"}
    if "articles" in index:
        _write_atomically(articles_path(path), index["articles"])
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    _write_atomically(path, text)
    if cache is not None:
        _write_atomically(cache, marshal_copy(json.loads(text), len(text.encode("utf-8"))))


def build_index(kb_root: str | os.PathLike[str], out: str | os.PathLike[str] = INDEX_PATH) -> Index:
    """Compile kb/ and write the index to `out`; returns it."""
    index = compile_kb(kb_root)
    write_index(index, out)
    return index


def _stamp_path(path: str) -> str:
    # A dot file: setuptools' data/* glob leaves it out of wheels.
    return os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.stamp")


def _read_stamp(path: str) -> str | None:
    """What `_remember` wrote: the content hash, then the stat signature it was computed for."""
    try:
        with open(_stamp_path(path), encoding="utf-8") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


def _write_atomically(path: str, content: str | bytes) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(content.encode("utf-8") if isinstance(content, str) else content)
    os.replace(tmp, path)


def current_index(path: str = INDEX_PATH, kb_root: str | os.PathLike[str] | None | bool = True) -> Index:
    """The index kb-match runs on. From a checkout, rebuilt first when kb/ or the compiler changed.

    `kb_root=True` finds the checkout's kb/ next to the package; None/False never rebuilds (an
    installed package: its index was built with it). A KB that cannot be compiled keeps the
    previous index, with a `_warning`; without a previous index it is IndexUnusable.
    """
    if kb_root is True:
        kb_root = checkout_kb_root(PACKAGE_DIR)
    if not kb_root:
        from nskb.index.store import load_index

        return load_index(path)
    assert not isinstance(kb_root, bool)
    index = read_index(path)
    signature = stat_signature(kb_root, COMPILER_FILES)
    if index is not None and _read_stamp(path) == f"{index['kb_hash']}\n{signature}":
        return index  # the files are the ones hashed last time: no need to read them
    source_hash = kb_hash(kb_root, COMPILER_FILES)
    if index is not None and index["kb_hash"] == source_hash:
        _remember(path, signature, source_hash)
        return index
    try:
        fresh = compile_kb(kb_root, source_hash)
    except Exception as error:  # noqa: BLE001 - a KB being edited must not stop kb-match
        if index is None:
            raise IndexUnusable(f"kb/ could not be compiled into {path} ({type(error).__name__}: {error}); "
                                "run kb-lint kb to find the problem") from None
        index["_warning"] = (f"kb/ changed but could not be compiled ({type(error).__name__}: {error}); "
                             "using the previous index (run kb-lint kb)")
        return index
    try:
        write_index(fresh, path)
    except OSError:
        return fresh  # a read-only checkout: use the fresh index without saving it
    _remember(path, signature, source_hash)
    return fresh


def _remember(path: str, signature: str, source_hash: str) -> None:
    try:
        _write_atomically(_stamp_path(path), f"{source_hash}\n{signature}")
    except OSError:
        pass  # read-only: the next run hashes again, which is correct, only slower

