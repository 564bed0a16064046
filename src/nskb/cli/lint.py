"""kb-lint [PATH]: check the knowledge base and print every problem as path:line:col: KBnnn message (hint).

Exit 0 clean, 1 problems, 2 unusable input.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from nskb.cli.common import use_color, version_line
from nskb.cli.parser import OneLineParser
from nskb.cli.streams import printable, say, write_out
from nskb.kb.loader import NotAKnowledgeBase, display_path, find_root
from nskb.kb.model import Problem
from nskb.report.terminal import Style

FORMATS = ("text", "json")
LINT_FORMAT = "nskb-lint/1"
EXAMPLES = """\
  kb-lint                               check kb/ (exit 0 clean, 1 problems, 2 unusable input)
  kb-lint kb/causes/chroot-environment.yaml
  kb-lint -f json kb | jq '.problems[].code'
"""

PROG = "kb-lint"



def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog=PROG, examples=EXAMPLES,
                           description="Check the nskb knowledge base: every problem as path:line:col: KBnnn message (hint).")
    parser.add_argument("path", nargs="?", default="kb", help="the KB folder, or one entry file in it (default: kb)")
    parser.add_common(FORMATS)
    args = parser.parse_args(argv)
    if args.version:
        return 0 if write_out(PROG, version_line(parser.prog)) else 2
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
    if not write_out(PROG, _render(problems, args.format, Style(use_color(args.color, sys.stdout)))):
        return 2
    if problems:
        files = len({p.path for p in problems})
        say(PROG, f"{len(problems)} problem(s) in {files} file(s)")
        return 1
    return 0


def _render(problems: list[Problem], form: str, style: Style) -> str:
    if form == "json":  # codes and places as data; the message and hint are the linter's English words
        items = [{"path": p.path, "line": p.line, "col": p.col, "code": p.code, "message": p.message, "hint": p.hint}
                 for p in problems]
        return json.dumps({"format": LINT_FORMAT, "problems": items}, ensure_ascii=False, indent=2) + "\n"
    if not style.enabled:
        return "".join(f"{printable(str(p))}\n" for p in problems)
    return "".join(f"{style('dim', printable(f'{p.path}:{p.line}:{p.col}:'))} {style('red', p.code)} {printable(p.message)}"
                   f"{style('dim', printable(f' ({p.hint})')) if p.hint else ''}\n" for p in problems)


if __name__ == "__main__":
    raise SystemExit(main())
