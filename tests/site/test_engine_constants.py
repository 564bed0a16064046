"""The JavaScript engine (nskb-engine.js) takes the model's constants from the match index the site
ships, never from its own source: a change in nskb.diagnose.model reaches the page with the next
build and cannot drift. tests/site/test_diagnose.py runs the corpus through both for parity."""
from __future__ import annotations

import json
import re
from pathlib import Path

from nskb.diagnose import model
from nskb.site.match_asset import model_constants, write_match_index

ENGINE = Path(__file__).resolve().parents[2] / "src/nskb/site/theme/assets/javascripts/nskb-engine.js"
FIXTURE_KB = Path(__file__).resolve().parent / "data" / "kb"
NUMBER = re.compile(r"(?<![\w.$])(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def _code(source: str) -> str:
    """The engine without its comments (they may quote the values they explain)."""
    source = re.sub(r"/\*.*?\*/", " ", source, flags=re.S)
    return re.sub(r"(^|\s)//[^\n]*", r"\1", source)


def _numbers(value) -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return []


def test_no_model_constant_is_assigned_in_the_engine():
    code = _code(ENGINE.read_text(encoding="utf-8"))
    for name in model_constants():
        assert not re.search(rf"(?<![\w.]){name}\s*(?:=(?!=)|:)", code), f"nskb-engine.js defines {name} itself"
        assert f"M.{name}" in code, f"nskb-engine.js does not read {name} from the index's model"


def test_no_model_value_is_written_as_a_number_in_the_engine():
    # Fractions are what a model constant looks like (0.7, 0.02, 2.5); the engine's own integers
    # (line caps, array indexes) are not checked, and whole-number constants are caught by name above.
    fractions = {n for n in _numbers(model_constants()) if n != int(n)}
    code = _code(ENGINE.read_text(encoding="utf-8"))
    written = {float(m.group(0)) for m in NUMBER.finditer(code)}
    assert not fractions & written, f"model values written into nskb-engine.js: {sorted(fractions & written)}"


def test_the_shipped_index_carries_every_public_constant_of_the_model(tmp_path):
    shipped = json.loads(write_match_index(FIXTURE_KB, tmp_path).read_text(encoding="utf-8"))["model"]
    public = {n for n in vars(model) if n.isupper() and not n.startswith("_") and n != "TYPE_CHECKING"}
    assert public <= set(shipped)
    assert shipped["TEMPERATURE"] == model.TEMPERATURE and shipped["P_LINK"] == model.P_LINK
    assert shipped["STRENGTH_ORDER"] == list(model.FEATURE_LEVEL)


def test_a_changed_constant_reaches_the_asset(tmp_path, monkeypatch):
    monkeypatch.setattr(model, "TEMPERATURE", 0.55)
    monkeypatch.setattr(model, "LR_CLUE", {**model.LR_CLUE, "usual": 33.0})
    shipped = json.loads(write_match_index(FIXTURE_KB, tmp_path).read_text(encoding="utf-8"))["model"]
    assert shipped["TEMPERATURE"] == 0.55 and shipped["LR_CLUE"]["usual"] == 33.0
