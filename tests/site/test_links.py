"""An internal link checker over the built site: every link and every #anchor resolves."""
from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.site.htmltools import parse_links

# site_url is https://nskb-kb.github.io/nskb/: root-absolute links (the 404 page, the language
# switcher on the home pages) start with /nskb/.
BASE_PATH = "/nskb/"


def check_links(site: Path) -> list[str]:
    pages = {p: parse_links(p) for p in sorted(site.rglob("*.html"))}
    ids = {p: parser.ids for p, parser in pages.items()}
    # Every page links the same navigation: resolve each target once, not once per page.
    resolved: dict[str, Path | None] = {}

    def resolve(relative: str) -> Path | None:
        if relative not in resolved:
            target = site / relative
            target = target / "index.html" if target.is_dir() else target
            resolved[relative] = target if target.exists() else None
        return resolved[relative]

    broken = []
    for page, parser in pages.items():
        here = page.relative_to(site).as_posix()
        for tag, url in parser.links:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                if parts.scheme not in ("http", "https", "mailto"):
                    broken.append(f"{here}: {tag} {url} (scheme {parts.scheme})")
                continue
            target_path = unquote(parts.path)
            if target_path.startswith("/"):
                if not target_path.startswith(BASE_PATH):
                    broken.append(f"{here}: {tag} {url} (outside {BASE_PATH})")
                    continue
                target_path = posixpath.relpath(target_path, posixpath.join(BASE_PATH, posixpath.dirname(here)))
            if target_path:
                relative = posixpath.normpath(posixpath.join(posixpath.dirname(here), target_path))
                target = resolve(relative)
                if target is None:
                    shown = relative if not relative.startswith("..") else site / relative
                    broken.append(f"{here}: {tag} {url} (no {shown})")
                    continue
            else:
                target = page
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in ids.get(target, set()):
                broken.append(f"{here}: {tag} {url} (no #{fragment} in {target.relative_to(site)})")
    return broken


def test_no_broken_internal_link_or_anchor(real_site):
    broken = check_links(real_site)
    assert not broken, f"{len(broken)} broken links, first ones:\n" + "\n".join(broken[:30])


def test_no_broken_link_in_the_fixture_site(fixture_site):
    broken = check_links(fixture_site)
    assert not broken, "\n".join(broken[:30])


def test_the_checker_finds_a_broken_anchor(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text('<a href="../b/#x">b</a><a href="#here">h</a><p id="here"></p>')
    (tmp_path / "b").mkdir()
    (tmp_path / "b/index.html").write_text('<p id="y"></p><a href="../c/">c</a>')
    assert check_links(tmp_path) == ["a/index.html: a ../b/#x (no #x in b/index.html)",
                                     "b/index.html: a ../c/ (no c)"]
