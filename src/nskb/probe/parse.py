"""Parse the output of the probe (`scripts/probe.sh`, format nskb-probe/1) into facts.

Pure: text in, facts and warnings out. Nothing here reads files or raises on bad input; every
problem becomes a ProbeWarning: a stable code, the line it is about and the values it names. Callers
decide by the code (kb-match ends on `repeat-conflict`); `str(warning)` is its English text
(`line 7: ...`), which kb-probe prints.

>>> r = parse_probe_output("# nskb-probe/1\\nchroot=yes\\nuserns.create=EPERM\\n# nskb-probe/1 end\\n")
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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from nskb.words import label

FORMAT = "nskb-probe/1"
HEADER = "# " + FORMAT
TRAILER = HEADER + " end"  # the probe's last line: without it the output was cut short
MAX_INPUT_CHARS = 1 << 20  # 1 MiB of text is far more than any probe output
MAX_INPUT_BYTES = 4 << 20  # kb-match and kb-probe read no more of a probe file: larger is not probe output
MAX_VALUE_CHARS = 1024

# \Z, not $: `$` also matches before a final newline, which let "chroot\n" through as a key.
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\Z")  # kb/schema/defs.schema.json fact_key
_HEADER_RE = re.compile(r"^#\s*nskb-probe/(\S+)\s*$")
_TRAILER_RE = re.compile(r"^#\s*nskb-probe/\S+\s+end\s*$")
_FENCE_RE = re.compile(r"^(```|~~~)")
# Everything that could end a line for some reader (\n, \r, NEL, U+2028/9) or drive a terminal,
# and lone surrogates (from JSON "\ud800"), which no UTF-8 writer accepts.
_CONTROL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_UNKNOWN_RE = re.compile(r"^unknown:[A-Za-z0-9_.:-]+\Z")
INTEGER_RE = re.compile(r"^[0-9]{1,20}\Z")


@dataclass(frozen=True)
class FactSpec:
    """What kb/facts.yaml allows for one key: listed values, and a free format (or none)."""

    values: frozenset[str] = frozenset()
    format: str = ""

    def problem(self, value: str) -> str | None:
        """Why `value` is not a value this key can have (`unknown`: not unknown:<reason>;
        `integer`: not an integer; `listed`: not a listed value), or None."""
        if value in self.values:
            return None
        if value.startswith("unknown:"):
            return None if _UNKNOWN_RE.match(value) else "unknown"
        if self.format.startswith("integer"):
            return None if INTEGER_RE.match(value) else "integer"
        if self.format:
            return None
        return "listed"


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
    complete: bool = False  # the output carries the probe's end line (JSON: "complete": true)
    lines: dict[str, int] = field(default_factory=dict, repr=False)  # where each fact was read

    def warn(self, code: str, line: int, **params: str | int) -> None:
        # A value shown in a warning never carries a line break or a terminal control.
        clean = {k: _CONTROL_RE.sub("?", v) if isinstance(v, str) else v for k, v in params.items()}
        self.warnings.append(ProbeWarning(code, line, clean))


def parse_probe_output(text: str, known_keys: Iterable[str] | Mapping[str, FactSpec] | None = None) -> ProbeResult:
    """Facts from probe output: `key=value` text, or the JSON that `kb-probe --format json` prints.

    `known_keys` (for example the keys of kb/facts.yaml) turns keys outside that set into
    warnings, and keys missing from the output into one warning; the facts are kept either way,
    so output from a newer probe still parses. Given as a mapping to FactSpec, it also warns
    about values the catalogue does not allow (`chroot=ye`).
    """
    result = ProbeResult()
    specs: Mapping[str, FactSpec] | None = known_keys if isinstance(known_keys, Mapping) else None
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
    if specs is not None:
        _check_values(result, specs)
    if known is not None and result.facts:
        missing = sorted(k for k in known if k not in result.facts)
        if missing:
            result.warn("missing-facts", text.count("\n") + 1, missing=len(missing), total=len(known),
                        keys=", ".join(missing[:3]) + (", ..." if len(missing) > 3 else ""))
    result.warnings.sort(key=lambda w: w.line)  # stable: warnings of one line keep their order
    return result


def _check_values(result: ProbeResult, specs: Mapping[str, FactSpec]) -> None:
    for key, value in result.facts.items():
        spec = specs.get(key)
        why = spec.problem(value) if spec is not None else None
        if why:
            result.warn("bad-value-" + why, result.lines.get(key, 1), key=key, value=_short(value),
                        values=", ".join(sorted(spec.values)) if spec is not None else "")


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
    result.lines[key] = line


def _parse_lines(text: str, known: frozenset[str] | None, result: ProbeResult) -> None:
    first_line: dict[str, int] = {}
    header_line = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or _FENCE_RE.match(line):
            continue  # blank lines, and the fence of a pasted markdown block
        if line.startswith("#"):
            if _TRAILER_RE.match(line):
                result.complete = True
                continue
            if result.complete:
                result.complete = False  # a second run pasted after the first: judged by its own end
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
        if result.complete:
            result.warn("after-end", number)
    if result.facts and header_line and not result.complete:
        result.warn("partial", text.count("\n") + 1, trailer=TRAILER)
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
        # Numbers stay text: int("9" * 4300) is refused by Python, and a value is a string anyway.
        data = json.loads(text, object_pairs_hook=pairs, parse_int=_JsonNumber, parse_float=_JsonNumber,
                          parse_constant=_JsonNumber)
    except json.JSONDecodeError as e:
        result.warn("json-invalid", e.lineno, reason=e.msg)
        return
    except RecursionError:
        result.warn("json-too-deep", 1)
        return
    except ValueError as e:  # anything else json refuses
        result.warn("json-invalid", 1, reason=_short(str(e)))
        return
    if not isinstance(data, dict):
        result.warn("json-not-object", 1)
        return
    facts = data.get("facts")
    result.complete = data.get("complete", True) is True if isinstance(facts, dict) else False
    if isinstance(facts, dict) and not result.complete:
        result.warn("json-incomplete", _json_line(key_lines, "complete"))
    if isinstance(facts, dict):
        if data.get("format") != FORMAT:
            result.warn("json-other-format", _json_line(key_lines, "format"), found=_short(str(data.get("format"))))
    else:
        facts = data
        result.warn("json-no-envelope", 1)
    first_line: dict[str, int] = {}
    for key, value in facts.items():
        line = _json_line(key_lines, key)
        if isinstance(value, (bool, _JsonNumber)):
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


class _JsonNumber(str):
    """A JSON number kept as its source text."""


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
