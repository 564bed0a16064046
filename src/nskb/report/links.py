"""Where an entry is on the site, and its title in the reader's language, from the index."""
from __future__ import annotations

from nskb.entries import FOLDERS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


def article_url(site_url: str, lang: str, kind: str, entry_id: str) -> str:
    base = site_url if site_url.endswith("/") else site_url + "/"
    return f"{base}{'en/' if lang == 'en' else ''}{FOLDERS[kind]}/{entry_id}/"


def title(index: Mapping[str, Any], kind: str, entry_id: str, lang: str) -> str:
    titles = index["titles"][kind].get(entry_id) or {}
    return str(titles.get(lang) or titles.get("en") or entry_id)


def tool_title(index: Mapping[str, Any], tool_id: str, lang: str) -> str:
    """A tool's name in the reader's language (text.<lang>.name, else its product name); its id
    when the index does not know it."""
    titles = index["titles"].get("tool", {}).get(tool_id) or {}
    return str(titles.get(lang) or tool_id)
