"""The renderer on its own: files it writes, markers in hand-written pages, the index split."""
from __future__ import annotations

import copy
from pathlib import Path

import markdown
import pytest

from nskb.site import RenderError, render_site
from nskb.site.context import Site
from nskb.site.handwritten import fill_markers
from nskb.site.search_index import split_by_language

DATA = Path(__file__).resolve().parent / "data"


def test_every_generated_page_exists_in_both_languages(tmp_path, fixture_kb):
    render_site(fixture_kb, tmp_path / "out", DATA / "docs")
    pages = {p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.md")}
    zh = {p for p in pages if not p.endswith(".en.md")}
    en = {p.replace(".en.md", ".md") for p in pages if p.endswith(".en.md")}
    assert zh == en
    assert {"symptoms/nasty-message.md", "causes/nasty-cause.md", "fixes/nasty-fix.md", "tools/bwrap.md",
            "facts.md", "glossary.md", "symptoms/index.md", "causes/index.md", "fixes/index.md",
            "tools/index.md"} <= zh


def test_rendering_twice_gives_the_same_files(tmp_path, fixture_kb):
    render_site(fixture_kb, tmp_path / "a", DATA / "docs")
    render_site(fixture_kb, tmp_path / "b", DATA / "docs")
    for path in (tmp_path / "a").rglob("*.md"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()


def test_the_output_folder_is_only_cleared_when_the_renderer_wrote_it(tmp_path, fixture_kb):
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious/notes.txt").write_text("keep me")
    with pytest.raises(RenderError):
        render_site(fixture_kb, tmp_path / "precious")
    assert (tmp_path / "precious/notes.txt").read_text() == "keep me"


def test_run_marker_puts_the_real_output_in_a_code_block(fixture_kb, tmp_path):
    site = Site(fixture_kb)
    text = fill_markers("<!-- nskb:run printf 'a <b>\\n' -->", "en", site, tmp_path, allow_missing=False)
    assert text.splitlines() == ["``` { .console .nskb-wrap }", "$ printf 'a <b>\\n'", "a <b>", "```"]
    folded = fill_markers("<!-- nskb:run fold echo hi -->", "zh", site, tmp_path, allow_missing=False)
    assert folded.startswith('??? example "') and "    $ echo hi\n    hi" in folded


def test_run_marker_fails_the_render_when_the_command_cannot_run(fixture_kb, tmp_path):
    site = Site(fixture_kb)
    with pytest.raises(RenderError, match="exited with 127"):
        fill_markers("<!-- nskb:run no-such-command-nskb -->", "en", site, tmp_path, allow_missing=False)
    note = fill_markers("<!-- nskb:run no-such-command-nskb -->", "en", site, tmp_path, allow_missing=True)
    assert note.startswith("!!! bug")
    # an expected exit status is allowed when the marker names it
    fill_markers("<!-- nskb:run exit=3 sh -c 'exit 3' -->", "en", site, tmp_path, allow_missing=False)


def test_search_index_is_split_per_language_root():
    combined = {"config": {"lang": ["zh", "en"]}, "docs": [
        {"location": "", "title": "首页", "text": ""},
        {"location": "causes/x/", "title": "原因", "text": ""},
        {"location": "en/", "title": "Home", "text": ""},
        {"location": "en/causes/x/#mechanism", "title": "Mechanism", "text": ""}]}
    split = split_by_language(combined, ["", "en"])
    assert [d["location"] for d in split[""]["docs"]] == ["", "causes/x/"]
    assert [d["location"] for d in split["en"]["docs"]] == ["", "causes/x/#mechanism"]
    assert split["en"]["config"] == combined["config"]


def test_ids_and_tags_from_an_unchecked_kb_cannot_become_html(tmp_path, fixture_kb):
    # The renderer also runs on a KB kb-lint has not passed: ids used as anchors and tags (which
    # Material prints unescaped) must stay text there too.
    kb = copy.deepcopy(fixture_kb)
    symptom = kb.symptoms["nasty-message"]
    symptom.data["tool"] = "x onclick=alert(1)"
    symptom.data["distros"] = ["<b>d</b>"]
    kb.glossary[0]["id"] = "g onmouseover=alert(2)"
    render_site(kb, tmp_path / "out", DATA / "docs")
    out = tmp_path / "out"
    for page in ("symptoms/index.md", "glossary.md", "symptoms/nasty-message.md"):
        source = (out / page).read_text(encoding="utf-8")
        rendered = markdown.markdown(source.split("\n---\n", 1)[-1], extensions=["attr_list", "tables", "toc"])
        assert "onclick=" not in rendered and "onmouseover=" not in rendered, page  # (as text: &#61;)
    front = (out / "symptoms/nasty-message.md").read_text(encoding="utf-8").split("\n---\n", 1)[0]
    assert "<b>" not in front and "&lt;b&gt;d&lt;/b&gt;" in front
