"""kb-lint [PATH]: check the knowledge base and print every problem as path:line:col: KBnnn message (hint).

Exit 0 clean, 1 problems, 2 unusable input.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from nskb.cli.streams import printable, say, write_out
from nskb.kb.loader import NotAKnowledgeBase, display_path, find_root

PROG = "kb-lint"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage block; stderr may be closed
        say(self.prog, f"{message} (see {self.prog} --help)")
        raise SystemExit(2)

    def _print_message(self, message: str, file=None) -> None:  # --help: stdout may be closed
        if message and not write_out(self.prog, message):
            raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog=PROG, description="Check the nskb knowledge base.")
    parser.add_argument("path", nargs="?", default="kb", help="the KB folder, or one entry file in it (default: kb)")
    args = parser.parse_args(argv)
    target = Path(args.path)
    if not target.exists():
        say(PROG, f"{target}: no such file or folder (give the KB folder, e.g. kb/)")
        return 2
    try:
        root = find_root(target if target.is_dir() else target.parent)
    except NotAKnowledgeBase as error:
        say(PROG, str(error))
        return 2
    from nskb.lint import validate_kb  # after argument checks, so usage errors answer at once

    try:
        _, problems = validate_kb(root)
    except OSError as error:
        say(PROG, f"{error.filename or root}: {error.strerror} (check that it is readable)")
        return 2
    except NotAKnowledgeBase as error:
        say(PROG, str(error))
        return 2
    if target.is_file():
        wanted = display_path(target, root)
        problems = [p for p in problems if p.path == wanted]
    # File names and quoted lines may hold terminal escapes: each line is shown, not obeyed.
    if not write_out(PROG, "".join(f"{printable(str(problem))}\n" for problem in problems)):
        return 2
    if problems:
        files = len({p.path for p in problems})
        say(PROG, f"{len(problems)} problem(s) in {files} file(s)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
