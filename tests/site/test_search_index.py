"""The search indexes, one per language: Chinese words segmented by jieba, literal errors found."""
from __future__ import annotations

import pytest
from tests.site.lunr_like import Index

PREFIX = {"zh": "", "en": "en/"}


@pytest.fixture(scope="module")
def indexes(real_site):
    return {"zh": Index.load(real_site / "search/search_index.json"),
            "en": Index.load(real_site / "en/search/search_index.json")}


def _pages_with(kb, lang: str, needle: str) -> set[str]:
    """Entry pages whose own text (title, summary, messages) contains `needle`."""
    found = set()
    for folder, entries in (("symptoms", kb.symptoms), ("causes", kb.causes), ("fixes", kb.fixes)):
        for entry_id, entry in entries.items():
            if entry.retired:
                continue
            text = entry.text(lang)
            haystack = [text.get("title", ""), text.get("summary", "")]
            haystack += (entry.data.get("examples") or {}).get("match", []) if folder == "symptoms" else []
            if any(needle.lower() in h.lower() for h in haystack):
                found.add(f"{folder}/{entry_id}/")
    return found


def test_each_language_has_its_own_index_with_only_its_pages(real_site, indexes):
    zh = {d["location"].split("#")[0] for d in indexes["zh"].docs}
    en = {d["location"].split("#")[0] for d in indexes["en"].docs}
    assert not [loc for loc in zh if loc.startswith("en/")], "English pages in the Chinese index"
    # locations in the English index are relative to /en/, and every one is an English page
    assert all((real_site / "en" / loc / "index.html").exists() for loc in en)
    assert all((real_site / loc / "index.html").exists() or loc == "" for loc in zh)
    assert {loc for loc in zh if loc.startswith("causes/")} == {loc for loc in en if loc.startswith("causes/")}


def test_index_pages_list_no_titles_in_the_other_language(real_kb, indexes):
    zh_titles = {d["title"] for d in indexes["zh"].docs}
    en_titles = {d["title"] for d in indexes["en"].docs}
    for cause in real_kb.causes.values():
        assert cause.text("en")["title"] not in zh_titles
        assert cause.text("zh")["title"] not in en_titles


def test_chinese_text_is_segmented_with_zero_width_spaces(indexes):
    assert indexes["zh"].separator.fullmatch("\u200b")
    assert any("\u200b" in d["text"] for d in indexes["zh"].docs), "jieba did not run"
    assert {"用户", "命名", "空间"} <= indexes["zh"].vocabulary or "命名空间" in indexes["zh"].vocabulary


@pytest.mark.parametrize("query", ["用户命名空间", "不允许的操作", "沙箱"])
def test_chinese_queries_find_the_pages_that_contain_them(real_kb, indexes, query):
    expected = _pages_with(real_kb, "zh", query)
    assert expected, f"no zh entry contains {query!r}: the test would prove nothing"
    results = indexes["zh"].search(query)
    terms = set(indexes["zh"].terms(query))
    full = {page for _, page, matched in results if matched == terms}
    assert expected <= full, f"{sorted(expected - full)} not found by {query!r} (terms {sorted(terms)})"


@pytest.mark.parametrize("query", ["Creating new namespace failed", "setting up uid map"])
def test_english_queries_find_the_messages(real_kb, indexes, query):
    expected = {p for p in _pages_with(real_kb, "en", query) if p.startswith("symptoms/")}
    assert expected, f"no symptom prints {query!r}: the test would prove nothing"
    results = indexes["en"].search(query)
    terms = set(indexes["en"].terms(query))
    full = {page for _, page, matched in results if matched == terms}
    assert expected <= full
    assert all(not page.startswith("en/") for _, page, _ in results)


def test_a_literal_error_ranks_its_symptom_page_first_among_full_matches(real_kb, indexes):
    entry = real_kb.symptoms["bwrap-no-permission-create-namespace"]
    message = entry.data["examples"]["match"][0]
    for lang in ("zh", "en"):
        top = [page for _, page, _ in indexes[lang].search(message)[:3]]
        assert "symptoms/bwrap-no-permission-create-namespace/" in top, top
