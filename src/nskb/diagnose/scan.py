"""Search error text for the KB's symptoms: which symptom matched which line, and what it set.

Pure: byte chunks in, a `Scan` out; no files are opened and nothing is printed. `normalize` cuts
the input into blocks of whole lines; `rank` turns a Scan and the probe's facts into ranked causes.

Most lines cost one C-level scan: a single RE2 alternation of every symptom pattern runs over each
block, and only the lines it hits are decoded and checked against the individual patterns whose
literal they hold.
"""
from __future__ import annotations

import re2

from nskb.diagnose import normalize
from nskb.diagnose.normalize import Block, LineCutter

SMALL_BLOCK = 64 * 1024         # blocks up to this size are screened line by line, not prefiltered
MAX_HITS_PER_SYMPTOM = 20       # hit lines kept per symptom (the rest are counted)
MAX_WARNINGS_PER_KIND = 20


def re2_options(max_mem: int = 64 << 20):
    options = re2.Options()
    options.log_errors = False
    options.max_mem = max_mem  # room for the lazily built DFA of the combined pattern
    return options


class Scan:
    """What the inputs contained: symptom hits, facts set by pasted lines, counts and warnings."""

    def __init__(self):
        self.hits: dict[str, list[dict]] = {}       # symptom id -> first hits
        self.hit_counts: dict[str, int] = {}
        self.order: list[str] = []                  # symptom ids in order of first hit
        self.line_facts: list[dict] = []            # {"key","value","file","line","symptom"}
        self.warnings: list[dict] = []
        self._warning_counts: dict[str, int] = {}
        self.bytes = 0
        self.lines = 0
        self.sources: list[str] = []

    def warn(self, code: str, **params) -> None:
        count = self._warning_counts.get(code, 0) + 1
        self._warning_counts[code] = count
        if count <= MAX_WARNINGS_PER_KIND:
            self.warnings.append({"code": code, **params})
        elif count == MAX_WARNINGS_PER_KIND + 1:
            self.warnings.append({"code": "more-warnings", "of": code})


