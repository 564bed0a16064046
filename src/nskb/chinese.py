"""What the code knows about Chinese text: which characters are Han, which punctuation is full-width,
and where a space never belongs."""
from __future__ import annotations

import re

# CJK Unified Ideographs, Extension A and the Compatibility Ideographs.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")
# Full-width punctuation of Chinese sentences: no space is ever written next to it.
FULLWIDTH_PUNCT = "，。；：！？、（）「」『』《》〈〉【】"

_SPACE = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"  # blanks with at most one line break: a paragraph break stays
_FOLD_SPACES = re.compile(
    rf"(?<!\n){_SPACE}(?=[{FULLWIDTH_PUNCT}])"     # before full-width punctuation
    rf"|(?<=[{FULLWIDTH_PUNCT}]){_SPACE}(?!\n)"    # after it
    rf"|(?<=[{HAN}]){_SPACE}(?=[{HAN}])"           # between two Han characters
)


def drop_fold_spaces(text: str) -> str:
    """Chinese prose without the spaces YAML line folding (or a careless editor) put next to
    full-width punctuation or between two Han characters, where Chinese never has a space.

    >>> drop_fold_spaces("这是 一段\\n折行的文字 ，后面 （括号） 还有。\\n\\n（下一段）")
    '这是一段折行的文字，后面（括号）还有。\\n\\n（下一段）'
    """
    return _FOLD_SPACES.sub("", text)
