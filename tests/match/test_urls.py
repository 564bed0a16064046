"""Every URL kb-match can print is a page the site renderer generates.

That the built site then serves each of those pages is tested where the site is built once for all
site tests: tests/site/test_kb_match_links.py (a second MkDocs build here would cost a minute).

URL scheme shared with the renderer (src/nskb/render): `<site>/symptoms/<id>/`, `<site>/causes/<id>/`,
`<site>/fixes/<id>/`, with `/en/` after the site root for English; the renderer writes
`symptoms/<id>.md` (Chinese) and `symptoms/<id>.en.md` (English), which mkdocs-static-i18n serves at
those URLs.
"""
from __future__ import annotations

from pathlib import Path

from nskb.entries import FOLDERS as KIND_DIRS
from nskb.report.links import article_url

REPO = Path(__file__).resolve().parents[2]


def printable_urls(index: dict) -> set[str]:
    """Every URL kb-match prints: each symptom, cause and fix, in both languages."""
    urls = set()
    for kind, plural in KIND_DIRS.items():
        for entry_id in index[plural]:
            for lang in ("zh", "en"):
                urls.add(article_url(index["site_url"], lang, kind, entry_id))
    return urls


def page_for(url: str, site_url: str) -> str:
    """The renderer's Markdown file that becomes `url`."""
    path = url[len(site_url):].strip("/")
    if path.startswith("en/"):
        return path[3:] + ".en.md"
    return path + ".md"


def rendered_pages() -> set[str]:
    from nskb.kb.loader import load_kb
    from nskb.site import Site, generated_pages

    kb, _problems = load_kb(REPO / "kb")
    return {name for name, _text in generated_pages(Site(kb))}


def test_url_scheme(real_index):
    site = real_index["site_url"]
    assert article_url(site, "zh", "cause", "x") == site + "causes/x/"
    assert article_url(site, "en", "fix", "y") == site + "en/fixes/y/"
    assert article_url(site.rstrip("/"), "en", "symptom", "z") == site + "en/symptoms/z/"


def test_every_printable_url_is_a_rendered_page(real_index):
    pages = rendered_pages()
    missing = sorted(url for url in printable_urls(real_index) if page_for(url, real_index["site_url"]) not in pages)
    assert not missing, f"{len(missing)} URLs have no page, e.g. {missing[:5]}"

