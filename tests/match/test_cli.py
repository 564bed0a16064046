"""kb-match as a person and a script use it: exit codes (0 only for a confident cause), formats,
languages, colour, --explain, bad input."""
from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from nskb.index.sources import read_site_url

KB_MATCH = str(Path(sys.executable).parent / "kb-match")
SCHEMA = json.loads((Path(__file__).parent / "nskb-match-2.schema.json").read_text())
REPO = Path(__file__).resolve().parents[2]
# A line several causes print alike (a filter, a chroot, the Debian switch): a probe decides between them.
NO_PERM = "bwrap: No permissions to create a new namespace, likely because the kernel does not allow non-privileged user namespaces.\n"
# A line that names its cause with confidence (Ubuntu's AppArmor restriction).
UID_MAP = "bwrap: setting up uid map: Permission denied\n"
BASE_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "NO_COLOR"))}


def kb_match(*args, stdin: bytes | str = b"", env: dict | None = None, timeout: int = 60):
    if isinstance(stdin, str):
        stdin = stdin.encode()
    done = subprocess.run([KB_MATCH, *map(str, args)], input=stdin, capture_output=True, timeout=timeout,
                          env={**BASE_ENV, **(env or {})})
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def check_usage_error(code: int, out: str, err: str, *words: str) -> None:
    """Exit 2, nothing on stdout, exactly one line on stderr naming the problem, no traceback."""
    assert code == 2, (out, err)
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("kb-match: ") and "Traceback" not in err
    for word in words:
        assert word in err, err


def as_json(out: str) -> dict:
    """The nskb-match/2 object kb-match printed, checked against the schema and its invariants."""
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    ranks = [c["rank"] for c in data["causes"]]  # the engine's ranks; causes nothing speaks for are not listed
    assert ranks == sorted(set(ranks)) and all(r >= 1 for r in ranks)
    assert [c["probability"] for c in data["causes"]] == sorted((c["probability"] for c in data["causes"]), reverse=True)
    assert sum(c["probability"] for c in data["causes"]) + data["other"] <= 1.005
    assert not ({c["id"] for c in data["causes"]} & {r["id"] for r in data["ruled_out"] if r["certain"]})
    if data["verdict"] == "cause":
        top = data["causes"][0]
        assert top["probability"] >= data["threshold"] and top["probability"] > data["other"]
    return data


def facts_file(tmp_path: Path, **facts: str) -> Path:
    """A probe file in kb-probe's key=value format."""
    path = tmp_path / "probe.txt"
    path.write_text("# nskb-probe/1\n" + "".join(f"{k.replace('__', '.')}={v}\n" for k, v in facts.items()))
    return path


def test_a_confident_cause_exits_0_and_prints_evidence():
    code, out, err = kb_match(stdin="line one\n" + UID_MAP)
    assert code == 0, err
    assert "2: bwrap: setting up uid map" in out and "line 2 is" in out and "/causes/" in out
    assert "Most likely cause: " in out and "(+" in out  # the verdict, and each reason's log-odds


def test_nothing_matched_exits_1():
    code, out, err = kb_match(stdin="all good\n")
    assert code == 1 and err == ""
    assert "No known symptom matched in 1 line" in out and "No sandbox or user-namespace failure was recognised" in out


def test_no_failure_report_names_no_cause_it_does_not_list():
    # With no failure in the log, no cause is listed; the report must not point at ranks it never showed.
    _, out, _ = kb_match(stdin="all good\n")
    assert "Likely causes" not in out and "Causes 1, 2" not in out, out


@pytest.mark.parametrize("verdict, status", [("cause", 0), ("not-sure", 1), ("no-failure", 1)])
def test_exit_status_follows_the_verdict_on_a_real_case(real_index, tmp_path, verdict, status):
    """The first corpus case the engine gives this verdict, run through the command."""
    from nskb.evaluation import run_case

    from .test_corpus import corpus, probe_parser

    parse = probe_parser(real_index)
    case = next((c for c in corpus() if run_case(real_index, c, parse).verdict == verdict), None)
    assert case is not None, f"no corpus case gets the verdict {verdict}"
    log = tmp_path / "case.log"
    log.write_text(case.log, encoding="utf-8")
    args = [log]
    if case.probe:
        (tmp_path / "probe.txt").write_text(case.probe, encoding="utf-8")
        args += ["--probe", tmp_path / "probe.txt"]
    code, out, err = kb_match("--format", "json", *args)
    data = as_json(out)
    assert (code, data["verdict"]) == (status, verdict), (case.name, err)
    code, out, _ = kb_match(*args)
    heading = {"cause": "Most likely cause: ", "not-sure": "No confident cause",
               "no-failure": "No sandbox or user-namespace failure was recognised"}[verdict]
    assert code == status and heading in out, (case.name, out)
    if verdict == "not-sure":
        assert data["causes"] and data["causes"][0]["probability"] < data["threshold"]


