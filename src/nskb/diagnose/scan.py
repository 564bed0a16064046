"""Search error text for symptoms and features: which line holds what.

Pure: byte chunks in, a `Scan` out; no files are opened and nothing is printed. `normalize` cuts
the input into blocks of whole, cleaned lines; `model` turns a Scan and the probe's facts into a
diagnosis.

Most of a log costs one C-level scan: a single RE2 alternation of every symptom pattern (without
its anchors, case-insensitive) and every feature trigger runs over each block. Only the lines it
hits are decoded and looked at closely: the line and its undecorated variants against the exact
patterns, then the feature extractors. Identical lines are looked at once; a block with many
hits is counted line by line at C speed (split, Counter) before any line is looked at.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import re2

from nskb.regex import re2_options

from .decoration import variants
from .extract import Extractor
from .normalize import Block, LineCutter
from .types import Feature, Hit, LineFact, Scan

MAX_HITS_PER_SYMPTOM = 20       # hit lines kept per symptom (the rest are counted)
DENSE_HITS = 64                 # hits in one block after which the rest of it is counted in bulk
CACHE_LINES = 4096              # distinct candidate lines whose analysis is remembered


class _LineResult:
    """What one distinct candidate line holds."""

    __slots__ = ("symptoms", "features", "facts", "sets", "text")

    def __init__(self, text: str):
        self.text = text
        self.symptoms: list[str] = []
        self.features: list[Feature] = []
        self.facts: list[LineFact] = []
        self.sets: list[LineFact] = []     # facts a matched symptom sets (sets_fact)


class Scanner:
    """Finds symptom and feature lines in streamed input. Build once per index; `feed` per input."""

    def __init__(self, index: dict[str, Any]):
        self.index = index
        self.owner: list[str] = []          # pattern number -> symptom id
        self.patterns: list[str] = []
        forms: list[str] = []
        for sid, symptom in sorted(index["symptoms"].items()):
            if symptom.get("status") == "retired":
                continue
            prefilter = symptom.get("prefilter") or symptom["patterns"]
            for number, pattern in enumerate(symptom["patterns"]):
                self.owner.append(sid)
                self.patterns.append(pattern)
                forms.append(prefilter[number] if number < len(prefilter) else pattern)
        features = index.get("features") or {}
        self.forms = [f"(?i:{f})" for f in forms] + [f"(?:{t})" for t in features.get("triggers", [])]
        self.extractor = Extractor(features, index.get("errno") or {}) if features else None
        self._prefilter: Any = None
        self._exact: Any = None
        self._exact_ci: Any = None
        self._cache: dict[bytes, _LineResult] = {}

    # Compiled lazily: an empty input pays for nothing.
    def prefilter(self) -> Any:
        if self._prefilter is None and self.forms:
            self._prefilter = re2.compile("|".join(self.forms), re2_options(64 << 20))
        return self._prefilter

    def _sets(self) -> tuple[Any, Any]:
        """Every exact pattern in one RE2 set (sensitive and insensitive), to learn which match."""
        if self._exact is None:
            self._exact = re2.Set.SearchSet(re2_options(32 << 20))
            self._exact_ci = re2.Set.SearchSet(re2_options(32 << 20, case_insensitive=True))
            for pattern in self.patterns:
                self._exact.Add(pattern)
                self._exact_ci.Add(pattern)
            self._exact.Compile()
            self._exact_ci.Compile()
        return self._exact, self._exact_ci

    def feed(self, scan: Scan, source: str, chunks: Iterable[bytes]) -> None:
        """Scan one input (an iterable of byte chunks) into `scan`. Raises InputError for binary."""
        scan.sources.append(source)
        cutter = LineCutter(source, scan.warn)
        for chunk in chunks:
            if chunk:
                for block in cutter.add(chunk):
                    self.search(scan, source, block)
                scan.bytes += len(chunk)
        for block in cutter.finish():
            self.search(scan, source, block)
        scan.lines += cutter.lines

    def search(self, scan: Scan, source: str, block: Block) -> None:
        """Record every symptom, feature and fact line of one block."""
        prefilter = self.prefilter()
        if prefilter is None:
            return
        data, end = block.data, len(block.data)
        pos, counted_pos, counted, hits = 0, 0, block.lines_before, 0
        while pos < end:
            found = prefilter.search(data, pos)
            if found is None:
                return
            start = found.start()
            line_start = data.rfind(b"\n", 0, start) + 1
            line_end = data.find(b"\n", start)
            line_end = end if line_end < 0 else line_end
            counted += data.count(b"\n", counted_pos, line_start)
            counted_pos = line_start
            self.record(scan, source, counted + 1, data[line_start:line_end], block.cut, 1)
            pos = line_end + 1
            hits += 1
            if hits >= DENSE_HITS:
                counted += data.count(b"\n", counted_pos, pos)
                self._dense(scan, source, data[pos:], counted, block.cut)
                return

    def _dense(self, scan: Scan, source: str, rest: bytes, lines_before: int, cut: bool) -> None:
        """The rest of a block full of hits (a repeated error): each distinct line once."""
        lines = rest.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        counts = Counter(lines)
        first = dict(zip(reversed(lines), range(len(lines) - 1, -1, -1)))  # line -> first index
        prefilter = self.prefilter()
        for line, count in counts.items():
            if line in self._cache or prefilter.search(line) is not None:
                self.record(scan, source, lines_before + first[line] + 1, line, cut, count)

    def analyse(self, raw: bytes) -> _LineResult:
        """Symptoms, features and facts of one candidate line (remembered per distinct line)."""
        cached = self._cache.get(raw)
        if cached is not None:
            return cached
        text = raw.decode("utf-8", "replace")
        result = _LineResult(text)
        forms = variants(text)
        exact, exact_ci = self._sets()
        matched: set[int] = set()
        for form in forms:
            matched.update(exact.Match(form) or ())
        if not matched and not any(c.islower() for c in text):
            for form in forms:
                matched.update(exact_ci.Match(form) or ())
        seen: set[str] = set()
        for number in sorted(matched):
            sid = self.owner[number]
            if sid in seen:
                continue
            seen.add(sid)
            result.symptoms.append(sid)
            fact = self._fact_set(sid, number, forms)
            if fact is not None:
                result.sets.append(fact)
        if self.extractor is not None:
            is_error = any(self.index["symptoms"][s]["kind"] == "error" for s in result.symptoms)
            body = forms[-1]
            result.features.extend(self.extractor.records_in(text))
            if not is_error and not result.features:
                failure = self.extractor.failure_in(body)
                if failure is not None:
                    result.features.append(failure)
            result.facts.extend(self.extractor.facts_in(forms))
        if len(self._cache) < CACHE_LINES:
            self._cache[raw] = result
        return result

    def _fact_set(self, sid: str, number: int, forms: list[str]) -> LineFact | None:
        sets = self.index["symptoms"][sid].get("sets_fact")
        if not sets or not sets.get("fact"):
            return None
        value = sets.get("value", "")
        if "$1" in value:
            compiled = re2.compile(self.patterns[number], re2_options())
            for form in forms:
                found = compiled.search(form)
                if found is not None and compiled.groups >= 1 and found.group(1) is not None:
                    return LineFact(sets["fact"], value.replace("$1", found.group(1).strip()))
            return None
        return LineFact(sets["fact"], value)

    def record(self, scan: Scan, source: str, number: int, raw: bytes, cut: bool, count: int) -> None:
        result = self.analyse(raw)
        text = result.text
        for sid in result.symptoms:
            hits = scan.symptom_hits.setdefault(sid, [])
            scan.symptom_counts[sid] = scan.symptom_counts.get(sid, 0) + count
            if len(hits) < MAX_HITS_PER_SYMPTOM:
                hits.append(Hit(source, number, text, cut))
        for feature in result.features:
            scan.feature_hits.setdefault(feature, Hit(source, number, text, cut))
        for fact in result.facts + result.sets:
            scan.line_facts.setdefault(fact, Hit(source, number, text, cut))
