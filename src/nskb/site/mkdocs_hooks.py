"""The only MkDocs-specific code in nskb (`hooks:` in mkdocs.yml). Keep it under a screen.

Material + mkdocs-static-i18n need small corrections the configuration cannot express:

1. "Edit this page" must open the entry's YAML file, not the generated Markdown: pages carry an
   `edit_url` in their front matter (empty: no edit button).
2. Search must stay within one language: pages of a non-default language point the search client
   at their own language root, and after the build the index is split per language
   (nskb.site.search_index).
3. The per-page `<link rel="alternate" hreflang>` tags make Material's client fetch `sitemap.xml`
   next to every page (404s in the console); the language links in the header and the sitemap's
   own hreflang alternates stay, so only the `<head>` tags are dropped.
4. The home pages' language links are root-absolute (/nskb/en/); they become site-relative like
   every other page's, so the site works wherever it is served.
5. The sidebar lists every entry page (nskb.site.site_nav); Chinese pages say `lang="zh-CN"`;
   the search worker is nskb's wrapper around Material's (theme/assets/javascripts/workers/).

Also: `mkdocs build --strict --quiet` raises the "mkdocs" logger to ERROR, which hides warnings
from strict mode's counter too, so the build passes with warnings. Warnings stay on (INFO stays
quiet), and jieba's dictionary-loading chatter on stderr goes.
"""
import json
import logging
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

from nskb.site import search_words
from nskb.site.safety import safe_url
from nskb.site.search_index import split_by_language
from nskb.site.site_nav import expand_sections

if logging.getLogger("mkdocs").level > logging.WARNING:
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
logging.getLogger("jieba").setLevel(logging.WARNING)


class _InstantSwitcherHandled(logging.Filter):
    """mkdocs-static-i18n warns that Material's language links go stale under instant navigation;
    nskb-language.js computes them from the address at click time, so the warning is moot."""

    def filter(self, record):
        return "not compatible with theme.features = navigation.instant" not in record.getMessage()


logging.getLogger("mkdocs.plugins.mkdocs_static_i18n.reconfigure").addFilter(_InstantSwitcherHandled())

_HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
_SEARCH_WORKER = re.compile(r'"search": "([^"]*workers/)(search\.[0-9a-f]+\.min\.js)"')


def _i18n(config):
    return config.plugins.get("i18n")


def _language_prefix(config) -> str:
    """'' for the default language, 'en' for pages under /en/."""
    plugin = _i18n(config)
    return plugin.current_language_config.link.strip("/") if plugin else ""


def on_page_context(context, page, config, nav):
    if "edit_url" in page.meta:
        page.edit_url = page.meta["edit_url"] or None
    if page.edit_url and not safe_url(page.edit_url):  # Material prints it unescaped in href="..."
        page.edit_url = None
    root = urlsplit(config.site_url or "").path or "/"
    for alternate in getattr(config.extra, "alternate", None) or []:
        if alternate.get("link", "").startswith(root):
            alternate["link"] = alternate["link"][len(root):] or "./"
    prefix = _language_prefix(config)
    if prefix:
        context["base_url"] = posixpath.join(context["base_url"], prefix) + "/"
    return context


on_page_context.mkdocs_priority = -50  # type: ignore[attr-defined]  # after mkdocs-static-i18n set this page's language links


def on_config(config):
    words = Path(config.docs_dir) / search_words.FILE_NAME
    if words.is_file():  # written by the renderer; the search plugin cuts pages with this jieba
        import jieba
        jieba.load_userdict(str(words))
    if config.nav:
        config.nav = expand_sections(config.nav, Path(config.docs_dir))
    return config


def on_post_page(output, page, config):
    head, sep, body = output.partition("</head>")
    head = head.replace('<html lang="zh" ', '<html lang="zh-CN" ', 1)
    body = _SEARCH_WORKER.sub(r'"search": "\1nskb-search.js?material=\2"', body, count=1)
    return _HEAD_ALTERNATE.sub("", head) + sep + body


def on_post_build(config):
    plugin = _i18n(config)
    if plugin is None or plugin.building:  # an inner per-language build: wait for the last one
        return
    site = Path(config.site_dir)
    combined = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    prefixes = [lang.link.strip("/") for lang in plugin.config.languages if lang.build]
    # Instant navigation reads sitemap.xml at the language root to know which links are pages.
    for prefix in filter(None, prefixes):
        if (site / "sitemap.xml").is_file():
            (site / prefix / "sitemap.xml").write_bytes((site / "sitemap.xml").read_bytes())
    for prefix, index in split_by_language(combined, prefixes).items():
        target = site / prefix / "search/search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


on_post_build.mkdocs_priority = -200  # type: ignore[attr-defined]  # after mkdocs-static-i18n (-100) wrote the combined index
