"""The files the match index is built from: where kb/ is, their content hash, a cheap signature of
their state on disk, and site_url.

Only `os` is imported at the top: kb-match running from a checkout calls `checkout_kb_root` and
`stat_signature` on every run, to know whether the index may be stale.
"""
from __future__ import annotations

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


def _sources(kb_root: str, code_files: Iterable[str]) -> list[tuple[str, str, os.DirEntry[str] | None]]:
    """(name, path, its directory entry if found by the walk) of every file the index depends on:
    kb/'s YAML files (schemas and good logs excluded), mkdocs.yml, then `code_files`. One scandir
    walk; sorted, so the order never depends on the file system."""
    found: list[tuple[str, str, os.DirEntry[str] | None]] = []

    def walk(folder: str, prefix: str, top: bool) -> None:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if not (top and entry.name in _NOT_SOURCES):
                    walk(entry.path, f"{prefix}{entry.name}/", False)
            elif entry.name.endswith(".yaml") and entry.is_file():  # a FIFO or device is no source: it could block
                found.append((prefix + entry.name, entry.path, entry))

    walk(kb_root, os.path.basename(os.path.abspath(kb_root)) + "/", True)
    mkdocs = os.path.join(os.path.dirname(os.path.abspath(kb_root)), "mkdocs.yml")
    if os.path.isfile(mkdocs):
        found.append(("mkdocs.yml", mkdocs, None))
    for path in code_files:  # named by their place in the package: index/compile.py
        found.append((os.path.basename(os.path.dirname(path)) + "/" + os.path.basename(path), path, None))
    return found


def source_files(kb_root: str | os.PathLike[str]) -> list[str]:
    """Every file the index depends on: kb/'s YAML (schemas and good logs excluded) and mkdocs.yml."""
    return [path for _name, path, _entry in _sources(os.fspath(kb_root), ())]


def kb_hash(kb_root: str | os.PathLike[str], code_files: Iterable[str] = ()) -> str:
    """sha256 over the names and contents of `source_files` and `code_files`, as "sha256:<hex>".

    `code_files` are the modules that shape the index: a change to the compiler makes it stale too.
    This hash is what decides staleness; mtimes never do.
    """
    import hashlib  # here: a current index is recognized without it (stat_signature)

    digest = hashlib.sha256()
    for name, path, _entry in _sources(os.fspath(kb_root), code_files):
        digest.update(name.encode() + b"\0")
        try:
            with open(path, "rb") as handle:
                digest.update(handle.read())
        except OSError:
            digest.update(b"\1unreadable")
        digest.update(b"\0")
    return "sha256:" + digest.hexdigest()


def stat_signature(kb_root: str | os.PathLike[str], code_files: Iterable[str] = ()) -> str:
    """The names, sizes, mtimes and inodes of the same files, one line each, without reading them.

    Not a staleness judge: a cache key. When it equals the one recorded next to the index, the
    files are the ones last hashed and the hash need not be computed again (as git's index does).
    A changed signature only means "hash again"; a file whose mtime lies in the future keeps one
    signature, so it costs one hash, not a rebuild on every run.
    """
    lines = []
    for name, path, entry in _sources(os.fspath(kb_root), code_files):
        try:
            info = entry.stat() if entry is not None else os.stat(path)
            lines.append(f"{name} {info.st_size} {info.st_mtime_ns} {info.st_ino}")
        except OSError:
            lines.append(f"{name} missing")
    return "\n".join(lines)
