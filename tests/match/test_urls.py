"""Every URL kb-match can print is a page the site renderer generates (and, once built, a page in site/).

URL scheme shared with the renderer (src/nskb/site): `<site>/symptoms/<id>/`, `<site>/causes/<id>/`,
`<site>/fixes/<id>/`, with `/en/` after the site root for English; the renderer writes
`symptoms/<id>.md` (Chinese) and `symptoms/<id>.en.md` (English), which mkdocs-static-i18n serves at
those URLs.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from nskb.entries import FOLDERS
from nskb.report.links import article_url

REPO = Path(__file__).resolve().parents[2]


def printable_urls(index: dict) -> set[str]:
    """Every URL kb-match prints: each symptom, cause and fix, in both languages."""
    urls = set()
    for kind, plural in FOLDERS.items():
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


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """Render kb/ and build it with MkDocs into a temporary folder (the real mkdocs.yml, inherited)."""
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("site")
    python = sys.executable
    render = subprocess.run([python, "-m", "nskb.site", "--out", str(root / "docs"), "--kb", str(REPO / "kb"),
                             "--docs", str(REPO / "docs"), "--allow-missing-commands"],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert render.returncode == 0, render.stderr
    (root / "mkdocs.yml").write_text(
        f"INHERIT: {REPO / 'mkdocs.yml'}\ndocs_dir: docs\nsite_dir: site\nstrict: false\n"
        f"hooks:\n  - {REPO / 'src/nskb/site/mkdocs_hooks.py'}\n")
    build = subprocess.run([str(Path(python).parent / "mkdocs"), "build", "-q", "-f", str(root / "mkdocs.yml")],
                           cwd=root, capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    return root / "site"


def test_every_printable_url_exists_in_the_built_site(real_index, built_site):
    site = real_index["site_url"]
    missing = [url for url in sorted(printable_urls(real_index))
               if not (built_site / url[len(site):] / "index.html").is_file()]
    assert not missing, f"{len(missing)} URLs are not in the built site, e.g. {missing[:5]}"
