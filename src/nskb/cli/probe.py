"""kb-probe: run the nskb probe here and print its facts (text, JSON, or Markdown for a bug report).

Exit 0 on success (also for partial facts, which are marked as such); 2 with one line on stderr
when the probe cannot be run or read, or the output cannot be written.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nskb.cli.streams import read_stdin_bytes, say, write_out
from nskb.probe.parse import MAX_INPUT_BYTES, parse_probe_output
from nskb.probe.run import DEFAULT_TIMEOUT, FORMATS, ProbeError, Redactor, render, run_probe

PROG = "kb-probe"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage block
        say(self.prog, f"{message} (see {self.prog} --help)")
        raise SystemExit(2)

    def _print_message(self, message: str, file=None) -> None:  # --help: stdout may be closed
        if message and not write_out(self.prog, message):
            raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(
        prog="kb-probe",
        description="Collect the facts that tell apart the causes of a user-namespace or sandbox "
        "failure. Run it where the failure happens, as the same user. Read-only, needs no root.",
    )
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), json, or markdown to paste into a bug report")
    parser.add_argument("--redact", action="store_true",
                        help="replace host names, user names and home paths with placeholders")
    parser.add_argument("--input", metavar="FILE",
                        help="reformat a saved probe output instead of running the probe ('-' = stdin)")
    parser.add_argument("--shell", default="/bin/sh", help="POSIX shell that runs the probe (default /bin/sh)")
    parser.add_argument("--script", metavar="PATH", help="run this probe script instead of the bundled one")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.input is not None:
            text = _read_input(args.input)
        else:
            script = Path(args.script) if args.script else None
            if script is not None and not script.is_file():
                raise ProbeError(f"{script}: no such probe script")
            text = run_probe(script=script, shell=args.shell, timeout=args.timeout)
    except ProbeError as error:
        say(PROG, str(error))
        return 2
    result = parse_probe_output(text)
    facts = result.facts
    if not facts:
        say(PROG, "no facts in the probe output (is it nskb-probe/1 text or JSON?)")
        return 2
    if args.redact:
        redactor = Redactor.from_environment()
        facts = redactor.facts(facts)
        warnings = [redactor.value(w) for w in result.warnings]
    else:
        warnings = result.warnings
    for warning in warnings:
        say(PROG, f"warning: {warning}")
    out = render(facts, warnings, args.format, redacted=args.redact, complete=result.complete)
    return 0 if write_out(PROG, out) else 2


def _read_input(name: str) -> str:
    """The saved probe output, read as bytes (at most MAX_INPUT_BYTES) and decoded leniently."""
    try:
        if name == "-":
            raw = read_stdin_bytes(MAX_INPUT_BYTES + 1)
            if raw is None:
                raise ProbeError("stdin is closed or unreadable; give the saved output as --input FILE")
        else:
            with open(name, "rb") as handle:
                raw = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as error:
        raise ProbeError(f"{name}: {error.strerror or error}") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise ProbeError(f"{name}: larger than {MAX_INPUT_BYTES >> 20} MiB, so not probe output")
    return raw.decode("utf-8", errors="replace")


if __name__ == "__main__":
    sys.exit(main())
