"""Every article URL kb-match prints resolves on the built site (DESIGN: links that resolve).

kb-match and the site share one configured URL (site_url in mkdocs.yml); here the built site is
served locally and kb-match is pointed at it the way a reader of an unpublished copy would do it:
once with --site-url, once with NSKB_SITE_URL. Every URL in its text, Markdown and JSON output and
in --explain of every cause, fix and symptom must answer 200. The explains run kb-match's main in
this process (a sample also as a process, which must print the same).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import yaml
from tests.site.browsing import serve
from tests.site.inprocess import kb_match_main

REPO = Path(__file__).resolve().parents[2]
KB_MATCH = str(Path(sys.executable).parent / "kb-match")
URL = re.compile(r"https?://[^\s)\]>\"'`]+")


@pytest.fixture(scope="module")
def served(real_site):
    server, url = serve(real_site)
    yield url
    server.shutdown()


def _logs() -> list[str]:
    logs = [p.read_text(encoding="utf-8") for p in sorted((REPO / "docs/examples").glob("*.log"))]
    for path in sorted((REPO / "tests/cases").glob("*.yaml"))[:20]:
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(case, dict) and isinstance(case.get("log"), str):
            logs.append(case["log"])
    return logs


def _kb_match(args: list[str], stdin: str, env: dict | None = None) -> str:
    done = subprocess.run([KB_MATCH, *args], input=stdin, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1", **(env or {})})
    assert done.returncode in (0, 1), f"kb-match {args}: {done.returncode} {done.stderr[-500:]}"
    return done.stdout


def _resolves(url: str) -> bool:
    try:
        with urllib.request.urlopen(url.split("#")[0], timeout=30) as response:
            return response.status == 200
    except OSError:
        return False


def test_every_url_kb_match_prints_resolves_on_the_built_site(served):
    printed: set[str] = set()
    for n, log in enumerate(_logs()):
        for lang in ("zh", "en"):
            for fmt in ("text", "markdown", "json"):
                # half through the flag, half through the environment: both must reach the links
                args, env = (["--site-url", served], None) if n % 2 else ([], {"NSKB_SITE_URL": served})
                out = _kb_match([*args, "--lang", lang, "--format", fmt, "-"], log, env)
                if fmt == "json":
                    json.loads(out)
                printed.update(URL.findall(out))
    index = json.loads((REPO / "src/nskb/data/index.json").read_text(encoding="utf-8"))
    for kind in ("symptoms", "causes", "fixes"):
        for n, entry_id in enumerate(index[kind]):  # each article once, the languages alternating
            lang = ("zh", "en")[n % 2]
            args = ["--site-url", served, "--lang", lang, "--explain", entry_id]
            code, out, err = kb_match_main(args, {"NO_COLOR": "1"})
            assert code == 0, f"kb-match {args}: {code} {err[-500:]}"
            if n % 40 == 0:
                assert _kb_match(args, "") == out, f"kb-match {args} prints otherwise as a process"
            printed.update(URL.findall(out))
    ours = sorted(u for u in printed if u.startswith(served))
    assert len(ours) > 100, f"only {len(ours)} site links printed: the test would prove little"
    broken = [u for u in ours if not _resolves(u)]
    assert not broken, f"{len(broken)} of {len(ours)} links do not resolve: {broken[:10]}"


def test_a_site_url_that_is_not_http_is_refused_with_one_line():
    done = subprocess.run([KB_MATCH], input="x\n", capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NSKB_SITE_URL": "javascript:alert(1)"})
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "NSKB_SITE_URL" in done.stderr and "Traceback" not in done.stderr
