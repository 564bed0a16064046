"""kb-match on a real reproduction (tests/fixtures/repro/): its real stderr and its real probe output.

chroot-plain-dir: bwrap run by an unprivileged user inside a plain chroot. The probe also reports
`subuid.count=0`, which confirms subid-ranges-missing; that cause is about Podman and newuidmap,
not bwrap, and no matched line lists it, so it must not be offered next to the bwrap error.

pivot-root-bind: the control, pivot_root into a bind-mounted directory as LXC or nspawn do. Nothing
fails there (empty stderr, userns.create=ok), so kb-match names nothing.
"""
from __future__ import annotations

from nskb.cli.match import parse_probe
from nskb.diagnose.conditions import holding

from .conftest import REPO
from .test_cli import as_json, kb_match

REPRO = REPO / "tests" / "fixtures" / "repro" / "chroot-plain-dir"
STDERR, PROBE = REPRO / "stderr.txt", REPRO / "probe.txt"
CONTROL = REPO / "tests" / "fixtures" / "repro" / "pivot-root-bind"


def test_the_reproduction_is_what_this_test_is_about(real_index):
    facts, _warnings = parse_probe(PROBE.read_text(encoding="utf-8"), "probe.txt", set(real_index["facts"]))
    assert "No permissions to create new namespace" in STDERR.read_text(encoding="utf-8")
    assert facts["chroot"] == "yes" and facts["subuid.count"] == "0"
    keys, _tests = holding(real_index["causes"]["subid-ranges-missing"]["confirms"], facts)
    assert keys, "the probe no longer confirms subid-ranges-missing; the test below would prove nothing"
    assert "bwrap" not in real_index["causes"]["subid-ranges-missing"]["tools"]


def test_facts_about_other_tools_do_not_join_a_bwrap_error(real_index):
    code, out, err = kb_match("--format", "json", "--top", "10", STDERR, "--probe", PROBE)
    data = as_json(out)
    assert code == 0, err
    assert data["verdict"] == "cause" and data["causes"][0]["id"] == "chroot-environment"
    assert "subid-ranges-missing" not in [c["id"] for c in data["causes"]]
    for cause in data["causes"]:  # a cause listed beside the bwrap error is one a line of the log explains
        assert cause["explained"], cause["id"]


def test_the_confirming_fact_is_shown_but_not_counted(real_index):
    from nskb.diagnose.model import diagnose
    from nskb.diagnose.scan import Scanner
    from nskb.diagnose.types import Scan

    facts, _ = parse_probe(PROBE.read_text(encoding="utf-8"), "probe.txt", set(real_index["facts"]))
    scan = Scan()
    Scanner(real_index).feed(scan, "stderr.txt", [STDERR.read_bytes()])
    result = diagnose(real_index, scan, facts, [])
    subid = next(c for c in result.causes if c.id == "subid-ranges-missing")
    assert not subid.explained and subid.probability < 0.01
    confirming = [(e.id, e.code, e.counted) for e in subid.evidence if e.type == "fact" and e.weight > 0]
    assert confirming and all(code == "fact-confirms-unexplained" and not counted for _, code, counted in confirming)
    assert "subuid.count" in [key for key, _, _ in confirming]


def test_the_text_report_does_not_name_it_either(real_index):
    for lang in ("en", "zh"):
        code, out, err = kb_match("--lang", lang, STDERR, "--probe", PROBE)
        assert code == 0, err
        assert "/causes/subid-ranges-missing/" not in out
        assert real_index["titles"]["cause"]["subid-ranges-missing"][lang] not in out
        articles = [line for line in out.splitlines() if "/causes/" in line]
        assert "/causes/chroot-environment/" in articles[0]  # the first cause's article


def test_the_control_reproduction_is_no_failure(real_index):
    stderr = (CONTROL / "stderr.txt").read_bytes()
    facts, _ = parse_probe((CONTROL / "probe.txt").read_text(encoding="utf-8"), "probe.txt", set(real_index["facts"]))
    assert facts["userns.create"] == "ok" and facts["chroot"] == "no"
    code, out, err = kb_match("--format", "json", "--probe", CONTROL / "probe.txt", stdin=stderr)
    data = as_json(out)
    assert code == 1, err
    assert data["verdict"] == "no-failure", [(c["id"], c["probability"]) for c in data["causes"]]
