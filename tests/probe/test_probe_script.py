"""scripts/probe.sh itself: every shell, an unprivileged user, set -u, zh_CN, no /proc, no writes, bounds."""
from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from tests.conftest import require, require_root, require_tool
from tests.probe.probe_helpers import (
    CLEAN_ENV,
    SCRIPT,
    SECCOMP_EXEC,
    as_nobody,
    catalogue_keys,
    expected_uid,
    known_keys,
    public_copy,
    run,
    undocumented,
)

from nskb.probe.parse import parse_probe_output

SHELLS = {"dash": ["dash"], "bash": ["bash", "--posix"], "busybox-ash": ["busybox", "sh"]}

# Facts read only from /proc: with /proc missing each must say it could not look.
PROC_ONLY = [k for k in catalogue_keys() if k.startswith(("sysctl.", "cap.", "seccomp.", "proc.", "mount."))] + [
    "userns.supported", "process.in_userns", "process.no_new_privs", "chroot", "systemd.unit", "selinux.context"]


def probe_facts(argv: list[str], env: dict[str, str] | None = None) -> dict[str, str]:
    """Run the probe command, check it ran cleanly, and return its facts."""
    done = run(argv, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("# nskb-probe/1\n")
    result = parse_probe_output(done.stdout, known_keys())
    assert result.warnings == []
    assert result.complete
    assert list(result.facts) == catalogue_keys()
    assert undocumented(result.facts) == []
    return result.facts


@pytest.fixture(scope="module")
def probe_copy():
    with public_copy() as copy:
        yield copy


@pytest.fixture(scope="module")
def dash_facts(probe_copy: Path) -> dict[str, str]:
    require_tool("dash")
    return probe_facts(as_nobody(["dash", str(probe_copy)]))


def test_shellcheck_clean() -> None:
    require_tool("shellcheck")
    done = run(["shellcheck", "-s", "sh", str(SCRIPT)])
    assert (done.returncode, done.stdout) == (0, ""), done.stdout


def test_script_is_packaged() -> None:
    from importlib import resources

    packaged = resources.files("nskb") / "data" / "probe.sh"
    assert packaged.read_bytes() == SCRIPT.read_bytes()
    link = SCRIPT.parents[1] / "src" / "nskb" / "data" / "probe.sh"
    assert link.is_symlink() and os.readlink(link) == "../../../scripts/probe.sh"


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_runs_under_each_shell_as_unprivileged_user(shell: str, probe_copy: Path, dash_facts: dict[str, str]) -> None:
    argv = SHELLS[shell]
    require_tool(argv[0])
    facts = probe_facts(as_nobody([*argv, str(probe_copy)]))
    assert facts["process.uid"] == expected_uid()
    assert facts == dash_facts  # every shell reads the same facts


def test_sysctls_match_the_kernel(dash_facts: dict[str, str]) -> None:
    # dash and busybox read builtin-by-builtin one byte at a time; sysctl files answer EOF after
    # the first byte, so a naive probe prints "9" for 96365.
    for key, value in dash_facts.items():
        if not key.startswith("sysctl."):
            continue
        path = Path("/proc/sys") / key.removeprefix("sysctl.").replace(".", "/")
        want = path.read_text().strip() if path.exists() else "unknown:absent"
        assert value == want, key


def test_capabilities_decoded(dash_facts: dict[str, str]) -> None:
    status = dict(line.split(":\t", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":\t" in line)
    bnd = int(status["CapBnd"], 16)
    assert dash_facts["cap.sys_admin.bounding"] == ("yes" if bnd >> 21 & 1 else "no")
    assert dash_facts["cap.setuid.bounding"] == ("yes" if bnd >> 7 & 1 else "no")
    assert dash_facts["cap.sys_ptrace.bounding"] == ("yes" if bnd >> 19 & 1 else "no")
    if os.geteuid() == 0:  # the probe ran as 65534: no effective capabilities
        assert (dash_facts["cap.sys_admin.effective"], dash_facts["cap.setuid.effective"],
                dash_facts["cap.sys_ptrace.effective"]) == ("no", "no", "no")


def test_set_u_and_an_empty_environment(probe_copy: Path, dash_facts: dict[str, str]) -> None:
    require_tool("dash")
    facts = probe_facts(as_nobody(["env", "-i", shutil.which("dash") or "dash", "-u", str(probe_copy)]), env={})
    assert facts == dash_facts


def test_zh_locale_under_a_seccomp_filter(probe_copy: Path) -> None:
    """unshare translates its errors; the probe must still map them to errno names."""
    require_tool("unshare")
    zh = {**CLEAN_ENV, "LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "LANGUAGE": "zh_CN:zh"}
    filtered = [sys.executable, str(SECCOMP_EXEC)]
    # The condition is real and the locale is live: unshare fails, in Chinese.
    plain = run([*filtered, *as_nobody(["unshare", "-U", "true"])], env=zh)
    require("不允许的操作" in plain.stderr, f"zh_CN locale not installed (locales-all): {plain.stderr!r}")
    facts = probe_facts([*filtered, *as_nobody(["sh", str(probe_copy)])], env=zh)
    assert (facts["seccomp.mode"], facts["userns.create"], facts["userns.map_write"]) == ("2", "EPERM", "skipped")


def test_inside_a_user_namespace(probe_copy: Path) -> None:
    require_tool("unshare")
    facts = probe_facts(as_nobody(["unshare", "-U", "-r", "sh", str(probe_copy)]))
    assert facts["process.in_userns"] == "yes"
    assert facts["process.uid"] == "0"
    assert facts["cap.sys_admin.effective"] == "yes"
    assert facts["userns.create"] == "ok"  # nesting is allowed


def check_no_proc(facts: dict[str, str]) -> None:
    # unknown:absent would say "the kernel has no such switch", which rules causes out.
    assert {k: facts[k] for k in PROC_ONLY} == {k: "unknown:no-proc" for k in PROC_ONLY}
    assert (facts["userns.map_write"], facts["userns.proc_mount"]) == ("unknown:no-proc", "unknown:no-proc")
    assert facts["chroot.signal"] == "none"
    assert facts["process.uid"] == expected_uid()  # from id -u


def test_without_proc_unmounted(probe_copy: Path) -> None:
    require_root()
    require_tool("unshare")
    cmd = " ".join(as_nobody(["sh", str(probe_copy)]))
    facts = probe_facts(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                         f"umount -l /proc && exec {cmd}"])
    check_no_proc(facts)


def test_without_proc_in_bwrap(probe_copy: Path) -> None:
    require_tool("bwrap")
    facts = probe_facts(as_nobody(["bwrap", "--dev-bind", "/", "/", "--tmpfs", "/proc", "sh", str(probe_copy)]))
    check_no_proc(facts)


def test_writes_nothing(probe_copy: Path) -> None:
    require_tool("bwrap")
    inside = "sh /tmp/probe/probe.sh >/dev/null 2>&1; find /tmp /var/tmp -mindepth 1 ! -path '/tmp/probe*' ! -path /tmp/home"
    done = run(as_nobody(["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
                          "--tmpfs", "/var/tmp", "--dir", "/tmp/home", "--setenv", "HOME", "/tmp/home",
                          "--setenv", "TMPDIR", "/tmp", "--ro-bind", str(probe_copy), "/tmp/probe/probe.sh",
                          "sh", "-c", inside]))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    # And with nowhere to write at all, it still prints every fact.
    probe_facts(as_nobody(["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "sh", str(probe_copy)]))


def _path_without(d: Path, *names: str) -> str:
    """Fill d with links to every command of the usual PATH except names; return d as a PATH."""
    for bindir in ("/usr/local/bin", "/usr/bin", "/bin"):
        for tool in Path(bindir).glob("*") if Path(bindir).is_dir() else []:
            if tool.name not in names and not (d / tool.name).exists():
                (d / tool.name).symlink_to(tool)
    return str(d)


def test_bwrap_when_unshare_is_missing(probe_copy: Path, dash_facts: dict[str, str]) -> None:
    """Without unshare the active test runs bwrap once and tells the failing step from its message."""
    require_tool("bwrap")
    d = Path(tempfile.mkdtemp(prefix="nskb-nounshare-"))
    try:
        os.chmod(d, 0o755)
        env = {**CLEAN_ENV, "PATH": _path_without(d, "unshare")}
        facts = probe_facts(as_nobody(["sh", str(probe_copy)]), env=env)
        assert facts["userns.tool"] == "bwrap"
        want = {k: dash_facts[k] for k in ("userns.create", "userns.map_write", "userns.proc_mount")}
        assert {k: facts[k] for k in want} == want
        filtered = probe_facts([sys.executable, str(SECCOMP_EXEC), *as_nobody(["sh", str(probe_copy)])], env=env)
        assert (filtered["userns.tool"], filtered["userns.create"], filtered["userns.map_write"]) == (
            "bwrap", "EPERM", "skipped")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def _fake_bwrap(d: Path, marker: str) -> None:
    fake = d / "bwrap"
    fake.write_text(f"#!/bin/sh\nexec sleep {marker}\n")
    fake.chmod(0o755)


def _leftovers(marker: str) -> list[str]:
    found = []
    for p in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker.encode() in p.read_bytes():
                found.append(p.parent.name)
        except OSError:
            continue
    return found


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_a_hanging_command_is_bounded(shell: str, probe_copy: Path, dash_facts: dict[str, str]) -> None:
    """A bwrap that never answers costs the probe 2 s and is killed, in every shell."""
    argv = SHELLS[shell]
    require_tool(argv[0])
    marker = f"{60 + len(shell)}.{os.getpid() % 1000:03d}"
    d = Path(tempfile.mkdtemp(prefix="nskb-fakebin-"))
    try:
        os.chmod(d, 0o755)
        _fake_bwrap(d, marker)
        facts = probe_facts(as_nobody([*argv, str(probe_copy)]), env={**CLEAN_ENV, "PATH": f"{d}:{CLEAN_ENV['PATH']}"})
        assert facts["bwrap.path"] == f"{d}/bwrap"
        assert facts["bwrap.version"] == "unknown:timeout"
        same = {k: v for k, v in facts.items() if not k.startswith("bwrap.")}
        assert same == {k: v for k, v in dash_facts.items() if not k.startswith("bwrap.")}
        assert _leftovers(marker) == []
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_every_external_command_is_bounded() -> None:
    """Every $(...) calls a function of the script, a builtin, or a program through `bounded`."""
    builtins = {"printf", "echo", "read", "set", "command", "kill", "wait", "trap", "exit", "return", "unset",
                "export", "shift", "break", "continue", "case", "esac", "for", "do", "done", "if", "then",
                "elif", "else", "fi", "while", "local", ":", "[", "test", "cd"}
    text = SCRIPT.read_text()
    functions = set(re.findall(r"^([a-z_][a-z0-9_]*)\(\)", text, re.MULTILINE))
    calls = re.findall(r"\$\(\s*([A-Za-z_][\w.-]*)", text)
    unbounded = sorted({c for c in calls if c not in builtins and c not in functions})
    assert unbounded == []
    # And no line runs a program directly: each command word at the start of a statement is one
    # of those, `bounded`, or a variable holding a checked path (the timer's own sleep).
    statements = "\n".join(line for line in text.splitlines()
                           if not re.match(r"^\s*[^\s()]+(\s*\|\s*[^\s()]+)*\)", line))  # not case labels
    started = re.findall(r"^\s*(?:if !? ?|elif |while |! )?([a-z][\w.-]*)(?=\s|$)", statements, re.MULTILINE)
    programs = sorted({w for w in started if w not in builtins and w not in functions
                       and w not in {"bounded", "exec", "emit", "in", "esac", "IFS", "LC_ALL", "PATH", "LIMIT",
                                     "BUDGET", "NL", "CR"} and "=" not in w})
    assert programs == []


def test_never_touches_dev_null() -> None:
    """/dev/null may be missing (a failed redirection ends a POSIX shell) or a plain file."""
    code = [line for line in SCRIPT.read_text().splitlines() if not line.lstrip().startswith("#")]
    assert [line for line in code if "/dev/null" in line] == []