def test_json_is_nskb_match_2():
    from nskb.diagnose.model import CONFIDENT

    code, out, _ = kb_match("--format", "json", stdin=UID_MAP)
    data = as_json(out)
    assert code == 0 and data["format"] == "nskb-match/2" and data["verdict"] == "cause"
    assert data["threshold"] == CONFIDENT
    assert data["symptoms"][0]["line"] == 1 and data["symptoms"][0]["file"] == "<stdin>"
    assert all(c["url"].startswith("https://nskb-kb.github.io/nskb/en/causes/") for c in data["causes"])
    evidence = data["causes"][0]["evidence"][0]
    assert evidence["type"] == "symptom" and evidence["code"].startswith("symptom-") and evidence["weight"] > 0


def test_json_when_nothing_matched():
    code, out, _ = kb_match("--format", "json", stdin="fine\n")
    data = as_json(out)
    assert code == 1 and data["verdict"] == "no-failure" and data["causes"] == [] and data["other"] >= 0.5


def test_markdown():
    code, out, _ = kb_match("--format", "markdown", stdin=UID_MAP)
    assert code == 0 and out.startswith("### Matched lines") and "](https://nskb-kb.github.io/nskb/en/causes/" in out


def test_files_and_stdin_dash(tmp_path):
    first, second = tmp_path / "a.log", tmp_path / "b.log"
    first.write_text("nothing\n")
    second.write_text("x\n" + UID_MAP)
    code, out, _ = kb_match("--format", "json", first, "-", second, stdin="y\n")
    data = as_json(out)
    assert code == 0 and [(s["file"], s["line"]) for s in data["symptoms"]] == [(str(second), 2)]
    code, out, _ = kb_match(first, second)
    assert f"{second}:2:" in out


def test_top_limits_the_causes():
    _, out, _ = kb_match("--format", "json", "--top", "1", stdin=UID_MAP)
    assert len(as_json(out)["causes"]) == 1


@pytest.mark.parametrize("env, lang", [
    ({}, "en"), ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "zh_TW.UTF-8"}, "zh"), ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"), ({"LANG": "C", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
])
def test_language_follows_the_locale(env, lang):
    _, out, _ = kb_match("--format", "json", stdin=UID_MAP, env=env)
    url = as_json(out)["causes"][0]["url"]
    assert ("/en/" in url) == (lang == "en")
    _, text, _ = kb_match(stdin=UID_MAP, env=env)
    assert ("可能的原因" in text) == (lang == "zh")


def test_lang_option_wins_over_the_locale():
    _, out, _ = kb_match("--lang", "en", stdin=UID_MAP, env={"LC_ALL": "zh_CN.UTF-8"})
    assert "Likely causes" in out


def test_site_url_default_comes_from_mkdocs_yml(real_index):
    assert real_index["site_url"] == read_site_url(REPO / "mkdocs.yml") == "https://nskb-kb.github.io/nskb/"


def test_site_url_option():
    _, out, _ = kb_match("--format", "json", "--site-url", "http://localhost:8000", "--lang", "zh", stdin=UID_MAP)
    data = as_json(out)
    assert data["causes"][0]["url"].startswith("http://localhost:8000/causes/")


def _on_a_terminal(env: dict) -> str:
    """Run kb-match with its stdout on a pseudo-terminal and return what it printed."""
    main, secondary = pty.openpty()
    proc = subprocess.Popen([KB_MATCH, "-"], stdin=subprocess.PIPE, stdout=secondary, stderr=subprocess.DEVNULL,
                            env={**BASE_ENV, **env})
    proc.communicate(NO_PERM.encode(), timeout=60)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO once the terminal's other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return b"".join(chunks).decode()


