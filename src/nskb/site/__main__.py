"""python -m nskb.site --out .site-src [--kb kb] [--docs docs] [--allow-missing-commands]"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nskb.kb.loader import load_kb
from nskb.site import RenderError, render_site
from nskb.site.match_asset import write_match_index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nskb.site",
                                     description="Write the site's Markdown pages from the KB.")
    parser.add_argument("--out", required=True, type=Path, help="folder to (re)write, e.g. .site-src")
    parser.add_argument("--kb", default=Path("kb"), type=Path, help="KB folder (default: kb)")
    parser.add_argument("--docs", default=Path("docs"), type=Path,
                        help="hand-written pages to copy (default: docs; docs/dev/ is left out)")
    parser.add_argument("--allow-missing-commands", action="store_true",
                        help="development only: a usage command that cannot run leaves a note "
                             "instead of failing the render")
    args = parser.parse_args(argv)
    try:
        kb, problems = load_kb(args.kb)
    except Exception as error:  # noqa: BLE001 - the loader's "not a KB" and I/O errors: one line, no traceback
        print(f"nskb.site: cannot load {args.kb}: {error}", file=sys.stderr)
        return 2
    if problems:
        print(f"nskb.site: {len(problems)} problem(s) in {args.kb}; run kb-lint for details "
              "(rendering what could be read)", file=sys.stderr)
    try:
        refused: list[str] = []
        count = render_site(kb, args.out, args.docs, allow_missing=args.allow_missing_commands, warnings=refused)
    except RenderError as error:
        print(f"nskb.site: {error}", file=sys.stderr)
        return 2
    try:
        write_match_index(args.kb, args.out)
    except Exception as error:  # noqa: BLE001 - a KB the compiler cannot read: the site needs it for /diagnose/
        print(f"nskb.site: cannot compile the match index from {args.kb}: {error} (run kb-lint)", file=sys.stderr)
        return 2
    for warning in refused:
        print(f"nskb.site: {args.kb}/{warning}", file=sys.stderr)
    print(f"nskb.site: wrote {count} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
