"""The diagnose page in Chromium: kb-match's engine in the browser, over the shipped index.

Parity: every case of tests/cases/ (repro cases with their recorded stderr and probe output)
goes through the page and through `kb-match --format json`; the verdict and the top three causes
must be the same. kb-match runs in this process for every case (its own `main`, as its console
script calls it) and as a separate process for a spread sample, which must print the same. Also:
nothing leaves the page once it is loaded, the result copies as Markdown, and the page is reachable
from the header of any page and from the home page's first screen.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from tests.site.browsing import ARTIFACTS, Watched, serve
from tests.site.inprocess import kb_match_main

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]
KB_MATCH = str(Path(sys.executable).parent / "kb-match")
PREFIX = {"zh": "", "en": "en/"}
SAMPLE = "bwrap: No permissions to create new namespace\n"
SAMPLE_PROBE = "# nskb-probe/1\ncontainer.runtime=docker\nseccomp.mode=2\nuserns.create=EPERM\nchroot=no\n"


def load_cases() -> list[dict]:
    cases = []
    for path in sorted((REPO / "tests/cases").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        if "repro" in data:
            folder = REPO / "tests/fixtures/repro" / data["repro"]
            data["log"] = (folder / "stderr.txt").read_text(encoding="utf-8")
            data["probe"] = (folder / "probe.txt").read_text(encoding="utf-8")
        if isinstance(data.get("log"), str):
            cases.append({"name": path.stem, "log": data["log"], "probe": data.get("probe") or ""})
    return cases


def kb_match_args(case: dict, tmp: Path) -> list[str]:
    log = tmp / f"{case['name']}.log"
    log.write_text(case["log"], encoding="utf-8")
    args = ["--format", "json", "--lang", "en"]
    if case["probe"]:
        probe = tmp / f"{case['name']}.probe"
        probe.write_text(case["probe"], encoding="utf-8")
        args += ["--probe", str(probe)]
    return [*args, str(log)]


def kb_match(case: dict, tmp: Path) -> dict:
    """kb-match as its own process."""
    done = subprocess.run([KB_MATCH, *kb_match_args(case, tmp)], capture_output=True, text=True, timeout=120)
    return _result(done.returncode, done.stdout, done.stderr)


def kb_match_here(case: dict, tmp: Path) -> dict:
    """kb-match's `main` in this process: the same code path without a Python start per case."""
    return _result(*kb_match_main(kb_match_args(case, tmp)))


def _result(code: int, stdout: str, stderr: str) -> dict:
    assert code in (0, 1, 2), stderr
    if code == 2:  # input kb-match refuses (a probe it cannot use): the page says so too
        return {"error": stderr.strip()}
    return json.loads(stdout)


@pytest.fixture(scope="module")
def base_url(real_site):
    server, url = serve(real_site)
    yield url
    server.shutdown()


def open_diagnose(watched: Watched, base_url: str, lang: str):
    page = watched.open(f"{base_url}{PREFIX[lang]}diagnose/")
    page.wait_for_selector("[data-nskb-diagnose][data-index-loaded]", timeout=15000)
    return page


def run_case(page, log: str, probe: str) -> dict:
    page.fill("#nskb-log", log)
    page.fill("#nskb-probe", probe)
    page.evaluate("document.querySelector('[data-nskb-diagnose]').removeAttribute('data-verdict')")
    page.click("[data-nskb-run]")
    page.wait_for_selector("[data-nskb-diagnose][data-verdict]", timeout=15000)
    return page.evaluate("""() => ({
        verdict: document.querySelector('[data-nskb-diagnose]').dataset.verdict,
        causes: [...document.querySelectorAll('[data-nskb-results] [data-cause]')].map(e => e.dataset.cause)})""")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_is_linked_from_the_header_and_the_home_page(browser, base_url, lang):
    watched = Watched(browser)
    try:
        page = watched.open(f"{base_url}{PREFIX[lang]}causes/chroot-environment/")
        page.click("a.nskb-header-diagnose")
        page.wait_for_selector("[data-nskb-diagnose]")
        assert urlsplit(page.url).path == f"/nskb/{PREFIX[lang]}diagnose/"
        home = watched.open(f"{base_url}{PREFIX[lang]}")
        first = home.locator("article a.md-button--primary").first
        assert first.is_visible() and first.bounding_box()["y"] < 900  # on the first screen
        assert urlsplit(first.evaluate("a => a.href")).path == f"/nskb/{PREFIX[lang]}diagnose/"
        assert not watched.errors and not watched.outside
    finally:
        watched.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nothing_is_sent_anywhere(browser, base_url, lang):
    watched = Watched(browser)
    requests: list[str] = []
    try:
        page = open_diagnose(watched, base_url, lang)
        assert {"zh": "不会发送到任何地方", "en": "nothing you paste is sent anywhere"}[lang] in page.inner_text("article")
        page.on("request", lambda r: requests.append(r.url))
        result = run_case(page, SAMPLE, SAMPLE_PROBE)
        assert result["verdict"] in ("cause", "not-sure", "no-failure")  # what it is: the parity test
        assert requests == [], f"the page made requests while diagnosing: {requests}"
        assert not watched.errors and not watched.outside
    finally:
        watched.close()


