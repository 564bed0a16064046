"""Tool names (kb/tools.yaml): the product name is the same in every language and holds no prose.

`name` is what a user types or searches ("unshare", "Steam", "RootlessKit"); a description such as
"(OCaml package manager)" is prose and belongs in text.zh.name / text.en.name, which contain the
product name as it is so both languages name the same thing. (The layer-four checks, KB201-KB207,
already see text.<lang>.name as prose.)
"""
from __future__ import annotations

import re

from nskb.chinese import HAN_RE
from nskb.kb.model import KB, Problem, as_list

# Brackets and the punctuation that joins a description to a name; " / " between alternatives is fine.
DESCRIPTION_MARKS = re.compile(r"[()\[\]{}（）【】,，;；:：、&]")
JOINING_WORDS = {"and", "or", "for", "with", "of", "the", "via", "plus", "und"}


def name_prose(name: str) -> str:
    """Why a product name reads as English prose, or "" when it is a plain name.

    A name of several words is a product name only if each word starts with a capital or a digit
    ("Visual Studio Code", "GNU Guix"); "GitHub Actions hosted runners" describes one."""
    mark = DESCRIPTION_MARKS.search(name)
    if mark:
        return f"'{mark.group(0)}' starts a description"
    if HAN_RE.search(name):
        return "it contains Chinese"
    for alternative in name.split("/"):
        words = alternative.split()
        joining = [w for w in words if w.lower() in JOINING_WORDS]
        if joining:
            return f"'{joining[0]}' joins a description"
        if len(words) > 1:
            lower = [w for w in words if w[0].islower()]
            if lower:
                return f"'{lower[0]}' is a descriptive word, not part of a product name"
    return ""


def check_tool_names(kb: KB, shown_doc) -> list[Problem]:
    document = kb.catalogues.get("tools")
    if document is None:
        return []
    problems = []
    for index, tool in enumerate(as_list(document.data.get("tools"))):
        name = tool.get("name") if isinstance(tool, dict) else None
        if not isinstance(name, str) or not name.strip():
            continue  # the schema reports it
        why = name_prose(name)
        if why:
            line, col = document.position(("tools", index, "name"))
            problems.append(Problem(shown_doc(document), line, col, "KB209",
                                    f"the name '{name}' of tool '{tool.get('id')}' is not a bare product name: {why}",
                                    "keep only the product name in `name`, e.g. `opam`, and write the whole name with "
                                    "its description in text.zh.name and text.en.name"))
            continue
        text = tool.get("text")
        for lang in ("zh", "en"):
            own = text.get(lang) if isinstance(text, dict) else None
            shown = own.get("name") if isinstance(own, dict) else None
            if isinstance(shown, str) and shown.strip() and name not in " ".join(shown.split()):
                line, col = document.position(("tools", index, "text", lang, "name"))
                problems.append(Problem(shown_doc(document), line, col, "KB210",
                                        f"text.{lang}.name of tool '{tool.get('id')}' does not contain its name '{name}'",
                                        f"write the product name '{name}' as it is in text.{lang}.name, and describe it around that"))
    return problems
