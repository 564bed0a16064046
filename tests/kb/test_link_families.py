"""One failure, one set of links: symptoms that are the same kernel refusal printed by different programs
(or by different releases of one program) must name the causes of that refusal alike. The engine reads
a symptom's line only through its `causes:` map, so a cause missing from one member of a family is
invisible for that program's logs, though the mechanism is the same."""
from __future__ import annotations

import pytest

from .conftest import kb_and_patterns

KB, _ = kb_and_patterns()

# (the refusal, its symptoms, causes each member must list with the level it must have)
FAMILIES = [
    # A fresh procfs is refused (mount_too_revealing) where /proc is partly covered: a container's
    # masked paths, and LXD's lxcfs files when nesting is off (nesting gives the container a clean proc).
    ("proc mount refused with EPERM", ["bwrap-mount-proc-eperm", "runc-mount-proc-eperm", "crun-mount-proc-eperm"],
     {"container-proc-masked": "usual", "lxd-container-nesting-off": "common"}),
    # Nix has worded its sandbox's failed clone two ways; the daemon, a chroot and the Debian switch
    # refuse it the same in both, and none of them is usual (the corpus's real logs divide between them).
    ("Nix cannot start its sandboxed builder", ["nix-unable-to-start-build-process", "nix-cloning-builder-process"],
     {"container-seccomp-blocks-userns": "common", "chroot-environment": "common", "userns-clone-sysctl-off": "common"}),
    # systemd's unit set-up of a mount namespace, as the unit's exit status and as the manager's line.
    ("systemd cannot set up a unit's mount namespace", ["systemd-exit-226-namespace", "systemd-mount-namespacing-refused"],
     {"systemd-mount-namespacing-failed": "usual", "lxd-container-nesting-off": "common"}),
    # A mount that a security module's rule refuses answers EACCES, whatever bwrap was mounting: no
    # module is more likely than the others from the line alone (SELinux had been `usual` for tmpfs).
    ("bwrap's mount refused by a security module", ["bwrap-mount-tmpfs-eacces", "bwrap-bind-mount-eacces"],
     {"snap-confinement-blocks-userns": "common", "container-apparmor-blocks-mount": "common",
      "selinux-denies-userns": "common"}),
]


@pytest.mark.parametrize("refusal,symptoms,links", FAMILIES, ids=[f[0] for f in FAMILIES])
def test_a_family_of_symptoms_names_the_causes_of_its_refusal_alike(refusal, symptoms, links):
    for sid in symptoms:
        listed = KB.symptoms[sid].data["causes"]
        for cause, level in links.items():
            assert listed.get(cause) == level, f"{sid}: {cause} should be {level} ({refusal})"

