"""Real reproductions of sandbox failures, each with the probe run in the same environment.

Each scenario is a bash fragment run as root inside `unshare --mount` (so every mount it makes
vanishes with the namespace). It creates the failing condition; then the failing tool and the
probe run as the unprivileged user 65534 in that condition (as root for a failure only root meets). The runner keeps the tool's real
stderr, its exit status and the probe output.

Regenerate the stored fixtures (tests/fixtures/repro/<name>/) from fresh runs with

    sudo NSKB_REGEN_FIXTURES=1 .venv/bin/pytest tests/integration -m integration
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PROBE = REPO / "scripts" / "probe.sh"
FIXTURES = REPO / "tests" / "fixtures" / "repro"
USER = "65534"
USER_PATH = "/usr/local/bin:/usr/bin:/bin"
TIMEOUT = 120  # seconds for one whole scenario; each step inside is much shorter

# Shared bash helpers for the scenarios.
PRELUDE = r"""
set -euo pipefail
cd /
build_root() { # build_root DIR: a minimal root made of the host's /usr, a few /etc files, /dev, a fresh /proc
  local r=$1 d
  mkdir -p "$r/usr" "$r/etc" "$r/proc" "$r/dev" "$r/tmp"
  chmod 755 "$r"; chmod 1777 "$r/tmp"
  mount --bind /usr "$r/usr"; mount -o remount,bind,ro "$r/usr"
  for d in bin sbin lib lib32 lib64 libx32; do
    if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$r/$d"
    elif [ -d "/$d" ]; then mkdir "$r/$d"; mount --bind "/$d" "$r/$d"; mount -o remount,bind,ro "$r/$d"; fi
  done
  for f in passwd group nsswitch.conf os-release; do
    if [ -e "/etc/$f" ]; then cp -L "/etc/$f" "$r/etc/$f"; fi
  done
  mount --rbind /dev "$r/dev"
  mount -t proc proc "$r/proc"
  install -m 0644 "$PROBE" "$r/tmp/probe.sh"
  PROBE_PATH=/tmp/probe.sh
}
unmount_other_procs() { # keep only /proc: another full procfs mount would make /proc "visible" again
  local m
  awk '$9 == "proc" && $5 != "/proc" {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do
    umount -l "$m"
  done
}
"""

# Runs after the scenario's setup. LAUNCH (array) starts the user session; SESSION (sh code)
# runs the tool with its stderr on fd 3 and its status on fd 4, then execs the probe.
RUNNER = r"""
exec 5>"$OUT/probe.txt" 6>"$OUT/probe.err" 7>"$OUT/stderr.txt" 8>"$OUT/status"
PROBE_PATH=$PROBE
LAUNCH=()
{prelude}
{setup}
DEFAULT_SESSION='{command} 2>&3 >/dev/null; echo $? >&4; exec sh "$PROBE"'
SESSION=${{SESSION:-$DEFAULT_SESSION}}
"${{LAUNCH[@]}}" setpriv --reuid={user} --regid={user} --clear-groups \
  env -i PATH={path} HOME=/ LANG=C.UTF-8 PROBE="$PROBE_PATH" sh -c "$SESSION" >&5 2>&6 3>&7 4>&8
