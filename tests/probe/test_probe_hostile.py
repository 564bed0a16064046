"""The probe where it is needed most: a chroot with no /dev, /proc or /sys, a PATH on which every
command hangs (sleep and timeout included), and root through sudo. All for real, as root."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from tests.conftest import require_root, require_tool
from tests.probe.probe_helpers import SCRIPT, catalogue_keys, known_keys, undocumented

from nskb.probe.parse import parse_probe_output

SHELLS = {"dash": "/usr/bin/dash", "bash": "/bin/bash --posix", "busybox-ash": "/bin/busybox sh"}
# Facts the probe reads from /proc or /sys only: without them each must say it could not look.
PROC_FACTS = [k for k in catalogue_keys() if k.startswith(("sysctl.", "cap.", "seccomp.", "proc."))] + [
    "userns.supported", "process.in_userns", "process.no_new_privs", "chroot", "systemd.unit", "selinux.context",
    "container.runtime"]
SYS_FACTS = ["module.user_namespace.enable", "apparmor.enabled", "selinux.mode"]
# Each run's hanging programs sleep for a duration of their own, to find leftovers of this run only.
MARKER = f"1000.{os.getpid()}"
HANG = f"#!/bin/sh\nexec /usr/bin/sleep {MARKER}\n"

# A root made of the host's read-only /usr and a few /etc files: no /dev, /proc or /sys at all.
BUILD_ROOT = r"""
set -eu
r=$ROOT
mkdir -p "$r/usr" "$r/etc" "$r/tmp/probe"
chmod 755 "$r" "$r/tmp" "$r/tmp/probe"
mount --bind /usr "$r/usr"; mount -o remount,bind,ro "$r/usr"
for d in bin sbin lib lib32 lib64 libx32; do
  if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$r/$d"; fi
done
for f in passwd group os-release; do cp -L "/etc/$f" "$r/etc/$f"; done
if [ -n "${EMPTY_DEV:-}" ]; then mkdir "$r/dev"; fi
if [ -n "${HANGDIR:-}" ]; then cp -a "$HANGDIR" "$r/tmp/hang"; fi
sleep 0.01 # the probe file is the newest thing before the run: anything newer, the probe made
cp "$PROBE" "$r/tmp/probe/probe.sh"; chmod 644 "$r/tmp/probe/probe.sh"
chroot "$r" setpriv --reuid=65534 --regid=65534 --clear-groups \
  env -i PATH="$INNER_PATH" HOME=/ $SHELL_CMD /tmp/probe/probe.sh >"$OUT/stdout" 2>"$OUT/stderr"
