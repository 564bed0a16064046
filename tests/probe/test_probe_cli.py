"""kb-probe: runs the packaged script, prints text/json/markdown, redacts, fails in one line."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from tests.probe.probe_helpers import CLEAN_ENV, SAMPLES, catalogue_keys, known_keys, run

from nskb.probe.parse import parse_probe_output
from nskb.probe.run import Redactor

KB_PROBE = [sys.executable, "-m", "nskb.cli.probe"]
ENV = {**CLEAN_ENV, "PYTHONPATH": os.environ.get("PYTHONPATH", "")}


def kb_probe(*args: str, env: dict[str, str] | None = None):
    return run([*KB_PROBE, *args], env=env or ENV)


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    """One real run of `kb-probe`, kept so the other formats can be compared with it."""
    done = kb_probe()
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    path = tmp_path_factory.mktemp("kb-probe") / "probe.txt"
    path.write_text(done.stdout)
    return path


def test_text_runs_the_bundled_probe(saved: Path) -> None:
    result = parse_probe_output(saved.read_text(), known_keys())
    assert result.warnings == []
    assert list(result.facts) == catalogue_keys()


def test_json(saved: Path) -> None:
    done = kb_probe("--format", "json", "--input", str(saved))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["format"] == "nskb-probe/1" and doc["warnings"] == []
    assert doc["facts"] == parse_probe_output(saved.read_text()).facts
    assert parse_probe_output(done.stdout, known_keys()).warnings == []
    live = kb_probe("--format", "json")  # and straight from a run
    assert live.returncode == 0 and list(json.loads(live.stdout)["facts"]) == catalogue_keys()


def test_markdown_pastes_and_reads_back(saved: Path) -> None:
    done = kb_probe("--format", "markdown", "--input", str(saved))
    assert done.returncode == 0, done.stderr
    md = done.stdout
    assert md.startswith("**nskb probe** (`nskb-probe/1`")
    assert "\n```text\n# nskb-probe/1\n" in md and md.rstrip().endswith("```")
    assert parse_probe_output(md).facts == parse_probe_output(saved.read_text()).facts


def test_redactor_is_consistent() -> None:
    r = Redactor(hosts=["buildbox"], users=["alice"], homes=["/home/alice"])
    facts = r.facts({
        "bwrap.path": "/home/alice/.local/bin/bwrap",
        "apparmor.profile": "/home/bob/app",
        "selinux.context": "alice:buildbox:alice-x",
        "systemd.unit": "run-alice.scope",
        "chroot": "no",
    })
    assert facts == {
        "bwrap.path": "<home1>/.local/bin/bwrap",
        "apparmor.profile": "<home2>/app",
        "selinux.context": "<user1>:<host1>:<user1>-x",
        "systemd.unit": "run-<user1>.scope",
        "chroot": "no",
    }
    assert r.value("/home/bob") == "<home2>"  # the same original keeps its placeholder


def test_redact_from_the_environment(tmp_path: Path) -> None:
    host = socket.gethostname()
    text = (SAMPLES / "plain-host.txt").read_text()
    text = text.replace("bwrap.path=/usr/bin/bwrap", "bwrap.path=/home/zedtester/bin/bwrap")
    text = text.replace("systemd.unit=", f"systemd.unit=zedtester-on-{host}.")
    path = tmp_path / "in.txt"
    path.write_text(text)
    env = {**ENV, "USER": "zedtester", "HOME": "/home/zedtester"}
    done = kb_probe("--redact", "--input", str(path), env=env)
    assert done.returncode == 0, done.stderr
    assert "zedtester" not in done.stdout
    if len(host) > 1 and host not in ("localhost",):
        assert host not in done.stdout
    facts = parse_probe_output(done.stdout).facts
    assert facts["bwrap.path"] == "<home1>/bin/bwrap"
    assert facts["systemd.unit"].startswith("<user1>-on-")
    assert facts["chroot"] == "no" and facts["os.id"] == "debian"


def _one_line_error(done, *needles: str) -> None:
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("kb-probe: ") and "Traceback" not in done.stderr
    for needle in needles:
        assert needle in lines[0]


def test_errors_are_one_line(tmp_path: Path) -> None:
    _one_line_error(kb_probe("--format", "xml"), "invalid choice")
    _one_line_error(kb_probe("--shell", "/nonexistent/sh"), "/nonexistent/sh")
    _one_line_error(kb_probe("--input", str(tmp_path / "missing.txt")), "missing.txt")
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("hello\nworld\n")
    _one_line_error(kb_probe("--input", str(garbage)), "no facts")
    failing = tmp_path / "failing.sh"
    failing.write_text("echo 'probe: cannot go on' >&2\nexit 3\n")
    _one_line_error(kb_probe("--script", str(failing)), "status 3", "cannot go on")
    silent = tmp_path / "silent.sh"
    silent.write_text("echo hello\n")
    _one_line_error(kb_probe("--script", str(silent)), "header")
    hanging = tmp_path / "hanging.sh"
    hanging.write_text("exec sleep 30\n")
    _one_line_error(kb_probe("--script", str(hanging), "--timeout", "0.5"), "did not finish")


def test_input_that_is_not_utf8_or_endless_is_read_safely(tmp_path: Path) -> None:
    # stdin was decoded strictly (a traceback on one bad byte) and files were read whole (/dev/zero).
    done = subprocess.run([*KB_PROBE, "--input", "-"], input=b"# nskb-probe/1\nchroot=no\nos.id=\xff\n",
                          env=ENV, capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert parse_probe_output(done.stdout.decode()).facts == {"chroot": "no", "os.id": "\ufffd"}
    _one_line_error(kb_probe("--input", "/dev/zero"), "/dev/zero", "MiB")


def test_a_script_that_leaves_children_behind_is_cut_short_and_its_children_killed(tmp_path):
    # The script ends at once but leaves a child holding stdout: kb-probe waits only its timeout,
    # keeps the output the script printed, and kills the child with the rest of the session.
    from nskb.probe.run import run_probe

    marker = tmp_path / "child.pid"
    script = tmp_path / "probe.sh"
    script.write_text(f"#!/bin/sh\necho '# nskb-probe/1'\necho chroot=no\nsleep 300 &\necho $! > {marker}\n")
    out = run_probe(script=script, timeout=2)
    assert out.splitlines() == ["# nskb-probe/1", "chroot=no"]
    child = int(marker.read_text())
    import time

    for _ in range(50):
        # A killed child is gone, or a zombie until init reaps it.
        try:
            with open(f"/proc/{child}/stat") as stat:
                state = stat.read().split(")")[-1].split()[0]
        except FileNotFoundError:
            break
        if state == "Z":
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"the probe's child {child} still runs")


# --- hostile environments (issue 12) ------------------------------------------------------------

def test_redact_keeps_values_that_are_not_names() -> None:
    """A host called debian and a user called docker must not rewrite os.id or the runtime."""
    r = Redactor(hosts=["debian"], users=["docker"], homes=["/home/docker"])
    facts = parse_probe_output((SAMPLES / "docker.txt").read_text()).facts
    facts = {**facts, "bwrap.path": "/home/docker/bin/bwrap", "systemd.unit": "docker-debian.scope"}
    out = r.facts(facts)
    assert (out["os.id"], out["container.runtime"], out["container.signal"]) == ("debian", "docker", "/.dockerenv")
    assert out["bwrap.path"] == "<home1>/bin/bwrap"
    assert out["systemd.unit"] == "<user1>-<host1>.scope"
    assert r.facts({"probe.newer_key": "debian"}) == {"probe.newer_key": "<host1>"}  # unknown keys: redacted


def test_every_fact_is_either_a_name_field_or_plain() -> None:
    from nskb.probe.redact import NAME_FIELDS, PLAIN_FIELDS

    assert NAME_FIELDS.isdisjoint(PLAIN_FIELDS)
    assert sorted(NAME_FIELDS | PLAIN_FIELDS) == sorted(catalogue_keys())


def test_a_probe_cut_short_keeps_its_facts_marked_partial(tmp_path: Path) -> None:
    script = tmp_path / "probe.sh"
    script.write_text("echo '# nskb-probe/1'\necho chroot=yes\necho userns.create=EPERM\nexec sleep 300\n")
    done = kb_probe("--script", str(script), "--timeout", "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "# nskb-probe/1\nchroot=yes\nuserns.create=EPERM\n"  # no end line: partial
    assert "partial" in done.stderr
    doc = json.loads(kb_probe("--script", str(script), "--timeout", "1", "--format", "json").stdout)
    assert doc["complete"] is False and doc["facts"] == {"chroot": "yes", "userns.create": "EPERM"}
    md = kb_probe("--script", str(script), "--timeout", "1", "--format", "markdown").stdout
    assert "**Partial**" in md
    assert parse_probe_output(md).complete is False


def test_no_proc_rules_out_nothing_in_kb_match(tmp_path: Path) -> None:
    """In a chroot without /proc the uid-map error still has causes: could-not-look rules out nothing."""
    from tests.probe.test_probe_hostile import run_in_bare_chroot

    probe = run_in_bare_chroot("dash")["stdout"]
    log = tmp_path / "err.log"
    log.write_text("bwrap: setting up uid map: Permission denied\n")

    def diagnose(text: str) -> tuple[list[str], list[str]]:
        path = tmp_path / "probe.txt"
        path.write_text(text)
        done = run([sys.executable, "-m", "nskb.cli.match", "--format", "json", "--probe", str(path), str(log)],
                   env=ENV)
        assert done.returncode in (0, 1), done.stderr
        doc = json.loads(done.stdout)
        return [item["id"] for item in doc["causes"]], [item["id"] for item in doc["ruled_out"]]

    # The chroot's os-release is this machine's; name the system where the restriction exists, so
    # that only the unknown values are under test (Debian rules the restriction out on its own).
    probe = re.sub(r"(?m)^os\.id=.*$", "os.id=ubuntu", re.sub(r"(?m)^os\.version_id=.*$", "os.version_id=24.04", probe))
    causes, ruled_out = diagnose(probe)
    assert "apparmor-userns-restricted" in causes and ruled_out == []
    # What the probe printed before: unknown:absent, "the kernel has no such switch", which ruled
    # the real causes out until none was left.
    causes, ruled_out = diagnose(probe.replace("=unknown:no-proc", "=unknown:absent"))
    assert "apparmor-userns-restricted" in ruled_out
