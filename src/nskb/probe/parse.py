"""Parse the output of the probe (`scripts/probe.sh`, format nskb-probe/1) into facts.

Pure: text in, facts and warnings out. Nothing here reads files or raises on bad input; every
problem becomes a ProbeWarning: a stable code, the line it is about and the values it names. Callers
decide by the code (kb-match ends on `repeat-conflict`); `str(warning)` is its English text
(`line 7: ...`), which kb-probe prints.

>>> r = parse_probe_output("# nskb-probe/1\\nchroot=yes\\nuserns.create=EPERM\\n")
>>> r.facts
{'chroot': 'yes', 'userns.create': 'EPERM'}
>>> r.warnings
[]
>>> [(w.code, w.line) for w in parse_probe_output("chroot=yes\\nchroot=no\\n").warnings]
[('no-header', 1), ('repeat-conflict', 2)]
>>> [str(w) for w in parse_probe_output("chroot=yes\\nchroot=no\\n").warnings]  # doctest: +NORMALIZE_WHITESPACE
["line 1: the '# nskb-probe/1' header is missing (paste the whole probe output)",
 "line 2: chroot repeats line 1 with a different value ('no'); kept 'yes'"]
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from nskb.words import label

FORMAT = "nskb-probe/1"
HEADER = "# " + FORMAT
MAX_INPUT_CHARS = 1 << 20  # 1 MiB of text is far more than any probe output
MAX_INPUT_BYTES = 4 << 20  # kb-match and kb-probe read no more of a probe file: larger is not probe output
MAX_VALUE_CHARS = 1024

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")  # kb/schema/defs.schema.json fact_key
_HEADER_RE = re.compile(r"^#\s*nskb-probe/(\S+)\s*$")
_FENCE_RE = re.compile(r"^(```|~~~)")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# The words of each warning code are in nskb.words (`probe-<code>`, both languages). The codes are
# stable: callers and kb-match's JSON use them, never the text.
# Notes on how the text was read (its header or envelope): they never explain why no fact was found.
FORMAT_NOTES = frozenset({"no-header", "late-header", "unknown-version", "json-other-format", "json-no-envelope"})
# Two runs pasted together: the facts cannot be trusted.
CONFLICTS = frozenset({"repeat-conflict", "json-repeat-conflict"})


@dataclass(frozen=True)
class ProbeWarning:
    """One problem in probe output: a stable `code`, its line, and its values (words: nskb.words `probe-<code>`)."""

    code: str
    line: int
    params: dict[str, str | int] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        """The text without the line: `chroot repeats line 2` / `chroot 与第 2 行重复`."""
        return label("probe-" + self.code, lang).format(format=FORMAT, header=HEADER, **self.params)

    def __str__(self) -> str:
        return f"line {self.line}: {self.message()}"

    def as_dict(self) -> dict[str, str | int]:
        """For JSON: the code, the line and the values, no words."""
        return {"code": self.code, "line": self.line, **self.params}


@dataclass
class ProbeResult:
    facts: dict[str, str] = field(default_factory=dict)
    warnings: list[ProbeWarning] = field(default_factory=list)

    def warn(self, code: str, line: int, **params: str | int) -> None:
        self.warnings.append(ProbeWarning(code, line, params))


def parse_probe_output(text: str, known_keys: Iterable[str] | None = None) -> ProbeResult:
    """Facts from probe output: `key=value` text, or the JSON that `kb-probe --format json` prints.

    `known_keys` (for example the keys of kb/facts.yaml) turns keys outside that set into
    warnings; the facts are kept either way, so output from a newer probe still parses.
    """
    result = ProbeResult()
    known = frozenset(known_keys) if known_keys is not None else None
    if not isinstance(text, str):
        result.warn("not-text", 1, type=type(text).__name__)
        return result
    if text.startswith("\ufeff"):
        text = text[1:]
    if len(text) > MAX_INPUT_CHARS:
        kept = text[:MAX_INPUT_CHARS]
        if "\n" in kept:
            kept = kept[: kept.rindex("\n") + 1]  # drop the line that was cut in half
        result.warn("too-large", kept.count("\n") + 1, limit=MAX_INPUT_CHARS)
        text = kept
    if "\r" in text:
        first = text[: text.index("\r")].count("\n") + 1
        result.warn("crlf", first)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.lstrip().startswith(("{", "[")):
        _parse_json(text, known, result)
    else:
        _parse_lines(text, known, result)
    result.warnings.sort(key=lambda w: w.line)  # stable: warnings of one line keep their order
    return result


def _add(result: ProbeResult, first_line: dict[str, int], known: frozenset[str] | None,
         line: int, key: str, value: str) -> None:
    """Store one fact after the checks every input form shares."""
    if not KEY_RE.match(key):
        result.warn("bad-key", line, key=_short(key))
        return
    if _CONTROL_RE.search(value):
        value = _CONTROL_RE.sub("?", value)
        result.warn("control-characters", line, key=key)
    if len(value) > MAX_VALUE_CHARS:
        result.warn("long-value", line, key=key, length=len(value), kept=MAX_VALUE_CHARS)
        value = value[:MAX_VALUE_CHARS]
    if value == "":
        result.warn("empty-value", line, key=key)
        value = "unknown:empty"
    if key in result.facts:
        kept = result.facts[key]
        if kept == value:
            result.warn("repeat", line, key=key, first=first_line[key])
        else:
            result.warn("repeat-conflict", line, key=key, first=first_line[key], value=_short(value), kept=_short(kept))
        return
    if known is not None and key not in known:
        result.warn("unknown-key", line, key=key)
    result.facts[key] = value
    first_line[key] = line


def _parse_lines(text: str, known: frozenset[str] | None, result: ProbeResult) -> None:
    first_line: dict[str, int] = {}
    header_line = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or _FENCE_RE.match(line):
            continue  # blank lines, and the fence of a pasted markdown block
        if line.startswith("#"):
            m = _HEADER_RE.match(line)
            if m and not header_line:
                header_line = number
                if m.group(1) != "1":
                    result.warn("unknown-version", number, version=_short(m.group(1)))
                elif first_line:
                    result.warn("late-header", number)
            continue  # any other comment
        if "=" not in line:
            result.warn("not-key-value", number, text=_short(line))
            continue
        key, value = line.split("=", 1)
        _add(result, first_line, known, number, key.strip(), value.strip())
    if not header_line:
        result.warn("no-header", 1)
    if not result.facts:
        result.warn("no-facts", 1)


def _parse_json(text: str, known: frozenset[str] | None, result: ProbeResult) -> None:
    duplicates: list[str] = []
    key_lines = _json_key_lines(text)

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        out: dict[str, object] = {}
        for k, v in items:
            if k in out:
                duplicates.append(k)
                if out[k] != v:
                    result.warn("json-repeat-conflict", _json_line(key_lines, k, 1), key=k, value=_short(str(v)),
                                kept=_short(str(out[k])))
                else:
                    result.warn("json-repeat", _json_line(key_lines, k, 1), key=k)
                continue
            out[k] = v
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as e:
        result.warn("json-invalid", e.lineno, reason=e.msg)
        return
    except RecursionError:
        result.warn("json-too-deep", 1)
        return
    if not isinstance(data, dict):
        result.warn("json-not-object", 1)
        return
    facts = data.get("facts")
    if isinstance(facts, dict):
        if data.get("format") != FORMAT:
            result.warn("json-other-format", _json_line(key_lines, "format"), found=_short(str(data.get("format"))))
    else:
        facts = data
        result.warn("json-no-envelope", 1)
    first_line: dict[str, int] = {}
    for key, value in facts.items():
        line = _json_line(key_lines, key)
        if isinstance(value, (bool, int, float)):
            result.warn("json-not-string", line, key=key)
            value = str(value).lower() if isinstance(value, bool) else str(value)
        elif value is None:
            value = ""
        elif not isinstance(value, str):
            result.warn("json-wrong-type", line, key=key, type=type(value).__name__)
            continue
        _add(result, first_line, known, line, key, value.strip())
    if not result.facts:
        result.warn("json-no-facts", 1)


_JSON_STRING = re.compile(r'("(?:[^"\\]|\\.)*")(\s*:)?')


def _json_key_lines(text: str) -> dict[str, list[int]]:
    """The lines of every `"key":` in a JSON text, in order: one pass (a search per key was
    quadratic, half a minute for a 1 MiB object)."""
    lines: dict[str, list[int]] = {}
    line, counted = 1, 0
    for m in _JSON_STRING.finditer(text):  # strings left to right: a quote never starts mid-string
        if m.group(2) is None:
            continue
        line += text.count("\n", counted, m.start())
        counted = m.start()
        try:
            key = json.loads(m.group(1))
        except ValueError:
            continue
        lines.setdefault(key, []).append(line)
    return lines


def _json_line(key_lines: dict[str, list[int]], key: str, nth: int = 0) -> int:
    """Line number of the nth occurrence of `"key":` (1 if not found)."""
    found = key_lines.get(key, [])
    return found[nth] if nth < len(found) else 1


def _short(s: str, limit: int = 60) -> str:
    return s if len(s) <= limit else s[: limit - 3] + "..."
