"""Finds English words where a Chinese page should have none: the expected outputs of diagnostic
steps and the comments of commands (issue 13). Literal output stays as it is printed; the words
around it and every `# …` comment must be Chinese."""
from __future__ import annotations

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
