"""Property: any text with any probe content gives a well-formed nskb-match/1 object.

The only other outcome allowed is the documented refusal (exit status 2 with one line): input that
is binary, or probe content that holds no usable facts or contradicts itself.
"""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nskb.cli.match import UsageError, one_line, parse_probe
from nskb.diagnose.normalize import InputError
from nskb.diagnose.rank import diagnose
from nskb.diagnose.scan import Scan, Scanner
from nskb.index.store import articles, load_index
from nskb.report.as_json import to_json
from nskb.report.markdown import to_markdown
from nskb.report.terminal import Style
from nskb.report.text import to_text

SCHEMA = json.loads((Path(__file__).parent / "nskb-match-1.schema.json").read_text())
INDEX = load_index()
EXAMPLES = sorted({line for s in articles(INDEX)["symptom"].values() for line in s["examples"]["match"]}) or ["x"]
KEYS = sorted(INDEX["facts"]) or ["chroot"]
VALUES = sorted({v for f in INDEX["facts"].values() for v in f["values"]} | {"yes", "no", "0", "1", "2", "unknown:absent"})

log_lines = st.one_of(st.sampled_from(EXAMPLES), st.text(max_size=200),
                      st.sampled_from(EXAMPLES).map(lambda s: "\x1b[31m" + s + "\x1b[0m\r"))
logs = st.one_of(
    st.lists(log_lines, max_size=30).map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass")),
    st.binary(max_size=2000),
)
fact_lines = st.tuples(st.one_of(st.sampled_from(KEYS), st.text(max_size=20)),
                       st.one_of(st.sampled_from(VALUES), st.text(max_size=20))).map(lambda kv: f"{kv[0]}={kv[1]}")
probes = st.one_of(
    st.none(),
    st.text(max_size=300),
    st.lists(fact_lines, max_size=20).map(lambda lines: "# nskb-probe/1\n" + "\n".join(lines) + "\n"),
    st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=10)),
                    st.one_of(st.sampled_from(VALUES), st.integers(), st.booleans(), st.none(),
                              st.lists(st.integers(), max_size=2)), max_size=10)
      .map(lambda d: json.dumps({"format": "nskb-probe/1", "facts": d})),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log=logs, probe=probes, lang=st.sampled_from(["zh", "en"]), top=st.integers(1, 5),
       chunk=st.integers(1, 4096))
def test_always_well_formed(log, probe, lang, top, chunk):
    try:
        facts, warnings = parse_probe(probe, "probe.txt", set(INDEX["facts"]) or None) if probe is not None else ({}, [])
        scan = Scan()
        Scanner(INDEX).feed(scan, "<stdin>", (log[i:i + chunk] for i in range(0, len(log), chunk)))
    except UsageError as error:
        assert "\n" not in one_line(str(error)) and str(error).startswith("probe.txt")
        return
    except InputError as error:
        assert error.code in ("binary", "utf16") and "\n" not in error.message
        return
    result = diagnose(INDEX, scan, facts, warnings)
    data = to_json(result, INDEX, lang, INDEX["site_url"], top)
    jsonschema.validate(json.loads(json.dumps(data, ensure_ascii=False)), SCHEMA)
    assert len(data["causes"]) <= top
    assert [c["rank"] for c in data["causes"]] == list(range(1, len(data["causes"]) + 1))
    assert not ({c["id"] for c in data["causes"]} & {r["id"] for r in data["ruled_out"]})
    to_text(result, INDEX, lang, INDEX["site_url"], top, Style(False))
    to_markdown(result, INDEX, lang, INDEX["site_url"], top)
