"""The files the match index is built from: where kb/ is, their content hash, a cheap signature of
their state on disk, and site_url.

Only `os` and `hashlib` are imported: kb-match running from a checkout calls `checkout_kb_root`
and `stat_signature` on every run, to know whether the index may be stale.
"""
from __future__ import annotations

import hashlib
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

DEFAULT_SITE_URL = "https://nskb-kb.github.io/nskb/"
_SITE_URL_LINE = r"^site_url:\s*['\"]?([^'\"\s#]+)"
_NOT_SOURCES = ("schema", "good-logs")  # kb/ folders the index does not read


def checkout_kb_root(package_dir: str) -> str | None:
    """kb/ of the source checkout a package directory runs from (editable install), else None."""
    root = os.path.join(os.path.dirname(os.path.dirname(package_dir)), "kb")
    return root if os.path.isdir(os.path.join(root, "symptoms")) else None


def read_site_url(mkdocs_yml: str | os.PathLike[str]) -> str:
    """site_url from mkdocs.yml, read as text: the file may carry tags a safe YAML loader refuses."""
    import re

    try:
        with open(mkdocs_yml, encoding="utf-8") as handle:
            found = re.search(_SITE_URL_LINE, handle.read(), re.MULTILINE)
    except OSError:
        found = None
    url = found.group(1) if found else DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


def source_files(kb_root: str | os.PathLike[str]) -> list[str]:
    """Every file the index depends on, sorted: kb/'s YAML (schemas and good logs excluded) and mkdocs.yml."""
    kb_root = os.fspath(kb_root)
    files = []
    for dirpath, dirs, names in os.walk(kb_root):
        if dirpath == kb_root:
            dirs[:] = [d for d in dirs if d not in _NOT_SOURCES]
        dirs.sort()
        for name in names:
            path = os.path.join(dirpath, name)
            if name.endswith(".yaml") and os.path.isfile(path):  # a FIFO or device is no source: it could block
                files.append(path)
    files.sort()
    mkdocs = os.path.join(os.path.dirname(os.path.abspath(kb_root)), "mkdocs.yml")
    if os.path.isfile(mkdocs):
        files.append(mkdocs)
    return files


def _name(path: str, kb_root: str) -> bytes:
    """A file's name relative to the checkout (kb/x.yaml, mkdocs.yml), or its own name (code files)."""
    base = os.path.dirname(os.path.abspath(kb_root))
    full = os.path.abspath(path)
    return (os.path.relpath(full, base) if full.startswith(base + os.sep) else os.path.basename(full)).encode()


def kb_hash(kb_root: str | os.PathLike[str], code_files: Iterable[str] = ()) -> str:
    """sha256 over the names and contents of `source_files` and `code_files`, as "sha256:<hex>".

    `code_files` are the modules that shape the index: a change to the compiler makes it stale too.
    This hash is what decides staleness; mtimes never do.
    """
    kb_root = os.fspath(kb_root)
    digest = hashlib.sha256()
    for path in [*source_files(kb_root), *code_files]:
        digest.update(_name(path, kb_root) + b"\0")
        try:
            with open(path, "rb") as handle:
                digest.update(handle.read())
        except OSError:
            digest.update(b"\1unreadable")
        digest.update(b"\0")
    return "sha256:" + digest.hexdigest()


def stat_signature(kb_root: str | os.PathLike[str], code_files: Iterable[str] = ()) -> str:
    """A digest of the names, sizes, mtimes and inodes of the same files, without reading them.

    Not a staleness judge: a cache key. When it equals the one recorded next to the index, the
    files are the ones last hashed and the hash need not be computed again (as git's index does).
    A changed signature only means "hash again"; a file whose mtime lies in the future keeps one
    signature, so it costs one hash, not a rebuild on every run.
    """
    kb_root = os.fspath(kb_root)
    digest = hashlib.sha256()
    for path in [*source_files(kb_root), *code_files]:
        try:
            info = os.stat(path)
            state = f"{info.st_size}:{info.st_mtime_ns}:{info.st_ino}"
        except OSError:
            state = "missing"
        digest.update(_name(path, kb_root) + b"\0" + state.encode() + b"\0")
    return digest.hexdigest()
