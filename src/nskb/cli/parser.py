"""The argparse parser kb-probe and kb-lint share: usage errors as one line, examples after the help.

(kb-match has its own small parser: importing argparse alone would double its start-up.)
"""
from __future__ import annotations

import argparse
from typing import NoReturn

from nskb.cli.common import COLOR_CHOICES, COLOR_HELP
from nskb.cli.streams import say, write_out


class OneLineParser(argparse.ArgumentParser):
    def __init__(self, prog: str, description: str, examples: str) -> None:
        super().__init__(prog=prog, description=description, epilog="examples:\n" + examples,
                         formatter_class=argparse.RawDescriptionHelpFormatter)

    def error(self, message: str) -> NoReturn:  # one line, no usage block
        say(self.prog, f"{message} (see {self.prog} --help)")
        raise SystemExit(2)

    def _print_message(self, message: str, file: object = None) -> None:  # --help: stdout may be closed
        if message and not write_out(self.prog, message):
            raise SystemExit(2)

    def add_common(self, formats: tuple[str, ...]) -> None:
        """-f/--format, --color and -V/--version, the same on every command."""
        self.add_argument("-f", "--format", choices=formats, default=formats[0], metavar="FORMAT",
                          help=f"{', '.join(formats)} (default {formats[0]})")
        self.add_argument("--color", choices=COLOR_CHOICES, default="auto", metavar="WHEN", help=COLOR_HELP)
        self.add_argument("-V", "--version", action="store_true", help="print the version")