"""


@dataclass(frozen=True)
class Scenario:
    name: str
    summary: str
    command: str  # the failing command as the user runs it (also written to command.txt)
    setup: str = ""  # bash, as root, in a private mount namespace
    pidns: bool = False  # also a new PID namespace, so PID 1 is the runner
    expect_line: str | None = None  # regex of the key stderr line (None: the command succeeds)
    expect_facts: dict[str, str] = field(default_factory=dict)
    user: str = USER  # who runs the command and the probe ("0": a failure only root meets)


SCENARIOS = [
    Scenario(
        name="chroot-plain-dir",
        summary="chroot into a directory that is not a mount point; bwrap cannot create a namespace",
        setup='mkdir "$WORK/mnt"; mount -t tmpfs tmpfs "$WORK/mnt"; R=$WORK/mnt/root; mkdir "$R"\n'
              'build_root "$R"; LAUNCH=(chroot "$R")',
        command="bwrap --ro-bind / / /bin/true",
        expect_line=r"^bwrap: No permissions to creat(e|ing)( a)? new namespace",
        expect_facts={"chroot": "yes", "chroot.signal": "mountinfo", "userns.create": "EPERM",
                      "userns.map_write": "skipped", "seccomp.mode": "0", "process.uid": USER},
    ),
    Scenario(
        name="chroot-mount-point",
        summary="chroot into a directory that is itself a mount point (a tmpfs); unshare fails",
        setup='mkdir "$WORK/mnt"; mount -t tmpfs tmpfs "$WORK/mnt"; R=$WORK/mnt\n'
              'build_root "$R"; LAUNCH=(chroot "$R")',
        command="unshare -U true",
        expect_line=r"^unshare: unshare failed: Operation not permitted$",
        expect_facts={"chroot": "yes", "chroot.signal": "ancestor-mountinfo", "userns.create": "EPERM",
                      "seccomp.mode": "0"},
    ),
    Scenario(
        name="chroot-bind-mount-point",
        summary="chroot into a directory bind-mounted onto itself (root field is not /), in a PID namespace",
        setup='mkdir "$WORK/mnt"; mount -t tmpfs tmpfs "$WORK/mnt"; R=$WORK/mnt/root; mkdir "$R"\n'
              'mount --bind "$R" "$R"; build_root "$R"; LAUNCH=(chroot "$R")',
        pidns=True,
        command="bwrap --ro-bind / / /bin/true",
        expect_line=r"^bwrap: No permissions to creat(e|ing)( a)? new namespace",
        expect_facts={"chroot": "yes", "chroot.signal": "ancestor-mountinfo", "userns.create": "EPERM"},
    ),
    Scenario(
        name="pivot-root-bind",
        summary="control: pivot_root into a bind-mounted directory, as LXC or nspawn do; not a chroot",
        setup='mkdir "$WORK/mnt"; mount -t tmpfs tmpfs "$WORK/mnt"; R=$WORK/mnt/root; mkdir "$R"\n'
              'mount --bind "$R" "$R"; build_root "$R"; mkdir "$R/oldroot"\n'
              'cd "$R"; pivot_root . oldroot; cd /; umount -l /oldroot',
        pidns=True,
        command="bwrap --ro-bind / / /bin/true",
        expect_line=None,
        expect_facts={"chroot": "no", "chroot.signal": "none", "userns.create": "ok",
                      "userns.map_write": "ok"},
    ),
    Scenario(
        name="seccomp-docker-default",
        summary="a seccomp filter like Docker's default profile (unshare/clone(CLONE_NEWUSER) EPERM, clone3 ENOSYS)",
        setup='LAUNCH=("$PYTHON" "$HELPERS/seccomp_exec.py")',
        command="bwrap --ro-bind / / /bin/true",
        expect_line=r"^bwrap: No permissions to creat(e|ing)( a)? new namespace",
        expect_facts={"seccomp.mode": "2", "seccomp.filters": "1", "chroot": "no",
                      "userns.create": "EPERM", "userns.map_write": "skipped"},
    ),
    Scenario(
        name="max-user-namespaces-zero",
        summary="user.max_user_namespaces=0 set inside a user namespace; bwrap --unshare-user there",
        setup=r"""SESSION=$(cat <<'EOS'
exec unshare -U -r sh -c 'echo 0 > /proc/sys/user/max_user_namespaces || exit 99
bwrap --unshare-user --ro-bind / / /bin/true 2>&3 >/dev/null; echo $? >&4; exec sh "$PROBE"'
EOS
)""",
        command="bwrap --unshare-user --ro-bind / / /bin/true",
        expect_line=r"^bwrap: Creating new namespace failed: (nesting depth or /proc/sys/user/max_\*_namespaces "
                    r"exceeded \(ENOSPC\)|No space left on device)",
        expect_facts={"sysctl.user.max_user_namespaces": "0", "process.in_userns": "yes", "process.uid": "0",
                      "userns.create": "ENOSPC", "userns.map_write": "skipped"},
    ),
    Scenario(
        name="proc-masked",
        summary="container-style masked /proc (files covered, /proc/sys read-only); bwrap --unshare-pid --proc",
        setup=r"""unmount_other_procs
