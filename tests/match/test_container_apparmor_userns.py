"""AppArmor `userns_create` denials on the real KB: a container manager's or runtime's profile
without a `userns` rule is not Ubuntu's restriction of unconfined processes, nor a profile that
missed a program's path. The three write different records (security/apparmor in the kernel):
a confining profile's denial names that profile and has no `info`; the restriction's names
profile="unconfined", says "Userns create restricted" and, inside an LXD/Incus container,
carries the container's AppArmor namespace."""
from __future__ import annotations

import pytest

from .conftest import run

NEW = "container-apparmor-blocks-userns"


def record(profile: str, extra: str = "") -> bytes:
    return (f'audit: type=1400 audit(1754850254.083:458): apparmor="DENIED" operation="userns_create" '
            f'class="namespace" {extra}profile="{profile}" pid=4337 comm="runc:[1:CHILD]" '
            f'requested="userns_create" denied="userns_create"\n').encode()


def leader(result) -> str:
    return result.causes[0].id


def apparmor_evidence(result, cause_id: str) -> list:
    cause = next((c for c in result.causes if c.id == cause_id), None)
    return [] if cause is None else [e for e in cause.evidence
                                     if e.type == "feature" and e.id == "apparmor" and e.counted and e.weight > 0]


@pytest.mark.parametrize("profile", [
    "lxc-fediverse_</srv/containers>",          # LXC's generated profile (lxc/lxc#4529)
    "lxc-container-default-cgns",               # LXC's fixed profile
    "lxd-c1_</var/snap/lxd/common/lxd>",
    "incus-dns_</var/lib/incus>",               # lxc/incus#2370
    "docker-default",
    "containers-default-0.57.4",                # Podman
    "cri-containerd.apparmor.d",
])
def test_a_container_profile_denying_userns_create_is_the_container_cause(real_index, profile):
    result = run(real_index, record(profile))
    assert result.verdict == "cause"
    assert leader(result) == NEW
    assert apparmor_evidence(result, NEW)
    assert not apparmor_evidence(result, "apparmor-profile-path-mismatch")


def test_the_restriction_inside_a_container_namespace_stays_the_restriction(real_index):
    restricted = record("unconfined", 'info="Userns create restricted - failed to find unprivileged_userns profile" '
                                      'error=-13 namespace="root//incus-f43_<var-lib-incus>" ')
    result = run(real_index, restricted)
    assert leader(result) == "apparmor-userns-restricted"
    assert not apparmor_evidence(result, NEW)


def test_an_application_profile_is_not_a_container_profile(real_index):
    result = run(real_index, record("steam"))
    assert leader(result) != NEW
    assert apparmor_evidence(result, "apparmor-profile-path-mismatch")
    assert not apparmor_evidence(result, NEW)


def test_the_probe_names_the_container_profile_and_no_apparmor_rules_it_out(real_index):
    facts = {"apparmor.enabled": "yes", "apparmor.profile": "docker-default", "apparmor.mode": "enforce",
             "userns.create": "EACCES", "container.runtime": "docker"}
    assert leader(run(real_index, b"", facts)) == NEW
    without = run(real_index, b"", dict(facts, **{"apparmor.enabled": "no"}))
    assert NEW in {r.id for r in without.ruled_out}


def test_a_process_under_a_container_profile_is_not_under_the_unconfined_restriction(real_index):
    facts = {"apparmor.enabled": "yes", "apparmor.profile": "docker-default", "apparmor.mode": "enforce",
             "sysctl.kernel.apparmor_restrict_unprivileged_userns": "1"}
    line = b"bwrap: Creating new namespace failed: Permission denied\n"
    assert "apparmor-userns-restricted" in {r.id for r in run(real_index, line, facts).ruled_out}
    unconfined = run(real_index, line, dict(facts, **{"apparmor.profile": "unconfined"}))
    assert "apparmor-userns-restricted" not in {r.id for r in unconfined.ruled_out}


def test_aa_log_short_records_are_read_as_the_records_they_shorten(real_index):
    # apparmor.d's aa-log prints verdict, profile, operation and object by position, the rest as key=value.
    short = run(real_index, b"DENIED  docker-default userns_create comm=coolwsd requested=userns_create "
                            b"denied=userns_create\n")
    assert leader(short) == NEW and short.verdict == "cause"
    assert {"apparmor": "DENIED", "profile": "docker-default", "operation": "userns_create"}.items() <= \
        next(f["fields"] for f in short.features if f["kind"] == "apparmor").items()
    capable = run(real_index, b"DENIED  unprivileged_userns capable comm=bwrap capability=21 capname=sys_admin\n")
    assert leader(capable) == "apparmor-userns-restricted"
    named = run(real_index, b"ALLOWED dnsmasq open @{PROC}/sys/kernel/osrelease comm=dnsmasq requested_mask=r\n")
    assert next(f["fields"] for f in named.features if f["kind"] == "apparmor")["name"] == "@{PROC}/sys/kernel/osrelease"
    assert run(real_index, b"Access DENIED for user bob: comm=ssh\n").features == []
