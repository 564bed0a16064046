"""When each KB entry was last reviewed: the date of the last commit that touched its file.

Outside a git checkout (a KB copied elsewhere, a release tarball) the file's modification date
stands in. One `git log` for the whole KB, bounded in time; the renderer prints the date on
every entry page.
"""
from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

GIT_TIMEOUT = 30  # seconds


def _from_git(root: Path) -> dict[str, str]:
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "--format=%x00%cs", "--name-only", "--relative", "--", "."],
                              capture_output=True, text=True, timeout=GIT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if done.returncode != 0:
        return {}
    dates: dict[str, str] = {}
    date = ""
    for line in done.stdout.splitlines():
        if line.startswith("\0"):
            date = line[1:]
        elif line and date:
            dates.setdefault(line, date)   # newest commit first: keep the first date seen
    return dates


def review_dates(root: Path) -> dict[str, str]:
    """{path relative to the KB root: 'YYYY-MM-DD'} for every YAML file under `root`."""
    root = Path(root)
    dates = _from_git(root)
    out = {}
    for path in root.rglob("*.yaml"):
        relative = path.relative_to(root).as_posix()
        if relative in dates:
            out[relative] = dates[relative]
        else:
            out[relative] = datetime.date.fromtimestamp(path.stat().st_mtime).isoformat()
    return out
