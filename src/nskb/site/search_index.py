"""Post-processing of Material's search index: a pure function on its JSON, no MkDocs import.

mkdocs-static-i18n writes one index for all languages. Split it: each language root gets its own
`search/search_index.json`, with locations relative to that root, and the pages of a language
load it (see mkdocs_hooks.py), so search results never leave the language.
"""
from __future__ import annotations

import re

# Paragraph tags carry no meaning in a result snippet and are a tenth of the index's bytes.
_PARAGRAPH_TAG = re.compile(r"\s*</?p>\s*")


def compact(doc: dict) -> dict:
    """A search document without paragraph tags (a space where two paragraphs met)."""
    text = doc.get("text")
    if not text:
        return doc
    return dict(doc, text=_PARAGRAPH_TAG.sub(" ", text).strip())


def split_by_language(combined: dict, prefixes: list[str]) -> dict[str, dict]:
    """{prefix: index} for each language root: '' for the default language, 'en', ..."""
    others = tuple(p + "/" for p in prefixes if p)
    out = {}
    for prefix in prefixes:
        if prefix:
            docs = [dict(d, location=d["location"][len(prefix) + 1:])
                    for d in combined["docs"] if d["location"].startswith(prefix + "/")]
        else:
            docs = [d for d in combined["docs"] if not d["location"].startswith(others)]
        out[prefix] = dict(combined, docs=[compact(d) for d in docs])
    return out
