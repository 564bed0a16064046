"""The sidebar: every entry page under its section, so the navigation shows where a page is.

mkdocs.yml lists each generated section with its index page only (`报错: [symptoms/index.md]`);
`expand_sections` appends the folder's other pages, Chinese (default-language) file names, in
file-name order. mkdocs-static-i18n maps them to the `.en.md` pages and their English titles.
"""
from __future__ import annotations

from pathlib import Path


def _section_pages(docs_dir: Path, folder: str) -> list[str]:
    pages = [p for p in (docs_dir / folder).glob("*.md") if not p.name.endswith(".en.md")]
    return [f"{folder}/{p.name}" for p in sorted(pages) if p.name != "index.md"]


def expand_sections(nav: list, docs_dir: Path) -> list:
    """A copy of `nav` where a section made of one `<folder>/index.md` lists the whole folder."""
    out = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            (title, children), = item.items()
            if isinstance(children, list) and len(children) == 1 and isinstance(children[0], str) \
                    and children[0].endswith("/index.md"):
                folder = children[0][: -len("/index.md")]
                item = {title: [children[0], *_section_pages(docs_dir, folder)]}
        out.append(item)
    return out
