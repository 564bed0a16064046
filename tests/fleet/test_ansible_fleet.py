"""The real thing: ansible-playbook probes a small fleet built on this machine, kb-fleet groups it.

See fleet_hosts.py for the hosts. Needs root, Dropbear (dropbear-bin), the OpenSSH client, and the
venv's ansible-core with community.general (make venv installs both).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import require, require_root, require_tool
from tests.fleet.fleet_hosts import COLLECTIONS, USER_ID, FleetRun, new_workdir, remove_workdir, run_fleet

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent
EXPECTED = {  # host -> (verdict, cause)
    "self-root": ("works", None),
    "self-user": ("works", None),
    "chroot": ("blocked", "chroot-environment"),
    "limited": ("blocked", "max-user-namespaces-zero"),
    "gone": ("unreachable", None),
    "broken-chroot": ("unreachable", None),
}


@pytest.fixture(scope="module")
def fleet():
    require_root()
    for tool in ("unshare", "chroot", "su", "ssh", "ssh-keygen"):
        require_tool(tool)
    for tool in ("dropbear", "dropbearkey"):
        require(shutil.which(tool, path="/usr/sbin:/usr/bin") is not None,
                f"{tool} is not installed (make deb-deps installs dropbear-bin)")
    require((BIN / "ansible-playbook").is_file(), "ansible-playbook is not in the venv (make venv installs .[fleet])")
    require((COLLECTIONS / "ansible_collections/community/general/plugins/connection/chroot.py").is_file(),
            "community.general is missing (make venv runs scripts/install-community-general.py)")
    work = new_workdir()
    try:
        yield run_fleet(work, str(BIN / "ansible-playbook"))
    finally:
        remove_workdir(work)


def kb_fleet(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "kb-fleet"), *args], input=stdin, capture_output=True, timeout=120, check=False)


def groups_of(report: dict) -> dict[str, tuple[str, str | None]]:
    found = {}
    for group in report["groups"]:
        for host in group["hosts"]:
            name = host["host"] if isinstance(host, dict) else host
            found[name] = (group["verdict"], group.get("cause", {}).get("id") if group["verdict"] == "blocked" else None)
    return found


def test_playbook_writes_one_file_per_host(fleet: FleetRun) -> None:
    context = f"{fleet.runner_err}\n{fleet.ansible_log[-3000:]}\n{fleet.sshd_log[-1000:]}"
    assert fleet.returncode == 0, context
    files = sorted(p.name for p in fleet.out.iterdir())
    assert files == sorted(f"{h}.json" for h in EXPECTED), context
    records = {h: json.loads((fleet.out / f"{h}.json").read_text()) for h in EXPECTED}
    assert {h: r["status"] for h, r in records.items()} == {
        "self-root": "ok", "self-user": "ok", "chroot": "ok", "limited": "ok",
        "gone": "unreachable", "broken-chroot": "failed"}, context
    assert "Connection refused" in records["gone"]["message"]
    assert "bin/sh" in records["broken-chroot"]["message"]


def test_hosts_differ_in_what_they_allow(fleet: FleetRun) -> None:
    """The probe ran as the intended user in each place, and saw what that place allows."""
    def facts(host: str) -> dict:
        probe = json.loads((fleet.out / f"{host}.json").read_text())["probe"]
        return dict(line.rstrip("\r").split("=", 1) for line in probe.splitlines() if "=" in line)

    keys = ("process.uid", "chroot", "seccomp.mode", "userns.create", "sysctl.user.max_user_namespaces")
    seen = {h: {k: facts(h)[k] for k in keys} for h in ("self-root", "self-user", "chroot", "limited")}
    assert seen["self-root"] == {**seen["self-root"], "process.uid": "0", "chroot": "no", "userns.create": "ok"}
    assert seen["self-user"] == {**seen["self-user"], "process.uid": str(USER_ID), "userns.create": "ok"}
    assert seen["chroot"] == {**seen["chroot"], "chroot": "yes", "userns.create": "EPERM", "seccomp.mode": "0"}
    assert seen["limited"] == {"process.uid": str(USER_ID), "chroot": "no", "seccomp.mode": "0",
                               "userns.create": "ENOSPC", "sysctl.user.max_user_namespaces": "0"}


def test_report_puts_each_host_in_its_group(fleet: FleetRun) -> None:
    done = kb_fleet(str(fleet.out), "--format", "json", "--lang", "en")
    assert done.returncode == 1, done.stderr  # not every host works
    assert done.stderr == b""
    report = json.loads(done.stdout)
    assert report["format"] == "nskb-fleet/1"
    assert groups_of(report) == EXPECTED
    assert report["counts"] == {"blocked": 2, "not-sure": 0, "unreachable": 2, "unreadable": 0, "works": 2}
    blocked = {g["cause"]["id"]: g for g in report["groups"] if g["verdict"] == "blocked"}
    assert blocked["chroot-environment"]["fix"]["url"].endswith("/fixes/" + blocked["chroot-environment"]["fix"]["id"] + "/")
    works = next(g for g in report["groups"] if g["verdict"] == "works")
    assert works["differing_facts"]["process.uid"] == {"0": 1, str(USER_ID): 1}


def test_bad_host_files_get_their_own_line(fleet: FleetRun, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(fleet.out, out)
    real = (out / "chroot.json").read_bytes()
    (out / "empty.json").write_bytes(b"")
    (out / "cut.json").write_bytes(real[: len(real) // 2])
    (out / "blob.json").write_bytes(bytes(range(256)) * 4)
    (out / "setup.json").write_text(json.dumps({"ansible_facts": {"ansible_hostname": "x"}, "changed": False}))
    probe = json.loads(real)["probe"]
    (out / "half.probe").write_text(probe[: len(probe) // 3])
    done = kb_fleet(str(out), "--lang", "en")
    text = done.stdout.decode()
    assert done.returncode == 1 and done.stderr == b"", done.stderr
    assert "Traceback" not in text
    unreadable = text[text.index("UNREADABLE"):].split("\n\n")[0].splitlines()[1:]
    assert [line.split(":")[0].strip() for line in unreadable] == ["blob", "cut", "empty", "half", "setup"]
    assert "binary" in unreadable[0] and "truncated JSON" in unreadable[1] and "empty" in unreadable[2]
    assert "truncated" in unreadable[3] and "another tool" in unreadable[4]
    report = json.loads(kb_fleet(str(out), "--format", "json").stdout)
    found = groups_of(report)
    assert {h: found[h] for h in EXPECTED} == EXPECTED  # no other host dropped or moved
    assert report["counts"]["unreadable"] == 5


def test_markdown_report_in_chinese(fleet: FleetRun) -> None:
    done = kb_fleet(str(fleet.out), "--format", "markdown", "--lang", "zh")
    text = done.stdout.decode()
    assert text.startswith("## nskb 主机群报告")
    assert "共 6 台主机：2 台用户命名空间可用，2 台被阻止" in text
    assert "/causes/chroot-environment/" in text and "/en/" not in text