def test_colour_only_on_a_terminal_and_never_with_no_color():
    assert "\x1b[" in _on_a_terminal({})
    assert "\x1b[" not in _on_a_terminal({"NO_COLOR": "1"})
    assert "\x1b[" not in kb_match(stdin=NO_PERM)[1]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_prints_the_article(real_index, lang):
    for plural in ("symptoms", "causes", "fixes"):
        entry_id = sorted(real_index[plural])[0]
        code, out, err = kb_match("--explain", entry_id, "--lang", lang)
        assert code == 0, err
        title = real_index["titles"][plural[:-1] if plural != "fixes" else "fix"][entry_id][lang]
        assert out.splitlines()[0] == title
        assert f"/{plural}/{entry_id}/" in out


def test_explain_cause_has_the_article_structure(real_index):
    cause = "chroot-environment"
    _, out, _ = kb_match("--explain", cause, "--lang", "en")
    for heading in ("Environment", "Cause and mechanism", "How to confirm it", "Fixes, safest first",
                    "When this does not apply", "References"):
        assert f"\n{heading}\n" in out, heading
    _, out, _ = kb_match("--explain", cause, "--lang", "zh")
    assert "原因与机制" in out and "不适用的情况" in out


def test_explain_unknown_id():
    check_usage_error(*kb_match("--explain", "chroot-enviroment"), "did you mean chroot-environment")


def test_explain_empty_id_is_a_usage_error_not_a_read_of_stdin():
    check_usage_error(*kb_match("--explain", "", stdin=NO_PERM), "--explain")
    check_usage_error(*kb_match("--explain=", stdin=NO_PERM), "--explain")


