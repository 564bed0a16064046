"""What the three commands (kb-match, kb-probe, kb-lint) share: the version line and when to colour.

Kept to os and sys: kb-match imports it on every run.
"""
from __future__ import annotations

import os

from nskb import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import TextIO

COLOR_CHOICES = ("auto", "always", "never")
COLOR_HELP = "auto (default: only on a terminal, and not when NO_COLOR is set), always or never"


def version_line(prog: str) -> str:
    return f"{prog} (nskb) {__version__}\n"


def use_color(choice: str | None, stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    """--color always/never decide; auto colours a terminal unless NO_COLOR is set or TERM is dumb."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        tty = False
    return tty and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"
