"""A multi-threaded program that calls unshare(CLONE_NEWUSER), as an embedded sandbox might.

    python mt_unshare.py [UID GID]

With UID and GID (run as root), it first drops to that user. Then it starts a worker thread and
calls unshare(CLONE_NEWUSER) from the main thread. The kernel refuses a user namespace to a
process with more than one thread (EINVAL), and the program reports it the way a C program's
perror(3) would:

    unshare(CLONE_NEWUSER): Invalid argument

Exit status 1 on failure, 0 if the call unexpectedly succeeds.
"""
from __future__ import annotations

import ctypes
import os
import sys
import threading

CLONE_NEWUSER = 0x10000000


def main(argv: list[str]) -> int:
    if len(argv) == 2:
        uid, gid = int(argv[0]), int(argv[1])
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait, daemon=True)
    worker.start()
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        if libc.unshare(CLONE_NEWUSER) != 0:
            err = ctypes.get_errno()
            print(f"unshare(CLONE_NEWUSER): {os.strerror(err)}", file=sys.stderr)
            return 1
        return 0
    finally:
        stop.set()
        worker.join(timeout=5)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