def test_control_characters_of_a_matched_line_are_not_sent_to_the_terminal():
    # ESC c resets a terminal, SO switches its character set: shown escaped, never raw.
    code, out, _ = kb_match(stdin="\x1bc\x0e" + UID_MAP.rstrip("\n") + "\x07\n")
    assert code == 0
    assert "\x1b" not in out and "\x0e" not in out and "\x07" not in out
    assert "bwrap: setting up uid map" in out and "\\x0e" in out and "\\x07" in out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_evidence_code_has_words(real_index, lang):
    """Each code the model can give evidence (nskb.diagnose.model's levels and strengths) is worded."""
    from nskb.diagnose import model
    from nskb.report.common import evidence_text

    symptom = sorted(real_index["symptoms"])[0]
    items = [{"type": "symptom", "code": f"symptom-{level}", "id": symptom, "line": 3, "weight": 1.0}
             for level in model.P_LINK]
    items += [{"type": "feature", "code": f"feature-{strength}", "id": "failure", "value": "errno=EPERM syscall=unshare",
               "line": 3, "weight": 1.0} for strength in model.FEATURE_LEVEL]
    items += [{"type": "clue", "code": f"clue-{level}{suffix}", "id": symptom, "line": 3, "weight": 1.0,
               "counted": not suffix} for level in model.LR_CLUE for suffix in ("", "-unexplained")]
    items += [{"type": "clue", "code": "clue-lowers", "id": symptom, "line": 3, "weight": -1.0}]
    items += [{"type": "fact", "code": code, "id": "chroot", "value": "yes", "source": source, "line": 2, "weight": w}
              for code, w in (("fact-confirms", 2.0), ("fact-confirms-unexplained", 2.0), ("fact-rules-out", -3.9))
              for source in ("probe", "line")]
    items += [{"type": "fact", "code": f"fact-where-{strength}", "id": "container.runtime",
               "value": "container.runtime=docker", "weight": 1.0} for strength in model.FEATURE_LEVEL]
    for item in items:
        text = evidence_text(real_index, item, lang)
        assert text and "{" not in text and f"{item['weight']:+.2f}" in text, (item["code"], text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_feature_kind_is_described_in_words(lang):
    """Each kind of feature the extractor gives (kb/features.yaml's records, failures and mentions)
    reads as words in the "why" lines, never as the empty shape "? failed with ?"."""
    from nskb.report.common import feature_text

    examples = {
        "apparmor": {"apparmor": "DENIED", "operation": "userns_create", "profile": "unprivileged_userns"},
        "selinux": {"perms": "create", "tclass": "user_namespace"},
        "syscall": {"syscall": "unshare", "errno": "EPERM"},
        "seccomp": {"action": "kill", "syscall": "unshare"},
        "failure": {"syscall": "unshare", "namespace": "user", "errno": "EPERM"},
        "mention": {"topic": "userns_sysctl"},
    }
    for kind, fields in examples.items():
        text = feature_text(kind, fields, lang)
        assert "?" not in text and all(value in text for value in fields.values() if kind != "seccomp"), (kind, text)


def test_a_pasted_fact_that_speaks_against_a_cause_names_its_line():
    # The "why" line of a ruled-out fact says where it was read, as the confirming one does.
    log = ("Linux box 5.4.0-42-generic #46-Ubuntu SMP Fri Jul 10 00:24:02 UTC 2020 x86_64 x86_64 x86_64 GNU/Linux\n"
           "bwrap: setting up uid map: Permission denied\n")
    code, out, err = kb_match(stdin=log)
    assert "line 1 shows kernel.release=5.4.0-42-generic, which speaks against it" in out, out
    assert "line  shows" not in out
    code, out, err = kb_match("--format", "json", stdin=log)
    against = [e for c in json.loads(out)["causes"] for e in c["evidence"] if e["code"] == "fact-rules-out"]
    assert against and all(e["line"] == 1 for e in against), against


def test_a_hint_of_a_program_is_reported_not_a_crash():
    # An error line that names AppArmor is a `mention` feature, which causes claim as a hint.
    code, out, err = kb_match(stdin="error: apparmor denied it: Permission denied\n")
    assert code in (0, 1) and "internal error" not in err, err


# --- bad input -------------------------------------------------------------------------------


def test_binary_file(tmp_path):
    path = tmp_path / "core"
    path.write_bytes(bytes(range(256)) * 64)
    check_usage_error(*kb_match(path), str(path), "binary file")
    check_usage_error(*kb_match(stdin=bytes(range(256)) * 64), "<stdin>", "binary file")


def test_invalid_utf8_is_read_with_a_warning(tmp_path):
    code, out, err = kb_match("--format", "json", stdin=b"caf\xe9\n" + UID_MAP.encode())
    data = as_json(out)
    assert code == 0 and {"code": "invalid-utf8", "file": "<stdin>", "line": 1} in data["warnings"]
    _, text, _ = kb_match(stdin=b"caf\xe9\n" + UID_MAP.encode())
    assert "1: not valid UTF-8" in text


def test_nul_bytes_are_removed_with_a_warning():
    code, out, _ = kb_match("--format", "json", stdin=b"a\x00b\n" + UID_MAP.replace("map", "m\x00ap").encode())
    data = as_json(out)
    assert code == 0 and data["symptoms"]
    assert {"code": "nul-bytes", "file": "<stdin>", "count": 2} in data["warnings"]  # "a\\0b" and "m\\0ap"


def test_empty_input():
    check_usage_error(*kb_match(stdin=b""), "<stdin>", "empty")


def test_empty_file_among_others_is_a_warning(tmp_path):
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    code, out, _ = kb_match("--format", "json", empty, "-", stdin=UID_MAP)
    assert code == 0 and {"code": "empty", "file": str(empty)} in as_json(out)["warnings"]


def test_directory(tmp_path):
    check_usage_error(*kb_match(tmp_path), str(tmp_path), "is a directory")


def test_missing_file(tmp_path):
    check_usage_error(*kb_match(tmp_path / "nope.log"), "nope.log", "no such file")


def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.log"
    path.write_text(NO_PERM)
    path.chmod(0)
    command = [KB_MATCH, str(path)]
    if os.geteuid() == 0:  # root reads anything; drop the capabilities that let it
        command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"] + command
    done = subprocess.run(command, capture_output=True, env=BASE_ENV, timeout=60)
    check_usage_error(done.returncode, done.stdout.decode(), done.stderr.decode(), str(path), "permission denied")


@pytest.mark.parametrize("args, words", [
    (["--top", "-3"], ["--top", "-3"]),
    (["--top", "x"], ["--top"]),
    (["--format", "nonsense"], ["--format", "nonsense"]),
    (["--lang", "fr"], ["--lang"]),
    (["--frobnicate"], ["--frobnicate"]),
    (["--probe", "-"], ["stdin"]),
    (["--probe", "/nonexistent/probe.txt"], ["probe.txt", "no such file"]),
])
def test_usage_errors(args, words):
    check_usage_error(*kb_match(*args, stdin=NO_PERM), *words)


def test_probe_file(tmp_path):
    probe = facts_file(tmp_path, chroot="yes", chroot__signal="mountinfo", seccomp__mode="0", userns__create="EPERM")
    code, out, _ = kb_match("--probe", probe, stdin=NO_PERM)
    assert code == 0 and "probe: chroot=yes confirms it (+" in out
    code, out, _ = kb_match("--format", "json", "--probe", probe, stdin=NO_PERM)
    data = as_json(out)
    assert data["verdict"] == "cause" and data["causes"][0]["id"] == "chroot-environment"
    assert data["facts"]["chroot"] == "yes"
    assert {"type": "fact", "code": "fact-confirms", "id": "chroot", "value": "yes", "source": "probe"}.items() <= \
        next(e for e in data["causes"][0]["evidence"] if e["type"] == "fact").items()


def test_healthy_probe_as_root_with_an_empty_log_is_no_failure(tmp_path):
    # What `kb-match --probe-here < /dev/null` gives as root on a machine where namespaces work.
    probe = facts_file(tmp_path, process__uid="0", chroot="no", seccomp__mode="0", userns__create="ok",
                       userns__map_write="ok", userns__proc_mount="ok", subuid__count="1")
    code, out, err = kb_match("--format", "json", "--probe", probe, stdin=b"")
    data = as_json(out)
    assert code == 1, err
    assert data["verdict"] == "no-failure" and {"code": "empty", "file": "<stdin>"} in data["warnings"]
    code, out, _ = kb_match("--probe", probe, stdin=b"")
    assert code == 1 and "No sandbox or user-namespace failure was recognised" in out


def test_probe_from_stdin(tmp_path):
    log = tmp_path / "ci.log"
    log.write_text(NO_PERM)
    code, out, _ = kb_match("--format", "json", "--probe", "-", log, stdin="# nskb-probe/1\nchroot=yes\nseccomp.mode=0\n")
    data = as_json(out)
    assert data["facts"] == {"chroot": "yes", "seccomp.mode": "0"}
    assert code == 0 and data["causes"][0]["id"] == "chroot-environment"


def test_probe_json(tmp_path):
    probe = tmp_path / "probe.json"
    probe.write_text(json.dumps({"format": "nskb-probe/1", "facts": {"chroot": "yes", "seccomp.mode": "0"}}))
    code, out, _ = kb_match("--format", "json", "--probe", probe, stdin=NO_PERM)
    data = as_json(out)
    assert data["facts"] == {"chroot": "yes", "seccomp.mode": "0"}
    assert code == 0 and data["causes"][0]["id"] == "chroot-environment"


@pytest.mark.parametrize("content, words", [
    ("just some text\nwithout facts\n", [":1:", "not a key=value line"]),
    ('{"facts": ', [":1:", "not valid JSON"]),
    ('{"format": "nskb-probe/1", "facts": {"chroot": ["yes"]}}', ["chroot", "not a string"]),
    ("[1, 2]", ["JSON is not an object of facts"]),
    ('{"facts": {"chroot": ["yes"]}}', ["chroot", "not a string"]),  # not "format is 'None'"
    ("# nskb-probe/1\nchroot=yes\nchroot=no\n", [":3:", "different value", "single kb-probe run"]),
])
def test_malformed_probe(tmp_path, content, words):
    probe = tmp_path / "probe.txt"
    probe.write_text(content)
    check_usage_error(*kb_match("--probe", probe, stdin=NO_PERM), str(probe), *words)


def test_binary_probe(tmp_path):
    probe = tmp_path / "probe.bin"
    probe.write_bytes(b"\x00\x01\x02")
    check_usage_error(*kb_match("--probe", probe, stdin=NO_PERM), "binary")


def test_unknown_probe_keys_are_a_warning(tmp_path):
    probe = tmp_path / "probe.txt"
    probe.write_text("# nskb-probe/1\nchroot=no\nfuture.key=1\n")
    code, out, _ = kb_match("--format", "json", "--probe", probe, stdin=NO_PERM)
    data = as_json(out)
    probe_warnings = [w for w in data["warnings"] if w["code"] == "probe-unknown-key"]
    assert any(w["key"] == "future.key" and w["line"] == 3 and w["file"] == str(probe) for w in probe_warnings)
    assert "chroot-environment" in [r["id"] for r in data["ruled_out"]]


def test_probe_and_probe_here_together(tmp_path):
    probe = tmp_path / "p.txt"
    probe.write_text("# nskb-probe/1\nchroot=no\n")
    check_usage_error(*kb_match("--probe", probe, "--probe-here", stdin=NO_PERM), "--probe-here")


def test_probe_here_runs_the_bundled_probe():
    code, out, err = kb_match("--format", "json", "--probe-here", stdin=NO_PERM, timeout=120)
    data = as_json(out)
    assert code == (0 if data["verdict"] == "cause" else 1), err
    assert data["facts"].get("kernel.release") == os.uname().release


def test_probe_here_with_no_log_names_nothing_where_namespaces_work():
    code, out, err = kb_match("--format", "json", "--probe-here", stdin=b"", timeout=120)
    data = as_json(out)
    if data["facts"].get("userns.create") != "ok":
        pytest.fail(f"this machine cannot create a user namespace ({data['facts'].get('userns.create')}); "
                    "the test needs one that can")
    assert code == 1 and data["verdict"] == "no-failure", [(c["id"], c["probability"]) for c in data["causes"]]


def test_stdout_closed_early_is_quiet():
    proc = subprocess.Popen(f"{KB_MATCH} --explain chroot-environment | head -c 10 >/dev/null", shell=True,
                            stderr=subprocess.PIPE, env=BASE_ENV)
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_the_command_exits_with_mains_status_and_loses_no_buffered_output(tmp_path):
    # The command skips the interpreter's teardown (os._exit): the status must be main's own, and
    # text still buffered must be flushed first. A usage error writes nothing to stdout itself, so
    # nothing else flushes what was written before (PYTHONUNBUFFERED would hide a lost flush).
    log = tmp_path / "log"
    log.write_text(UID_MAP)
    buffered = {k: v for k, v in BASE_ENV.items() if k != "PYTHONUNBUFFERED"}

    def command(*args: str, before: str = "") -> subprocess.CompletedProcess:
        script = ("import sys\nfrom nskb.cli.match import console\n"
                  f"sys.argv = ['kb-match', *{list(args)!r}]\nsys.stdout.write({before!r})\nconsole()\n")
        return subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60, env=buffered)

    found = command("-f", "json", str(log))
    assert (found.returncode, json.loads(found.stdout)["verdict"]) == (0, "cause"), found.stderr
    unknown = command(str(tmp_path / "absent"), before="written before ")
    assert (unknown.returncode, unknown.stdout) == (2, b"written before ")
    assert unknown.stderr.decode().startswith("kb-match: ")


