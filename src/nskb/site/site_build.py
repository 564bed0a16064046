"""Build the whole site somewhere else than .site-src/ and site/: for tests and bench/site.

The same two steps as `make site` (render, then `mkdocs build --strict --quiet`), with the
repository's mkdocs.yml inherited and only the folders (and the hook's path) changed. MkDocs runs
in a subprocess, so nothing here imports it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


@dataclass
class Built:
    site: Path
    docs: Path
    render_seconds: float
    mkdocs_seconds: float


class BuildFailed(Exception):
    pass


def build_site(work: Path, kb: Path | None = None, docs: Path | None = None, *,
               nav: list[str] | None = None, repo: Path = REPO) -> Built:
    """Render `kb` (default: the repo's kb/) and `docs` into work/docs, build work/site."""
    work.mkdir(parents=True, exist_ok=True)
    out_docs, out_site = work / "docs", work / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    started = time.perf_counter()
    render = [sys.executable, "-m", "nskb.site", "--out", str(out_docs),
              "--kb", str(kb or repo / "kb"), "--docs", str(docs or repo / "docs")]
    _run(render, repo, env)
    rendered = time.perf_counter()
    config = {"INHERIT": str(repo / "mkdocs.yml"), "docs_dir": str(out_docs), "site_dir": str(out_site),
              "hooks": [str(repo / "src/nskb/site/mkdocs_hooks.py")]}
    if nav is not None:
        config["nav"] = nav
    config_path = work / "mkdocs.yml"
    config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")  # JSON is YAML
    _run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config_path)], repo, env)
    return Built(out_site, out_docs, rendered - started, time.perf_counter() - rendered)


def _run(command: list[str], cwd: Path, env: dict) -> None:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    noise = [line for line in (done.stdout + done.stderr).splitlines()
             if line.strip() and not line.startswith("nskb.site: wrote")]
    if done.returncode != 0 or (command[2] == "mkdocs" and noise):
        raise BuildFailed(f"{' '.join(command)} (exit {done.returncode}):\n" + "\n".join(noise))
