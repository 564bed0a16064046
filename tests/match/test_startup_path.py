"""What kb-match's start-up leans on: the index's marshal copy (read only while it matches the JSON
file beside it), and a text run that imports neither json nor re (json brings re and enum)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from nskb.index.build import current_index, write_index
from nskb.index.store import load_index, marshal_path, read_index

from .conftest import REPO

CONFIDENT_LINE = "bwrap: setting up uid map: Permission denied\n"  # names its cause with confidence: exit 0


def test_the_marshal_copy_is_the_json_index(tmp_path, real_index):
    path = str(tmp_path / "index.json")
    write_index(real_index, path)
    cache = marshal_path(path)
    assert cache is not None and os.path.exists(cache)
    with open(path, encoding="utf-8") as handle:
        from_json = json.load(handle)
    loaded = read_index(path)
    assert loaded is not None
    loaded.pop("_articles_path")
    assert loaded == from_json and list(loaded) == list(from_json)
    assert list(loaded["symptoms"]) == list(from_json["symptoms"])  # the same order: ties break alike


def test_a_json_index_replaced_behind_the_copy_wins(tmp_path, real_index):
    path = str(tmp_path / "index.json")
    write_index(real_index, path)
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    data["site_url"] = "https://example.org/another/"  # another size: the copy no longer matches
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    assert load_index(path)["site_url"] == "https://example.org/another/"


def test_a_broken_copy_falls_back_to_the_json_index(tmp_path, real_index):
    path = str(tmp_path / "index.json")
    write_index(real_index, path)
    cache = marshal_path(path)
    assert cache is not None
    with open(cache, "wb") as handle:
        handle.write(b"\x00not marshal")
    assert load_index(path)["kb_hash"] == real_index["kb_hash"]


def test_a_rewrite_removes_the_old_copy_first(tmp_path, real_index, monkeypatch):
    # If the new copy cannot be written, no stale one is left beside the new JSON file.
    path = str(tmp_path / "index.json")
    write_index(real_index, path)
    from nskb.index import build

    real_write = build._write_atomically

    def no_marshal(target, content):
        if target.endswith(".marshal"):
            raise OSError("read-only")
        real_write(target, content)

    monkeypatch.setattr(build, "_write_atomically", no_marshal)
    with pytest.raises(OSError):
        write_index({**real_index, "site_url": "https://example.org/x/"}, path)
    cache = marshal_path(path)
    assert cache is not None and not os.path.exists(cache)
    assert load_index(path)["site_url"] == "https://example.org/x/"


def test_a_text_run_imports_neither_json_nor_re():
    current_index()  # current before the run, so the run does not rebuild it
    code = ("import sys, io\n"
            "from nskb.cli import match\n"
            "sys.stdin = io.TextIOWrapper(io.BytesIO(" + repr(CONFIDENT_LINE.encode()) + "))\n"
            "status = match.main([])\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('json', 're', 'enum', 'typing', 'dataclasses'))\n"
            "assert status == 0 and not heavy, (status, heavy)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr.decode()
