"""The contributing page's list of kb-lint codes, from `nskb.lint.codes.CODES`."""
from __future__ import annotations

from nskb.site import blocks, escape

WORDS = {"zh": ("错误写法", "正确写法"), "en": ("Wrong", "Right")}


def lint_codes_section(lang: str) -> str:
    from nskb.lint.codes import CODES  # the lead's table; imported late so rendering other pages never needs it

    bad_word, good_word = WORDS[lang]
    parts = []
    for code in sorted(CODES):
        item = CODES[code]
        title = escape.inline(item["title"][lang])
        parts += [blocks.heading(3, f"{code} · {title}", code.lower()),
                  escape.prose(item["hint"][lang]),
                  f"{bad_word}:", escape.code_block(item["bad"], "yaml"),
                  f"{good_word}:", escape.code_block(item["good"], "yaml")]
    return blocks.join(*parts).rstrip("\n")
