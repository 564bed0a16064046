"""kb-probe: run the nskb probe here and print its facts (text, JSON, or Markdown for a bug report).

Exit 0 on success; 2 with one line on stderr when the probe cannot be run or read.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nskb.probe.parse import MAX_INPUT_BYTES, parse_probe_output
from nskb.probe.run import DEFAULT_TIMEOUT, FORMATS, ProbeError, Redactor, render, run_probe


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage block
        print(f"{self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
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
        print(f"kb-probe: {error}", file=sys.stderr)
        return 2
    result = parse_probe_output(text)
    facts = result.facts
    if not facts:
        print("kb-probe: no facts in the probe output (is it nskb-probe/1 text or JSON?)", file=sys.stderr)
        return 2
    if args.redact:
        redactor = Redactor.from_environment()
        facts = redactor.facts(facts)
        warnings = [redactor.warning(w) for w in result.warnings]
    else:
        warnings = result.warnings
    for warning in warnings:
        print(f"kb-probe: warning: {warning}", file=sys.stderr)
    sys.stdout.write(render(facts, warnings, args.format, redacted=args.redact))
    return 0


def _read_input(name: str) -> str:
    """The saved probe output, read as bytes (at most MAX_INPUT_BYTES) and decoded leniently."""
    try:
        if name == "-":
            raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
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
