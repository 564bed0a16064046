"""Turn KB strings into Markdown that renders them literally.

KB prose is plain text with inline code spans in backticks and paragraphs separated by a blank
line. Nothing else in it is markup: every character Markdown, an extension or HTML would act on
is written as an HTML character reference, so `<script>` and `<https://...>` show as text.
Commands and messages go into fenced code blocks, which are literal by construction.
"""
from __future__ import annotations

import html
import json
import re

from nskb.chinese import drop_fold_spaces

# Characters Python-Markdown or one of our extensions may treat as syntax. Written as numeric
# character references they can only ever be text; the search indexer decodes them again.
_SPECIAL = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-!<>|~^="}
_SPECIAL["&"] = "&amp;"
_SPECIAL_RE = re.compile("[" + re.escape("".join(_SPECIAL)) + "]")

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def text(value: str) -> str:
    """Plain text (no code spans) as Markdown inline content."""
    value = re.sub(r"\s+", " ", value)
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], value)


def code_span(value: str) -> str:
    """An inline code span that shows `value` exactly."""
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or not value.strip() else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def html_code(value: str) -> str:
    """Inline code as raw HTML: safe inside table cells, where a `|` would split the cell."""
    return "<code>" + html.escape(value, quote=True).replace("|", "&#124;") + "</code>"


def _segments(value: str):
    """Split prose into (is_code, text) pieces. As in CommonMark, a code span runs from a run of
    backticks to the next run of the same length; a run without a partner is plain text."""
    runs = list(re.finditer(r"`+", value))
    start, index = 0, 0
    while index < len(runs):
        opener = runs[index]
        closer = next((j for j in range(index + 1, len(runs))
                       if len(runs[j].group()) == len(opener.group())), None)
        if closer is None:
            index += 1
            continue
        if opener.start() > start:
            yield False, value[start:opener.start()]
        yield True, value[opener.end():runs[closer].start()]
        start, index = runs[closer].end(), closer + 1
    if start < len(value):
        yield False, value[start:]


_LIST_START = re.compile(r"^(\d+)(\.)")


def inline(value: str, *, in_table: bool = False) -> str:
    """One line of prose: code spans kept as code, everything else literal text."""
    out = []
    for is_code, part in _segments(value):
        if is_code:
            out.append(html_code(part) if in_table else code_span(part))
        else:
            out.append(text(drop_fold_spaces(part)))
    # "1. text" at the start of a paragraph would become an ordered list.
    return _LIST_START.sub(lambda m: m.group(1) + _SPECIAL.get(m.group(2), "&#46;"), "".join(out).strip())


def prose(value: str | None) -> str:
    """Paragraphs of prose as Markdown paragraphs separated by blank lines."""
    if not value:
        return ""
    paragraphs = [inline(p) for p in _PARAGRAPH_BREAK.split(value.strip())]
    return "\n\n".join(p for p in paragraphs if p)


def cell(value: str | None) -> str:
    """Prose squeezed into one table cell (paragraph breaks become `<br>`)."""
    if not value:
        return ""
    paragraphs = [inline(p, in_table=True) for p in _PARAGRAPH_BREAK.split(value.strip())]
    return "<br>".join(p for p in paragraphs if p)


def plain(value: str) -> str:
    """Prose without markup at all (for titles in navigation and <title>): backticks dropped."""
    return re.sub(r"\s+", " ", drop_fold_spaces(value.replace("`", ""))).strip()


def front_matter_title(value: str) -> str:
    """A title for YAML front matter. MkDocs themes print `page.meta.title` without escaping."""
    return json.dumps(html.escape(plain(value), quote=False), ensure_ascii=False)


def code_block(lines: str | list[str], lang: str = "text", indent: str = "", *, wrap: bool = False,
               searchable: bool = True) -> str:
    """A fenced code block showing `lines` exactly; the fence outgrows any backtick run inside.
    `wrap`: long lines wrap on screen (messages, output) instead of scrolling (commands).
    `searchable=False`: left out of the search index (a copy of text indexed elsewhere)."""
    body = lines if isinstance(lines, str) else "\n".join(lines)
    body = body.rstrip("\n")
    longest = max((len(run) for run in re.findall(r"`{3,}|~{3,}", body)), default=0)
    fence = "`" * max(3, longest + 1)
    attrs = [f".{lang}"] + ([".nskb-wrap"] if wrap else []) + ([] if searchable else ["data-search-exclude"])
    header = f"{fence} {lang}" if attrs == [f".{lang}"] else f"{fence} {{ {' '.join(attrs)} }}"
    block = [header, *body.split("\n"), fence]
    return "\n".join(indent + line if line else line for line in block)


def anchor(value: str) -> str:
    """A stable HTML id from a key such as `sysctl.kernel.unprivileged_userns_clone`."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
