"""A parser for GitHub Actions workflow commands that follows the runner's own rules.

actions/runner `ActionCommand.TryParseV2`: a line `::name props::message`; `props` is what lies
between the first space and the next `::`, split on `,` into `key=value` pairs (split on the first
`=`); values are unescaped %0D %0A %3A %2C, then %25; the message %0D %0A, then %25. So an
unescaped `,` or `::` inside a value, or a raw newline in the message, changes what the runner reads.
"""
from __future__ import annotations

import re

COMMANDS = ("error", "warning", "notice", "debug", "group", "endgroup", "add-mask")
_LINE = re.compile(r"^::(?P<name>[A-Za-z-]+)(?: (?P<props>.*?))?::(?P<message>.*)$", re.S)


def _unescape_property(value: str) -> str:
    for encoded, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(encoded, raw)
    return value


def _unescape_data(value: str) -> str:
    for encoded, raw in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        value = value.replace(encoded, raw)
    return value


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """(name, properties, message) of one command line; ValueError when the runner would not read it."""
    if "\n" in line or "\r" in line:
        raise ValueError(f"a raw line break in {line!r}")
    found = _LINE.match(line)
    if not found or found.group("name") not in COMMANDS:
        raise ValueError(f"not a workflow command: {line!r}")
    props: dict[str, str] = {}
    if found.group("props"):
        for pair in found.group("props").split(","):
            key, equals, value = pair.partition("=")
            if not equals or not key or key in props:
                raise ValueError(f"malformed property {pair!r} in {line!r}")
            props[key] = _unescape_property(value)
    return found.group("name"), props, _unescape_data(found.group("message"))
