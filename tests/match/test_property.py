"""Properties over any input.

1. Any text with any probe content gives a well-formed nskb-match/2 object, and the text and
   Markdown reports of it render. The only other outcome allowed is the documented refusal (exit
   status 2 with one line): input that is binary, or probe content that holds no usable facts or
   contradicts itself.
2. Order and repetition do not matter: shuffling the lines of a log, or repeating some of them,
   never changes the verdict, the ranking or the probabilities. Lines are kept apart by a blank
   line, so that none is read as the wrapped continuation of the one before.
"""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nskb.cli.match import UsageError, one_line, parse_probe
from nskb.diagnose.model import CONFIDENT, diagnose
from nskb.diagnose.normalize import InputError
from nskb.diagnose.scan import Scanner
from nskb.diagnose.types import Scan
from nskb.index.build import current_index as load_index
from nskb.index.store import articles
from nskb.report.as_json import to_json
from nskb.report.markdown import to_markdown
from nskb.report.terminal import Style
from nskb.report.text import to_text

SCHEMA = json.loads((Path(__file__).parent / "nskb-match-2.schema.json").read_text())
INDEX = load_index()
EXAMPLES = sorted({line for s in articles(INDEX)["symptom"].values() for line in s["examples"]["match"]}) or ["x"]
KEYS = sorted(INDEX["facts"]) or ["chroot"]
VALUES = sorted({v for f in INDEX["facts"].values() for v in f["values"]} | {"yes", "no", "0", "1", "2", "unknown:absent"})
# Lines that are not symptoms but carry evidence: audit records, failures of any program, a
# program's own hint, context lines that state a fact.
OTHER_EVIDENCE = [
    'audit: type=1400 audit(1.2:3): apparmor="DENIED" operation="userns_create" class="namespace" profile="unprivileged_userns" pid=1 comm="bwrap" requested="userns_create" denied="userns_create"',
    'type=AVC msg=audit(1.2:3): avc:  denied  { create } for  pid=1 comm="bwrap" scontext=u:r:x:s0 tcontext=u:r:x:s0 tclass=user_namespace permissive=0',
    "type=SECCOMP msg=audit(1.2:3): auid=1 uid=1 ses=1 pid=1 comm=\"bwrap\" exe=\"/usr/bin/bwrap\" sig=0 arch=c000003e syscall=272 compat=0 ip=0x1 code=0x50001",
    "myjail: unshare(CLONE_NEWUSER) failed: Operation not permitted",
    "ERROR: perf_event_open error : Permission denied",
    "error: maybe apparmor_restrict_unprivileged_userns is set: Permission denied",
    "error: apparmor denied it: Permission denied",
    "uid=0(root) gid=0(root) groups=0(root)",
    "Linux host 6.8.0-31-generic #31-Ubuntu SMP PREEMPT_DYNAMIC x86_64 GNU/Linux",
    "docker run --rm -it debian bash",
    'ID="ubuntu"',
    "ID=debian",
]

log_lines = st.one_of(st.sampled_from(EXAMPLES), st.sampled_from(OTHER_EVIDENCE), st.text(max_size=200),
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


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
        assert error.code in ("binary", "utf16", "utf32") and "\n" not in error.message
        return
    diagnosis = diagnose(INDEX, scan, facts, warnings)
    result = diagnosis.to_dict()
    data = to_json(result, INDEX, lang, INDEX["site_url"], top, CONFIDENT)
    jsonschema.validate(json.loads(json.dumps(data, ensure_ascii=False)), SCHEMA)
    assert len(data["causes"]) <= top
    ranks = [c["rank"] for c in data["causes"]]
    assert ranks == sorted(set(ranks))
    assert not ({c["id"] for c in data["causes"]} & {r["id"] for r in data["ruled_out"] if r["certain"]})
    # Over every ranked cause (not only the shown ones), the probabilities and `other` make 1.
    assert abs(sum(c.probability for c in diagnosis.causes) + diagnosis.other - 1) < 1e-9
    if data["verdict"] == "cause":
        assert data["causes"] and data["causes"][0]["probability"] >= CONFIDENT
        # Named by facts alone only when the log holds no failure (a clue line is no failure).
        log_failure = any(INDEX["symptoms"][s]["kind"] == "error" for s in scan.symptom_hits) or scan.feature_hits
        assert data["causes"][0]["explained"] or not log_failure
    if not any(INDEX["symptoms"][s]["kind"] == "error" for s in scan.symptom_hits) and not scan.feature_hits:
        failed = any(facts.get(k, "ok") not in ("ok", "skipped", "n/a") and not facts.get(k, "").startswith("unknown:")
                     for k in ("userns.create", "userns.map_write", "userns.proc_mount"))
        assert data["verdict"] == "no-failure" or failed
    to_text(result, INDEX, lang, INDEX["site_url"], top, Style(False), CONFIDENT)
    to_markdown(result, INDEX, lang, INDEX["site_url"], top, CONFIDENT)


def _diagnose_lines(lines: list[str], facts: dict[str, str]):
    scan = Scan()
    Scanner(INDEX).feed(scan, "log", ["\n\n".join(lines).encode("utf-8", "surrogatepass") + b"\n"])
    result = diagnose(INDEX, scan, facts, [])
    return (result.verdict, [c.id for c in result.causes], [round(c.probability, 9) for c in result.causes],
            round(result.other, 9), sorted(result.facts.items()))


printable_lines = st.one_of(st.sampled_from(EXAMPLES), st.sampled_from(OTHER_EVIDENCE),
                            st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80))
probe_facts = st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=6)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(printable_lines, min_size=1, max_size=12), facts=probe_facts, data=st.data())
def test_order_and_repetition_never_change_the_diagnosis(lines, facts, data):
    lines = [line.strip() for line in lines if line.strip()] or ["x"]
    base = _diagnose_lines(lines, facts)
    shuffled = data.draw(st.permutations(lines), label="shuffled")
    assert _diagnose_lines(list(shuffled), facts) == base
    repeats = data.draw(st.lists(st.integers(1, 4), min_size=len(lines), max_size=len(lines)), label="repeats")
    repeated = [line for line, n in zip(shuffled, repeats, strict=True) for _ in range(n)]
    assert _diagnose_lines(repeated, facts) == base
