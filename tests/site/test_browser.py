"""The built site in a real browser: Debian's /usr/bin/chromium driven by Playwright, headless.

The site is served on 127.0.0.1 under /nskb/, as on GitHub Pages. No request may leave the
machine: the site works offline.
"""
from __future__ import annotations

import subprocess
from urllib.parse import urlsplit

import pytest
from tests.conftest import require
from tests.site.browsing import ARTIFACTS, Watched, serve
from tests.site.search_table import query_table

from nskb.entries import command_line, command_note, command_run

pytestmark = pytest.mark.browser
PREFIX = {"zh": "", "en": "en/"}
TABLE = query_table()


@pytest.fixture(scope="module")
def base_url(real_site):
    server, url = serve(real_site)
    yield url
    server.shutdown()


@pytest.fixture
def watched(browser):
    page = Watched(browser)
    yield page
    page.close()


RESULT_LINKS = "li.md-search-result__item > a.md-search-result__link:first-child"


def search(page, query: str) -> list[str]:
    """Paste `query` into the search box (a single-line box drops line breaks, as a browser does
    on paste); the article paths of the results, in order, once the list has stopped changing."""
    box = page.locator("input.md-search__input")
    read = lambda: page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.href)")  # noqa: E731
    links = []
    for _ in range(3):  # the index may still be loading when the first keys arrive
        box.click()
        box.fill(query.replace("\n", ""))
        page.keyboard.press("End")  # Material searches on keyup
        try:
            page.wait_for_selector(".md-search-result__item", timeout=5000)
        except Exception:  # noqa: BLE001 - Playwright's timeout: try the next query
            continue
        links, stable = read(), 0
        while stable < 3:
            page.wait_for_timeout(200)
            now = read()
            stable, links = (stable + 1, now) if now == links else (0, now)
        break
    return [urlsplit(link).path for link in links]


@pytest.mark.parametrize("lang,query,first", TABLE)
def test_query_table_in_the_browser(watched, base_url, lang, query, first):
    page = watched.open(base_url + PREFIX[lang])
    results = search(page, query)
    assert results, f"{lang}: nothing for {query!r}"
    if first != "any":
        assert results[0] == f"/nskb/{PREFIX[lang]}{first}", f"{lang}: {query!r} -> {results[:5]}"
    assert all(r.startswith("/nskb/en/") == (lang == "en") for r in results), "results left the language"
    assert not watched.errors


def test_language_switcher_keeps_the_page(watched, base_url, real_kb):
    cause_id = "chroot-environment" if "chroot-environment" in real_kb.causes else sorted(real_kb.causes)[0]
    page = watched.open(f"{base_url}causes/{cause_id}/")
    for target, expected in (("en", f"/nskb/en/causes/{cause_id}/"), ("zh", f"/nskb/causes/{cause_id}/")):
        page.hover(".md-header__option .md-select")
        page.click(f".md-select__link[hreflang={target}]")
        page.wait_for_load_state("networkidle")
        assert urlsplit(page.url).path == expected
        assert page.locator("html").get_attribute("lang") == {"zh": "zh-CN", "en": "en"}[target]
        assert page.locator("h1").first.inner_text().strip("¶ \n") == real_kb.causes[cause_id].text(target)["title"].replace("`", "")
    # from a home page too (static-i18n makes its links root-absolute; the hook makes them relative)
    page = watched.open(base_url)
    page.hover(".md-header__option .md-select")
    page.click(".md-select__link[hreflang=en]")
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/nskb/en/"
    assert not watched.errors


def test_fix_commands_have_copy_buttons_that_copy_the_command(browser, base_url, real_kb):
    fix_id = "replace-chroot-with-sandbox" if "replace-chroot-with-sandbox" in real_kb.fixes else sorted(real_kb.fixes)[0]
    commands = real_kb.fixes[fix_id].data["commands"]
    watched = Watched(browser, permissions=["clipboard-read", "clipboard-write"])
    try:
        for lang in ("zh", "en"):
            page = watched.open(f"{base_url}{PREFIX[lang]}fixes/{fix_id}/")
            blocks = page.locator("#commands ~ .highlight")
            buttons = page.locator("#commands ~ .highlight button[data-md-type=copy]")
            assert buttons.count() >= len(commands) and blocks.count() >= len(commands)
            buttons.first.click()
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied.strip() == command_line(command_run(commands[0]), command_note(commands[0], lang)).strip()
        assert not watched.errors
    finally:
        watched.close()


PAGES = ["", "usage/", "symptoms/", "causes/", "fixes/", "tools/", "facts/", "glossary/", "security/",
         "contributing/", "tags/", "symptoms/bwrap-no-permission-create-namespace/",
         "causes/chroot-environment/", "fixes/replace-chroot-with-sandbox/", "tools/bwrap/"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_log_no_console_errors_and_stay_on_this_machine(watched, base_url, lang):
    for path in PAGES:
        watched.open(f"{base_url}{PREFIX[lang]}{path}")
    assert not watched.errors
    assert not watched.outside, f"requests off the machine: {watched.outside}"


def _has_cjk_font() -> bool:
    try:
        found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(found.strip())


def test_screenshots_of_a_cause_page_in_each_language(watched, base_url, real_kb):
    # Without a Chinese font the zh screenshot is boxes; Debian package fonts-wqy-microhei.
    require(_has_cjk_font(), "no Chinese font for the screenshots (apt-get install fonts-wqy-microhei)")
    cause_id = "chroot-environment" if "chroot-environment" in real_kb.causes else sorted(real_kb.causes)[0]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for lang in ("zh", "en"):
        page = watched.open(f"{base_url}{PREFIX[lang]}causes/{cause_id}/")
        path = ARTIFACTS / f"cause-{cause_id}-{lang}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
    assert not watched.errors


def test_fixture_strings_never_run_as_script(browser, fixture_site):
    server, url = serve(fixture_site)
    watched = Watched(browser)
    try:
        for path in ("symptoms/nasty-message/", "en/symptoms/nasty-message/", "causes/nasty-cause/",
                     "fixes/nasty-fix/", "en/tools/bwrap/", "facts/", "glossary/"):
            page = watched.open(url + path)
            assert page.evaluate("typeof window.nskbXss") == "undefined"
        page = watched.open(url + "en/symptoms/nasty-message/")
        assert "<script>alert(" in page.locator("h1").first.inner_text()
        assert page.title().startswith('<script>alert("nskb-xss-2")</script>')
        assert not [e for e in watched.errors if "dialog" in e], watched.errors
    finally:
        watched.close()
        server.shutdown()
