"""Run a command (as root) in a new user namespace that maps every id to itself and in which
`user.max_user_namespaces` is 0: seen from inside, a machine whose sysctl forbids user namespaces.

    python3 userns_limit_exec.py dropbear -F -E -p 127.0.0.1:2222 -r host_key

No seccomp filter is involved: the kernel's own per-namespace limit refuses unshare(CLONE_NEWUSER)
with ENOSPC to every process below, root or not. Processes see an identity uid_map, so the probe
reports `process.in_userns=no`, as on a real host with the sysctl at 0. util-linux `unshare
--map-users` cannot write such a map (it goes through newuidmap and /etc/subuid), hence this helper.
Needs root. The parent waits for the child and exits with its status; SIGTERM is passed on.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys

CLONE_NEWUSER = 0x10000000
FULL_MAP = "0 0 4294967295\n"


def _check_is_child(pid: int) -> None:
    """/proc/PID must be our child: under a PID namespace whose /proc was not remounted it is not."""
    with open(f"/proc/{pid}/status") as status:
        parent = next((line.split()[1] for line in status if line.startswith("PPid:")), "")
    if parent != str(os.getpid()):
        raise OSError(0, f"/proc/{pid} is not this helper's child (mount a /proc for this PID namespace)")


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        sys.stderr.write("usage: userns_limit_exec.py COMMAND [ARG...]\n")
        return 2
    libc = ctypes.CDLL(None, use_errno=True)
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready_r)
        os.close(go_w)
        if libc.unshare(CLONE_NEWUSER) != 0:
            sys.stderr.write(f"unshare(CLONE_NEWUSER): {os.strerror(ctypes.get_errno())}\n")
            os._exit(126)
        os.write(ready_w, b"1")
        if os.read(go_r, 1) != b"1":  # the parent could not write the maps
            os._exit(126)
        with open("/proc/sys/user/max_user_namespaces", "w") as limit:
            limit.write("0\n")
        os.execvp(argv[1], argv[1:])
    os.close(ready_w)
    os.close(go_r)
    signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGTERM))
    ok = b"0"
    if os.read(ready_r, 1) == b"1":
        try:
            _check_is_child(pid)
            for name in ("uid_map", "gid_map"):
                with open(f"/proc/{pid}/{name}", "w") as mapping:
                    mapping.write(FULL_MAP)
            ok = b"1"
        except OSError as error:
            sys.stderr.write(f"writing the id maps of {pid}: {error.strerror}\n")
    os.write(go_w, ok)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    return os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8


if __name__ == "__main__":
    sys.exit(main(sys.argv))
