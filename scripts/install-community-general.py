#!/usr/bin/env python3
"""Install the community.general Ansible collection (for its `chroot` connection) without Galaxy.

Galaxy may be out of reach; PyPI is not. The `ansible` package on PyPI bundles community.general,
but installing it whole means about 24,000 files and 220 MB. This downloads that one wheel (pinned,
hash-checked, no dependencies), copies only `ansible_collections/community/general/` (about 900
files, 11 MB) into DEST/ansible_collections/, and leaves the wheel behind.

    python3 scripts/install-community-general.py .venv/share/ansible/collections
    ANSIBLE_COLLECTIONS_PATH=.venv/share/ansible/collections ansible-playbook ...

The ansible release must match the installed ansible-core: ansible 11 goes with ansible-core 2.18.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "ansible==11.13.0"
WHEEL_SHA256 = "7f1c9c6a6026ff214d9240647e4d2b019b2a9d4c7a2bc733932bcf92af80ab04"
PREFIX = "ansible_collections/community/general/"
DOWNLOAD_TIMEOUT = 600  # seconds for pip download (57 MB)


def installed_version(dest: Path) -> str | None:
    manifest = dest / PREFIX / "MANIFEST.json"
    try:
        return json.loads(manifest.read_text())["collection_info"]["version"]
    except (OSError, ValueError, KeyError):
        return None


def extract(wheel: Path, dest: Path) -> str:
    """Copy the collection out of the wheel into dest (replacing an older copy); its version."""
    target = dest / PREFIX
    staging = Path(tempfile.mkdtemp(prefix=".community-general-", dir=dest))
    try:
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.infolist():
                name = member.filename
                if not name.startswith(PREFIX) or name.endswith("/"):
                    continue
                if ".." in Path(name).parts:  # never write outside dest
                    raise SystemExit(f"{wheel.name}: unsafe path {name!r} in the wheel")
                out = staging / name
                out.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as src, open(out, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        (staging / PREFIX).rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return installed_version(dest) or "?"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("usage: install-community-general.py DEST (e.g. .venv/share/ansible/collections)\n")
        return 2
    dest = Path(argv[1])
    dest.mkdir(parents=True, exist_ok=True)
    stamp = dest / ".community-general-from"
    if installed_version(dest) and stamp.is_file() and stamp.read_text().strip() == WHEEL:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        requirement = Path(tmp) / "requirements.txt"
        requirement.write_text(f"{WHEEL} --hash=sha256:{WHEEL_SHA256}\n")
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
                   "--only-binary=:all:", "--require-hashes", "-r", str(requirement), "-d", tmp]
        try:
            subprocess.run(command, check=True, timeout=DOWNLOAD_TIMEOUT, stdin=subprocess.DEVNULL)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            sys.stderr.write(f"install-community-general: pip download {WHEEL} failed ({error}); "
                             "check that PyPI is reachable\n")
            return 1
        wheels = sorted(Path(tmp).glob("ansible-*.whl"))
        if not wheels:
            sys.stderr.write(f"install-community-general: pip download {WHEEL} gave no wheel\n")
            return 1
        version = extract(wheels[0], dest)
    stamp.write_text(WHEEL + "\n")
    print(f"community.general {version} (from {WHEEL}) installed in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
