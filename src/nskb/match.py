"""From error text and probe facts to ranked causes with their evidence.

Pure: bytes and dicts in, dicts out; no files are opened and nothing is printed (the CLI does
that). Words come later: results carry IDs, line numbers and fact keys, and `explain` turns them
into sentences in the reader's language.

Scanning streams: input arrives as byte chunks and memory stays bounded by the chunk size plus
one line cap, whatever the input size. Most lines cost one C-level scan: a single RE2 alternation
of every symptom pattern runs over each chunk, and only the lines it hits are decoded and checked
against the individual patterns (one RE2::Set call per hit line).
"""
from __future__ import annotations

import re

import re2

CHUNK_SIZE = 1 << 20            # bytes read at a time
LINE_CAP = 64 * 1024            # longer lines are cut here; the cut is reported
BINARY_SAMPLE = 64 * 1024       # the start of each input checked for binary content
BINARY_CONTROL_RATIO = 0.10     # share of control bytes above which an input is binary
SMALL_BLOCK = 64 * 1024         # blocks up to this size are screened line by line, not prefiltered
MAX_HITS_PER_SYMPTOM = 20       # hit lines kept per symptom (the rest are counted)
MAX_WARNINGS_PER_KIND = 20

# Score constants (see `rank_causes`).
CLUE_WEIGHT = 0.5       # a clue adds half the share an error line would
CONFIRM_BONUS = 1.0     # a probe or pasted fact that confirms the cause
FACT_ONLY_WEIGHT = 0.5  # a cause only facts point to, while error lines point elsewhere
OTHER_TOOL_FACTOR = 0.4 # ... and it is not about the tool that printed those lines (up to 1 if broad)
NARROW = 0.25          # ... and is dropped when fewer than this share of the broadest cause's messages list it
SPECIFICITY_BONUS = 0.05  # per extra test in the confirming condition (chroot=yes < uid=0 && no CAP)
LOWER_FACTOR = 0.5      # each clue that makes a cause less likely halves it
CLOSE_RATIO = 0.4       # a runner-up is "close" at this fraction of the leader's points

# ANSI escapes (CSI, OSC, two-byte); compiled on first use, through re.sub's cache.
_ANSI = rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]"
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x08\x1b") + b"\x7f"


class InputError(Exception):
    """An input that cannot be read as a log; `where` names it, `hint` says what to do."""

    def __init__(self, where: str, code: str, message: str, hint: str = ""):
        super().__init__(f"{where}: {message}")
        self.where, self.code, self.message, self.hint = where, code, message, hint


def _options(max_mem: int = 64 << 20):
    options = re2.Options()
    options.log_errors = False
    options.max_mem = max_mem  # room for the lazily built DFA of the combined pattern
    return options


def harmonic_shares(n: int) -> list[float]:
    """How a symptom spreads one unit of belief over its n causes, most likely first.

    Weights 1, 1/2, 1/3, ... normalized: one cause gets 1.0, the first of four gets 0.48 and the
    first of six 0.41. A specific symptom therefore outweighs a vague one, and the listed order
    acts as a prior.
    """
    weights = [1.0 / (i + 1) for i in range(n)]
    total = sum(weights) or 1.0
    return [w / total for w in weights]


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
    alternation of every pattern (anchors relaxed) scans the whole block at C speed; for a small
    block, where compiling that alternation would cost more than the scan, each line is screened
    for the literal text every match of a pattern must contain. Then each candidate line is checked
    against the exact patterns whose literal it holds, compiled one by one on first use.
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
            self._prefilter = re2.compile(flags + "|".join(f"(?:{p})" for p in self.forms), _options())
        return self._prefilter

    def one(self, number: int):
        if number not in self._single:
            self._single[number] = re2.compile(self.patterns[number], _options(8 << 20))
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
        state = _Source(self, scan, source)
        for chunk in chunks:
            if chunk:
                state.add(chunk)
        state.finish()

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


