"""Shared test helpers.

In CI (CI=true) a test may not be skipped for a missing tool or privilege: a skip there would hide
a missing install step, so `require` fails the test instead.
"""
import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_sessionstart(session):
    # The package's index is current before any test reads it with nskb.index.store.load_index
    # (which only reads): a fresh clone has none, an edited kb/ a stale one.
    from nskb.index.build import current_index

    current_index()


def require(condition: bool, why: str) -> None:
    """Skip locally, fail in CI, when a precondition (a tool, root) is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {why}")
    pytest.skip(why)


def require_tool(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} is not installed (make deb-deps installs it)")
    return path


def require_root() -> None:
    require(os.geteuid() == 0, "needs root to create the failing condition")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Whatever skipped a test (skip marker, importorskip, require), in CI it counts as a failure.
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which is a failure: {report.longrepr}"
