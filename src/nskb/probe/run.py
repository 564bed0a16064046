"""Run the bundled probe script, redact its output, and format it as text, JSON or Markdown."""
from __future__ import annotations

import json
import os
import pwd
import re
import socket
import subprocess
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from nskb.probe.parse import FORMAT, HEADER, ProbeWarning

DEFAULT_TIMEOUT = 15.0  # seconds; the probe itself bounds each command to 2 s
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
    """Run the probe and return its standard output (nskb-probe/1 text)."""
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


# --- redaction -------------------------------------------------------------------------------

_NOT_SECRET = {"root", "nobody", "localhost", "user", "host", "none", "unknown"}
_HOME_RE = re.compile(r"/(?:home|Users)/[^/\s,:=]+")


@dataclass
class Redactor:
    """Replace host names, user names and home paths with stable placeholders.

    The same original always becomes the same placeholder (`<user1>`, `<host1>`, `<home1>`), so
    a redacted report still shows that two values were equal.
    """

    hosts: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    homes: list[str] = field(default_factory=list)
    _seen: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_environment(cls) -> Redactor:
        hosts = {socket.gethostname(), os.uname().nodename}
        hosts |= {h.split(".")[0] for h in hosts}
        users = {os.environ.get(v, "") for v in ("USER", "LOGNAME", "SUDO_USER")}
        homes = {os.environ.get("HOME", "")}
        for uid in {os.getuid(), os.geteuid()}:
            try:
                entry = pwd.getpwuid(uid)
            except KeyError:
                continue
            users.add(entry.pw_name)
            homes.add(entry.pw_dir)
        return cls(hosts=_usable(hosts), users=_usable(users), homes=_usable(homes, paths=True))

    def _token(self, kind: str, original: str) -> str:
        if original not in self._seen:
            n = sum(1 for t in self._seen.values() if t.startswith(f"<{kind}")) + 1
            self._seen[original] = f"<{kind}{n}>"
        return self._seen[original]

    def value(self, text: str) -> str:
        for home in sorted(self.homes, key=len, reverse=True):
            text = re.sub(re.escape(home) + r"(?=/|$|[\s,:])", lambda m: self._token("home", m.group(0)), text)
        text = _HOME_RE.sub(lambda m: self._token("home", m.group(0)), text)
        for kind, names in (("host", self.hosts), ("user", self.users)):
            for name in sorted(names, key=len, reverse=True):
                word = r"(?<![A-Za-z0-9_])" + re.escape(name) + r"(?![A-Za-z0-9_])"
                text = re.sub(word, lambda m, k=kind: self._token(k, m.group(0)), text)  # type: ignore[misc]
        return text

    def facts(self, facts: Mapping[str, str]) -> dict[str, str]:
        return {k: self.value(v) for k, v in facts.items()}

    def warning(self, warning: ProbeWarning) -> ProbeWarning:
        """The same warning with host names, user names and home paths in its values replaced."""
        params = {k: self.value(v) if isinstance(v, str) else v for k, v in warning.params.items()}
        return ProbeWarning(warning.code, warning.line, params)


def _usable(names: Iterable[str], paths: bool = False) -> list[str]:
    out = []
    for n in names:
        if not n or n in _NOT_SECRET:
            continue
        if paths and (n in ("/", "/root") or not n.startswith("/") or n.startswith("/nonexistent")):
            continue
        if not paths and len(n) < 2:
            continue
        out.append(n)
    return sorted(out)


# --- formatting ------------------------------------------------------------------------------

def format_text(facts: Mapping[str, str]) -> str:
    return HEADER + "\n" + "".join(f"{k}={v}\n" for k, v in facts.items())


def format_json(facts: Mapping[str, str], warnings: list[ProbeWarning]) -> str:
    """JSON with coded warnings ({"code", "line", values}): the words are only in text and Markdown."""
    doc = {"format": FORMAT, "facts": dict(facts), "warnings": [w.as_dict() for w in warnings]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def format_markdown(facts: Mapping[str, str], warnings: list[ProbeWarning], redacted: bool) -> str:
    """A block to paste into a bug report; `kb-match` reads it back unchanged."""
    body = format_text(facts)
    runs = [len(m.group(0)) for m in re.finditer(r"`+", body)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    note = " Host names, user names and home paths are replaced by placeholders." if redacted else ""
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


def render(facts: Mapping[str, str], warnings: list[ProbeWarning], fmt: str, redacted: bool = False) -> str:
    if fmt == "text":
        return format_text(facts)
    if fmt == "json":
        return format_json(facts, warnings)
    if fmt == "markdown":
        return format_markdown(facts, warnings, redacted)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
