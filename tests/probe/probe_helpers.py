"""Helpers shared by the probe tests: paths, the facts catalogue, running the script as a user."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "probe.sh"
FACTS_YAML = REPO / "kb" / "facts.yaml"
SAMPLES = Path(__file__).resolve().parent / "samples"
REPRO_FIXTURES = REPO / "tests" / "fixtures" / "repro"
SECCOMP_EXEC = REPO / "tests" / "integration" / "seccomp_exec.py"
NOBODY = 65534
CLEAN_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/", "LANG": "C.UTF-8"}
TIMEOUT = 60

INTEGER = re.compile(r"^[0-9]+$")


@cache
def catalogue() -> tuple[dict, ...]:
    return tuple(yaml.safe_load(FACTS_YAML.read_text(encoding="utf-8"))["facts"])


def catalogue_keys() -> list[str]:
    return [f["key"] for f in catalogue()]


def known_keys() -> frozenset[str]:
    return frozenset(catalogue_keys())


def undocumented(facts: Mapping[str, str]) -> list[str]:
    """Facts whose value facts.yaml does not describe (unknown:<reason> is always allowed)."""
    by_key = {f["key"]: f for f in catalogue()}
    problems = []
    for key, value in facts.items():
        entry = by_key.get(key)
        if entry is None:
            problems.append(f"{key}: not in kb/facts.yaml")
            continue
        if value.startswith("unknown:"):
            continue
        listed = {v["value"] for v in entry.get("values", [])}
        if value in listed:
            continue
        fmt = entry.get("format", "")
        if fmt.startswith("integer"):
            if not INTEGER.match(value):
                problems.append(f"{key}={value}: not an integer")
        elif not fmt:
            problems.append(f"{key}={value}: not among the documented values {sorted(listed)}")
    return problems


def as_nobody(argv: list[str]) -> list[str]:
    """Run argv as user 65534 when we are root; as ourselves otherwise."""
    if os.geteuid() == 0:
        return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *argv]
    return list(argv)


def expected_uid() -> str:
    return str(NOBODY if os.geteuid() == 0 else os.geteuid())


@contextmanager
def public_copy() -> Iterator[Path]:
    """A copy of the probe that user 65534 can read (pytest's tmp_path is private to root)."""
    d = Path(tempfile.mkdtemp(prefix="nskb-probe-test-"))
    try:
        os.chmod(d, 0o755)
        copy = d / "probe.sh"
        shutil.copyfile(SCRIPT, copy)
        os.chmod(copy, 0o644)
        yield copy
    finally:
        shutil.rmtree(d, ignore_errors=True)


def run(argv: list[str], env: Mapping[str, str] | None = None, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    return subprocess.run(argv, env=dict(env if env is not None else CLEAN_ENV), capture_output=True,
                          text=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL)
