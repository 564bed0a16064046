"""Load a seccomp filter shaped like Docker's default profile, then exec a command.

    python seccomp_exec.py COMMAND [ARG...]

Without CAP_SYS_ADMIN, Docker's default profile (moby/profiles seccomp/default.json) answers
unshare, setns, mount and umount2 with EPERM, clone with any namespace flag (mask 0x7E020000)
with EPERM, and clone3 with ENOSYS so that libc falls back to clone. This filter does the same
for the native architecture and allows every other call. It is classic BPF assembled by hand and
loaded with prctl(2), so the tests need neither libseccomp nor a compiler.

Run as root (as runc does before it drops privileges) the filter is loaded without
no_new_privs; run as another user it sets no_new_privs first, which the kernel requires.
"""
from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
import sys

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000

# BPF opcodes
LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
JSET_K = 0x45  # BPF_JMP | BPF_JSET | BPF_K
RET_K = 0x06  # BPF_RET | BPF_K

CLONE_NS_MASK = 0x7E020000  # NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];
OFF_NR, OFF_ARCH, OFF_ARG0 = 0, 4, 16  # args[0] low word on little-endian machines

ARCHES = {
    # machine: (AUDIT_ARCH_*, {syscall: number})
    "x86_64": (0xC000003E, {"unshare": 272, "setns": 308, "mount": 165, "umount2": 166,
                            "clone": 56, "clone3": 435}),
    "aarch64": (0xC00000B7, {"unshare": 97, "setns": 268, "mount": 40, "umount2": 39,
                             "clone": 220, "clone3": 435}),
}


def docker_like_filter(machine: str) -> list[tuple[int, int, int, int]]:
    """The filter as (code, jt, jf, k) instructions."""
    arch, nr = ARCHES[machine]
    eperm = SECCOMP_RET_ERRNO | errno.EPERM
    enosys = SECCOMP_RET_ERRNO | errno.ENOSYS
    prog = [
        (LD_W_ABS, 0, 0, OFF_ARCH),
        (JEQ_K, 1, 0, arch),
        (RET_K, 0, 0, SECCOMP_RET_ALLOW),  # other ABIs: not our concern here
        (LD_W_ABS, 0, 0, OFF_NR),
    ]
    refused = [nr["unshare"], nr["setns"], nr["mount"], nr["umount2"]]
    for number in refused:
        prog += [(JEQ_K, 0, 1, number), (RET_K, 0, 0, eperm)]
    prog += [(JEQ_K, 0, 1, nr["clone3"]), (RET_K, 0, 0, enosys)]
    prog += [
        (JEQ_K, 0, 3, nr["clone"]),
        (LD_W_ABS, 0, 0, OFF_ARG0),
        (JSET_K, 0, 1, CLONE_NS_MASK),
        (RET_K, 0, 0, eperm),
        (RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ]
    return prog


def load(prog: list[tuple[int, int, int, int]]) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    raw = b"".join(struct.pack("=HBBI", *insn) for insn in prog)
    buf = ctypes.create_string_buffer(raw, len(raw))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(prog), ctypes.cast(buf, ctypes.c_void_p))
    if os.geteuid() != 0 and libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP)")


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: seccomp_exec.py COMMAND [ARG...]", file=sys.stderr)
        return 2
    machine = platform.machine()
    if machine not in ARCHES:
        print(f"seccomp_exec.py: no syscall table for {machine}", file=sys.stderr)
        return 3
    load(docker_like_filter(machine))
    os.execvp(argv[0], argv)
    return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