def test_result_copies_as_markdown(browser, base_url):
    watched = Watched(browser, permissions=["clipboard-read", "clipboard-write"])
    try:
        page = open_diagnose(watched, base_url, "en")
        run_case(page, SAMPLE, SAMPLE_PROBE)
        page.click("[data-nskb-copy]")
        page.wait_for_function("document.querySelector('[data-nskb-status]').textContent.includes('Copied')")
        text = page.evaluate("navigator.clipboard.readText()")
        shown = page.eval_on_selector_all("[data-nskb-results] [data-cause]", "els => els.map(e => e.dataset.cause)")
        assert text.startswith("### Diagnosis") and "container.runtime=docker" in text
        assert all(f"/causes/{cause}/" in text for cause in shown)
    finally:
        watched.close()


def test_every_corpus_case_gives_kb_matchs_verdict_and_top_three(browser, base_url, tmp_path):
    cases = load_cases()
    assert len(cases) > 100, "the corpus is missing: the test would prove little"
    expected = {c["name"]: kb_match_here(c, tmp_path) for c in cases}
    # A spread sample as separate processes, which the form also runs below: one kb-match is one kb-match.
    spread = cases[::25]
    apart = {c["name"]: kb_match(c, tmp_path) for c in spread}
    assert all(apart[name] == expected[name] for name in apart), (
        "kb-match's main in this process and kb-match as a process disagree: "
        f"{[n for n in apart if apart[n] != expected[n]][:3]}")
    formats = {e.get("format") for e in expected.values() if "format" in e}
    assert formats == {"nskb-match/2"}, (
        f"kb-match prints {formats}: the page runs the nskb-match/2 engine (src/nskb/diagnose/ at main "
        "8f33380 or later); this checkout's kb-match is older")
    usable = [c for c in cases if "error" not in expected[c["name"]]]
    watched = Watched(browser)
    wrong = []
    try:
        page = open_diagnose(watched, base_url, "en")
        # Every case through the engine the page loaded, on the index it fetched, in one call ...
        results = page.evaluate("""cases => fetch(document.querySelector('[data-nskb-diagnose]').dataset.index)
            .then(r => r.json()).then(index => cases.map(c => {
                const r = window.nskbEngine.diagnose(index, c.log, c.probe)
                return { verdict: r.verdict, causes: r.causes.map(x => x.id) }
            }))""", [{"log": c["log"], "probe": c["probe"]} for c in usable])
        # ... and a spread sample through the form, as a reader runs it (what is shown is what ran).
        sample = set(range(0, len(usable), 25))
        for n, (case, got) in enumerate(zip(usable, results, strict=True)):
            want = expected[case["name"]]
            top = [c["id"] for c in want["causes"]][:3]
            shown = run_case(page, case["log"], case["probe"]) if n in sample else got
            for how, seen in (("engine", got), ("form", shown)):
                if seen["verdict"] != want["verdict"] or seen["causes"][:3] != top:
                    wrong.append((case["name"], how, want["verdict"], top, seen["verdict"], seen["causes"][:3]))
        assert not watched.errors
    finally:
        watched.close()
    assert len(results) == len(usable) > 100
    assert not wrong, f"{len({w[0] for w in wrong})} of {len(cases)} cases differ: {wrong[:5]}"


SHOTS = {"diagnose": "diagnose/", "symptom": "symptoms/bwrap-no-permission-create-namespace/",
         "cause": "causes/apparmor-userns-restricted/"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(browser, base_url, lang, width):
    """Desktop and phone screenshots of the three page kinds a reader lands on, for a person to look
    at (tests/artifacts/); the test checks that nothing is wider than the screen."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    watched = Watched(browser)
    try:
        watched.page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
        for name, path in SHOTS.items():
            if name == "diagnose":
                page = open_diagnose(watched, base_url, lang)
                run_case(page, SAMPLE, SAMPLE_PROBE)
            else:
                page = watched.open(f"{base_url}{PREFIX[lang]}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} ({lang}, {width} px) is {overflow} px wider than the screen"
            target = ARTIFACTS / f"{name}-{lang}-{width}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000
        assert not watched.errors and not watched.outside
    finally:
        watched.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_phone_drawer_shows_where_an_entry_is_and_its_table_of_contents(browser, base_url, lang):
    watched = Watched(browser)
    try:
        watched.page.set_viewport_size({"width": 390, "height": 844})
        page = watched.open(f"{base_url}{PREFIX[lang]}causes/chroot-environment/")
        assert page.locator(".md-path").first.is_visible()  # breadcrumbs
        page.click("label.md-header__button[for=__drawer]")
        page.wait_for_timeout(400)
        active = page.locator(".md-nav--primary .md-nav__link--active")
        assert active.count() >= 1, "the page is not in the navigation"
        toc = page.locator(".md-nav--primary .md-nav--secondary a.md-nav__link")
        assert toc.count() >= 3 and toc.first.is_visible(), "no table of contents in the phone's drawer"
        assert not watched.errors
    finally:
        watched.close()
