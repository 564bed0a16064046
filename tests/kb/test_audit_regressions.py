"""Rules that keep the corrections of the catalogue audit (issue 11) from coming back.

Each test states one rule about the KB as it must stay, not a snapshot of today's wording.
"""
from __future__ import annotations

import re

import pytest

from nskb.diagnose.conditions import condition_holds
from nskb.entries import command_run, expected_output

from .conftest import kb_and_patterns, matches

KB, COMPILED = kb_and_patterns()
PROFILE_WITH_USERNS = re.compile(r"flags=\(unconfined\)[^}]*\buserns,", re.S)
RISK_ORDER = {"low": 0, "medium": 1, "high": 2}


def _any_confirm_holds(cause_id: str, facts: dict) -> bool:
    return any(condition_holds(c, facts)[0] is True for c in KB.causes[cause_id].data.get("confirms") or [])


@pytest.mark.parametrize("unit, expected", [("session-3.scope", False), ("app-gnome-firefox-4242.scope", False),
                                            ("nix-daemon.service", True)])
def test_restrict_namespaces_is_confirmed_only_by_units_systemd_executes(unit, expected):
    # A .scope only groups processes that were already running; it cannot carry RestrictNamespaces=.
    facts = {"systemd.unit": unit, "seccomp.mode": "2", "container.runtime": "none"}
    assert _any_confirm_holds("systemd-restrict-namespaces", facts) is expected


def test_no_undo_turns_user_namespaces_off_with_a_literal():
    # Writing a fixed number back ("=0") switches user namespaces off when the old limit was small but
    # not zero; an undo must restore the value saved before the change.
    literal = re.compile(r"sysctl -w user\.max_[a-z_]+namespaces=\d")
    offenders = [fid for fid, fix in KB.fixes.items() for item in fix.data.get("undo") or [] if literal.search(command_run(item))]
    assert not offenders, f"undo writes a literal namespace limit: {offenders}"
    fix = KB.fixes["sysctl-raise-max-user-namespaces"].data
    saved = [line for line in map(command_run, fix["commands"]) if "max_user_namespaces" in line and "tee" in line and ".orig" in line]
    assert saved, "sysctl-raise-max-user-namespaces must save the value in force before raising it"


def _installs_unconfined_userns_profile(fix: dict) -> bool:
    return any(PROFILE_WITH_USERNS.search(f.get("content", "")) for f in fix.get("files") or [])


@pytest.mark.parametrize("fid", sorted(f for f, e in KB.fixes.items() if _installs_unconfined_userns_profile(e.data)))
def test_unconfined_userns_profiles_warn_about_user_writable_paths(fid):
    # Such a profile is inherited by every child; attached to a path the user can write it is a bypass.
    text = KB.fixes[fid].data["text"]
    zh = " ".join(str(v) for v in text["zh"].values())
    en = " ".join(str(v) for v in text["en"].values())
    assert re.search(r"可写|改写", zh) and re.search(r"\bwrit", en), f"{fid}: say not to attach it to a user-writable path"


@pytest.mark.parametrize("fid, at_least", [("opam-apparmor-profile", "medium"),
                                           ("apparmor-profile-allow-userns", "medium"),
                                           ("apparmor-bwrap-unconfined-profile", "high"),
                                           ("sysctl-disable-apparmor-userns-restriction", "high")])
def test_named_fixes_keep_their_risk(fid, at_least):
    assert RISK_ORDER[KB.fixes[fid].data["risk"]] >= RISK_ORDER[at_least]


@pytest.mark.parametrize("sid", ["newgidmap-setgroups-unsupported", "bwrap-cgroup-namespace-unsupported"])
def test_kernel_too_old_symptoms_point_to_the_cause_whose_checks_fit(sid):
    causes = KB.symptoms[sid].data["causes"]
    assert causes.get("kernel-too-old-for-feature") == "usual" and "kernel-without-userns" not in causes


def test_cgroup_namespace_message_dates_from_the_first_release():
    assert [p["versions"] for p in KB.symptoms["bwrap-cgroup-namespace-unsupported"].data["printed_by"]] == ["≥ 0.1.0"]


def test_disable_userns_map_reads_uid_onto_zero():
    first = " ".join(expected_output(KB.causes["parent-sandbox-disable-userns"].data["diagnostics"][0], "confirms", "en"))
    assert re.search(r"\b\d+ 0 1\b", first) and "1000 1000 1" not in first


def test_setuid_firejail_is_not_blamed_on_the_debian_sysctl():
    assert "userns-clone-sysctl-off" not in KB.symptoms["firejail-cannot-create-userns"].data["causes"]


@pytest.mark.parametrize("line, owner", [
    ("guix install: error: cloning builder process: Operation not permitted", "guix-cloning-builder-process"),
    ("error: cloning builder process: Operation not permitted", "nix-cloning-builder-process"),
])
def test_guix_and_nix_lines_name_their_own_tool(line, owner):
    hits = sorted(s for s, p in COMPILED.items() if matches(p, line))
    assert hits == [owner]


def test_containerd_localhost_profiles_are_not_docker_format():
    fix = KB.fixes["kubernetes-security-context"].data
    assert any("docker-to-oci-seccomp.jq" in command_run(c) for c in fix["commands"])
    assert "includes" in fix["text"]["en"]["summary"] and "containerd" in fix["text"]["en"]["summary"]


def test_apparmor_restriction_on_23_10_is_announced_not_asserted():
    env = KB.causes["apparmor-userns-restricted"].data["text"]["en"]["environment"]
    assert "switched on later by SRU" not in env
