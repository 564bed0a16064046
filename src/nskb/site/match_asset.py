"""The compiled match index as a site asset, for the diagnose page (assets/nskb/match-index.json).

The page runs kb-match's engine in the browser over the same index kb-match loads, so the two
cannot drift. For the repository's own kb/ that is src/nskb/data/index.json (rebuilt first when
kb/ is newer); for another KB (tests) it is compiled the same way. Only what diagnosing needs is
shipped: the terminal articles (`articles`) stay out.

The model's constants (priors, likelihood ratios, temperature, the confidence threshold ...) ship
in the same file under `model`, read from the Python modules that define them: the JavaScript
port reads them from there and hard-codes none (tests/site/test_engine_constants.py).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from nskb.diagnose import model
from nskb.entries import RISK_ORDER
from nskb.index.build import compile_kb, current_index
from nskb.index.sources import checkout_kb_root
from nskb.index.store import PACKAGE_DIR
from nskb.report.common import MIN_SHOWN
from nskb.report.fixes import GENERAL_TOOLS, MECHANISM_TOOLS

RELATIVE = Path("assets/nskb/match-index.json")
LEFT_OUT = ("articles", "problems")


def model_constants() -> dict[str, Any]:
    """Every public constant of nskb.diagnose.model (numbers, tables, fact keys), plus what the
    report uses to pick the causes and fixes it shows. Dict key order does not survive the asset's
    sorted JSON, so the strength order is shipped as a list."""
    constants: dict[str, Any] = {}
    for name, value in vars(model).items():
        if name.isupper() and not name.startswith("_") and name != "TYPE_CHECKING":
            constants[name] = list(value) if isinstance(value, tuple) else value
    constants["STRENGTH_ORDER"] = list(model.FEATURE_LEVEL)  # strongest first, as model.py ranks them
    constants["MIN_SHOWN"] = MIN_SHOWN
    constants["GENERAL_TOOLS"] = sorted(GENERAL_TOOLS)
    constants["MECHANISM_TOOLS"] = sorted(MECHANISM_TOOLS)
    constants["RISK_ORDER"] = dict(RISK_ORDER)
    return constants


def match_index(kb_root: Path) -> Any:
    checkout = checkout_kb_root(PACKAGE_DIR)
    if checkout and os.path.realpath(checkout) == os.path.realpath(kb_root):
        return current_index()
    return compile_kb(kb_root)


def write_match_index(kb_root: Path, out_docs: Path) -> Path:
    index = match_index(kb_root)
    shipped = {k: v for k, v in index.items() if k not in LEFT_OUT and not k.startswith("_")}
    shipped["model"] = model_constants()
    target = Path(out_docs) / RELATIVE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(shipped, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
                      encoding="utf-8")
    return target
