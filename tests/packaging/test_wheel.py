"""The wheel, built in a clean directory, installs with google-re2 alone and runs outside the checkout.

Slow-ish (a build, a fresh venv): about half a minute. Network: the build env's setuptools and the
google-re2 wheel come from the package index (or pip's cache), at the versions in constraints.txt.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from nskb import __version__

REPO = Path(__file__).resolve().parents[2]
UID_MAP = "bwrap: setting up uid map: Permission denied\n"  # names its cause with confidence: exit 0


def run(cmd: list, cwd: Path, env: dict | None = None, timeout: int = 600, stdin: str | None = None):
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{cmd}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done


def pip_env() -> dict:
    return {**os.environ, "PIP_CONSTRAINT": str(REPO / "constraints.txt"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """nskb's wheel, built from the files git tracks, copied to an empty directory."""
    src = tmp_path_factory.mktemp("src")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, timeout=60).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if name.startswith("tests/") or not (REPO / name).exists():
            continue
        target = src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (REPO / name).is_symlink():
            target.symlink_to(os.readlink(REPO / name))
        else:
            shutil.copy2(REPO / name, target)
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out, src], cwd=src, env=pip_env())
    (found,) = out.glob("nskb-*.whl")
    return found


def test_the_wheel_holds_the_package_its_index_and_its_licence(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    dist_info = f"nskb-{__version__}.dist-info"
    assert {"nskb/data/index.json", "nskb/data/probe.sh", "nskb/cli/match.py", f"{dist_info}/METADATA"} <= set(names)
    assert any(n.startswith(f"{dist_info}/licenses/LICENSE") for n in names)
    assert all(n.startswith(("nskb/", f"{dist_info}/")) for n in names), names  # nothing stray (build/, docs)
    assert not any(Path(n).name.startswith(".") for n in names)  # no stamp or temporary files
    metadata = zipfile.ZipFile(wheel).read(f"{dist_info}/METADATA").decode()
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert requires == ["Requires-Dist: google-re2<2,>=1.1"], requires
    assert "License-Expression: Apache-2.0" in metadata


def test_installed_with_google_re2_alone_it_runs_outside_the_checkout(wheel, tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    shutil.copy(wheel, wheels)
    re2_pin = next(line for line in (REPO / "constraints.txt").read_text().splitlines() if line.startswith("google-re2=="))
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", wheels, re2_pin],
        cwd=tmp_path, env=pip_env())
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    bin_dir = venv / "bin"
    # --no-index: nothing but these two wheels can be installed, so any other run-time dependency fails here.
    run([bin_dir / "python", "-m", "pip", "install", "--no-index", "--find-links", wheels, "nskb"], cwd=tmp_path,
        env={**os.environ, "PIP_CONSTRAINT": "", "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    listed = json.loads(run([bin_dir / "python", "-m", "pip", "list", "--format", "json"], cwd=tmp_path).stdout)
    assert {p["name"].lower() for p in listed} - {"pip", "setuptools"} == {"nskb", "google-re2"}
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}:/usr/bin:/bin"
    version = run([bin_dir / "kb-match", "--version"], cwd=outside, env=env)
    assert version.stdout == f"kb-match (nskb) {__version__}\n"
    matched = run([bin_dir / "kb-match", "-f", "json", "-l", "en"], cwd=outside, env=env, stdin=UID_MAP)
    result = json.loads(matched.stdout)
    assert result["symptoms"][0]["id"] == "bwrap-uid-map-eacces" and result["causes"]
    where = run([bin_dir / "python", "-c", "import nskb, sys; print(nskb.__file__); print('yaml' in sys.modules)"],
                cwd=outside, env=env).stdout.split()
    assert where[0].startswith(str(venv)) and where[1] == "False"
    probe = run([bin_dir / "kb-probe", "-f", "json"], cwd=outside, env=env)
    assert json.loads(probe.stdout)["format"] == "nskb-probe/1"
    explained = run([bin_dir / "kb-match", "-e", "chroot-environment", "-l", "zh"], cwd=outside, env=env)
    assert "chroot" in explained.stdout
