"""Markdown building blocks: front matter, headings, tables, lists. Inputs are already escaped."""
from __future__ import annotations

import html
import json

from nskb.site import escape
from nskb.site.safety import safe_url


def front_matter(title: str, *, description: str = "", tags=(), edit_url: str | None = None,
                 search_boost: float | None = None, search_exclude: bool = False,
                 hide_toc: bool = False) -> str:
    """YAML front matter. Strings are JSON-quoted (valid YAML) and HTML-escaped where the theme
    prints them raw (title, description)."""
    lines = ["---", f"title: {escape.front_matter_title(title)}"]
    if description:
        lines.append("description: " + json.dumps(
            html.escape(escape.plain(description), quote=True)[:300], ensure_ascii=False))
    if tags:
        lines.append("tags:")
        lines += [f"  - {json.dumps(html.escape(t), ensure_ascii=False)}" for t in tags]  # printed raw too
    if edit_url is not None:  # "" (or an unsafe URL): no edit button at all
        lines.append(f"edit_url: {json.dumps(edit_url if safe_url(edit_url) else '')}")
    if search_exclude:
        lines += ["search:", "  exclude: true"]
    elif search_boost is not None:
        lines += ["search:", f"  boost: {search_boost}"]
    if hide_toc:
        lines += ["hide:", "  - toc"]
    lines.append("---")
    return "\n".join(lines)


def heading(level: int, text: str, anchor: str | None = None, *, searchable: bool = True) -> str:
    """A heading; `text` is escaped Markdown. An explicit anchor keeps links stable across
    languages (`#diagnosis` on both the zh and the en page). `searchable=False` keeps the
    section out of the search index (lists of links, references: they only repeat other pages)."""
    # The anchor goes through escape.anchor: a space or `}` in it (an id from an unchecked KB) would
    # let attr_list read the rest as HTML attributes (`onclick=...`).
    attrs = ([f"#{escape.anchor(anchor)}"] if anchor else []) + ([] if searchable else ["data-search-exclude"])
    suffix = f" {{ {' '.join(attrs)} }}" if attrs else ""
    return f"{'#' * level} {text}{suffix}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A pipe table. Cells must come from `escape.cell`/`escape.inline(in_table=True)`."""
    if not rows:
        return ""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    for row in rows:
        out.append("| " + " | ".join(cell.replace("\n", " ") or "—" for cell in row) + " |")
    return "\n".join(out)


def bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def admonition(kind: str, title: str, body: str) -> str:
    """`!!! kind "title"` with `body` (escaped Markdown) indented under it."""
    quoted = json.dumps(title, ensure_ascii=False)
    indented = "\n".join(("    " + line) if line else "" for line in body.split("\n"))
    return f"!!! {kind} {quoted}\n\n{indented}"


def external_link(url: str) -> str:
    """A link to a reference URL, as raw HTML so no Markdown rule can touch the URL. Anything but
    an absolute http(s) URL (`javascript:`, `data:`, a relative path) is shown as code, unlinked."""
    if not safe_url(url):
        return escape.html_code(str(url))
    shown = html.escape(url, quote=True)
    return f'<a href="{shown}">{shown}</a>'


def reviewed_line(date: str, lang: str) -> str:
    """The entry's last-reviewed date, small, under its title."""
    from nskb.site.labels import colon, label
    if not date:
        return ""
    return f'<p class="nskb-reviewed">{label("last_reviewed", lang)}{colon(lang)}<time datetime="{html.escape(date)}">{html.escape(date)}</time></p>'


def card(body: str) -> str:
    """A box around one item (a cause on a symptom page); Markdown inside stays Markdown."""
    return f'<div class="nskb-card" markdown>\n\n{body.strip()}\n\n</div>'


def join(*parts: str) -> str:
    """Blocks separated by one blank line; empty parts dropped."""
    return "\n\n".join(p.strip("\n") for p in parts if p and p.strip()) + "\n"
