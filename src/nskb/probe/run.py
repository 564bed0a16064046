"""Run the bundled probe script, redact its output, and format it as text, JSON or Markdown."""
from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Mapping
from contextlib import ExitStack
from importlib import resources
from pathlib import Path

from nskb.probe.parse import FORMAT, HEADER, TRAILER, ProbeWarning
from nskb.probe.redact import Redactor  # noqa: F401 - kb-probe and tests import it from here

DEFAULT_TIMEOUT = 15.0  # seconds; the probe itself ends within about 8 s (see scripts/probe.sh)
FORMATS = ("text", "json", "markdown")


class ProbeError(Exception):
    """The probe could not be run; the message is one line meant for a person."""


def bundled_script(stack: ExitStack) -> Path:
    """Path of the probe script shipped in the package (`nskb/data/probe.sh`)."""
    ref = resources.files("nskb") / "data" / "probe.sh"
    if not ref.is_file():
        raise ProbeError("the bundled probe script nskb/data/probe.sh is missing (reinstall nskb)")
    return stack.enter_context(resources.as_file(ref))


def _kill_session(pid: int) -> None:
    import signal

    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_probe(script: Path | None = None, shell: str = "/bin/sh",
              timeout: float = DEFAULT_TIMEOUT, env: Mapping[str, str] | None = None) -> str:
    """Run the probe and return its standard output (nskb-probe/1 text).

    A probe stopped at `timeout` after its header keeps what it printed: the text then lacks the
    probe's end line, which the parser reports as partial.
    """
    with ExitStack() as stack:
        path = script if script is not None else bundled_script(stack)
        try:
            # Its own session, so that on a timeout the script and everything it started can be killed.
            proc = subprocess.Popen(
                [shell, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                env=dict(env) if env is not None else None, start_new_session=True,
            )
        except FileNotFoundError:
            raise ProbeError(f"cannot run the probe: shell {shell} not found") from None
        except PermissionError:
            raise ProbeError(f"cannot run the probe: {shell} or {path} is not executable or readable") from None
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            finished = proc.poll() is not None  # the script ended; only what it left behind holds the pipes
            _kill_session(proc.pid)
            stdout, stderr = proc.communicate()
            if not finished:
                partial = stdout.decode("utf-8", errors="replace")
                if partial.startswith(HEADER + "\n"):
                    return partial[: partial.rfind("\n") + 1]  # whole lines only
                raise ProbeError(f"the probe did not finish within {timeout:g} s") from None
        done = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    out = done.stdout.decode("utf-8", errors="replace")
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        detail = f": {err[-1]}" if err else ""
        raise ProbeError(f"the probe exited with status {done.returncode}{detail}")
    if not out.startswith(HEADER):
        raise ProbeError(f"the probe printed no '{HEADER}' header; is {path} the nskb probe?")
    return out


# --- formatting ------------------------------------------------------------------------------

def format_text(facts: Mapping[str, str], complete: bool = True) -> str:
    """nskb-probe/1 text; the end line only when the facts are complete, as the probe does."""
    return HEADER + "\n" + "".join(f"{k}={v}\n" for k, v in facts.items()) + (TRAILER + "\n" if complete else "")


def format_json(facts: Mapping[str, str], warnings: list[ProbeWarning], complete: bool = True) -> str:
    """JSON with coded warnings ({"code", "line", values}): the words are only in text and Markdown."""
    doc = {"format": FORMAT, "complete": complete, "facts": dict(facts), "warnings": [w.as_dict() for w in warnings]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def format_markdown(facts: Mapping[str, str], warnings: list[ProbeWarning], redacted: bool, complete: bool = True) -> str:
    """A block to paste into a bug report; `kb-match` reads it back unchanged."""
    body = format_text(facts, complete)
    runs = [len(m.group(0)) for m in re.finditer(r"`+", body)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    note = " Host names, user names and home paths are replaced by placeholders." if redacted else ""
    if not complete:
        note += " **Partial**: the probe did not finish, so some facts are missing."
    lines = [
        f"**nskb probe** (`{FORMAT}`, {len(facts)} facts, from `kb-probe --format markdown`).{note}",
        "",
        f"{fence}text",
        body.rstrip("\n"),
        fence,
    ]
    if warnings:
        lines += ["", "Probe warnings:", ""] + [f"- {w}" for w in warnings]
    return "\n".join(lines) + "\n"


def render(facts: Mapping[str, str], warnings: list[ProbeWarning], fmt: str, redacted: bool = False,
           complete: bool = True) -> str:
    if fmt == "text":
        return format_text(facts, complete)
    if fmt == "json":
        return format_json(facts, warnings, complete)
    if fmt == "markdown":
        return format_markdown(facts, warnings, redacted, complete)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
