"""The compiled match index as a site asset, for the diagnose page (assets/nskb/match-index.json).

The page runs kb-match's engine in the browser over the same index kb-match loads, so the two
cannot drift. For the repository's own kb/ that is src/nskb/data/index.json (rebuilt first when
kb/ is newer); for another KB (tests) it is compiled the same way. Only what diagnosing needs is
shipped: the terminal articles (`articles`) stay out.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from nskb.index.build import compile_kb, current_index
from nskb.index.sources import checkout_kb_root
from nskb.index.store import PACKAGE_DIR

RELATIVE = Path("assets/nskb/match-index.json")
LEFT_OUT = ("articles", "problems")


def match_index(kb_root: Path) -> Any:
    checkout = checkout_kb_root(PACKAGE_DIR)
    if checkout and os.path.realpath(checkout) == os.path.realpath(kb_root):
        return current_index()
    return compile_kb(kb_root)


def write_match_index(kb_root: Path, out_docs: Path) -> Path:
    index = match_index(kb_root)
    shipped = {k: v for k, v in index.items() if k not in LEFT_OUT and not k.startswith("_")}
    target = Path(out_docs) / RELATIVE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(shipped, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
                      encoding="utf-8")
    return target
