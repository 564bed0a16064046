"""The compiled index: its content, its literals and prefilter forms, and when it is rebuilt."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from nskb.index import build as nskb_build
from nskb.index.build import COMPILER_FILES, current_index
from nskb.index.compile import compile_index
from nskb.index.prefilter import longest_literal, prefilter_form
from nskb.index.sources import DEFAULT_SITE_URL, kb_hash, read_site_url
from nskb.index.store import FORMAT, IndexUnusable, articles, entry

from .conftest import REPO, mini_kb


def test_index_shape(mini_index):
    assert mini_index["format"] == FORMAT and mini_index["site_url"] == "https://example.org/kb/"
    sym = mini_index["symptoms"]["one-cause"]
    # The C text, its lower-case form (Go and Rust print errno text so), then each locale.
    assert sym["patterns"] == [r"unshare failed: (?:Operation\ not\ permitted|operation\ not\ permitted|不允许的操作|"
                               r"此項操作並不被允許) in chroot"]
    assert sym["literals"] == ["unshare failed: "]
    # `causes:` is a mapping to how often each cause prints the line; `causes` lists them most likely first.
    four = mini_index["symptoms"]["four-causes"]
    assert four["strength"] == {"seccomp": "common", "chroot": "common", "sysctl": "common", "systemd": "possible"}
    assert four["causes"] == ["seccomp", "chroot", "sysctl", "systemd"]
    assert mini_index["symptoms"]["docker-clue"]["lowers"] == ["sysctl"]
    assert mini_index["causes"]["systemd"]["prevalence"] == "rare"
    assert mini_index["causes"]["seccomp"]["prevalence"] == "uncommon"  # the default
    assert mini_index["causes"]["chroot"]["rules_out"][0] == {"all": [{"fact": "chroot", "equals": "no"}], "certain": True}
    assert mini_index["causes"]["apparmor"]["evidence"][0] == {"feature": "apparmor", "where": {"operation": "userns_create"},
                                                              "strength": "strong"}
    assert "features" not in mini_index
    assert mini_index["causes"]["seccomp"]["fixes_by_risk"] == ["relax-seccomp", "privileged"]
    assert mini_index["fixes"]["opam-profile"]["tools"] == ["opam", "apparmor"]  # kb-match picks fixes by them
    assert mini_index["titles"]["cause"]["chroot"] == {"zh": "原因 chroot", "en": "chroot"}
    assert json.loads(json.dumps(mini_index)) == mini_index  # plain JSON data


def test_features_are_compiled_with_their_prefilter_triggers(mini_features_index):
    features = mini_features_index["features"]
    assert features["records"][0]["kind"] == "apparmor"
    triggers = features["triggers"]
    # A record's marker, each errno form, the words that tie a failure to namespaces (not every
    # errno text of every locale: a failure line needs both), mention topics, context patterns.
    for trigger in (r'apparmor="?(?:DENIED|AUDIT)\b', r"\b(?P<name>E(?:PERM|ACCES))\b", r"\bunshare\b",
                    r"(?i)\buser namespaces?\b", r"(?i)\bapparmor\b"):
        assert trigger in triggers, trigger
    context = [t for t in triggers if "uid=" in t]
    assert len(context) == 1 and not context[0].startswith("^")  # searched inside a decorated line
    assert mini_features_index["errno"]["EPERM"] == {"number": 1, "texts": ["Operation not permitted", "operation not permitted",
                                                                        "不允许的操作", "此項操作並不被允許"]}


def test_a_list_of_causes_still_compiles_to_levels_in_order():
    kb = mini_kb()
    kb.symptoms["four-causes"].data["causes"] = ["seccomp", "chroot", "sysctl", "systemd"]
    index = compile_index(kb, site_url="https://e.x/", source_hash="sha256:x")
    assert index["symptoms"]["four-causes"]["strength"] == {"seccomp": "usual", "chroot": "common", "sysctl": "possible",
                                                            "systemd": "possible"}


def test_articles_hold_what_only_explain_needs(mini_index):
    details = articles(mini_index)
    assert details["text"]["fix"]["no-chroot"]["en"]["risk_reason"] == "r"
    assert details["symptom"]["four-causes"]["examples"]["match"] == ["x"]
    assert entry(mini_index, "fix", "privileged")["risk"] == "high"
    assert entry(mini_index, "fix", "privileged")["commands"] == ["c"]
    assert entry(mini_index, "cause", "chroot")["symptoms"] == ["four-causes", "one-cause"]
    assert "examples" not in mini_index["symptoms"]["four-causes"]  # not parsed on every run


def test_dangling_links_are_dropped_and_reported():
    kb = mini_kb()
    kb.symptoms["one-cause"].data["causes"] = {"chroot": "usual", "no-such-cause": "common"}
    index = compile_index(kb, site_url="https://e.x/", source_hash="sha256:x")
    assert index["symptoms"]["one-cause"]["causes"] == ["chroot"]
    assert index["symptoms"]["one-cause"]["strength"] == {"chroot": "usual"}
    assert any("no-such-cause" in p for p in index["problems"])


def test_patterns_re2_refuses_are_skipped():
    kb = mini_kb()
    kb.symptoms["one-cause"].data["patterns"] = ["(?<=look)behind", "plain text here"]
    index = compile_index(kb, site_url="https://e.x/", source_hash="sha256:x")
    assert index["symptoms"]["one-cause"]["patterns"] == ["plain text here"]
    assert any("RE2" in p for p in index["problems"])


def test_chinese_prose_loses_the_spaces_yaml_folding_adds():
    kb = mini_kb()
    kb.causes["chroot"].data["text"]["zh"]["summary"] = "内核在创建用户命名空间时\n直接返回 `EPERM`，\n而 sysctl 其实是开着的。"
    index = compile_index(kb, site_url="https://e.x/", source_hash="sha256:x")
    assert articles(index)["text"]["cause"]["chroot"]["zh"]["summary"] == "内核在创建用户命名空间时直接返回 `EPERM`，而 sysctl 其实是开着的。"


def test_printed_by_notes_go_to_the_prose_per_language():
    from nskb.report.article import article
    from nskb.report.terminal import Style

    kb = mini_kb()
    kb.symptoms["one-cause"].data["printed_by"] = [
        {"program": "unshare (util-linux)", "versions": "≥ 2.27", "errno": "EPERM",
         "text": {"zh": {"note": "仅在使用 `--mount` 时出现。"}, "en": {"note": "Only with `--mount`."}}},
        {"program": "unshare (BusyBox)", "versions": "all"}]
    index = compile_index(kb, site_url="https://e.x/", source_hash="sha256:x")
    assert entry(index, "symptom", "one-cause")["printed_by"] == [
        {"program": "unshare (util-linux)", "versions": "≥ 2.27", "errno": "EPERM"},
        {"program": "unshare (BusyBox)", "versions": "all"}]
    assert articles(index)["text"]["symptom"]["one-cause"]["zh"]["printed_by"] == ["仅在使用 `--mount` 时出现。", ""]
    zh = article(index, "symptom", "one-cause", "zh", "https://e.x/", Style(False))
    assert "unshare (util-linux)：≥ 2.27（EPERM）\n    仅在使用 `--mount` 时出现。" in zh
    assert "unshare (BusyBox)：全部版本\n" in zh and "Only with" not in zh
    en = article(index, "symptom", "one-cause", "en", "https://e.x/", Style(False))
    assert "unshare (util-linux): ≥ 2.27 (EPERM)\n    Only with `--mount`." in en
    assert "unshare (BusyBox): all versions\n" in en


@pytest.mark.parametrize("pattern, literal", [
    ("No permissions to (?:creating|create(?: a)?) new namespace", "No permissions to creat"),
    (r"^\s*kernel\.unprivileged_userns_clone\s*=\s*(\d)", "kernel.unprivileged_userns_clone"),
    ("(?i)case insensitive", ""),
    ("a|b", ""),
    ("abc[[:alpha:]]def", ""),
    (r"setting up (?:uid|gid) map: Permission denied", " map: Permission denied"),
])
def test_longest_literal(pattern, literal):
    assert longest_literal(pattern) == literal


@pytest.mark.parametrize("pattern, multiline", [
    (r"^ID=(\w+)$", True),
    ("plain", False),
    (r"(?:^|\s)word", True),
    (r"end\$", False),
])
def test_prefilter_form(pattern, multiline):
    assert prefilter_form(pattern) == (pattern, multiline)


def test_site_url_from_mkdocs_yml(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_url: 'https://example.org/docs'\ntheme: !!python/name:x\n")
    assert read_site_url(tmp_path / "mkdocs.yml") == "https://example.org/docs/"
    assert read_site_url(tmp_path / "missing.yml") == DEFAULT_SITE_URL


def test_kb_hash_is_stable_and_changes_with_the_kb(tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(REPO / "kb", kb)
    first = kb_hash(kb)
    assert kb_hash(kb) == first
    (kb / "errno.yaml").write_text((kb / "errno.yaml").read_text() + "\n")
    assert kb_hash(kb) != first


def test_a_fifo_in_kb_is_skipped_not_read(tmp_path):
    # Reading a FIFO blocks until a writer comes: kb-match's rebuild (kb_hash, load_kb) must not.
    kb = tmp_path / "kb"
    shutil.copytree(REPO / "kb", kb, ignore=shutil.ignore_patterns("good-logs"))
    os.mkfifo(kb / "symptoms" / "fifo.yaml")
    code = "import sys; from nskb.index.build import compile_kb; print(len(compile_kb(sys.argv[1])['symptoms']))"
    done = subprocess.run([sys.executable, "-c", code, str(kb)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(list((REPO / "kb" / "symptoms").glob("*.yaml")))


@pytest.fixture
def checkout(tmp_path):
    """A copy of kb/ and mkdocs.yml, and an index path beside them."""
    shutil.copytree(REPO / "kb", tmp_path / "kb", ignore=shutil.ignore_patterns("good-logs"))
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def test_rebuilt_when_missing_and_when_kb_content_changes(checkout):
    index_path = checkout / "index.json"
    first = current_index(str(index_path), str(checkout / "kb"))
    assert index_path.exists() and first["format"] == FORMAT
    stamp = index_path.stat().st_mtime_ns
    time.sleep(0.02)
    current_index(str(index_path), str(checkout / "kb"))
    assert index_path.stat().st_mtime_ns == stamp  # fresh: not rebuilt
    symptom = next((checkout / "kb" / "symptoms").glob("*.yaml"))
    symptom.write_text(symptom.read_text(encoding="utf-8") + "# a comment changes the content\n", encoding="utf-8")
    current_index(str(index_path), str(checkout / "kb"))
    assert index_path.stat().st_mtime_ns != stamp


def test_an_mtime_alone_never_makes_the_index_stale(checkout, monkeypatch):
    # Staleness is the content hash: a touched file, or one whose mtime lies in the future (a clock
    # skew, an archive), must not make every run recompile.
    index_path = checkout / "index.json"
    current_index(str(index_path), str(checkout / "kb"))
    compiled = []
    real = nskb_build.compile_kb
    monkeypatch.setattr(nskb_build, "compile_kb", lambda *a, **k: compiled.append(1) or real(*a, **k))
    symptom = next((checkout / "kb" / "symptoms").glob("*.yaml"))
    future = time.time() + 3600
    os.utime(symptom, (future, future))
    os.utime(checkout / "kb" / "symptoms", (future, future))
    for _ in range(3):
        assert current_index(str(index_path), str(checkout / "kb"))["format"] == FORMAT
    assert compiled == []


def test_a_deleted_entry_makes_the_index_stale(checkout):
    index_path = checkout / "index.json"
    current_index(str(index_path), str(checkout / "kb"))
    victim = sorted((checkout / "kb" / "symptoms").glob("*.yaml"))[0]
    old = json.loads(index_path.read_text())
    time.sleep(0.02)
    victim.unlink()
    future = time.time() + 5
    os.utime(checkout / "kb" / "symptoms", (future, future))
    new = current_index(str(index_path), str(checkout / "kb"))
    assert victim.stem in old["symptoms"] and victim.stem not in new["symptoms"]


def test_wrong_format_is_rebuilt_in_a_checkout_and_refused_elsewhere(checkout):
    index_path = checkout / "index.json"
    index_path.write_text(json.dumps({"format": "nskb-index/0"}))
    assert current_index(str(index_path), str(checkout / "kb"))["format"] == FORMAT
    index_path.write_text(json.dumps({"format": "nskb-index/0"}))
    with pytest.raises(IndexUnusable, match="nskb-index/0"):
        current_index(str(index_path), None)
    with pytest.raises(IndexUnusable, match="missing"):
        current_index(str(checkout / "nope.json"), None)


def test_a_kb_that_cannot_be_compiled_keeps_the_previous_index(checkout, monkeypatch):
    index_path = checkout / "index.json"
    current_index(str(index_path), str(checkout / "kb"))
    symptom = next((checkout / "kb" / "symptoms").glob("*.yaml"))
    symptom.write_text(symptom.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(nskb_build, "compile_kb", broken)
    index = current_index(str(index_path), str(checkout / "kb"))
    assert index["format"] == FORMAT and "boom" in index["_warning"]


def test_the_repository_index_matches_kb(real_index):
    assert real_index["kb_hash"] == kb_hash(REPO / "kb", COMPILER_FILES)


def test_every_module_the_compiler_runs_makes_the_index_stale(checkout):
    # A change to any nskb module that compile_kb uses can change the index, so each one is watched.
    code = (
        "import sys, json; import nskb.index.build as ix; before = set(sys.modules); ix.compile_kb(sys.argv[1]);"
        "used = sorted(m.__file__ for n, m in sys.modules.items() if n.startswith('nskb.') and n not in before"
        " or n in ('nskb.index.build', 'nskb.index.sources', 'nskb.index.format', 'nskb.entries')); print(json.dumps([used, list(ix.COMPILER_FILES)]))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(checkout / "kb")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    used, watched = json.loads(done.stdout)
    assert used and set(used) <= set(watched), sorted(set(used) - set(watched))


def test_a_kb_file_that_does_not_load_is_named_in_the_index_and_by_kb_match(checkout, monkeypatch, capsys):
    # A syntax error drops the whole file: features.yaml gone means no evidence from any line, so
    # kb-match must say that it runs on part of the KB.
    features = checkout / "kb" / "features.yaml"
    features.write_text(features.read_text(encoding="utf-8") + "broken: [unclosed\n", encoding="utf-8")
    index = current_index(str(checkout / "index.json"), str(checkout / "kb"))
    assert index["problems"] and "features.yaml" in index["problems"][0] and "KB006" in index["problems"][0]
    from nskb.cli import match as cli

    monkeypatch.setattr(cli, "current_index", lambda: index)
    cli._load_index()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "warning: kb/ has" in err[0] and "features.yaml" in err[0] and "kb-lint" in err[0]


def test_other_glibc_releases_wordings_are_errno_texts_too(real_index):
    # glibc 2.41's French catalog words ENOENT otherwise than 2.36's; a log from either is read.
    from nskb.kb.patterns import errno_texts
    table = [{"name": "ENOENT", "number": 2,
              "messages": {"C": "No such file or directory", "fr": "Aucun fichier ou dossier de ce type"},
              "other_releases": {"fr": ["Aucun fichier ou dossier de ce nom"]}}]
    assert errno_texts(table)["ENOENT"][-1] == "Aucun fichier ou dossier de ce nom"
    assert "Aucun fichier ou dossier de ce nom" in real_index["errno"]["ENOENT"]["texts"]
