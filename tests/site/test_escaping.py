"""KB text is shown literally: messages as code, never as HTML; prose without any markup."""
from __future__ import annotations

import html
import re

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.site.htmltools import main_text, page_file, parse

from nskb.chinese import drop_fold_spaces
from nskb.entries import command_line, command_note, command_run
from nskb.site import escape

EXTENSIONS = ["admonition", "attr_list", "tables", "toc", "pymdownx.details", "pymdownx.superfences",
              "pymdownx.highlight"]
PREFIX = {"zh": "", "en": "en/"}


def to_html(source: str) -> str:
    return markdown.markdown(source, extensions=EXTENSIONS)


def visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# -- the escaping functions on their own -------------------------------------------------------

PROSE_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="`") | st.sampled_from(
    list("<>&*_[]()#|!\\-+=~^{}:.1 \n") + ["<script>", "&lt;", "](", "<https://deb.li/x>", "~~~"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PROSE_CHARS, max_size=40).map("".join))
def test_prose_without_code_renders_as_exactly_its_text(value):
    rendered = to_html(escape.prose(value))
    assert "<script" not in rendered and "<a " not in rendered and "<em" not in rendered
    got = " ".join(visible_text(rendered).split())
    want = " ".join(" ".join(drop_fold_spaces(p).split()) for p in re.split(r"\n[ \t]*\n", value.strip()))
    assert got.replace(" ", "") == want.replace(" ", "")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60))
def test_code_span_shows_exactly_its_content(value):
    rendered = to_html("x " + escape.code_span(value) + " y")
    codes = re.findall(r"<code>(.*?)</code>", rendered, re.S)
    assert len(codes) == 1
    assert html.unescape(codes[0]).strip() == value.strip()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=50),
                min_size=1, max_size=4))
def test_code_block_shows_exactly_its_lines(lines):
    lines = [line.rstrip() for line in lines]
    rendered = to_html(escape.code_block(lines, "text", wrap=True))
    codes = re.findall(r"<code>(.*?)</code>", rendered, re.S)
    assert len(codes) == 1
    # (a code block never starts with blank lines in the KB; Markdown drops them)
    assert html.unescape(re.sub(r"<[^>]+>", "", codes[0])).strip("\n") == "\n".join(lines).strip("\n")


def test_backticks_make_code_spans_and_a_lone_one_stays_text():
    rendered = to_html(escape.prose("run `a <b> | c` then ` alone, and `` twice"))
    assert re.findall(r"<code>(.*?)</code>", rendered) == ["a &lt;b&gt; | c"]
    assert visible_text(rendered) == "run a <b> | c then ` alone, and `` twice"


def test_table_cell_keeps_pipes_inside():
    rendered = to_html("| a | b |\n| --- | --- |\n| " + escape.cell("x | y `a|b` <i>") + " | z |")
    cells = re.findall(r"<td>(.*?)</td>", rendered, re.S)
    assert [visible_text(c) for c in cells] == ["x | y a|b <i>", "z"]


def test_front_matter_title_is_escaped_for_templates_that_print_it_raw():
    assert escape.front_matter_title('<script>alert("x")</script> & `code`') == \
        '"&lt;script&gt;alert(\\"x\\")&lt;/script&gt; &amp; code"'


# -- the fixture KB, built by MkDocs -----------------------------------------------------------

def _no_injected_markup(page):
    assert not any("alert(" in body for body in page.scripts), "a KB string became a <script>"
    assert not [(tag, attrs) for tag, attrs in page.tags if tag in ("b", "u", "img") or "onerror" in attrs]


def test_fixture_messages_show_as_code_text(fixture_site, fixture_kb):
    entry = fixture_kb.symptoms["nasty-message"]
    for lang in ("zh", "en"):
        page = parse(page_file(fixture_site, f"{PREFIX[lang]}symptoms/nasty-message/"))
        _no_injected_markup(page)
        codes = [c.rstrip("\n") for c in page.texts.get("code", [])]
        for line in entry.data["examples"]["match"]:
            assert line in codes
        assert entry.text(lang)["title"] == page.texts["h1"][0].rstrip("¶")
        title = page.texts["title"][0]
        assert title.startswith(entry.text(lang)["title"].replace("`", ""))
        text = main_text(page_file(fixture_site, f"{PREFIX[lang]}symptoms/nasty-message/"))
        assert "<https://deb.li/bubblewrap>" in text and "<b>patched</b>" in text
        assert "1.0 | 2.0 & *later*" in text
        note = {"zh": "仅在 <b>某些</b> 情况下 | a|b *不是粗体* [x](https://e.com)",
                "en": "only <b>sometimes</b> | a|b *not bold* [x](https://e.com)"}
        assert note[lang] in text and note["en" if lang == "zh" else "zh"] not in text
        assert {"zh": "全部版本", "en": "all versions"}[lang] in text
        assert "&lt;already-escaped&gt; &amp; <!-- not a comment --> \\*backslash\\*" in text
        # the summary's "# ..." and "- ..." stay paragraphs
        assert len(page.texts.get("h1", [])) == 1 and not any("列表" in li or "list" in li
                                                                 for li in page.texts.get("li", []))
        links = [url for tag, url in page.links if tag == "a"]
        # `<` and `>` cannot be in a URL: the reference is shown, as text, never as a link
        assert "https://example.com/a_(b)?q=1&r=<c>" not in links and "https://example.com/a_(b)?q=1&r=<c>" in text
        assert "https://e.com" not in links and "https://example.com" not in links


def test_fixture_cause_and_fix_pages_show_commands_and_outputs_literally(fixture_site, fixture_kb):
    cause = fixture_kb.causes["nasty-cause"].data
    fix = fixture_kb.fixes["nasty-fix"].data
    for lang in ("zh", "en"):
        page = parse(page_file(fixture_site, f"{PREFIX[lang]}causes/nasty-cause/"))
        _no_injected_markup(page)
        codes = [c.rstrip("\n") for c in page.texts.get("code", [])]
        assert cause["diagnostics"][0]["run"] in codes
        assert cause["diagnostics"][0]["confirms_output"] in codes
        assert "</code><script>alert(7)</script>" in codes
        # the words after a literal output are prose: their code span is code, the rest text
        assert "</code><script>alert(9)</script>" in codes
        words = " ".join(page.texts.get("li", []))
        assert ("没有 <b>输出</b>" if lang == "zh" else "no <b>output</b>") in words
        page = parse(page_file(fixture_site, f"{PREFIX[lang]}fixes/nasty-fix/"))
        _no_injected_markup(page)
        codes = [c.rstrip("\n") for c in page.texts.get("code", [])]
        for item in fix["commands"] + fix["undo"] + fix["verify"]:
            assert command_line(command_run(item), command_note(item, lang)) in codes
        assert any(c.endswith("  # 应输出 1，不是 <b>粗体</b> & </code><script>alert(8)</script>") for c in codes) == (lang == "zh")
        assert fix["files"][0]["content"].rstrip("\n") in codes
        assert "/etc/<x>.conf" in codes


def test_fixture_catalogue_pages_escape_their_text(fixture_site):
    for url in ("tools/bwrap/", "facts/", "glossary/", "tools/", "symptoms/", "causes/", "fixes/"):
        for lang in ("zh", "en"):
            page = parse(page_file(fixture_site, PREFIX[lang] + url))
            _no_injected_markup(page)
    text = main_text(page_file(fixture_site, "en/tools/bwrap/"))
    assert "bubblewrap <bwrap>" in text and "Sandbox tool <i>italic</i>." in text
    assert "value | meaning" in main_text(page_file(fixture_site, "en/facts/"))
