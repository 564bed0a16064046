"""Hostile file names and reference URLs never become markup or live links (issue 12, item 8).

`make site` does not run kb-lint, so the renderer refuses these on its own: an entry whose file
name is not `<id>.yaml` is left out (its name would reach page paths and Material's unescaped
`page.edit_url`), a reference that is not http(s) is shown as text, and the MkDocs hook drops an
edit URL that is not a plain http(s) URL, whatever a page's front matter says.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.site.browsing import Watched, serve
from tests.site.conftest import DATA, FIXTURE_NAV

from nskb.kb.loader import load_kb
from nskb.site import render_site
from nskb.site.safety import safe_url
from nskb.site.site_build import build_site

pytestmark = pytest.mark.browser

EVIL_NAME = 'evil"><img src=x onerror=window.nskbXss=1>.yaml'
EVIL_EDIT = 'https://example.com/"><img src=x onerror=window.nskbXss=3>'


def _hostile_kb(root: Path) -> Path:
    kb = root / "kb"
    shutil.copytree(DATA / "kb", kb)
    source = (kb / "symptoms/nasty-message.yaml").read_text(encoding="utf-8")
    (kb / "symptoms" / EVIL_NAME).write_text(source.replace("id: nasty-message", 'id: "evil"'), encoding="utf-8")
    cause = kb / "causes/nasty-cause.yaml"
    cause.write_text(cause.read_text(encoding="utf-8").replace(
        "  - https://example.com/cause",
        "  - https://example.com/cause\n  - \"javascript:window.nskbXss=2\"\n  - \"JaVaScRiPt:window.nskbXss=4\""),
        encoding="utf-8")
    return kb


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    docs = root / "docs"
    shutil.copytree(DATA / "docs", docs)
    (docs / "evil.md").write_text(f"---\ntitle: evil\nedit_url: '{EVIL_EDIT}'\n---\n\n# evil\n", encoding="utf-8")
    return build_site(root / "build", kb=_hostile_kb(root), docs=docs, nav=FIXTURE_NAV + ["evil.md"]).site


@pytest.mark.parametrize("url,ok", [
    ("https://github.com/containers/bubblewrap/blob/v0.11.1/bubblewrap.c", True),
    ("http://man7.org/linux/man-pages/man7/user_namespaces.7.html", True),
    ("javascript:alert(1)", False), (" javascript:alert(1)", False), ("JAVASCRIPT:alert(1)", False),
    ("data:text/html,<script>", False), ("//evil.example/x", False), ("https://x/\"><img>", False),
    ("https://x/<script>", False), ("https:///nohost", False), ("", False),
])
def test_only_absolute_http_urls_count_as_safe(url, ok):
    assert safe_url(url) is ok


def test_renderer_leaves_out_an_entry_with_an_unsafe_file_name(tmp_path):
    kb, _ = load_kb(_hostile_kb(tmp_path))
    assert any("onerror" in key for key in kb.symptoms)  # the loader did read it
    warnings: list[str] = []
    render_site(kb, tmp_path / "out", warnings=warnings)
    written = "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.md"))
    assert "onerror=window.nskbXss=1" not in written
    assert len(warnings) == 1 and "left out of the site" in warnings[0] and "<img" in warnings[0]
    assert "javascript:" not in written.replace("<code>javascript:", "").replace("<code>JaVaScRiPt:", "")


def test_hostile_names_and_urls_never_run_in_the_browser(browser, hostile_site):
    html = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in hostile_site.rglob("*.html"))
    assert "onerror=window.nskbXss" not in html
    server, url = serve(hostile_site)
    watched = Watched(browser)
    try:
        for path in ("", "symptoms/", "en/symptoms/", "causes/nasty-cause/", "en/causes/nasty-cause/", "evil/",
                     "symptoms/nasty-message/"):
            page = watched.open(url + path)
            assert page.evaluate("typeof window.nskbXss") == "undefined", path
            live = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
            assert not [h for h in live if h.strip().lower().startswith(("javascript:", "data:"))], path
        page = watched.open(url + "causes/nasty-cause/")
        assert page.get_by_text("javascript:window.nskbXss=2").count() == 1  # shown, as text
        page = watched.open(url + "evil/")
        assert page.locator("a[title][href*='example.com']").count() == 0  # no edit button at all
        assert not watched.errors
    finally:
        watched.close()
        server.shutdown()
