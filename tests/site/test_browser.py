"""The built site in a real browser: Debian's /usr/bin/chromium driven by Playwright, headless.

The site is served on 127.0.0.1 under /nskb/, as on GitHub Pages. The only request allowed off
the machine is Material's repository-facts call to api.github.com, answered here with a stub.
"""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.conftest import require

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
GITHUB_STUB = '{"stargazers_count": 0, "forks_count": 0, "tag_name": "v0.1.0"}'
PREFIX = {"zh": "", "en": "en/"}
# (site language, symptom, a piece of the example line typed into the search box)
SEARCHES = [
    ("en", "bwrap-create-namespace-eperm", "Creating new namespace failed"),
    ("zh", "bwrap-create-namespace-eperm", "Creating new namespace failed"),
    ("zh", "unshare-failed-eperm", "不允许的操作"),
    ("en", "bwrap-uid-map-eperm", "setting up uid map"),
    ("en", "bwrap-no-permission-create-namespace", "deb.li"),
]


class _Handler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        path = urlsplit(path).path
        if not path.startswith("/nskb/"):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path(path[len("/nskb"):])

    def log_message(self, *args):
        pass


def serve(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/nskb/"


@pytest.fixture(scope="module")
def base_url(real_site):
    server, url = serve(real_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    require(os.path.exists(CHROMIUM), f"{CHROMIUM} is missing (Debian package chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


class Watched:
    """A page that records console errors, page errors and requests leaving the machine."""

    def __init__(self, browser, **context_options):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, **context_options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.text} {m.location}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror {e}"))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog {d.message}"), d.dismiss()))
        self.page.route("**/*", self._route)

    def _route(self, route):
        url = urlsplit(route.request.url)
        if url.hostname == "127.0.0.1":
            return route.continue_()
        if url.hostname == "api.github.com":
            return route.fulfill(status=200, content_type="application/json", body=GITHUB_STUB)
        self.outside.append(route.request.url)
        return route.abort()

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser):
    page = Watched(browser)
    yield page
    page.close()


RESULT_LINKS = "li.md-search-result__item > a.md-search-result__link:first-child"


def search(page, query: str) -> list[str]:
    """Type `query` into the search box; the article paths of the results, in order, once the
    list has stopped changing (results for the first letters arrive while the rest is typed)."""
    box = page.locator("input.md-search__input")
    read = lambda: page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.href)")  # noqa: E731
    links = []
    for _ in range(3):  # the index may still be loading when the first keys arrive
        box.click()
        box.fill("")
        page.keyboard.type(query)
        # Material searches on keyup; Playwright types characters that are not on a US keyboard
        # (Chinese) as plain input events, as an IME commit would not. End is the final key.
        page.keyboard.press("End")
        try:
            page.wait_for_selector(".md-search-result__item", timeout=5000)
        except Exception:  # noqa: BLE001 - Playwright's timeout: try the next query
            continue
        links, stable = read(), 0
        while stable < 3:
            page.wait_for_timeout(250)
            now = read()
            stable, links = (stable + 1, now) if now == links else (0, now)
        break
    return [urlsplit(link).path for link in links]


@pytest.mark.parametrize("lang,symptom_id,needle", SEARCHES)
def test_typing_a_literal_error_finds_its_article_in_the_top_3(watched, base_url, real_kb, lang, symptom_id, needle):
    entry = real_kb.symptoms.get(symptom_id)
    assert entry is not None, f"{symptom_id} is not in the KB any more: update SEARCHES"
    message = next(line for line in entry.data["examples"]["match"] if needle in line)
    page = watched.open(base_url + PREFIX[lang])
    results = search(page, message)
    expected = f"/nskb/{PREFIX[lang]}symptoms/{symptom_id}/"
    assert expected in results[:3], f"{message!r}: {results[:5]}"
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
        assert page.locator("html").get_attribute("lang") == target
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
            assert copied.strip() == commands[0].strip()
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
