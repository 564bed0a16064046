"""One error symptom, one kind of errno: the engine reads a symptom's line only through the symptom's
`causes:` map, so a line whose errno points to other causes needs a symptom of its own.

clone(2), unshare(2) and mount(2) give each errno for its own reasons: EPERM is a permission check
(seccomp, a sysctl, a missing capability, a chroot), EACCES a security module (AppArmor, SELinux),
ENOSPC/EUSERS a namespace limit, and EINVAL/ENOSYS/ENOENT/ENODEV/EROFS something the kernel does not
provide or cannot do as asked.
"""
from __future__ import annotations

import re

import pytest

from nskb.kb.patterns import errno_texts

from .conftest import kb_and_patterns, matches

KB, COMPILED = kb_and_patterns()
LEVELS = ["usual", "common", "possible", "rare"]
ERRNO_KIND = {
    "EPERM": "permission", "EACCES": "security-module", "ENOSPC": "limit", "EUSERS": "limit",
    "EINVAL": "unsupported", "ENOSYS": "unsupported", "ENOENT": "unsupported", "ENODEV": "unsupported",
    "EROFS": "unsupported",
}
PLACEHOLDER = re.compile(r"\{(E[A-Z]+)\}")
# bwrap never localizes, so its patterns spell the C strerror text instead of a placeholder.
C_TEXT = {texts[0]: name for name, texts in errno_texts(KB.errno).items() if name in ERRNO_KIND}
# Not split yet: bwrap writes the gid map after the uid map and setgroups have succeeded, so the
# capability check that refuses those (EPERM / EACCES) has already passed; which cause gives which
# errno on the gid map alone is not settled. (bwrap-setgroups-failed takes EACCES only: the kernel's
# setgroups EPERM needs a gid map written first, which bwrap's order rules out.)
NOT_YET_SPLIT = {"bwrap-gid-map-failed"}


def _kinds(symptom_id: str) -> set[str]:
    patterns = KB.symptoms[symptom_id].data.get("patterns") or []
    names = {name for p in patterns for name in PLACEHOLDER.findall(p)}
    names |= {name for p in patterns for text, name in C_TEXT.items() if text in p}
    return {ERRNO_KIND.get(name, name) for name in names}


def test_no_error_symptom_accepts_errnos_of_different_kinds():
    mixed = {sid: sorted(_kinds(sid)) for sid, entry in KB.symptoms.items()
             if entry.data.get("kind") == "error" and len(_kinds(sid)) > 1 and sid not in NOT_YET_SPLIT}
    assert not mixed, f"split these by errno (one symptom per kind, listed under related:): {mixed}"


def test_the_list_of_symptoms_not_yet_split_is_current():
    assert all(len(_kinds(sid)) > 1 for sid in NOT_YET_SPLIT)


@pytest.mark.parametrize("line, owner, leader", [
    # WSL 1 has no user namespaces: clone() answers EINVAL, not a seccomp filter's EPERM.
    ("error: cloning builder process: Invalid argument", "nix-cloning-builder-process-einval", "kernel-without-userns"),
    ("error: cloning builder process: Operation not permitted", "nix-cloning-builder-process", "container-seccomp-blocks-userns"),
    ("error: cloning builder process: No space left on device", "nix-cloning-builder-process-enospc", "max-user-namespaces-zero"),
    ("guix install: error: cloning builder process: Invalid argument", "guix-cloning-builder-process-einval", "kernel-without-userns"),
    ("redis-server.service: Failed to set up user namespacing: Permission denied", "systemd-user-namespacing-eacces", "selinux-denies-userns"),
    ("myapp.service: Failed to set up user namespacing: Too many users", "systemd-user-namespacing-enospc", "max-user-namespaces-zero"),
    ('src/main/tools/linux-sandbox-pid1.cc:441: "mount": Operation not permitted', "bazel-linux-sandbox-mount-eperm", "container-proc-masked"),
    ("myapp.service: Failed to set up mount namespacing: Operation not permitted", "systemd-mount-namespacing-eperm", "systemd-mount-namespacing-failed"),
    ("unshare: write failed /proc/self/setgroups: Operation not permitted", "unshare-setgroups-eperm", "nested-userns-no-capability"),
])
def test_a_line_names_the_symptom_of_its_errno(line, owner, leader):
    hits = sorted(s for s, p in COMPILED.items() if matches(p, line))
    assert hits == [owner]
    causes = KB.symptoms[owner].data["causes"]
    # The errno's own cause is the strongest the symptom names (others may be as strong: Nix's EPERM
    # line has no usual cause, its real logs divide between four).
    assert LEVELS.index(causes[leader]) == min(LEVELS.index(level) for level in causes.values())


# Each symptom split by errno keeps its id for the main errno (pages and other entries link to it)
# and names its siblings under related:, so the site shows the lines side by side.
FAMILIES = {
    "nix-cloning-builder-process": ["nix-cloning-builder-process-einval", "nix-cloning-builder-process-enospc"],
    "guix-cloning-builder-process": ["guix-cloning-builder-process-einval", "guix-cloning-builder-process-enospc"],
    "systemd-user-namespacing-failed": ["systemd-user-namespacing-einval", "systemd-user-namespacing-eacces",
                                        "systemd-user-namespacing-enospc", "systemd-user-namespacing-enosys"],
    "systemd-mount-namespacing-refused": ["systemd-mount-namespacing-eperm", "systemd-mount-namespacing-einval"],
    "bazel-linux-sandbox-mount-failed": ["bazel-linux-sandbox-mount-eperm"],
    "unshare-setgroups-failed": ["unshare-setgroups-eperm"],
}


@pytest.mark.parametrize("main", sorted(FAMILIES))
def test_a_split_symptom_and_its_siblings_name_each_other(main):
    assert set(FAMILIES[main]) <= set(KB.symptoms[main].data.get("related") or [])
    for sibling in FAMILIES[main]:
        assert main in (KB.symptoms[sibling].data.get("related") or []), sibling
        assert KB.symptoms[sibling].data["tool"] == KB.symptoms[main].data["tool"]


def test_no_error_symptom_takes_any_errno_name():
    # A wildcard for the name (`: E[A-Z]+`) accepts every errno at once, past the check above.
    wildcard = re.compile(r"\bE\\?\[A-Z\]")
    loose = sorted(sid for sid, entry in KB.symptoms.items() if entry.data.get("kind") == "error"
                   for p in entry.data.get("patterns") or [] if wildcard.search(p))
    assert not loose, f"name the errno in these patterns, one symptom per kind: {loose}"
