"""Small HTML readers for the site tests (standard library only)."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path


class PageParser(HTMLParser):
    """Collects links, ids, element texts and script bodies of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []   # (tag, url)
        self.ids: set[str] = set()
        self.scripts: list[str] = []
        self.texts: dict[str, list[str]] = {}    # tag -> texts of its elements
        self.tags: list[tuple[str, dict]] = []
        self._stack: list[tuple[str, list[str]]] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) is not None and tag in ("a", "link", "script", "img"):
                self.links.append((tag, attrs[name]))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        if tag in ("h1", "h2", "h3", "code", "title", "li", "p", "td", "pre"):
            self._stack.append((tag, []))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                name, parts = self._stack.pop(index)
                self.texts.setdefault(name, []).append("".join(parts))
                break

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        for _, parts in self._stack:
            parts.append(data)


class LinkParser(HTMLParser):
    """Only the links and ids of a page: what a link checker needs, at a fraction of PageParser's work."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []   # (tag, url)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.add(value)
            elif name in ("href", "src") and value is not None and tag in ("a", "link", "script", "img"):
                self.links.append((tag, value))


def parse_links(path: Path) -> LinkParser:
    parser = LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def page_file(site: Path, url_path: str) -> Path:
    """site + 'causes/x/' -> site/causes/x/index.html"""
    path = site / url_path
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def main_text(path: Path) -> str:
    """The article's text (tags stripped, entities decoded, whitespace squeezed)."""
    source = path.read_text(encoding="utf-8")
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', source, re.S)
    body = re.sub(r"<[^>]+>", " ", match.group(1) if match else source)
    return re.sub(r"\s+", " ", html.unescape(body)).strip()
