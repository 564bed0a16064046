"""What the renderer refuses to put on a page, whatever kb-lint said (`make site` does not run it).

An entry whose file name is not `<kebab-case id>.yaml` is left out: its name would reach URLs,
page paths and the edit link (Material prints `page.edit_url` unescaped). A reference whose
scheme is not http(s) is shown as text, never as a link (`javascript:` would run on click).
"""
from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlsplit

SAFE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SAFE_SCHEMES = ("https", "http")
# What may appear in an href we build: no quotes, angle brackets, spaces or controls.
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def safe_id(value: str) -> bool:
    return isinstance(value, str) and len(value) <= 100 and SAFE_ID.fullmatch(value) is not None


def safe_url(value: str) -> bool:
    """An absolute http(s) URL with a host and nothing that could leave an attribute."""
    if not isinstance(value, str) or not _URL_CHARS.fullmatch(value) or "'" in value:
        return False
    parts = urlsplit(value)
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)


def without_unsafe_entries(kb) -> tuple[object, list[str]]:
    """A shallow copy of `kb` without entries whose file name is unsafe, and one warning per
    refused file (naming it with its characters escaped, so the warning cannot carry markup)."""
    warnings, kept = [], {}
    for kind in ("symptoms", "causes", "fixes"):
        entries = getattr(kb, kind)
        kept[kind] = {key: entry for key, entry in entries.items()
                      if safe_id(key) and entry.path.name == f"{key}.yaml"}
        for key, entry in entries.items():
            if key not in kept[kind]:
                shown = entry.path.name.encode("unicode_escape").decode("ascii")
                warnings.append(f"{kind}/{shown}: file name is not <kebab-case id>.yaml; "
                                "left out of the site (rename it; kb-lint reports the id)")
    return dataclasses.replace(kb, **kept), warnings