class Scanner:
    """Finds symptom lines in streamed input. Build once per index; `feed` once per input.

    Two stages. A prefilter finds the lines worth a closer look: for a big block, one RE2
    alternation of every pattern scans the whole block at C speed; for a small block, where
    compiling that alternation would cost more than the scan, each line is screened for the literal
    text every match of a pattern must contain. Then each candidate line is checked against the
    exact patterns whose literal it holds, compiled one by one on first use.
    """

    def __init__(self, index: dict):
        self.index = index
        self.pattern_owner: list[str] = []       # pattern number -> symptom id
        patterns: list[str] = []
        forms: list[str] = []
        literals: list[bytes] = []
        self.multiline = False
        for sid, symptom in sorted(index["symptoms"].items()):
            if symptom.get("status") == "retired":
                continue
            prefilter = symptom.get("prefilter") or symptom["patterns"]
            found = symptom.get("literals") or []
            self.multiline |= bool(symptom.get("prefilter_multiline", "prefilter" not in symptom))
            for number, pattern in enumerate(symptom["patterns"]):
                self.pattern_owner.append(sid)
                patterns.append(pattern)
                forms.append(prefilter[number] if number < len(prefilter) else pattern)
                literals.append(found[number].encode() if number < len(found) else b"")
        self.patterns = patterns
        self.forms = forms
        self.with_literal = [(n, lit) for n, lit in enumerate(literals) if lit]
        self.without_literal = [n for n, lit in enumerate(literals) if not lit]
        self._prefilter = None
        self._single: dict[int, object] = {}

    # Compiled lazily: a small input never pays for the alternation, a clean one for no pattern.
    def prefilter(self):
        if self._prefilter is None and self.patterns:
            flags = "(?m)" if self.multiline else ""
            self._prefilter = re2.compile(flags + "|".join(f"(?:{p})" for p in self.forms), re2_options())
        return self._prefilter

    def one(self, number: int):
        if number not in self._single:
            self._single[number] = re2.compile(self.patterns[number], re2_options(8 << 20))
        return self._single[number]

    def candidates(self, line: bytes, text: str | None = None) -> list[int]:
        """Numbers of the patterns that may match `line` (their literal is in it, or they have none)."""
        found = [n for n, literal in self.with_literal if literal in line]
        if self.without_literal:
            if text is None:
                text = line.decode("utf-8", "replace")
            found += [n for n in self.without_literal if self.one(n).search(text) is not None]
        return found

    def feed(self, scan: Scan, source: str, chunks) -> None:
        """Scan one input (an iterable of byte chunks) into `scan`. Raises InputError for binary."""
        scan.sources.append(source)
        cutter = LineCutter(source, scan.warn)
        for chunk in chunks:
            if chunk:
                for block in cutter.add(chunk):
                    self.search(scan, cutter, block)
                scan.bytes += len(chunk)
        for block in cutter.finish():
            self.search(scan, cutter, block)
        scan.lines += cutter.lines

    def search(self, scan: Scan, cutter: LineCutter, block: Block) -> None:
        """Record every symptom line of one block."""
        data, end = block.data, len(block.data)
        if end <= min(SMALL_BLOCK, normalize.LINE_CAP) and self._prefilter is None:
            self._search_small(scan, cutter, block)
            return
        prefilter = self.prefilter()
        pos, counted_pos, counted = 0, 0, block.lines_before
        while prefilter is not None and pos < end:
            found = prefilter.search(data, pos)
            if found is None:
                break
            start = found.start()
            line_start = data.rfind(b"\n", 0, start) + 1
            line_end = data.find(b"\n", start)
            if line_end < 0:
                line_end = end
            counted += data.count(b"\n", counted_pos, line_start)
            counted_pos = line_start
            cut = block.cut
            for ls, le in block.long_lines:
                if ls == line_start:
                    cut = True
                    line_end = min(le, ls + normalize.LINE_CAP)
                    break
            if start < line_end:
                line = data[line_start:line_end]
                if not cutter.invalid_utf8 and not line.isascii():
                    cutter.check_utf8(line, counted)
                self.match_line(scan, cutter.source, counted + 1, line, cut)
            pos = data.find(b"\n", start)
            pos = end if pos < 0 else pos + 1

    def _search_small(self, scan: Scan, cutter: LineCutter, block: Block) -> None:
        """A block too small to pay for the prefilter: screen each line for the patterns' literals."""
        lines = block.data.split(b"\n")
        lines.pop()  # the block ends with a newline
        base = block.lines_before
        for offset, line in enumerate(lines):
            if self.candidates(line):
                if not cutter.invalid_utf8 and not line.isascii():
                    cutter.check_utf8(line, base + offset)
                self.match_line(scan, cutter.source, base + offset + 1, line, block.cut)

    def match_line(self, scan: Scan, source: str, number: int, raw: bytes, cut: bool) -> None:
        """Check one candidate line against the exact patterns and record what it matches."""
        text = raw.decode("utf-8", "replace").rstrip("\n")
        seen = set()
        for pattern in sorted(self.candidates(raw, text)):
            sid = self.pattern_owner[pattern]
            if sid in seen:
                continue
            found = self.one(pattern).search(text)
            if found is None:
                continue
            seen.add(sid)
            if sid not in scan.hits:
                scan.hits[sid] = []
                scan.hit_counts[sid] = 0
                scan.order.append(sid)
            scan.hit_counts[sid] += 1
            if len(scan.hits[sid]) < MAX_HITS_PER_SYMPTOM:
                scan.hits[sid].append({"file": source, "line": number, "text": text, "cut": cut})
            sets = self.index["symptoms"][sid].get("sets_fact")
            if sets and sets.get("fact"):
                value = sets.get("value", "")
                if "$1" in value:
                    group = found.group(1) if found.re.groups >= 1 else None
                    if group is None:
                        continue
                    value = value.replace("$1", group.strip())
                scan.line_facts.append({"key": sets["fact"], "value": value, "file": source,
                                        "line": number, "symptom": sid})