class _Source:
    """Streaming state for one input: carried partial line, line count, overlong-line skipping."""

    def __init__(self, scanner: Scanner, scan: Scan, source: str):
        self.scanner, self.scan, self.source = scanner, scan, source
        self.carry = b""
        self.base = 0              # complete lines before the current block
        self.first = True
        self.skipping = False      # inside an overlong line whose head was already searched
        self.skip_len = 0
        self.invalid_utf8 = False
        self.nul = 0

    def add(self, chunk: bytes) -> None:
        scan = self.scan
        if self.first:
            self.first = False
            _check_binary(self.source, chunk[:BINARY_SAMPLE])
        scan.bytes += len(chunk)
        if self.skipping:
            newline = chunk.find(b"\n")
            if newline < 0:
                self.skip_len += len(chunk)
                return
            self.skip_len += newline
            self._end_overlong()
            chunk = chunk[newline + 1:]
        buf = self.carry + chunk if self.carry else chunk
        last = buf.rfind(b"\n")
        if last < 0:
            if len(buf) > LINE_CAP:
                self._start_overlong(buf)
            else:
                self.carry = buf
            return
        tail = buf[last + 1:]
        self._block(buf[:last + 1] if tail else buf)
        if len(tail) > LINE_CAP:
            self._start_overlong(tail)
        else:
            self.carry = tail

    def finish(self) -> None:
        if self.skipping:
            self._end_overlong()
        elif self.carry:
            self._block(self.carry + b"\n")
            self.carry = b""
        if self.nul:
            self.scan.warn("nul-bytes", file=self.source, count=self.nul)
        self.scan.lines += self.base

    def _start_overlong(self, buf: bytes) -> None:
        self.carry = b""
        self._block(buf[:LINE_CAP] + b"\n", overlong=True)
        self.base -= 1             # the line is not over yet; _end_overlong counts it
        self.skipping = True
        self.skip_len = len(buf)

    def _end_overlong(self) -> None:
        self.skipping = False
        self.base += 1
        self.scan.warn("long-line", file=self.source, line=self.base, length=self.skip_len, cap=LINE_CAP)

    def _normalize(self, block: bytes) -> bytes:
        if b"\x1b" in block:
            block = re.sub(_ANSI, b"", block)
        if b"\r" in block:
            block = block.replace(b"\r", b"")
        if b"\x00" in block:
            self.nul += block.count(b"\x00")
            block = block.replace(b"\x00", b"")
        return block

    def _small_block(self, block: bytes, overlong: bool) -> None:
        """A block too small to pay for the prefilter: screen each line for the patterns' literals."""
        scanner = self.scanner
        lines = block.split(b"\n")
        lines.pop()  # the block ends with a newline
        for offset, line in enumerate(lines):
            if scanner.candidates(line):
                if not self.invalid_utf8 and not line.isascii():
                    self._check_utf8(line, self.base + offset)
                scanner.match_line(self.scan, self.source, self.base + offset + 1, line, overlong)
        self.base += len(lines)

    def _check_utf8(self, data: bytes, lines_before: int) -> None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.reason == "unexpected end of data" and error.end == len(data) and not data.endswith(b"\n"):
                return  # a character cut by the sample's end, not an invalid one
            self.invalid_utf8 = True
            self.scan.warn("invalid-utf8", file=self.source, line=lines_before + data.count(b"\n", 0, error.start) + 1)

    def _block(self, block: bytes, overlong: bool = False) -> None:
        """Search a run of complete lines (ending in a newline)."""
        block = self._normalize(block)
        # Invalid UTF-8 changes only the text shown for a matched line (patterns match bytes), so the
        # whole start of the input and every matched line are checked; the rest is not decoded.
        if not self.invalid_utf8 and self.base == 0 and not block.isascii():
            self._check_utf8(block[:BINARY_SAMPLE * 16], 0)
        end = len(block)
        if end <= min(SMALL_BLOCK, LINE_CAP) and self.scanner._prefilter is None:
            self._small_block(block, overlong)
            return
        long_lines = [] if overlong else _long_lines(block, end)
        prefilter = self.scanner.prefilter()
        pos, counted_pos, counted = 0, 0, self.base
        while prefilter is not None and pos < end:
            found = prefilter.search(block, pos)
            if found is None:
                break
            start = found.start()
            line_start = block.rfind(b"\n", 0, start) + 1
            line_end = block.find(b"\n", start)
            if line_end < 0:
                line_end = end
            counted += block.count(b"\n", counted_pos, line_start)
            counted_pos = line_start
            cut = overlong
            for ls, le in long_lines:
                if ls == line_start:
                    cut = True
                    line_end = min(le, ls + LINE_CAP)
                    break
            if start < line_end:
                line = block[line_start:line_end]
                if not self.invalid_utf8 and not line.isascii():
                    self._check_utf8(line, counted)
                self.scanner.match_line(self.scan, self.source, counted + 1, line, cut)
            pos = block.find(b"\n", start)
            pos = end if pos < 0 else pos + 1
        lines = block.count(b"\n")
        for ls, le in long_lines:
            number = self.base + block.count(b"\n", 0, ls) + 1
            self.scan.warn("long-line", file=self.source, line=number, length=le - ls, cap=LINE_CAP)
        self.base += lines


