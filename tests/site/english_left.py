"""Finds English words where a Chinese page should have none: the expected outputs of diagnostic
steps, the comments of commands and the names of tools (issue 13). Literal output stays as it is
printed; the words around it, every `# …` comment and a tool's description must be Chinese."""
from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

from nskb.lint.literals import prose_in_output
from nskb.words import UI

HAN = re.compile(r"[\u4e00-\u9fff]")
# Three Latin words in a row outside code is an English phrase; names such as `Proxmox VE` or
# `Windows PowerShell` are two.
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'.-]*(?:[ ,]+[A-Za-z][A-Za-z'.-]*){2,}")
COMMENT_TOKENS = {"c", "c1", "cm"}  # Pygments' comment tokens in a highlighted `sh` block
OUTPUT_LABELS = tuple(UI["zh"][key] for key in ("if_cause", "if_not_cause"))
C_ERRNO = ["Operation not permitted", "No such file or directory", "Permission denied", "Invalid argument",
           "No space left on device", "Read-only file system", "Function not implemented", "No such device"]


class _Reader(HTMLParser):
    """Each <li> as (code?, text) pieces; the text of each shell comment in a code block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[list[list]] = []
        self.comments: list[str] = []
        self._open_li: list[list[list]] = []
        self._code_depth = 0
        self._spans: list[bool] = []  # per open <span>: is it a shell comment token

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li":
            self._open_li.append([])
        elif tag == "code":
            self._code_depth += 1
        elif tag == "span":
            comment = (attrs.get("class") or "") in COMMENT_TOKENS
            self._spans.append(comment)
            if comment:
                self.comments.append("")

    def handle_endtag(self, tag):
        if tag == "li" and self._open_li:
            self.items.append(self._open_li.pop())
        elif tag == "code":
            self._code_depth -= 1
        elif tag == "span" and self._spans:
            self._spans.pop()

    def handle_data(self, data):
        if self._open_li:
            pieces = self._open_li[-1]
            code = self._code_depth > 0
            if pieces and pieces[-1][0] == code:
                pieces[-1][1] += data
            else:
                pieces.append([code, data])
        if any(self._spans):
            self.comments[-1] += data


def english_left(page: Path) -> list[str]:
    """What reads as English in the outputs and command comments of one Chinese page."""
    reader = _Reader()
    reader.feed(page.read_text(encoding="utf-8"))
    found = []
    for pieces in reader.items:
        text = "".join(t for _, t in pieces).strip()
        if not text.startswith(OUTPUT_LABELS):
            continue
        for is_code, part in pieces:
            if is_code and prose_in_output(part, C_ERRNO):
                found.append(f"output written in words inside code: {part!r}")
        words = " ".join(part for is_code, part in pieces if not is_code).split("：", 1)[-1]
        if ENGLISH_RUN.search(words) or (re.search(r"[A-Za-z]{2,}", words) and not HAN.search(words)):
            found.append(f"English words about an output: {words.strip()!r}")
    for comment in reader.comments:
        if not HAN.search(comment):
            found.append(f"English comment in a command: {comment.strip()!r}")
    return found


def chinese_entry_pages(site: Path) -> list[Path]:
    """The Chinese pages of every cause, symptom and fix (the English site is under en/)."""
    return sorted(p for folder in ("causes", "symptoms", "fixes") for p in (site / folder).glob("*/index.html"))


# -- tool names ------------------------------------------------------------------------------------
# A tool's name on a Chinese page is its product name ("Steam", "Chromium / Google Chrome") or a
# Chinese name around it ("Linux 内核（dmesg、sysctl、/proc）"). English shows as half-width brackets
# (a Chinese aside uses （）) or as a run of Latin words with a lowercase or joining word in it
# ("Linux kernel", "GitHub Actions hosted runners", "Toolbx and Distrobox"): product names
# capitalise every word of a multi-word name ("Visual Studio Code", "GNU Guix").
LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_-]*(?: [A-Za-z0-9][A-Za-z0-9.+_-]*)*")
JOINING_WORDS = {"and", "or", "for", "with", "of", "the", "via", "plus"}
TOOL_PAGE = re.compile(r"^tools/([a-z0-9-]+)/$")


def english_in_tool_name(name: str) -> str:
    """Why a tool's name as shown on a Chinese page reads as English, or ""."""
    if re.search(r"[()]", name):
        return "half-width brackets around an English aside"
    for run in LATIN_RUN.findall(name):
        words = run.split()
        joining = [w for w in words if w.lower() in JOINING_WORDS]
        lower = [w for w in words if w[0].islower()] if len(words) > 1 else []
        if joining or lower:
            return f"English words {run!r}"
    return ""


class _ToolNames(HTMLParser):
    """The texts of links to tool pages, and of the page's h1 / <title> / `tool-*` headings."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url                       # the page's URL path from the site root, e.g. "causes/x/"
        self.found: list[tuple[str, str]] = []   # (where, text)
        self._open: list[tuple[str, str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        where = ""
        if tag == "a" and attrs.get("href"):
            href = attrs["href"].split("#")[0]
            if href and "://" not in href:
                target = posixpath.normpath(posixpath.join(self.url, href)).lstrip("./") + "/"
                if TOOL_PAGE.match(target):
                    where = f"link to {target}"
        elif tag == "h2" and (attrs.get("id") or "").startswith("tool-"):
            where = f"heading #{attrs['id']}"
        elif tag in ("h1", "title") and TOOL_PAGE.match(self.url):
            where = tag
        self._open.append((tag, where, []))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                _, where, parts = self._open.pop(index)
                if where:
                    self.found.append((where, " ".join("".join(parts).replace("¶", "").split())))
                if index:  # a link's text is also part of the heading or item around it
                    self._open[index - 1][2].extend(parts)
                break

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)


def tool_names_in_english(site: Path) -> list[str]:
    """Every tool name on the Chinese site (links, tool pages' titles, the symptom index's groups,
    the search index) that shows English words."""
    found = []
    for page in sorted(site.rglob("index.html")):
        url = page.parent.relative_to(site).as_posix()
        if url == "en" or url.startswith(("en/", "assets/")):
            continue
        reader = _ToolNames("" if url == "." else url + "/")
        reader.feed(page.read_text(encoding="utf-8"))
        for where, text in reader.found:
            why = english_in_tool_name(text.split(" - ")[0] if where == "title" else text)
            if why:
                found.append(f"{url}/ {where}: {text!r}: {why}")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index.get("docs", []):
        if TOOL_PAGE.match(doc.get("location", "")):
            why = english_in_tool_name(doc.get("title", "").replace("\u200b", ""))  # jieba's word breaks
            if why:
                found.append(f"search index {doc['location']}: {doc['title']!r}: {why}")
    return found
