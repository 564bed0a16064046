"""The helpers the generated pages call for their fixed strings. The words themselves live in the
one catalogue, nskb.words, with kb-match's; this module holds no table of its own."""
from __future__ import annotations

from nskb.entries import LANGS
from nskb.words import COLON, LIST_SEP, label

__all__ = ["LANGS", "colon", "label", "md_name", "sep"]


def colon(lang: str) -> str:
    """The label separator: full-width in Chinese."""
    return COLON[lang]


def sep(lang: str) -> str:
    """The list separator: the Chinese enumeration comma in Chinese."""
    return LIST_SEP[lang]


def md_name(base: str, lang: str) -> str:
    """`causes/x` -> `causes/x.md` (Chinese, the default) or `causes/x.en.md`."""
    return f"{base}.md" if lang == "zh" else f"{base}.{lang}.md"
