"""kb-lint [PATH]: check the knowledge base and print every problem as path:line:col: KBnnn message (hint).

Exit 0 clean, 1 problems, 2 unusable input.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from nskb.cli.common import use_color, version_line
from nskb.cli.parser import OneLineParser
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


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog="kb-lint", examples=EXAMPLES,
                           description="Check the nskb knowledge base: every problem as path:line:col: KBnnn message (hint).")
    parser.add_argument("path", nargs="?", default="kb", help="the KB folder, or one entry file in it (default: kb)")
    parser.add_common(FORMATS)
    args = parser.parse_args(argv)
    if args.version:
        sys.stdout.write(version_line(parser.prog))
        return 0
    target = Path(args.path)
    if not target.exists():
        print(f"kb-lint: {target}: no such file or folder (give the KB folder, e.g. kb/)", file=sys.stderr)
        return 2
    try:
        root = find_root(target if target.is_dir() else target.parent)
    except NotAKnowledgeBase as error:
        print(f"kb-lint: {error}", file=sys.stderr)
        return 2
    from nskb.lint import validate_kb  # after argument checks, so usage errors answer at once

    try:
        _, problems = validate_kb(root)
    except OSError as error:
        print(f"kb-lint: {error.filename or root}: {error.strerror} (check that it is readable)", file=sys.stderr)
        return 2
    except NotAKnowledgeBase as error:
        print(f"kb-lint: {error}", file=sys.stderr)
        return 2
    if target.is_file():
        wanted = display_path(target, root)
        problems = [p for p in problems if p.path == wanted]
    try:
        sys.stdout.write(_render(problems, args.format, Style(use_color(args.color, sys.stdout))))
        sys.stdout.flush()
    except BrokenPipeError:  # `kb-lint | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # quiet the flush at exit
    if problems:
        files = len({p.path for p in problems})
        print(f"kb-lint: {len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return 1
    return 0


def _render(problems: list[Problem], form: str, style: Style) -> str:
    if form == "json":  # codes and places as data; the message and hint are the linter's English words
        items = [{"path": p.path, "line": p.line, "col": p.col, "code": p.code, "message": p.message, "hint": p.hint}
                 for p in problems]
        return json.dumps({"format": LINT_FORMAT, "problems": items}, ensure_ascii=False, indent=2) + "\n"
    if not style.enabled:
        return "".join(f"{p}\n" for p in problems)
    return "".join(f"{style('dim', f'{p.path}:{p.line}:{p.col}:')} {style('red', p.code)} {p.message}"
                   f"{style('dim', f' ({p.hint})') if p.hint else ''}\n" for p in problems)


if __name__ == "__main__":
    sys.exit(main())
