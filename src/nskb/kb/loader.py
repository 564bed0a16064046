"""The only reader of kb/: entries, catalogues, schemas and the known-good logs."""
from __future__ import annotations

import json
from pathlib import Path

from nskb.entries import FOLDERS
from nskb.kb.model import KB, KINDS, Document, Entry, Problem
from nskb.kb.yamldoc import read_document

CATALOGUES = {"facts": "facts", "errno": "errno", "tools": "tools", "glossary": "terms"}
GOOD_LOG_MAX_BYTES = 1024 * 1024


class NotAKnowledgeBase(Exception):
    """The path given is not a KB folder (nothing there to lint or compile)."""


def find_root(path: Path) -> Path:
    """The KB folder that holds `path`: the nearest folder (itself or above) with a schema/ folder."""
    path = path.resolve()
    for candidate in [path] + list(path.parents):
        if candidate.is_dir() and (candidate / "schema").is_dir() and any(
            (candidate / d).is_dir() for d in FOLDERS.values()
        ):
            return candidate
    raise NotAKnowledgeBase(f"{path} is not inside a KB folder (one with schema/ and symptoms/, causes/ or fixes/)")


def display_path(path: Path, root: Path) -> str:
    """Paths in messages are relative to the working directory when possible, as editors expect."""
    # The folder is resolved, not the file: a symlinked entry keeps its own name (and a symlink
    # loop cannot be resolved at all).
    try:
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


class BrokenSchema(NotAKnowledgeBase):
    """A file in schema/ is missing or unreadable: nothing can be checked against it."""


def load_schemas(root: Path, names=()) -> dict[str, dict]:
    """Every schema/*.schema.json by file name; BrokenSchema when one of `names` or any file is unusable."""
    schemas = {}
    for path in sorted((root / "schema").glob("*.schema.json")):
        try:
            schemas[path.name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:  # ValueError: bad JSON or not UTF-8
            raise BrokenSchema(f"{display_path(path, root)}: not a readable JSON file ({error}); "
                               "restore it from git") from None
    for name in names:
        if name not in schemas:
            raise BrokenSchema(f"{display_path(root / 'schema' / name, root)} is missing; restore it from git")
    return schemas


def _read(path: Path, shown: str, problems: list[Problem]) -> Document | None:
    """The parsed document, or None when it cannot be used; its problems go to `problems`."""
    document, found = read_document(path, shown)
    problems.extend(found)
    return document


def _entry_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _outside(path: Path, root: Path) -> Problem | None:
    """A problem when `path` is a symlink that leads out of the KB (its content is never read)."""
    if not path.is_symlink():
        return None
    try:
        path.resolve(strict=True).relative_to(root.resolve())
        return None
    except (OSError, RuntimeError):  # dangling, or a loop
        return Problem(display_path(path, root), 1, 1, "KB004", "a symbolic link that leads nowhere",
                       "replace the link with the file itself")
    except ValueError:
        return Problem(display_path(path, root), 1, 1, "KB004", "a symbolic link that leads out of the KB folder",
                       "copy the file into kb/ instead of linking to it")


def load_kb(root: Path) -> tuple[KB, list[Problem]]:
    root = Path(root)
    if not root.is_dir():
        raise NotAKnowledgeBase(f"{root} is not a folder")
    kb = KB(root=root)
    problems: list[Problem] = []
    for kind in KINDS:
        for path in _entry_files(root / FOLDERS[kind]):
            shown = display_path(path, root)
            outside = _outside(path, root)
            if outside is not None:
                problems.append(outside)
                continue
            if path.is_dir():
                problems.append(Problem(shown, 1, 1, "KB001", "a folder inside an entry folder",
                                        f"entries live directly in {FOLDERS[kind]}/"))
                continue
            document = _read(path, shown, problems)
            if document is None:
                continue
            # Keyed by file stem: the validator reports an `id` that differs from it.
            kb.by_kind(kind)[path.stem] = Entry(path, document.data, document.positions, kind=kind)
    for name, list_key in CATALOGUES.items():
        path = root / f"{name}.yaml"
        shown = display_path(path, root)
        outside = _outside(path, root)
        if outside is not None:
            problems.append(outside)
            continue
        if not path.exists():
            problems.append(Problem(shown, 1, 1, "KB014", f"{name}.yaml is missing",
                                    f"the KB needs {name}.yaml beside symptoms/"))
            continue
        document = _read(path, shown, problems)
        if document is None:
            continue
        kb.catalogues[name] = document
        items = document.data.get(list_key)
        setattr(kb, name, [item for item in items if isinstance(item, dict)] if isinstance(items, list) else [])
    features = root / "features.yaml"  # optional: a KB without it matches symptoms only
    if features.exists():
        document, found = read_document(features, display_path(features, root))
        problems.extend(found)
        if document is not None and isinstance(document.data, dict):
            kb.catalogues["features"] = document
            kb.features = document.data
    for path in _entry_files(root / "good-logs"):
        outside = _outside(path, root)
        if outside is not None:
            problems.append(outside)
            continue
        if path.is_file():
            try:
                with path.open("rb") as handle:
                    kb.good_logs[path] = handle.read(GOOD_LOG_MAX_BYTES).decode("utf-8", "replace")
            except OSError as error:
                problems.append(Problem(display_path(path, root), 1, 1, "KB004",
                                        f"cannot read the file: {error.strerror}", "check its permissions"))
    return kb, problems
