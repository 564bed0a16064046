"""Parse the output of the probe (`scripts/probe.sh`, format nskb-probe/1) into facts.

Pure: text in, facts and warnings out. Nothing here reads files or raises on bad input; every
problem becomes a warning that names its line (`line 7: ...`).

>>> r = parse_probe_output("# nskb-probe/1\\nchroot=yes\\nuserns.create=EPERM\\n")
>>> r.facts
{'chroot': 'yes', 'userns.create': 'EPERM'}
>>> r.warnings
[]
>>> parse_probe_output("chroot=yes\\nchroot=no\\n").warnings  # doctest: +NORMALIZE_WHITESPACE
["line 1: the '# nskb-probe/1' header is missing (paste the whole probe output)",
 "line 2: chroot repeats line 1 with a different value ('no'); kept 'yes'"]
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

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
        """Why `value` is not a value this key can have, or None."""
        if value in self.values:
            return None
        if value.startswith("unknown:"):
            return None if _UNKNOWN_RE.match(value) else "is not unknown:<reason>"
        if self.format.startswith("integer"):
            return None if INTEGER_RE.match(value) else "is not an integer"
        if self.format:
            return None
        return "is not one of " + ", ".join(sorted(self.values))


@dataclass
class ProbeResult:
    facts: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    complete: bool = False  # the output carries the probe's end line (JSON: "complete": true)
    lines: dict[str, int] = field(default_factory=dict, repr=False)  # where each fact was read


def parse_probe_output(text: str, known_keys: Iterable[str] | Mapping[str, FactSpec] | None = None) -> ProbeResult:
    """Facts from probe output: `key=value` text, or the JSON that `kb-probe --format json` prints.

    `known_keys` (for example the keys of kb/facts.yaml) turns keys outside that set into
    warnings, and keys missing from the output into one warning; the facts are kept either way,
    so output from a newer probe still parses. Given as a mapping to FactSpec, it also warns
    about values the catalogue does not allow (`chroot=ye`).
    """
    result = ProbeResult()
    specs: Mapping[str, FactSpec] | None = None
    if isinstance(known_keys, Mapping):
        specs = known_keys
    known = frozenset(known_keys) if known_keys is not None else None
    if not isinstance(text, str):
        result.warnings.append(f"line 1: expected text, got {type(text).__name__}")
        return result
    if text.startswith("\ufeff"):
        text = text[1:]
    if len(text) > MAX_INPUT_CHARS:
        kept = text[:MAX_INPUT_CHARS]
        if "\n" in kept:
            kept = kept[: kept.rindex("\n") + 1]  # drop the line that was cut in half
        result.warnings.append(
            f"line {kept.count(chr(10)) + 1}: the input is larger than {MAX_INPUT_CHARS} "
            "characters; the rest is ignored"
        )
        text = kept
    if "\r" in text:
        first = text[: text.index("\r")].count("\n") + 1
        result.warnings.append(f"line {first}: CRLF line endings; the carriage returns are ignored")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.lstrip().startswith(("{", "[")):
        _parse_json(text, known, result)
    else:
        _parse_lines(text, known, result)
    if specs is not None:
        _check_values(result, specs)
    if known is not None and result.facts:
        missing = [k for k in known if k not in result.facts]
        if missing:
            result.warnings.append(
                f"line {text.count(chr(10)) + 1}: {len(missing)} of {len(known)} facts are missing "
                f"({', '.join(sorted(missing)[:3])}{', ...' if len(missing) > 3 else ''}); "
                "paste the whole probe output")
    result.warnings = [_CONTROL_RE.sub("?", w) for w in result.warnings]
    result.warnings.sort(key=_line_of)  # stable: warnings of one line keep their order
    return result


def _check_values(result: ProbeResult, specs: Mapping[str, FactSpec]) -> None:
    lines = result.lines
    for key, value in result.facts.items():
        spec = specs.get(key)
        why = spec.problem(value) if spec is not None else None
        if why:
            result.warnings.append(f"line {lines.get(key, 1)}: the value of {key} ({_short(value)!r}) {why}; kept")


def _line_of(warning: str) -> int:
    m = re.match(r"line (\d+):", warning)
    return int(m.group(1)) if m else 0


def _add(result: ProbeResult, first_line: dict[str, int], known: frozenset[str] | None,
         line: int, key: str, value: str) -> None:
    """Store one fact after the checks every input form shares."""
    if not KEY_RE.match(key):
        result.warnings.append(f"line {line}: {_short(key)!r} is not a fact key (lower-case words joined by dots)")
        return
    if _CONTROL_RE.search(value):
        value = _CONTROL_RE.sub("?", value)
        result.warnings.append(f"line {line}: control characters, line breaks or lone surrogates in the value "
                               f"of {key} were replaced by '?'")
    if len(value) > MAX_VALUE_CHARS:
        result.warnings.append(
            f"line {line}: the value of {key} is {len(value)} characters long; kept the first {MAX_VALUE_CHARS}"
        )
        value = value[:MAX_VALUE_CHARS]
    if value == "":
        result.warnings.append(f"line {line}: {key} has an empty value; stored as unknown:empty")
        value = "unknown:empty"
    if key in result.facts:
        kept = result.facts[key]
        if kept == value:
            result.warnings.append(f"line {line}: {key} repeats line {first_line[key]}")
        else:
            result.warnings.append(
                f"line {line}: {key} repeats line {first_line[key]} with a different value "
                f"({_short(value)!r}); kept {_short(kept)!r}"
            )
        return
    if known is not None and key not in known:
        result.warnings.append(f"line {line}: unknown key {key} (not in kb/facts.yaml); kept")
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
                    result.warnings.append(
                        f"line {number}: format nskb-probe/{_short(m.group(1))} is not known; read as {FORMAT}"
                    )
                elif first_line:
                    result.warnings.append(f"line {number}: the header comes after the first facts")
            continue  # any other comment
        if "=" not in line:
            result.warnings.append(f"line {number}: not a key=value line: {_short(line)!r}")
            continue
        key, value = line.split("=", 1)
        _add(result, first_line, known, number, key.strip(), value.strip())
        if result.complete:
            result.warnings.append(f"line {number}: a fact after the probe's end line")
    if result.facts and header_line and not result.complete:
        result.warnings.append(f"line {text.count(chr(10)) + 1}: the output ends before the probe's "
                               f"'{TRAILER}' line, so it is partial (cut short, or the probe was stopped)")
    if not header_line:
        result.warnings.append(f"line 1: the '{HEADER}' header is missing (paste the whole probe output)")
    if not result.facts:
        result.warnings.append("line 1: no key=value facts found")


def _parse_json(text: str, known: frozenset[str] | None, result: ProbeResult) -> None:
    duplicates: list[str] = []
    key_lines = _json_key_lines(text)

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        out: dict[str, object] = {}
        for k, v in items:
            if k in out:
                duplicates.append(k)
                if out[k] != v:
                    result.warnings.append(
                        f"line {_json_line(key_lines, k, 1)}: {k} repeats with a different value "
                        f"({_short(str(v))!r}); kept {_short(str(out[k]))!r}"
                    )
                else:
                    result.warnings.append(f"line {_json_line(key_lines, k, 1)}: {k} repeats")
                continue
            out[k] = v
        return out

    try:
        # Numbers stay text: int("9" * 4300) is refused by Python, and a value is a string anyway.
        data = json.loads(text, object_pairs_hook=pairs, parse_int=_JsonNumber, parse_float=_JsonNumber,
                          parse_constant=_JsonNumber)
    except json.JSONDecodeError as e:
        result.warnings.append(f"line {e.lineno}: not valid JSON ({e.msg})")
        return
    except RecursionError:
        result.warnings.append("line 1: the JSON is nested too deeply")
        return
    except ValueError as e:  # anything else json refuses
        result.warnings.append(f"line 1: not valid JSON ({_short(str(e))})")
        return
    if not isinstance(data, dict):
        result.warnings.append("line 1: the JSON is not an object of facts")
        return
    facts = data.get("facts")
    result.complete = data.get("complete", True) is True if isinstance(facts, dict) else False
    if isinstance(facts, dict) and not result.complete:
        result.warnings.append(f"line {_json_line(key_lines, 'complete')}: \"complete\": false; the probe "
                               "did not finish, so the facts are partial")
    if isinstance(facts, dict):
        if data.get("format") != FORMAT:
            result.warnings.append(
                f"line {_json_line(key_lines, 'format')}: format is {_short(str(data.get('format')))!r}, "
                f"not {FORMAT!r}; read as {FORMAT}"
            )
    else:
        facts = data
        result.warnings.append(f"line 1: no \"format\": \"{FORMAT}\" envelope; read the object as facts")
    first_line: dict[str, int] = {}
    for key, value in facts.items():
        line = _json_line(key_lines, key)
        if isinstance(value, (bool, _JsonNumber)):
            result.warnings.append(f"line {line}: the value of {key} is not a string; converted")
            value = str(value).lower() if isinstance(value, bool) else str(value)
        elif value is None:
            value = ""
        elif not isinstance(value, str):
            result.warnings.append(f"line {line}: the value of {key} is a {type(value).__name__}, not a string; skipped")
            continue
        _add(result, first_line, known, line, key, value.strip())
    if not result.facts:
        result.warnings.append("line 1: no facts found")


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
