"""Layer four: every prose field in both languages, Chinese that is Chinese, English that is English."""
from __future__ import annotations

import re

from nskb.chinese import HAN_RE as CJK
from nskb.kb.model import Document, Problem

from .vocabulary import retired_terms_in

CODE_SPAN = re.compile(r"`[^`]*`")
# A half-width , ; : ? ! or ( ) between two Chinese characters (outside code) is a typo in Chinese copy.
HALF_WIDTH_IN_CHINESE = re.compile(r"[\u4e00-\u9fff]\s*[,;:?!()]\s*[\u4e00-\u9fff]")


def _text_objects(node, path=()):
    """Yield (path, text mapping) for every `text:` mapping in a document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, dict):
                yield path + ("text",), value
            else:
                yield from _text_objects(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _text_objects(value, path + (index,))


def _problem(document: Document, display: str, path, code, message, hint) -> Problem:
    line, col = document.position(path)
    return Problem(display, line, col, code, message, hint)


def check_language(document: Document, display: str) -> list[Problem]:
    problems = []
    for path, text in _text_objects(document.data):
        zh, en = text.get("zh"), text.get("en")
        if not isinstance(zh, dict) or not isinstance(en, dict):
            continue  # the schema reports a missing language
        dotted = ".".join(str(p) for p in path)
        for key in sorted(set(zh) ^ set(en)):
            missing, lang_obj = ("zh", zh) if key not in zh else ("en", en)
            problems.append(_problem(document, display, path + (missing,), "KB201",
                                     f"{dotted}.{missing}.{key} is missing",
                                     f"write the {'Chinese' if missing == 'zh' else 'English'} {key} too"))
        for key in sorted(set(zh) & set(en)):
            zh_value, en_value = zh[key], en[key]
            if not isinstance(zh_value, str) or not isinstance(en_value, str):
                continue
            for lang, value in (("zh", zh_value), ("en", en_value)):
                if not value.strip():
                    problems.append(_problem(document, display, path + (lang, key), "KB202",
                                             f"{dotted}.{lang}.{key} is empty", "write the text, or remove the key in both languages"))
            if not zh_value.strip() or not en_value.strip():
                continue
            zh_plain, en_plain = CODE_SPAN.sub("", zh_value), CODE_SPAN.sub("", en_value)
            if zh_value.strip() == en_value.strip():
                problems.append(_problem(document, display, path + ("zh", key), "KB204",
                                         f"{dotted}.zh.{key} is identical to the English", "write it in Chinese"))
            elif not CJK.search(zh_plain):
                problems.append(_problem(document, display, path + ("zh", key), "KB203",
                                         f"{dotted}.zh.{key} contains no Chinese", "write it in Chinese"))
            if CJK.search(en_plain):
                problems.append(_problem(document, display, path + ("en", key), "KB205",
                                         f"{dotted}.en.{key} contains Chinese outside code spans",
                                         "write it in English; quote Chinese messages as `code`"))
            half_width = HALF_WIDTH_IN_CHINESE.search(zh_plain)
            if half_width:
                sample = half_width.group(0)
                problems.append(_problem(document, display, path + ("zh", key), "KB206",
                                         f"{dotted}.zh.{key} has half-width punctuation in Chinese: '{sample}'",
                                         "use full-width punctuation (，；：？！（）) in Chinese sentences"))
            for retired in retired_terms_in(zh_plain):
                problems.append(_problem(document, display, path + ("zh", key), "KB207",
                                         f"{dotted}.zh.{key} uses the retired term '{retired.term}'",
                                         f"write {retired.preferred} (docs/dev/CONVENTIONS.md, Chinese vocabulary)"))
    return problems