echo $? >"$OUT/status"
find "$r" -xdev -newer "$r/tmp/probe/probe.sh" ! -path "$r/tmp/probe" ! -path "$r/tmp/probe/*" >"$OUT/new-files" || true
"""


def _hang_dir(into: Path, keep: tuple[str, ...] = ()) -> Path:
    """A folder in which every command of the usual PATH is a program that never returns."""
    d = into / "hang"
    d.mkdir()
    script = d / ".hang"
    script.write_text(HANG)
    script.chmod(0o755)
    for bindir in ("/usr/bin", "/bin", "/usr/sbin", "/sbin"):
        for tool in Path(bindir).iterdir():
            link = d / tool.name
            if link.exists() or link.is_symlink():
                continue
            if tool.name in keep:
                link.symlink_to(tool)
            else:
                link.symlink_to(".hang")
    os.chmod(d, 0o755)
    return d


def _leftovers() -> list[str]:
    found = []
    for p in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if MARKER.encode() in p.read_bytes():
                found.append(p.parent.name)
        except OSError:
            continue
    return found


def run_in_bare_chroot(shell: str, empty_dev: bool = False, hang: tuple[str, ...] | None = None) -> dict:
    """Run the probe as user 65534 in a chroot without /dev, /proc and /sys; its output and checks."""
    require_root()
    for tool in ("unshare", "chroot", "setpriv"):
        require_tool(tool)
    work = Path(tempfile.mkdtemp(prefix="nskb-bare-chroot-"))
    try:
        os.chmod(work, 0o755)
        (work / "out").mkdir()
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "ROOT": str(work / "root"), "OUT": str(work / "out"),
               "PROBE": str(SCRIPT), "SHELL_CMD": SHELLS[shell], "INNER_PATH": "/usr/bin:/bin"}
        if empty_dev:
            env["EMPTY_DEV"] = "1"
        if hang is not None:
            env["HANGDIR"] = str(_hang_dir(work, hang))
            env["INNER_PATH"] = "/tmp/hang"
        (work / "root").mkdir()
        done = subprocess.run(["unshare", "--mount", "--propagation", "private", "bash", "-c", BUILD_ROOT],
                              env=env, capture_output=True, text=True, timeout=120, check=False)
        out = work / "out"
        assert done.returncode == 0, done.stderr
        return {"stdout": (out / "stdout").read_text(), "stderr": (out / "stderr").read_text(),
                "status": (out / "status").read_text().strip(), "new_files": (out / "new-files").read_text()}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def complete_facts(run: dict) -> dict[str, str]:
    """The run ended cleanly with every fact and the end line; its facts."""
    assert run["status"] == "0", run["stderr"]
    assert run["stderr"] == ""
    result = parse_probe_output(run["stdout"], known_keys())
    assert result.warnings == []
    assert result.complete
    assert list(result.facts) == catalogue_keys()
    assert undocumented(result.facts) == []
    return result.facts


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_chroot_without_dev_proc_sys(shell: str) -> None:
    run = run_in_bare_chroot(shell)
    facts = complete_facts(run)
    # "Could not look" never reads as a value.
    assert {k: facts[k] for k in PROC_FACTS} == {k: "unknown:no-proc" for k in PROC_FACTS}
    assert {k: facts[k] for k in SYS_FACTS} == {k: "unknown:no-sys" for k in SYS_FACTS}
    # What it can still learn: who runs it, and that the kernel refuses a user namespace here.
    assert facts["process.uid"] == "65534"
    assert facts["kernel.release"] == os.uname().release
    assert (facts["userns.tool"], facts["userns.test_uid"], facts["userns.create"]) == ("unshare", "65534", "EPERM")
    assert run["new_files"] == ""  # no /dev/null or anything else was created


def test_chroot_with_an_empty_dev_writes_nothing_there() -> None:
    run = run_in_bare_chroot("dash", empty_dev=True)
    complete_facts(run)
    assert run["new_files"] == ""


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_every_command_hangs_sleep_and_timeout_included(shell: str) -> None:
    """No command can be bounded, so none runs: every fact from files is there, the rest say why."""
    require_root()
    with tempfile.TemporaryDirectory(prefix="nskb-hang-") as tmp:
        d = _hang_dir(Path(tmp))
        argv = [*SHELLS[shell].split(), str(SCRIPT)]
        done = subprocess.run(argv, env={"PATH": str(d), "HOME": "/"}, capture_output=True, text=True,
                              timeout=60, check=False, stdin=subprocess.DEVNULL)
    facts = complete_facts({"status": str(done.returncode), "stderr": done.stderr, "stdout": done.stdout})
    for key in ("kernel.release", "bwrap.version", "userns.create"):
        assert facts[key] == "unknown:no-timer", key
    assert facts["sysctl.user.max_user_namespaces"] == "unknown:no-timer"  # read with grep
    assert facts["seccomp.mode"] == "0" and facts["chroot"] == "no"  # read by the shell itself
    assert _leftovers() == []


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_every_command_but_sleep_hangs(shell: str) -> None:
    """Each command is stopped after 2 s, and none starts after 4 s: later ones say time-budget."""
    with tempfile.TemporaryDirectory(prefix="nskb-hang-") as tmp:
        d = _hang_dir(Path(tmp), keep=("sleep",))
        argv = [*SHELLS[shell].split(), str(SCRIPT)]
        done = subprocess.run(argv, env={"PATH": str(d), "HOME": "/"}, capture_output=True, text=True,
                              timeout=60, check=False, stdin=subprocess.DEVNULL)
    facts = complete_facts({"status": str(done.returncode), "stderr": done.stderr, "stdout": done.stdout})
    assert facts["kernel.release"] == "unknown:timeout"
    assert facts["userns.create"] == "unknown:time-budget"
    assert facts["seccomp.mode"] == "0"
    assert _leftovers() == []


def test_chroot_where_every_command_hangs() -> None:
    run = run_in_bare_chroot("dash", hang=())
    facts = complete_facts(run)
    assert facts["userns.create"] == "unknown:no-timer"
    assert facts["os.id"] == "debian"
    assert _leftovers() == []


# Root through sudo: a user namespace U in which user 65534 already holds the only user namespace
# allowed (max_user_namespaces=1 counts per user), so 65534 gets ENOSPC while root still succeeds.
SUDO = r"""
set -eu
mkfifo "$D/go"
INNER='echo 1 > /proc/sys/user/max_user_namespaces
setpriv --reuid=65534 --regid=65534 --clear-groups unshare -U sleep 60 &
holder=$!
while [ "$(readlink /proc/$holder/ns/user)" = "$(readlink /proc/self/ns/user)" ]; do :; done
SUDO_UID=65534 SUDO_GID=65534 sh "$D/probe.sh" > "$D/sudo.txt"
sh "$D/probe.sh" > "$D/root.txt"
kill $holder'
unshare -U sh -c 'read _ < "$0/go"; exec sh -c "$1"' "$D" "$INNER" &
pid=$!
while [ "$(readlink /proc/$pid/ns/user)" = "$(readlink /proc/self/ns/user)" ]; do :; done
"$PYTHON" -c 'import os, sys
for name in ("uid_map", "gid_map"):
    fd = os.open(f"/proc/{sys.argv[1]}/{name}", os.O_WRONLY)
    os.write(fd, b"0 0 1\n65534 65534 1\n")  # one write: the kernel takes a map only whole
    os.close(fd)' "$pid"
echo go > "$D/go"
wait $pid
"""


def test_through_sudo_the_active_test_runs_as_the_invoking_user() -> None:
    require_root()
    for tool in ("unshare", "setpriv"):
        require_tool(tool)
    d = Path(tempfile.mkdtemp(prefix="nskb-sudo-"))
    try:
        os.chmod(d, 0o755)
        shutil.copyfile(SCRIPT, d / "probe.sh")
        done = subprocess.run(["bash", "-c", SUDO], env={"PATH": os.environ["PATH"], "D": str(d),
                                                           "PYTHON": sys.executable},
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        sudo = parse_probe_output((d / "sudo.txt").read_text()).facts
        root = parse_probe_output((d / "root.txt").read_text()).facts
    finally:
        shutil.rmtree(d, ignore_errors=True)
    assert (sudo["process.uid"], sudo["process.invoking_uid"], sudo["userns.test_uid"]) == ("0", "65534", "65534")
    assert sudo["userns.create"] == "ENOSPC"  # what the user who called sudo gets
    assert (root["process.invoking_uid"], root["userns.test_uid"], root["userns.create"]) == ("none", "0", "ok")
