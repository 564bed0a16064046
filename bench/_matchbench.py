"""Shared helpers for bench/match_*: locate kb-match, make noise logs, time and measure runs."""
from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
KB_MATCH = os.environ.get("KB_MATCH", str(VENV_BIN / "kb-match"))
PYTHON = os.environ.get("PYTHON", str(VENV_BIN / "python"))
# Runs as after `pip install`, which byte-compiles the package: the bytecode cache is on.
RUN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# The helpers import nskb (google-re2 and all): run under the interpreter kb-match runs on.
if Path(PYTHON).exists() and Path(sys.prefix).resolve() != Path(PYTHON).parent.parent.resolve():
    os.execv(PYTHON, [PYTHON, *sys.argv])

WORDS = ["build", "compile", "link", "package", "install", "cargo", "rustc", "gcc", "make", "test", "passed", "layer", "cache", "pull", "image", "sha256", "container", "volume", "network", "mount", "user", "group", "kernel", "module", "service", "unit", "started", "stopped", "reloading", "download", "verify", "checksum", "resolve", "dependency", "artifact", "upload", "runner", "job", "step"]
TEMPLATES = [
    "{ts} INFO [{w}] {w} {w} {w} completed in {n}ms",
    "{ts} DEBUG {w}/{w}/{w}.c:{n}: {w} {w} = {n}",
    "  CC       src/{w}/{w}_{n}.o",
    "Step {n}/{m} : RUN apt-get install -y {w} {w}",
    " ---> Running in {h}",
    "npm WARN deprecated {w}@{n}.{m}.{n}: this {w} is no longer supported",
    "[{n}/{m}] Building C object CMakeFiles/{w}.dir/{w}.c.o",
    "{ts} kernel: [{n}.{m}] {w}: {w} {w} {w} at 0x{h}",
    "test {w}::{w}_{w} ... ok",
    "    Compiling {w} v{n}.{m}.{n}",
    "Get:{n} http://deb.debian.org/debian bookworm/main amd64 {w} amd64 {n}.{m} [{n} kB]",
    "{ts} 构建 {w} 完成，用时 {n} 秒",
    "\x1b[32m✓\x1b[0m {w} {w} ({n} ms)",
]


def noise_block(lines: int = 20000, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    out = []
    for _ in range(lines):
        out.append(rng.choice(TEMPLATES).format(
            ts=f"2024-05-{rng.randint(1, 28):02d} 12:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
            w=rng.choice(WORDS), n=rng.randint(0, 9999), m=rng.randint(1, 99), h=f"{rng.getrandbits(32):08x}"))
    return ("\n".join(out) + "\n").encode()


def symptom_lines(count: int = 12) -> list[bytes]:
    """Real example lines from the KB's own symptoms (the compiled index), spread over the log."""
    sys.path.insert(0, str(REPO / "src"))
    from nskb.index.build import current_index as load_index
    from nskb.index.store import articles

    index = load_index()
    examples = articles(index)["symptom"]
    lines = [line for sid, s in sorted(index["symptoms"].items()) if s["kind"] == "error"
             for line in examples[sid]["examples"]["match"][:1]]
    rng = random.Random(7)
    return [(line + "\n").encode() for line in rng.sample(lines, min(count, len(lines)))]


def write_log(path: Path, size: int) -> int:
    """A log of about `size` bytes: noise with a few symptom lines spread through it. Returns its size."""
    block = noise_block()
    symptoms = symptom_lines()
    blocks = max(1, size // len(block))
    every = max(1, blocks // (len(symptoms) + 1))
    with open(path, "wb") as handle:
        for i in range(blocks):
            handle.write(block)
            if i % every == every - 1 and symptoms:
                handle.write(symptoms.pop())
    return path.stat().st_size


def ere_patterns() -> tuple[list[str], int]:
    """The patterns kb-match's prefilter scans with (every symptom pattern and every feature
    trigger of the index) as POSIX ERE for grep -E; returns (patterns, skipped)."""
    sys.path.insert(0, str(REPO / "src"))
    from nskb.index.build import current_index as load_index

    index = load_index()
    everything = [p for s in index["symptoms"].values() for p in s["patterns"]]
    everything += (index.get("features") or {}).get("triggers", [])
    out, skipped = [], 0
    for pattern in everything:
        if True:
            ere = (pattern.replace("(?:", "(").replace(r"\d", "[0-9]").replace(r"\s", "[[:space:]]")
                   .replace(r"\S", "[^[:space:]]").replace(r"\w", "[[:alnum:]_]"))
            if "(?" in ere or "*?" in ere or "+?" in ere or "\\p" in ere:
                skipped += 1
                continue
            out.append(ere)
    return out, skipped


def run_measured(command: list[str], stdin=None, env=None) -> tuple[float, int, int]:
    """Wall time (s), exit status and peak RSS (KiB) of one run.

    Output goes to a real file, not /dev/null: GNU grep notices /dev/null and stops at the first
    match, which would make the comparison meaningless.
    """
    import tempfile

    with tempfile.TemporaryFile() as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdin=stdin, stdout=sink, stderr=subprocess.DEVNULL,
                                env=RUN_ENV if env is None else env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, proc.returncode, usage.ru_maxrss


def best_of(runs: int, command: list[str], **kwargs) -> tuple[float, float, int]:
    """(min, median) wall time and max peak RSS over `runs` runs."""
    times, rss = [], 0
    for _ in range(runs):
        elapsed, _code, peak = run_measured(command, **kwargs)
        times.append(elapsed)
        rss = max(rss, peak)
    return min(times), statistics.median(times), rss


def report(rows: list[tuple[str, str]]) -> None:
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


def dump_json(data: dict) -> None:
    if os.environ.get("BENCH_JSON"):
        print(json.dumps(data))
