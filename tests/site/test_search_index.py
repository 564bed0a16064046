"""The search indexes, one per language, and the site's search worker run over them under Node:
literal errors (flags, paths, quotes, colons) find their page first in both languages, Chinese is
cut by jieba in the index and the same way in the query, clue pages rank below causes."""
from __future__ import annotations

import gzip
import json
import re

import pytest
from tests.conftest import require_tool
from tests.site.search_table import query_table, run_queries

PREFIX = {"zh": "", "en": "en/"}
# Bytes, gzip -9, that a reader downloads once per visit: a budget per KB entry (cause, symptom or
# fix page; about 640 in Chinese, 530 in English when written) plus the fixed pages, so that the budget grows
# with the catalogue while a page that indexes far more than its text still fails.
PER_ENTRY = 750
FIXED_PAGES = 40_000
TABLE = query_table()


@pytest.fixture(scope="module")
def indexes(real_site):
    return {lang: json.loads((real_site / PREFIX[lang] / "search/search_index.json").read_text(encoding="utf-8"))
            for lang in PREFIX}


@pytest.fixture(scope="module")
def node():
    return require_tool("node")


@pytest.fixture(scope="module")
def table_results(node, real_site):
    return {lang: run_queries(node, real_site, lang, [q for query_lang, q, _ in TABLE if query_lang == lang]) for lang in PREFIX}


def test_each_language_has_its_own_index_with_only_its_pages(real_site, indexes):
    zh = {d["location"].split("#")[0] for d in indexes["zh"]["docs"]}
    en = {d["location"].split("#")[0] for d in indexes["en"]["docs"]}
    assert not [loc for loc in zh if loc.startswith("en/")], "English pages in the Chinese index"
    assert all((real_site / "en" / loc / "index.html").exists() for loc in en)
    assert all((real_site / loc / "index.html").exists() or loc == "" for loc in zh)
    assert {loc for loc in zh if loc.startswith("causes/")} == {loc for loc in en if loc.startswith("causes/")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_index_stays_within_its_budget_compressed(real_site, real_kb, lang):
    data = (real_site / PREFIX[lang] / "search/search_index.json").read_bytes()
    size = len(gzip.compress(data, 9))
    entries = len(real_kb.causes) + len(real_kb.symptoms) + len(real_kb.fixes)
    budget = FIXED_PAGES + PER_ENTRY * entries
    assert size < budget, f"{lang} index is {size} bytes gzipped, over {budget} for {entries} entries"


def test_index_pages_list_no_titles_in_the_other_language(real_kb, indexes):
    zh_titles = {d["title"] for d in indexes["zh"]["docs"]}
    en_titles = {d["title"] for d in indexes["en"]["docs"]}
    for cause in real_kb.causes.values():
        assert cause.text("en")["title"] not in zh_titles
        assert cause.text("zh")["title"] not in en_titles


def test_chinese_is_cut_by_jieba_and_errno_texts_stay_whole(real_kb, indexes):
    docs = indexes["zh"]["docs"]
    assert any("\u200b" in d["text"] for d in docs), "jieba did not run"
    words = set()
    for d in docs:
        words.update(re.split(r"[\s\u200b<>/=\"'，。：；、（）]+", d["title"] + " " + d["text"]))
    for name in ("EPERM", "EACCES"):
        text = next(e["messages"]["zh_CN"] for e in real_kb.errno if e["name"] == name)
        assert text in words, f"{text} was cut into pieces"


def test_chinese_pages_index_the_literal_english_message(real_kb, indexes):
    message = real_kb.symptoms["unshare-failed-eperm"].data["examples"]["match"][0]
    titles = [d["title"] for d in indexes["zh"]["docs"] if d["location"].startswith("symptoms/unshare-failed-eperm/")]
    assert any(message in t for t in titles)


@pytest.mark.parametrize("lang,query,first", TABLE)
def test_query_table_through_the_search_worker(table_results, lang, query, first):
    results = table_results[lang][query]
    assert results, f"{lang}: nothing for {query!r}"
    assert all(not r.startswith("en/") for r in results), "results left the language"
    if first != "any":
        assert results[0] == first, f"{lang}: {query!r} -> {results[:5]}"


def _pages_saying(kb, needle: str) -> set[str]:
    found = set()
    for folder, entries in (("symptoms", kb.symptoms), ("causes", kb.causes), ("fixes", kb.fixes)):
        for entry_id, entry in entries.items():
            if not entry.retired and needle in entry.text("zh").get("title", ""):
                found.add(f"{folder}/{entry_id}/")
    return found


@pytest.mark.parametrize("query", ["不允许的操作", "权限不够", "用户命名空间", "沙箱"])
def test_chinese_queries_find_the_pages_that_say_them(node, real_site, real_kb, query):
    expected = _pages_saying(real_kb, query)
    assert expected, f"no zh title contains {query!r}: the test would prove nothing"
    results = run_queries(node, real_site, "zh", [query])[query]
    assert expected <= set(results), f"{sorted(expected - set(results))} not found by {query!r}"
    # what comes first says it: the top results are pages whose title holds the query
    assert set(results[: min(len(expected), 5)]) <= expected | {r for r in results if r.startswith("causes/")}


def test_clue_pages_rank_below_the_causes_they_point_to(node, real_site, real_kb):
    clues = [e for e in real_kb.symptoms.values() if e.data.get("kind") == "clue" and not e.retired]
    queries = {}
    for clue in clues:
        for cause_id in clue.data.get("causes") or []:
            cause = real_kb.causes.get(cause_id)
            if cause is not None:
                queries[cause.text("en")["title"]] = (f"causes/{cause_id}/", f"symptoms/{clue.id}/")
    results = run_queries(node, real_site, "en", sorted(queries))
    wrong = [(q, r[:3]) for q, (cause, clue) in queries.items()
             for r in [results[q]] if clue in r and cause in r and r.index(clue) < r.index(cause)]
    assert not wrong, wrong[:5]