def test_no_yaml_jsonschema_or_mkdocs_at_run_time(real_index):
    code = ("import sys, io\n"
            "from nskb.cli import match\n"
            "sys.stdin = io.TextIOWrapper(io.BytesIO(" + repr(NO_PERM.encode()) + "))\n"
            "match.main(['--format', 'json'])\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('yaml', 'jsonschema', 'mkdocs', 'jieba')]\n"
            "assert not bad, bad\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=BASE_ENV, timeout=60)
    assert done.returncode == 0, done.stderr.decode()


def test_more_input_files_than_file_descriptors(tmp_path):
    # Files are opened one at a time, so a glob of thousands of logs works under a low fd limit.
    names = []
    for number in range(300):
        path = tmp_path / f"{number:03}.log"
        path.write_text("build ok\n" if number != 150 else "bwrap: Creating new namespace failed: Operation not permitted\n")
        names.append(str(path))
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64));"
            "from nskb.cli.match import main; sys.exit(main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", code, "--format", "json", *names], capture_output=True, text=True,
                          timeout=120)
    assert "Too many open files" not in done.stderr
    data = as_json(done.stdout)
    assert done.returncode == (0 if data["verdict"] == "cause" else 1), done.stderr
    assert data["verdict"] != "no-failure"
    assert [s["file"] for s in data["symptoms"]] == [names[150]]