def _long_lines(block: bytes, end: int) -> list[tuple[int, int]]:
    """(start, end) of every line longer than LINE_CAP, found with a few C-level scans per chunk.

    A line of 2W bytes or more contains a whole window of W bytes, so newline-free windows of
    W = LINE_CAP/2 find every overlong line; windows that hold a newline cost one short find.
    """
    found, width, i = [], LINE_CAP // 2, 0
    while i + width <= end:
        if block.find(b"\n", i, i + width) >= 0:
            i += width
            continue
        start = block.rfind(b"\n", 0, i) + 1
        stop = block.find(b"\n", i, end)
        stop = end if stop < 0 else stop
        if stop - start > LINE_CAP:
            found.append((start, stop))
        i = stop + 1
    return found


def _check_binary(source: str, sample: bytes) -> None:
    if not sample:
        return
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(source, "utf16", "the input is UTF-16 text, not UTF-8",
                         "convert it first: iconv -f UTF-16 -t UTF-8 FILE | kb-match")
    control = len(sample) - len(sample.translate(None, _CONTROL))
    if control / len(sample) > BINARY_CONTROL_RATIO:
        percent = round(100 * control / len(sample))
        raise InputError(source, "binary", f"this is a binary file ({percent}% control bytes in its first "
                         f"{len(sample) // 1024 or 1} KiB), not a text log",
                         "give kb-match the text output of the failing command, e.g. cmd 2>&1 | kb-match")


# ---------------------------------------------------------------------------------------------
# Facts and ranking


def merge_facts(probe: dict[str, str], line_facts: list[dict]) -> tuple[dict, dict, list[dict]]:
    """Probe facts plus facts read from pasted lines. The probe wins; disagreements are warned."""
    facts = dict(probe)
    sources = {key: {"source": "probe"} for key in probe}
    warnings = []
    for item in line_facts:
        key, value = item["key"], item["value"]
        place = {"source": "line", "file": item["file"], "line": item["line"]}
        if key in probe:
            if probe[key] != value:
                warnings.append({"code": "fact-conflict", "key": key, "probe": probe[key], "value": value,
                                 "file": item["file"], "line": item["line"]})
            continue
        if key in facts and facts[key] != value:
            warnings.append({"code": "fact-conflict-lines", "key": key, "value": value, "earlier": facts[key],
                             "file": item["file"], "line": item["line"]})
        facts[key] = value                 # the later line wins: it shows the later state
        sources[key] = place
    return facts, sources, warnings


def _test_holds(test: dict, facts: dict) -> bool | None:
    """True / False, or None when the fact is missing or could not be read."""
    value = facts.get(test.get("fact"))
    if value is None or value.startswith("unknown:"):
        return None
    if "equals" in test:
        return value == test["equals"]
    if "in" in test:
        return value in test["in"]
    if "matches" in test:
        try:
            return re2.compile(test["matches"], _options(1 << 20)).search(value) is not None
        except re2.error:
            return None
    return None


def condition_holds(condition: dict, facts: dict) -> tuple[bool | None, list[str]]:
    """Evaluate one `confirms`/`rules_out` condition; also return the fact keys it reads."""
    tests = condition["all"] if isinstance(condition.get("all"), list) else [condition]
    results = [_test_holds(t, facts) for t in tests if isinstance(t, dict)]
    keys = [t.get("fact") for t in tests if isinstance(t, dict)]
    if not results:
        return None, keys
    if any(r is False for r in results):
        return False, keys
    if all(r is True for r in results):
        return True, keys
    return None, keys


def _holding(conditions: list, facts: dict) -> tuple[list[str], int]:
    """Fact keys of the conditions that hold, and the number of tests in the largest of them."""
    keys: list[str] = []
    tests = 0
    for condition in conditions:
        holds, read = condition_holds(condition, facts)
        if holds:
            keys.extend(k for k in read if k not in keys)
            tests = max(tests, len(read))
    return keys, tests


