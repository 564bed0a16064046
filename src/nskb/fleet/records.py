"""Host records: what one host gave (probe output, a log, or why there is nothing), read one at a time.

Two sources:
  - a directory with one file per host, as ansible/probe-fleet.yml writes it (`<host>.json`, an
    nskb-fleet-host/1 object), or plain kb-probe output (`<host>.probe`, text or JSON);
  - JSON Lines on stdin, one `{"host": ..., "probe": ..., "log": ...}` object per line.

Nothing here raises for bad content: an empty, truncated, binary or foreign file becomes a record
whose `problem` says what is wrong with it, so one bad file never hides the other hosts.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

RECORD_FORMAT = "nskb-fleet-host/1"
PROBE_FORMAT = "nskb-probe/1"
MAX_RECORD_BYTES = 8 << 20  # a probe output is ~3 KB; a log kept with it stays far below this
STATUSES = ("ok", "unreachable", "failed")
HOST_FILE_SUFFIXES = ("json", "probe", "txt", "out")  # dropped from a file name to give the host name


@dataclass
class HostRecord:
    host: str
    source: str              # the file, or <stdin>:LINE
    status: str = "ok"       # ok | unreachable | failed (as Ansible reported the run)
    probe: str = ""          # kb-probe output, text or JSON
    log: str = ""            # error output from the host, if any
    message: str = ""        # why the run was unreachable or failed
    problem: str = ""        # why the record itself cannot be read: a code of FLEET_WORDS in nskb/words.py ("" when it can)
    detail: str = ""         # language-free detail of the problem (a position, some keys)


def _unreadable(host: str, source: str, problem: str, detail: str = "") -> HostRecord:
    return HostRecord(host=host, source=source, problem=problem, detail=detail)


def _json_problem(error: json.JSONDecodeError, text: str) -> tuple[str, str]:
    """An object that does not end in `}` was cut short; anything else is malformed."""
    if not text.rstrip().endswith("}"):
        return "truncated-json", str(len(text.encode("utf-8")))
    return "invalid-json", f"{error.lineno}:{error.colno} {error.msg}"


def record_from_bytes(raw: bytes, host: str, source: str) -> HostRecord:
    """One host's record from the bytes of its file (or its JSON Lines line)."""
    if len(raw) > MAX_RECORD_BYTES:
        return _unreadable(host, source, "too-large", str(MAX_RECORD_BYTES >> 20))
    if not raw.strip():
        return _unreadable(host, source, "empty")
    if b"\0" in raw:
        return _unreadable(host, source, "binary")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return _unreadable(host, source, "not-utf8", str(error.start))
    if not text.lstrip().startswith("{"):
        return HostRecord(host=host, source=source, probe=text)  # plain kb-probe text; checked later
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return _unreadable(host, source, *_json_problem(error, text))
    except RecursionError:
        return _unreadable(host, source, "invalid-json", "nested too deeply")
    if not isinstance(data, dict):
        return _unreadable(host, source, "foreign-json", type(data).__name__)
    if data.get("format") == PROBE_FORMAT:
        return HostRecord(host=host, source=source, probe=text)  # kb-probe --format json
    return record_from_object(data, host, source)


def record_from_object(data: dict, host: str, source: str) -> HostRecord:
    """A record from a decoded nskb-fleet-host/1 object or a `{host, probe, log}` line."""
    fmt = data.get("format")
    if fmt not in (None, RECORD_FORMAT) or not ({"probe", "log", "status"} & set(data)):
        keys = ", ".join(sorted(str(k) for k in data)[:5]) or "{}"
        return _unreadable(host, source, "foreign-json", keys)
    name = data.get("host", host)
    if not isinstance(name, str) or not name.strip():
        return _unreadable(host, source, "bad-field", "host")
    probe = data.get("probe", "")
    if isinstance(probe, dict):  # the object kb-probe --format json prints
        probe = json.dumps(probe)
    status = data.get("status", "ok")
    log = data.get("log", "")
    if not isinstance(probe, str) or not isinstance(log, str) or status not in STATUSES:
        bad = "status" if status not in STATUSES else ("probe" if not isinstance(probe, str) else "log")
        return _unreadable(name, source, "bad-field", bad)
    message = data.get("message") or ""
    return HostRecord(host=name, source=source, status=status, probe=probe, log=log,
                      message=message if isinstance(message, str) else str(message))


def read_directory(path: str) -> Iterator[HostRecord]:
    """One record per regular file in `path` (hidden files skipped), in name order.

    The names are listed first (a few bytes each); each file is read only when its turn comes.
    """
    names = sorted(entry.name for entry in os.scandir(path) if not entry.name.startswith("."))
    for name in names:
        full = os.path.join(path, name)
        stem, dot, suffix = name.rpartition(".")
        host = stem if dot and suffix in HOST_FILE_SUFFIXES else name  # web1.example.org stays whole
        if not os.path.isfile(full):
            yield _unreadable(host, full, "not-file")
            continue
        try:
            with open(full, "rb") as handle:
                raw = handle.read(MAX_RECORD_BYTES + 1)
        except OSError as error:
            yield _unreadable(host, full, "read-error", error.strerror or "")
            continue
        yield record_from_bytes(raw, host, full)


def read_json_lines(stream: BinaryIO, label: str = "<stdin>") -> Iterator[HostRecord]:
    """One record per non-blank line; a line too long to be a record is skipped to its end."""
    number = 0
    while True:
        line = stream.readline(MAX_RECORD_BYTES + 1)
        if not line:
            return
        number += 1
        source = f"{label}:{number}"
        if len(line) > MAX_RECORD_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # drop the rest of the overlong line
                line = stream.readline(MAX_RECORD_BYTES)
            yield _unreadable(f"line {number}", source, "too-large", str(MAX_RECORD_BYTES >> 20))
            continue
        if not line.strip():
            continue
        if not line.lstrip().startswith(b"{"):
            yield _unreadable(f"line {number}", source, "not-json-line")
            continue
        record = record_from_bytes(line, f"line {number}", source)
        if record.problem == "" and record.host == f"line {number}":
            record.problem, record.detail = "bad-field", "host"
        yield record
