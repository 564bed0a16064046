"""One Chinese vocabulary (KB207): the retired terms that zh prose must not use.

The table is the data; docs/dev/CONVENTIONS.md ("Chinese vocabulary") explains each choice. A term is
found in the text outside code spans, except inside one of its allowed longer words (宿主机 contains 主机).
"""
from __future__ import annotations

import re
from typing import NamedTuple


class Retired(NamedTuple):
    term: str
    preferred: str
    allowed: tuple[str, ...] = ()


RETIRED = (
    Retired("配置文件", "安全配置文件 (a security profile) or 设置文件 (a configuration file)", ("安全配置文件",)),
    Retired("主机", "宿主机", ("宿主机", "主机名")),
    Retired("rootless", "无根"),
    Retired("白名单", "允许列表"),
    Retired("黑名单", "拒绝列表"),
    Retired("看走眼", "判断错误 / 误判"),
    Retired("方向完全错了", "指错了方向"),
    Retired("建不起", "无法建立"),
    Retired("挂一个", "挂载一个"),
)


def _pattern(entry: Retired) -> re.Pattern:
    word = re.escape(entry.term)
    return re.compile(rf"(?<![A-Za-z]){word}(?![A-Za-z])" if entry.term.isascii() else word)


_PATTERNS = [(entry, _pattern(entry)) for entry in RETIRED]


def retired_terms_in(text: str) -> list[Retired]:
    """The retired terms `text` uses (code spans already removed by the caller), in table order."""
    found = []
    for entry, pattern in _PATTERNS:
        masked = text
        for word in entry.allowed:
            masked = masked.replace(word, "\0" * len(word))
        if pattern.search(masked):
            found.append(entry)
    return found
