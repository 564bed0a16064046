"""Text for a terminal: ANSI styling (or none) and paragraph filling that knows CJK widths."""
from __future__ import annotations

# Compiled on first use (re.findall caches it), and `re` imported then: a plain run never wraps
# or colours prose, and kb-match's start-up has no room for `re`.
# A word is a run of Latin text and `code spans` together: punctuation written against a code span
# ("`x`," or "(`x`)") stays with it on one line.
_TOKEN = r"(?:`[^`]*`|[^\s`\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f])+|\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"


# Chinese closing punctuation never starts a line (kinsoku): it stays at the end of the line before,
# overhanging the width by one character if need be.
_NO_LINE_START = set("，。、；：？！）」』”’》〉…")


class Style:
    """ANSI styling, or none: colour only on a terminal and never when NO_COLOR is set."""

    CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, name: str, text: str) -> str:
        return f"\x1b[{self.CODES[name]}m{text}\x1b[0m" if self.enabled and text else text

    def prose(self, text: str) -> str:
        """Prose with its `code spans` coloured (the backticks dropped), or unchanged."""
        if not self.enabled:
            return text
        import re

        return re.sub(r"`([^`]+)`", lambda m: self("cyan", m.group(1)), text)


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal: wide and full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Fill a paragraph to `width` columns; CJK text breaks between characters, Latin at spaces."""
    import re

    lines, current, used = [], indent, display_width(indent)
    for token in re.findall(_TOKEN, " ".join(text.split())):
        if token.isspace():
            if used > display_width(indent):
                current, used = current + " ", used + 1
            continue
        size = display_width(token)
        if used + size > width and used > display_width(indent) and token not in _NO_LINE_START:
            lines.append(current.rstrip())
            current, used = indent, display_width(indent)
        current, used = current + token, used + size
    if current.strip():
        lines.append(current.rstrip())
    return lines
