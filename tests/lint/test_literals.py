"""KB208's two readings of a literal field: words in an expected output, a comment in a command."""
from __future__ import annotations

import pytest

from nskb.lint.literals import _comment_start, prose_in_output

ERRNO = ["Operation not permitted", "No such file or directory"]


@pytest.mark.parametrize("output", [
    "(no output)", "any other number, e.g. 1000", "two different inode numbers",
    "the file exists and aa-status lists bwrap", "Seccomp: 2 (and Seccomp_filters: 1 or more)",
    "0 (while the same command without --security-opt fails)", "user_namespace.enable=1 present",
    "kernel.unprivileged_userns_clone = 1, or sysctl: cannot stat /proc/sys/x: No such file or directory",
])
def test_descriptions_are_words(output):
    assert prose_in_output(output, ERRNO)


@pytest.mark.parametrize("output", [
    "kernel.apparmor_restrict_unprivileged_userns = 1", "unconfined", "bwrap//&unpriv_bwrap (enforce)",
    "ls: cannot access '/etc/apparmor.d/bwrap-userns-restrict': No such file or directory",
    'apparmor="DENIED" operation="mount" ... profile="docker-default" ... error=-13',
    "unshare: unshare failed: Operation not permitted", "-- No entries --", "bash: bwrap: command not found",
    "myapp.service: Failed to set up mount namespacing: /var/lib/myapp/data: No such file or directory",
    "<no matches>", "0 0 4294967295", "[]",
])
def test_terminal_output_is_literal(output):
    assert prose_in_output(output, ERRNO) == ""


@pytest.mark.parametrize("command, at", [
    ("sudo apt-get install uidmap   # Debian, Ubuntu", 30),
    ("# ask the administrators", 0),
    ("nix build --no-sandbox .#hello", -1),
    ("grep -c '# comment' file", -1),
    ('sh -c "echo # not a comment"', -1),
    ("echo ${#PATH}; true # yes", 20),
])
def test_comment_start(command, at):
    assert _comment_start(command) == at
