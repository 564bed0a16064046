"""Render the KB as Markdown pages, one per entry and language, for a static-site generator.

A pure function of the model (plus the hand-written pages in docs/): no MkDocs import. Chinese
pages are `<page>.md`, English pages `<page>.en.md` (the suffix layout of mkdocs-static-i18n).
Stable paths: symptoms/<id>, causes/<id>, fixes/<id>, tools/<tool>, facts, glossary.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from nskb.site import blocks, catalog_pages, cause_page, escape, fix_page, reference_pages, symptom_page
from nskb.site.context import FOLDERS, Site
from nskb.site.handwritten import RenderError, copy_docs
from nskb.site.labels import LANGS, label, md_name
from nskb.site.reviewed import review_dates
from nskb.site.safety import without_unsafe_entries
from nskb.site.search_words import write_words

__all__ = ["render_site", "RenderError", "Site"]
MARKER = ".nskb-render"
WRITERS = {"symptom": symptom_page.render, "cause": cause_page.render, "fix": fix_page.render}


def _retired(site: Site, entry, lang: str) -> str:
    here = f"{FOLDERS[entry.kind]}/{entry.id}"
    title = site.title(entry.kind, entry.id, lang)
    target = entry.data.get("replaced_by", "")
    return blocks.join(
        blocks.front_matter(title, edit_url=site.edit_url(entry), search_exclude=True),
        blocks.heading(1, escape.inline(title)),
        blocks.admonition("info", label("retired", lang), site.link(entry.kind, target, lang, here)))


def generated_pages(site: Site):
    """Yield (relative path, Markdown) for every generated page in both languages."""
    for lang in LANGS:
        for kind in WRITERS:
            for entry_id, entry in sorted(site.kb.by_kind(kind).items()):
                text = _retired(site, entry, lang) if entry.retired else WRITERS[kind](site, entry, lang)
                yield md_name(f"{FOLDERS[kind]}/{entry_id}", lang), text
        for tool in site.kb.tools:
            if tool.get("id"):
                yield md_name(f"tools/{tool['id']}", lang), catalog_pages.tool_page(site, tool, lang)
        yield md_name("symptoms/index", lang), catalog_pages.symptoms_index(site, lang)
        yield md_name("causes/index", lang), catalog_pages.causes_index(site, lang)
        yield md_name("fixes/index", lang), catalog_pages.fixes_index(site, lang)
        yield md_name("tools/index", lang), catalog_pages.tools_index(site, lang)
        yield md_name("facts", lang), reference_pages.facts_page(site, lang)
        yield md_name("glossary", lang), reference_pages.glossary_page(site, lang)


def _clear(out: Path) -> None:
    if out.exists():
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise RenderError(f"{out} is not empty and was not written by the renderer; not clearing it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("written by python -m nskb.site; every file here is regenerated\n")


THEME = Path(__file__).resolve().parent / "theme"


THEME_DIR = ".nskb-theme"


def copy_theme(out: Path) -> None:
    """Material overrides and nskb's scripts, beside the rendered folder (mkdocs.yml: custom_dir is
    $docs_dir/../.nskb-theme; inside docs_dir MkDocs would take them for pages and assets)."""
    target = Path(out).resolve().parent / THEME_DIR
    if target.exists():
        if not (target / MARKER).exists():
            raise RenderError(f"{target} exists and was not written by the renderer; not replacing it")
        shutil.rmtree(target)
    shutil.copytree(THEME, target)
    (target / MARKER).write_text("copied by python -m nskb.site from src/nskb/site/theme\n")


def render_site(kb, out: Path, docs: Path | None = None, *, allow_missing: bool = False,
                warnings: list | None = None) -> int:
    """Write every page into `out` (cleared first). Returns the number of files written; what
    was refused (see nskb.site.safety) is appended to `warnings`."""
    out = Path(out)
    _clear(out)
    kb, refused = without_unsafe_entries(kb)
    if warnings is not None:
        warnings.extend(refused)
    site = Site(kb, reviewed=review_dates(kb.root))
    write_words(kb, out)  # a dot-file: MkDocs does not publish it
    copy_theme(out)
    count = 0
    if docs is not None and docs.is_dir():
        count += len(copy_docs(docs, out, site, allow_missing=allow_missing))
    for relative, text in generated_pages(site):
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        count += 1
    return count