def condition_keys(cause: dict) -> list[str]:
    keys: list[str] = []
    for condition in cause.get("confirms", []) + cause.get("rules_out", []):
        for key in condition_holds(condition, {})[1]:
            if key and key not in keys:
                keys.append(key)
    return keys


def rank_causes(index: dict, scan: Scan, facts: dict, fact_sources: dict) -> dict:
    """Candidates, their points and evidence, the ruled-out causes and what would decide a tie.

    Points of a cause:
      + for each distinct error symptom that lists it: its harmonic share (1.0 for a symptom with
        one cause, 0.48 for the first of four, 0.12 for the last of four);
      + for each clue that lists it, when it is already a candidate: CLUE_WEIGHT x its share;
      + CONFIRM_BONUS when a `confirms` condition holds on the facts, plus SPECIFICITY_BONUS for
        each test beyond the first in that condition;
      x LOWER_FACTOR for each clue that lists it under `lowers`.
    A cause that only facts point to enters with that bonus when no error line matched; next to
    error lines that point elsewhere it gets FACT_ONLY_WEIGHT, halved when one of their causes is
    confirmed, times OTHER_TOOL_FACTOR when it is not about the tool of any of those lines. A cause
    whose `rules_out` condition holds is dropped and reported with the facts that ruled it out.
    `score` is the cause's share of all candidates' points.
    """
    causes = index["causes"]
    symptoms = index["symptoms"]
    points: dict[str, float] = {}
    evidence: dict[str, list[dict]] = {}
    first_line: dict[str, tuple] = {}
    errors = [s for s in scan.order if symptoms[s]["kind"] == "error"]
    clues = [s for s in scan.order if symptoms[s]["kind"] == "clue"]

    def first_hit(sid):
        hit = scan.hits[sid][0]
        return hit["file"], hit["line"]

    def place(sid):  # (input number, line): where a symptom first appeared, for tie-breaking
        source, line = first_hit(sid)
        return (scan.sources.index(source) if source in scan.sources else 0, line)

    for sid in errors:
        listed = [c for c in symptoms[sid]["causes"] if causes[c].get("status") != "retired"]
        for cid, share in zip(listed, harmonic_shares(len(listed))):
            points[cid] = points.get(cid, 0.0) + share
            evidence.setdefault(cid, []).append({"type": "symptom", "id": sid, "file": first_hit(sid)[0],
                                                 "line": first_hit(sid)[1], "weight": round(share, 3)})
            first_line[cid] = min(first_line.get(cid, place(sid)), place(sid))
    linked = set(points)
    confirmed = {}      # cause -> (fact keys of its holding conditions, tests in the most specific one)
    for cid, cause in causes.items():
        if cause.get("status") != "retired":
            keys, tests = _holding(cause.get("confirms", []), facts)
            if keys:
                confirmed[cid] = (keys, tests)
    error_tools = {symptoms[s].get("tool") for s in errors}
    breadth: dict[str, int] = {}
    for symptom in symptoms.values():
        if symptom["kind"] == "error" and symptom.get("status") != "retired":
            for cid in symptom["causes"]:
                breadth[cid] = breadth.get(cid, 0) + 1
    max_breadth = max(breadth.values(), default=1)
    linked_confirmed = any(cid in linked for cid in confirmed)
    for cid in [c for c in confirmed if c not in linked and errors]:
        # A narrow cause about other tools (a browser run as root, next to a bwrap error) is a fact
        # about something else, not an explanation: it does not join the error lines' candidates.
        if not set(causes[cid].get("tools", [])) & error_tools and breadth.get(cid, 0) < NARROW * max_breadth:
            del confirmed[cid]
    for cid, (keys, tests) in confirmed.items():
        bonus = CONFIRM_BONUS + SPECIFICITY_BONUS * (tests - 1)
        if cid not in linked and errors:
            # Facts point here but no matched error line does: a gap in the KB's links, or a fact
            # about something else (uid=0 confirms a browser cause next to a bwrap error). Less
            # weight, less again when a linked cause is confirmed; for a cause about other tools,
            # less still unless it is a broad one (listed by many of the KB's error messages, as a
            # chroot is: it stops every program, whatever the KB says about this one).
            bonus = FACT_ONLY_WEIGHT * (0.5 if linked_confirmed else 1.0)
            if not set(causes[cid].get("tools", [])) & error_tools:
                bonus *= OTHER_TOOL_FACTOR + (1 - OTHER_TOOL_FACTOR) * breadth.get(cid, 0) / max_breadth
        points[cid] = points.get(cid, 0.0) + bonus
        evidence.setdefault(cid, [])
        for key in keys:
            evidence[cid].append({"type": "fact", "key": key, "value": facts[key], "effect": "confirms",
                                  "weight": round(bonus, 3), **fact_sources.get(key, {})})
    for sid in clues:
        listed = symptoms[sid]["causes"]
        for cid, share in zip(listed, harmonic_shares(len(listed))):
            if cid in points:
                points[cid] += CLUE_WEIGHT * share
                evidence[cid].append({"type": "clue", "id": sid, "file": first_hit(sid)[0], "line": first_hit(sid)[1],
                                      "effect": "raises", "weight": round(CLUE_WEIGHT * share, 3)})
        for cid in symptoms[sid].get("lowers", []):
            if cid in points:
                points[cid] *= LOWER_FACTOR
                evidence[cid].append({"type": "clue", "id": sid, "file": first_hit(sid)[0], "line": first_hit(sid)[1],
                                      "effect": "lowers", "weight": LOWER_FACTOR})
    ruled_out, warnings = [], []
    for cid in sorted(points, key=lambda c: (-points[c], c)):
        keys, _tests = _holding(causes[cid].get("rules_out", []), facts)
        if keys:
            if cid in confirmed:
                warnings.append({"code": "confirmed-and-ruled-out", "cause": cid, "keys": keys})
            ruled_out.append({"id": cid, "because": [{"key": k, "value": facts[k], **fact_sources.get(k, {})} for k in keys]})
            del points[cid]
    total = sum(points.values()) or 1.0
    order = sorted(points, key=lambda c: (-round(points[c], 9), c not in confirmed,
                                          first_line.get(c, (1 << 30, 0)), c))
    ranked = []
    for rank, cid in enumerate(order, 1):
        ranked.append({"id": cid, "rank": rank, "score": round(points[cid] / total, 3),
                       "points": round(points[cid], 3), "confirmed": cid in confirmed,
                       "evidence": evidence[cid], "fixes": list(causes[cid].get("fixes_by_risk", []))})
    return {"causes": ranked, "ruled_out": ruled_out, "warnings": warnings,
            "decide": _decider(index, ranked, facts)}