for p in /proc/asound /proc/acpi /proc/interrupts /proc/kcore /proc/keys /proc/latency_stats \
         /proc/timer_list /proc/timer_stats /proc/sched_debug /proc/scsi; do
  if [ -f "$p" ]; then mount --bind /dev/null "$p"; elif [ -d "$p" ]; then mount -t tmpfs -o ro tmpfs "$p"; fi
done
for p in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do
  if [ -e "$p" ]; then mount --bind "$p" "$p"; mount -o remount,bind,ro "$p"; fi
done""",
        command="bwrap --unshare-pid --dev-bind / / --proc /proc /bin/true",
        expect_line=r"^bwrap: Can't mount proc on /newroot/proc: Operation not permitted$",
        expect_facts={"proc.masked": "yes", "proc.sys_readonly": "yes", "userns.create": "ok",
                      "userns.map_write": "ok", "userns.proc_mount": "EPERM"},
    ),
    Scenario(
        name="pivot-root-shared",
        summary="as root, pivot_root in a mount namespace that kept the shared propagation of / (systemd's default)",
        setup='mount --make-rshared /; mkdir "$WORK/mnt"; mount -t tmpfs tmpfs "$WORK/mnt"; R=$WORK/mnt/root\n'
              'mkdir "$R"; mount --bind "$R" "$R"; mkdir "$R/oldroot"; P=$(command -v pivot_root)\n'
              'SESSION="cd $R && unshare --mount --propagation unchanged $P . oldroot 2>&3 >/dev/null; '
              'echo \\$? >&4; cd / && exec sh \\"\\$PROBE\\""',
        command="unshare --mount --propagation unchanged pivot_root . oldroot",
        expect_line=r"^pivot_root: failed to change root from .* Invalid argument$",
        expect_facts={"mount.root_propagation": "shared", "process.uid": "0", "chroot": "no"},
        user="0",
    ),
    Scenario(
        name="multithreaded-unshare",
        summary="a program with two threads calls unshare(CLONE_NEWUSER) (EINVAL); the single-threaded probe succeeds",
        setup='"$PYTHON" "$HELPERS/mt_unshare.py" 65534 65534 2>&7 >/dev/null && echo 0 >&8 || echo $? >&8\n'
              "SESSION='exec sh \"$PROBE\"'",
        command="mt_unshare.py (Python: a worker thread, then unshare(CLONE_NEWUSER) in the main thread)",
        expect_line=r"^unshare\(CLONE_NEWUSER\): Invalid argument$",
        expect_facts={"userns.create": "ok", "userns.map_write": "ok", "process.uid": USER},
    ),
]


@dataclass
class Run:
    stderr: str
    status: int
    probe: str
    probe_err: str
    runner_err: str


def run_scenario(s: Scenario) -> Run:
    """Run one scenario for real (needs root) and return what it printed."""
    work = Path(tempfile.mkdtemp(prefix=f"nskb-repro-{s.name}-"))
    try:
        os.chmod(work, 0o755)
        out = work / "out"
        out.mkdir()
        probe = work / "probe.sh"
        shutil.copyfile(PROBE, probe)
        os.chmod(probe, 0o644)
        script = work / "run.sh"
        script.write_text(RUNNER.format(prelude=PRELUDE, setup=s.setup, command=s.command,
                                        user=s.user, path=USER_PATH))
        argv = ["unshare", "--mount", "--propagation", "private"]
        if s.pidns:
            argv += ["--pid", "--fork", "--kill-child"]
        argv += ["bash", str(script)]
        env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
               "WORK": str(work), "OUT": str(out), "PROBE": str(probe), "PYTHON": sys.executable,
               "HELPERS": str(HERE)}
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        status_text = (out / "status").read_text().strip()
        return Run(
            stderr=(out / "stderr.txt").read_text(),
            status=int(status_text) if status_text.isdigit() else -1,
            probe=(out / "probe.txt").read_text(),
            probe_err=(out / "probe.err").read_text(),
            runner_err=f"runner exit {done.returncode}: {done.stderr.strip()}",
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_fixture(s: Scenario, run: Run) -> None:
    d = FIXTURES / s.name
    d.mkdir(parents=True, exist_ok=True)
    (d / "command.txt").write_text(s.command + "\n")
    (d / "stderr.txt").write_text(run.stderr)
    (d / "probe.txt").write_text(run.probe)
