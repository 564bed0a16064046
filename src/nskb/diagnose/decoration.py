"""What logging systems put around a program's own line, and taking it off.

A symptom pattern is written for the line as the program printed it (`^bwrap: ...`). In a real
log the same line comes behind a timestamp, a CI or build prefix, a journald or syslog header, a
Kubernetes CRI header, a quote marker, or inside JSON. `variants(line)` gives the line as it is
and then with each known decoration taken off, outermost first, so an anchored pattern still
finds it. Only the matcher's candidate lines go through here; the bulk of a log never does.
"""
from __future__ import annotations

import re2

from nskb.regex import re2_options

# One alternative per decoration family; each is anchored at the start and consumes the prefix.
PREFIXES = (
    r"\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\]?:?\s+",  # ISO time
    r"(?:stdout|stderr) [FP] ",                              # Kubernetes CRI (after its timestamp)
    r"##\[(?:error|warning|notice|debug|group|endgroup|command)\]",  # GitHub Actions
    r"#\d+ \d+(?:\.\d+)? ",                                 # docker build (BuildKit)
    r"\[\s*\d+\.\d+\]\s*",                                   # dmesg
    r"\S{3,}\s+\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d+)? \S+ [^\s:]+(?:\[\d+\])?: ",  # syslog / journald
    r"\d{2}:\d{2}:\d{2}(?:\.\d+)?\s+",                      # a bare clock
    r"(?:>\s?)+",                                            # mail and Markdown quotes
    r"#\s+",                                                # opam's report of a command's output
    r"[-*+]\s+",                                             # list markers
    r"\s+",                                                  # indentation, tabs
    r"(?:E|W|I)\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.]+:\d+\] ",  # glog (Kubernetes components)
    r"\[(?:ERROR|WARN(?:ING)?|INFO|DEBUG|FATAL)\]\s*",      # bracketed levels
    r"\w[\w.-]*\s+\|\s",                                     # docker compose service prefix
    r'\{[^{}]*?"(?:log|msg|message|line|output|text)"\s*:\s*"',  # a JSON log record's text field
)
_PREFIX = re2.compile("^(?:" + "|".join(f"(?:{p})" for p in PREFIXES) + ")", re2_options(1 << 20))
MAX_LAYERS = 6
_TRAILING = " \t.\"'`,;"


def variants(line: str) -> list[str]:
    """The line, then the line without each layer of decoration (at most MAX_LAYERS), then without
    trailing punctuation that quoting adds. Duplicates removed, order kept."""
    found = [line]
    current = line
    for _ in range(MAX_LAYERS):
        match = _PREFIX.search(current)
        if match is None or match.end() == 0:
            break
        current = current[match.end():]
        found.append(current)
    stripped = current.rstrip(_TRAILING)
    if stripped != current:
        found.append(stripped)
    return list(dict.fromkeys(v for v in found if v))
