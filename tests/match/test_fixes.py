"""Which fix a report offers first: one that fits the tools of the matched lines, then the safest.

The mini KB's `apparmor` cause mirrors the real apparmor-userns-restricted: a low-risk profile for
opam, one for Steam, a medium-risk profile for any program, a general fix without tools, a kernel
switch (general: it helps whatever failed) and a low-risk fix for Nix only.
"""
from __future__ import annotations

from nskb.diagnose.rank import diagnose
from nskb.diagnose.scan import Scan, Scanner
from nskb.report.as_json import to_json
from nskb.report.fixes import fix_fits, order_fixes
from nskb.report.markdown import to_markdown
from nskb.report.terminal import Style
from nskb.report.text import to_text

from .test_cli import as_json, kb_match

UID_MAP = b"bwrap: setting up uid map: Permission denied\n"
OPAM = b"[ERROR] Sandboxing is not working on your platform ubuntu:\n"
CAUSE_ORDER = ["opam-profile", "steam-profile", "app-profile", "no-tools", "kernel-switch", "nix-only"]


def run(index, text: bytes) -> dict:
    scan = Scan()
    Scanner(index).feed(scan, "log", [text])
    return diagnose(index, scan, {})


def fixes_of(result: dict, cause: str) -> list[str]:
    return next(c["fixes"] for c in result["causes"] if c["id"] == cause)


def test_a_fix_fits_a_tool_it_names_or_when_it_is_general(mini_index):
    fixes = mini_index["fixes"]
    assert fix_fits(fixes["app-profile"], {"bwrap"})
    assert not fix_fits(fixes["opam-profile"], {"bwrap"})
    assert fix_fits(fixes["no-tools"], {"bwrap"}) and fix_fits(fixes["kernel-switch"], {"bwrap"})
    assert all(fix_fits(fixes[f], set()) for f in CAUSE_ORDER)  # no matched line: every fix fits


def test_a_bare_bwrap_line_is_not_offered_another_programs_fix(mini_index):
    result = run(mini_index, UID_MAP)
    # Fitting fixes by risk (medium, medium, high), then the rest by risk and the cause's order.
    assert fixes_of(result, "apparmor") == ["app-profile", "no-tools", "kernel-switch",
                                            "opam-profile", "steam-profile", "nix-only"]


def test_the_programs_own_fix_comes_first_when_its_line_is_there(mini_index):
    result = run(mini_index, OPAM + UID_MAP)
    assert fixes_of(result, "apparmor") == ["opam-profile", "app-profile", "no-tools", "kernel-switch",
                                            "steam-profile", "nix-only"]


def test_without_matched_lines_fixes_go_by_risk_then_the_causes_order(mini_index):
    assert order_fixes(mini_index, CAUSE_ORDER, set()) == ["opam-profile", "steam-profile", "nix-only",
                                                           "app-profile", "no-tools", "kernel-switch"]


def test_every_report_shows_the_same_first_fix_and_json_keeps_them_all(mini_index):
    result = run(mini_index, UID_MAP)
    site = "https://example.org/kb/"
    data = to_json(result, mini_index, "en", site, 3)
    assert [f["id"] for f in data["causes"][0]["fixes"]] == fixes_of(result, "apparmor")
    assert sorted(f["id"] for f in data["causes"][0]["fixes"]) == sorted(CAUSE_ORDER)
    text = to_text(result, mini_index, "en", site, 3, Style(False))
    assert "safest fix: fix app-profile (risk: medium)" in text and "fix opam-profile" not in text
    assert "safest fix: [fix app-profile](https://example.org/kb/en/fixes/app-profile/)" in to_markdown(
        result, mini_index, "en", site, 3)


def test_real_kb_first_fix_fits_the_tools_of_the_matched_lines(real_index):
    """On the real KB: whenever one of a cause's fixes fits the matched tools, the first one does."""
    code, out, _ = kb_match("--format", "json", "--top", "5", stdin=UID_MAP)
    data = as_json(out)
    assert code == 0
    tools = {real_index["symptoms"][s["id"]]["tool"] for s in data["symptoms"]}
    assert tools == {"bwrap"}
    for cause in data["causes"]:
        listed = real_index["causes"][cause["id"]]["fixes"]
        shown = [f["id"] for f in cause["fixes"]]
        assert sorted(shown) == sorted(listed)
        fitting = [f for f in listed if fix_fits(real_index["fixes"][f], tools)]
        if fitting:
            assert shown[0] in fitting, (cause["id"], shown)
            assert shown[:len(fitting)] == order_fixes(real_index, fitting, tools)
