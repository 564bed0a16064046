"""kb-lint [PATH]: check the knowledge base and print every problem as path:line:col: KBnnn message (hint).

Exit 0 clean, 1 problems, 2 unusable input.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from nskb.kb.loader import NotAKnowledgeBase, display_path, find_root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kb-lint", description="Check the nskb knowledge base.")
    parser.add_argument("path", nargs="?", default="kb", help="the KB folder, or one entry file in it (default: kb)")
    args = parser.parse_args(argv)
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
        for problem in problems:
            sys.stdout.write(f"{problem}\n")
        sys.stdout.flush()
    except BrokenPipeError:  # `kb-lint | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # quiet the flush at exit
    if problems:
        files = len({p.path for p in problems})
        print(f"kb-lint: {len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
