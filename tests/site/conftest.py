"""Fixtures for the site tests: the real site and the escaping fixture site, each built once.

Both are built the way `make site` builds (render, then `mkdocs build --strict --quiet`) into a
temporary folder, so the tests never depend on a stale .site-src/ or site/.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from nskb.kb.loader import load_kb
from nskb.site.site_build import build_site

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # so that `from tests.conftest import require` works here
    sys.path.insert(0, str(REPO))
DATA = Path(__file__).resolve().parent / "data"
# Sections that list only their index page get the whole folder (nskb.site.site_nav).
FIXTURE_NAV = ["index.md", "diagnose.md", {"S": ["symptoms/index.md"]}, {"C": ["causes/index.md"]}, {"F": ["fixes/index.md"]},
               {"T": ["tools/index.md"]}, "facts.md", "glossary.md"]


@pytest.fixture(scope="session")
def real_kb_dir(tmp_path_factory) -> Path:
    """A snapshot of kb/, so the site and the KB the tests compare it with are the same."""
    snapshot = tmp_path_factory.mktemp("kb") / "kb"
    shutil.copytree(REPO / "kb", snapshot)
    return snapshot


@pytest.fixture(scope="session")
def real_kb(real_kb_dir):
    kb, _ = load_kb(real_kb_dir)
    return kb


@pytest.fixture(scope="session")
def real_site(tmp_path_factory, real_kb_dir) -> Path:
    return build_site(tmp_path_factory.mktemp("real"), kb=real_kb_dir).site


@pytest.fixture(scope="session")
def fixture_kb():
    kb, _ = load_kb(DATA / "kb")
    return kb


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    built = build_site(tmp_path_factory.mktemp("fixture"), kb=DATA / "kb", docs=DATA / "docs", nav=FIXTURE_NAV)
    return built.site


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, through Playwright (no browser download)."""
    from tests.conftest import require
    from tests.site.browsing import ARGS, CHROMIUM
    require(os.path.exists(CHROMIUM), f"{CHROMIUM} is missing (Debian package chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()
