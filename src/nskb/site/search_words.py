"""Words jieba must keep whole when it cuts the Chinese pages for the search index.

glibc's Chinese errno texts (kb/errno.yaml) are what util-linux and Flatpak print: `不允许的操作`
cut into 不/允许/的/操作 would let a search for it match every page with 不够 or 的. As single
words they are found whole, and by their beginning (`不允许` matches `不允许的操作` as a prefix).
The renderer writes the list among the pages as a dot-file; the MkDocs hook loads it into jieba.
"""
from __future__ import annotations

import re
from pathlib import Path

FILE_NAME = ".jieba-words.txt"  # in the rendered folder; a dot-file, so MkDocs does not publish it
_HAN_ONLY = re.compile(r"[\u3400-\u9fff]+")
# jieba's dictionary line: word, frequency. High enough to win over any cut of its pieces.
_FREQUENCY = 100000


def errno_words(kb) -> list[str]:
    words = []
    for item in kb.errno or []:
        for locale, text in ((item.get("messages") or {}).items()):
            if locale.startswith("zh") and isinstance(text, str) and _HAN_ONLY.fullmatch(text):
                words.append(text)
    return sorted(set(words))


def write_words(kb, folder: Path) -> Path:
    path = Path(folder) / FILE_NAME
    path.write_text("".join(f"{w} {_FREQUENCY}\n" for w in errno_words(kb)), encoding="utf-8")
    return path
