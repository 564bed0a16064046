"""The files the match index is built from: where kb/ is, their hash, their newest change, site_url.

Only `os` is imported at the top: kb-match calls `checkout_kb_root` and `newest_source_mtime` on
every run from a checkout, to know whether the index is stale.
"""
from __future__ import annotations

import os

DEFAULT_SITE_URL = "https://nskb-kb.github.io/nskb/"
_SITE_URL_LINE = r"^site_url:\s*['\"]?([^'\"\s#]+)"


def checkout_kb_root(package_dir: str) -> str | None:
    """kb/ of the source checkout a package directory runs from (editable install), else None."""
    root = os.path.join(os.path.dirname(os.path.dirname(package_dir)), "kb")
    return root if os.path.isdir(os.path.join(root, "symptoms")) else None


def read_site_url(mkdocs_yml) -> str:
    """site_url from mkdocs.yml, read as text: the file may carry tags a safe YAML loader refuses."""
    import re

    try:
        with open(mkdocs_yml, encoding="utf-8") as handle:
            found = re.search(_SITE_URL_LINE, handle.read(), re.MULTILINE)
    except OSError:
        found = None
    url = found.group(1) if found else DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


def source_files(kb_root) -> list:
    """Every file the index depends on: kb/ (schemas and good logs excluded) and mkdocs.yml."""
    from pathlib import Path

    kb_root = Path(kb_root)
    files = []
    for path in sorted(kb_root.rglob("*.yaml")):
        if path.relative_to(kb_root).parts[0] in ("schema", "good-logs") or not path.is_file():
            continue  # (a FIFO or device is no source: reading it would block or never end)
        files.append(path)
    mkdocs = kb_root.parent / "mkdocs.yml"
    if mkdocs.is_file():
        files.append(mkdocs)
    return files


def kb_hash(kb_root) -> str:
    """sha256 over the names and contents of `source_files`, as "sha256:<hex>"."""
    import hashlib
    from pathlib import Path

    kb_root = Path(kb_root)
    digest = hashlib.sha256()
    for path in source_files(kb_root):
        digest.update(str(path.relative_to(kb_root.parent)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\1unreadable")
        digest.update(b"\0")
    return "sha256:" + digest.hexdigest()


def newest_source_mtime(kb_root: str, code_files: tuple[str, ...] = ()) -> float:
    """The newest modification time among kb/'s YAML files and folders, mkdocs.yml and `code_files`.

    `code_files` are the modules that shape the index: a change to the compiler makes it stale too.
    """
    newest = 0.0
    for path in code_files:
        try:
            newest = max(newest, os.stat(path).st_mtime)
        except OSError:
            pass
    for dirpath, _dirs, names in os.walk(kb_root):
        for name in names:
            if name.endswith(".yaml"):
                try:
                    newest = max(newest, os.stat(os.path.join(dirpath, name)).st_mtime)
                except OSError:
                    pass
        newest = max(newest, os.stat(dirpath).st_mtime)  # a deleted entry changes its folder
    try:
        newest = max(newest, os.stat(os.path.join(os.path.dirname(kb_root), "mkdocs.yml")).st_mtime)
    except OSError:
        pass
    return newest
