"""kb-probe: run the nskb probe here and print its facts (text, JSON, or Markdown for a bug report).

Exit 0 on success (also for partial facts, which are marked as such); 2 with one line on stderr
when the probe cannot be run or read, or the output cannot be written.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nskb.cli.common import use_color, version_line
from nskb.cli.parser import OneLineParser
from nskb.cli.streams import read_stdin_bytes, say, write_out
from nskb.probe.parse import MAX_INPUT_BYTES, parse_probe_output
from nskb.probe.run import DEFAULT_TIMEOUT, FORMATS, ProbeError, Redactor, render, run_probe
from nskb.report.terminal import Style

PROG = "kb-probe"
EXAMPLES = """\
  kb-probe > probe.txt                  then: kb-match error.log -p probe.txt
  kb-probe -f markdown --redact         a block to paste into a bug report
  kb-probe -i probe.txt -f json         reformat a saved probe output
"""


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(
        prog="kb-probe", examples=EXAMPLES,
        description="Collect the facts that tell apart the causes of a user-namespace or sandbox "
        "failure. Run it where the failure happens, as the same user. Read-only, needs no root.",
    )
    parser.add_common(FORMATS)  # text, json, or markdown to paste into a bug report
    parser.add_argument("--redact", action="store_true",
                        help="replace host names, user names and home paths with placeholders")
    parser.add_argument("-i", "--input", metavar="FILE",
                        help="reformat a saved probe output instead of running the probe ('-' = stdin)")
    parser.add_argument("--shell", default="/bin/sh", help="POSIX shell that runs the probe (default /bin/sh)")
    parser.add_argument("--script", metavar="PATH", help="run this probe script instead of the bundled one")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.version:
        return 0 if write_out(PROG, version_line(parser.prog)) else 2
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
        warnings = [redactor.warning(w) for w in result.warnings]
    else:
        warnings = result.warnings
    for warning in warnings:
        say(PROG, f"warning: {warning}")  # (say escapes terminal controls, colour included)
    out = render(facts, warnings, args.format, redacted=args.redact, complete=result.complete)
    style = Style(use_color(args.color, sys.stdout))
    if args.format == "text" and style.enabled:  # keys stand out on a terminal; a pipe or file gets plain text
        out = _colour_keys(out, style)
    return 0 if write_out(PROG, out) else 2


def _colour_keys(text: str, style: Style) -> str:
    lines = []
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        lines.append(f"{style('cyan', key)}={value}" if sep and not line.startswith("#") else line)
    return "\n".join(lines) + "\n"


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