def _decider(index: dict, ranked: list[dict], facts: dict) -> dict | None:
    """When no fact has decided and runners-up are close, the facts that would tell them apart."""
    if len(ranked) < 2 or ranked[0]["confirmed"]:
        return None
    between = [r["id"] for r in ranked[:3] if r["points"] >= CLOSE_RATIO * ranked[0]["points"]]
    if len(between) < 2:
        return None
    missing = []
    for cid in between:
        for key in condition_keys(index["causes"][cid]):
            value = facts.get(key)
            if (value is None or value.startswith("unknown:")) and key not in missing:
                missing.append(key)
    return {"between": between, "facts": missing} if missing else None


def diagnose(index: dict, scan: Scan, probe_facts: dict, probe_warnings: list | None = None) -> dict:
    """The whole result (language-free): matched symptoms, ranked causes, ruled out, facts, warnings."""
    facts, sources, fact_warnings = merge_facts(probe_facts, scan.line_facts)
    ranking = rank_causes(index, scan, facts, sources)
    symptoms = []
    for sid in scan.order:
        for hit in scan.hits[sid]:
            symptoms.append({"id": sid, "kind": index["symptoms"][sid]["kind"], **hit})
    rank_of_source = {s: i for i, s in enumerate(scan.sources)}
    symptoms.sort(key=lambda h: (rank_of_source.get(h["file"], 0), h["line"], h["id"]))
    warnings = list(scan.warnings) + [{"code": "probe", "message": w} for w in (probe_warnings or [])]
    warnings += fact_warnings + ranking["warnings"]
    for sid in scan.order:
        if scan.hit_counts[sid] > len(scan.hits[sid]):
            warnings.append({"code": "many-hits", "symptom": sid, "count": scan.hit_counts[sid],
                             "shown": len(scan.hits[sid])})
    return {"symptoms": symptoms, "causes": ranking["causes"], "ruled_out": ranking["ruled_out"],
            "facts": dict(sorted(facts.items())), "fact_sources": sources, "warnings": warnings,
            "decide": ranking["decide"], "lines": scan.lines, "bytes": scan.bytes}
