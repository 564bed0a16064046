"""Search error text for symptoms and features: which line holds what.

Pure: byte chunks in, a `Scan` out; no files are opened and nothing is printed. `normalize` cuts
the input into blocks of whole, cleaned lines; `model` turns a Scan and the probe's facts into a
diagnosis.

Most of a log costs one C-level scan: a single RE2 alternation of every symptom pattern (without
its anchors, line-bounded) and every feature trigger runs over each block. Only the lines it hits
are decoded and looked at closely: the line and its undecorated variants against the exact
patterns, then the feature extractors. Identical lines are looked at once; a block with many
hits is counted line by line at C speed (split, Counter) before any line is looked at.

A small input (SMALL_BLOCK) would spend more on compiling that alternation than on its lines, so
it is screened line by line with the same forms: a form is compiled and tried only on a line that
holds one of its atoms, strings one of which every match contains (index.prefilter.required_atoms),
and only when the whole block holds one of them.

A large input (past PIPELINE_AFTER) is searched on a second thread, block by block, while this one
reads and normalizes the next blocks: RE2 releases the GIL, and removing ANSI escapes and counting
lines cost about as much as the search. The searching thread alone touches the Scan and the line
cache; the normalizer's warnings travel with the blocks, so they come in the same order.
"""
from __future__ import annotations

import re2

from nskb.regex import compile_set, re2_options

from . import normalize
from .decoration import variants
from .extract import SET_AFTER, Extractor, screen_text
from .normalize import Block, LineCutter
from .types import Feature, Hit, LineFact, Scan

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on the start-up path
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

MAX_HITS_PER_SYMPTOM = 20       # hit lines kept per symptom (the rest are counted)
SMALL_BLOCK = 64 * 1024         # blocks up to this size are screened line by line, not prefiltered
UPPERCASE_LINE = r"^[^a-z\n]*[A-Z]{4}[^a-z\n]*$"
DENSE_HITS = 64                 # hits in one block after which the rest of it is counted in bulk
CACHE_LINES = 4096              # distinct candidate lines whose analysis is remembered


class _LineResult:
    """What one distinct candidate line holds."""

    __slots__ = ("symptoms", "features", "facts", "sets", "text", "words", "bare_errno", "chain_errno", "unsaid")

    def __init__(self, text: str):
        self.text = text
        self.symptoms: list[str] = []
        self.features: list[Feature] = []
        self.facts: list[LineFact] = []
        self.sets: list[LineFact] = []     # facts a matched symptom sets (sets_fact)
        self.words: dict[str, str] = {}    # syscall/namespace/object words of a line with no failure
        self.bare_errno: str | None = None  # an exception line's errno, with no words of its own
        self.chain_errno: str | None = None  # an error chain's link that is an errno alone
        self.unsaid: Feature | None = None  # the line's failure that names no errno (EUNKNOWN)


def _quote(literal: str) -> str:
    """`literal` as an RE2 pattern that matches exactly it."""
    return str(re2.escape(literal))


class Scanner:
    """Finds symptom and feature lines in streamed input. Build once per index; `feed` per input."""

    def __init__(self, index: dict[str, Any]):
        self.index = index
        self.owner: list[str] = []          # pattern number -> symptom id
        self.patterns: list[str] = []
        self.literals: list[str] = []       # text every match of the pattern contains ("" when none)
        forms: list[str] = []
        atoms: list[list[str]] = []         # per form: strings one of which each of its matches holds
        for sid, symptom in sorted(index["symptoms"].items()):
            if symptom.get("status") == "retired":
                continue
            prefilter = symptom.get("prefilter") or symptom["patterns"]
            literals = symptom.get("literals") or []
            screen = symptom.get("screen") or []
            for number, pattern in enumerate(symptom["patterns"]):
                self.owner.append(sid)
                self.patterns.append(pattern)
                self.literals.append(literals[number] if number < len(literals) else "")
                forms.append(prefilter[number] if number < len(prefilter) else pattern)
                atoms.append(screen[number] if number < len(screen) else [])
        features = index.get("features") or {}
        triggers = list(features.get("triggers", []))
        trigger_atoms = features.get("trigger_atoms") or []
        atoms += [trigger_atoms[n] if n < len(trigger_atoms) else [] for n in range(len(triggers))]
        # A line without lower-case letters may be a symptom in capitals (some loggers shout).
        self.forms = [f"(?:{f})" for f in forms] + [f"(?:{t})" for t in triggers] + [UPPERCASE_LINE]
        self.with_literal = [(n, lit) for n, lit in enumerate(self.literals) if lit]
        self.without_literal = [n for n, lit in enumerate(self.literals) if not lit]
        # The small-input screen: each form (a pattern's prefilter form or a trigger) is compiled
        # and tried only on a line that holds one of its atoms; forms without atoms share one
        # alternation, and UPPERCASE_LINE is tried only on a line without lower-case letters.
        self.screen_forms = forms + triggers
        self.screen_atoms = [tuple(a.encode() for a in found) for found in atoms]
        self.screened = [n for n, found in enumerate(self.screen_atoms) if found]
        self.all_atoms = sorted({a for found in self.screen_atoms for a in found})
        unscreened = [f"(?:{self.screen_forms[n]})" for n, found in enumerate(self.screen_atoms) if not found]
        self.unscreened = "|".join(unscreened)
        self.extractor = Extractor(features, index.get("errno") or {}) if features else None
        self._prefilter: Any = None
        self._unscreened: Any = None
        self._uppercase: Any = None
        self._exact: dict[int, Any] = {}
        self._literal_set: Any = None     # built once SET_AFTER lines were candidates
        self._unliteral_set: Any = None
        self._candidate_lines = 0
        self._forms: dict[int, Any] = {}
        self._exact_ci: dict[int, Any] = {}
        self._cache: dict[bytes, _LineResult] = {}
        self._cutter: LineCutter | None = None  # the input being fed (it reports invalid UTF-8 once)

    # Compiled lazily: a small input never pays for the alternation, an empty one for nothing.
    def prefilter(self) -> Any:
        if self._prefilter is None and self.forms:
            self._prefilter = re2.compile("(?m)" + "|".join(self.forms), re2_options(64 << 20))
        return self._prefilter

    def exact(self, number: int, case_insensitive: bool = False) -> Any:
        table = self._exact_ci if case_insensitive else self._exact
        if number not in table:
            table[number] = re2.compile(self.patterns[number], re2_options(8 << 20, case_insensitive))
        return table[number]

    def candidates(self, text: str, forms: list[str] | None = None) -> list[int]:
        """Numbers of the patterns that may match `text` (their literal is in it, or they have none
        and match one of `forms`, the texts they will be searched in; all of them without `forms`).

        Past the first SET_AFTER candidate lines, two passes of RE2 sets instead of a test or a
        search per pattern: a large log's candidate lines paid more for those than for the rest. A
        small log does not pay for compiling the sets (a few milliseconds of start-up)."""
        if self._literal_set is None:
            self._candidate_lines += 1
            if self._candidate_lines <= SET_AFTER:
                numbers = [n for n, literal in self.with_literal if literal in text]
                if forms is None:
                    return numbers + self.without_literal
                # A pattern with no case-sensitive literal (a case-insensitive one) still has its screen
                # atoms (index.prefilter.required_atoms): not compiled for a line that holds none.
                folded = [screen_text(f.encode("utf-8", "replace")) for f in forms]
                atoms = self.screen_atoms
                return numbers + [n for n in self.without_literal
                                  if (not atoms[n] or any(a in f for a in atoms[n] for f in folded))
                                  and any(self.exact(n).search(f) for f in forms)]
            self._literal_set = compile_set([_quote(literal) for _, literal in self.with_literal])
            self._unliteral_set = compile_set([self.patterns[n] for n in self.without_literal])
        numbers = [self.with_literal[i][0] for i in sorted(self._literal_set.Match(text) or ())]
        if forms is None:
            return numbers + self.without_literal
        found = {i for form in forms for i in (self._unliteral_set.Match(form) or ())}
        return numbers + [self.without_literal[i] for i in sorted(found)]

    def is_candidate(self, line: bytes, screened: list[int] | None = None) -> bool:
        """A small input's screen, picking exactly the lines the block-wide alternation picks: a
        form that matches the line, tried only where the line holds one of the form's atoms.
        `screened`: the forms worth trying (those whose atoms the whole block holds)."""
        folded = screen_text(line)
        atoms = self.screen_atoms
        for number in self.screened if screened is None else screened:
            if any(atom in folded for atom in atoms[number]) and self._form(number).search(line) is not None:
                return True
        if self.unscreened:
            if self._unscreened is None:
                self._unscreened = re2.compile(self.unscreened, re2_options(16 << 20))
            if self._unscreened.search(line) is not None:
                return True
        if line.upper() != line:  # a lower-case letter: UPPERCASE_LINE cannot match
            return False
        if self._uppercase is None:
            self._uppercase = re2.compile(UPPERCASE_LINE, re2_options(1 << 20))
        return self._uppercase.search(line) is not None

    def _form(self, number: int) -> Any:
        if number not in self._forms:
            self._forms[number] = re2.compile(self.screen_forms[number], re2_options(8 << 20))
        return self._forms[number]

    def feed(self, scan: Scan, source: str, chunks: Iterable[bytes]) -> None:
        """Scan one input (an iterable of byte chunks) into `scan`. Raises InputError for binary.

        Past PIPELINE_AFTER bytes, the blocks are searched on a second thread while this one reads
        and normalizes the next ones (RE2 releases the GIL); the result, warnings and their order
        included, is the same as searching each block in turn."""
        scan.sources.append(source)
        cutter = self._cutter = LineCutter(source, scan.warn)
        pipeline: _Pipeline | None = None
        seen = 0
        try:
            for chunk in chunks:
                if chunk:
                    if pipeline is None and seen >= PIPELINE_AFTER:
                        pipeline = _Pipeline(self, scan, source, cutter)
                    for block in cutter.add(chunk):
                        self._search_or_queue(scan, source, block, pipeline)
                    scan.bytes += len(chunk)
                    seen += len(chunk)
            for block in cutter.finish():
                self._search_or_queue(scan, source, block, pipeline)
        finally:
            if pipeline is not None:
                pipeline.close()  # re-raises what the searching thread raised
        scan.lines += cutter.lines

    def _search_or_queue(self, scan: Scan, source: str, block: Block, pipeline: _Pipeline | None) -> None:
        if pipeline is None:
            self.search(scan, source, block)
        else:
            pipeline.put(block)

    def search(self, scan: Scan, source: str, block: Block) -> None:
        """Record every symptom, feature and fact line of one block."""
        data, end = block.data, len(block.data)
        if end <= SMALL_BLOCK and self._prefilter is None:
            self._search_small(scan, source, block)
            return
        prefilter = self.prefilter()
        if prefilter is None:
            return
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
            cut = block.cut
            for long_start, long_end in block.long_lines:
                if long_start == line_start:  # only the head of an overlong line is read
                    cut, line_end = True, min(long_end, long_start + normalize.LINE_CAP)
                    break
            if start < line_end:
                self.record(scan, source, counted + 1, data[line_start:line_end], cut, 1,
                            b"" if cut else _continuation(data, line_start, line_end, end))
            line_end = data.find(b"\n", line_start)
            line_end = end if line_end < 0 else line_end
            pos = line_end + 1
            hits += 1
            if hits >= DENSE_HITS:
                counted += data.count(b"\n", counted_pos, pos)
                self._dense(scan, source, data[pos:], counted, block.cut)
                return

    def _search_small(self, scan: Scan, source: str, block: Block) -> None:
        """A block too small to pay for compiling the alternation: screen each line cheaply."""
        data, end = block.data, len(block.data)
        # The atoms the block holds, each looked for once; a form none of whose atoms is in the
        # block is not tried on any of its lines.
        folded = screen_text(data)
        present = {atom for atom in self.all_atoms if atom in folded}
        screened = [n for n in self.screened if any(atom in present for atom in self.screen_atoms[n])]
        pos, number = 0, block.lines_before
        while pos < end:
            stop = data.find(b"\n", pos)
            stop = end if stop < 0 else stop
            number += 1
            line, cut = data[pos:stop], block.cut
            if block.long_lines and any(start == pos for start, _ in block.long_lines):
                line, cut = line[:normalize.LINE_CAP], True  # only the head of an overlong line is read
            if line and (line in self._cache or self.is_candidate(line, screened)):
                self.record(scan, source, number, line, cut, 1, b"" if cut else _continuation(data, pos, stop, end))
            pos = stop + 1

    def _dense(self, scan: Scan, source: str, rest: bytes, lines_before: int, cut: bool) -> None:
        """The rest of a block full of hits (a repeated error): each distinct line once."""
        lines = rest.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        from collections import Counter  # here: only a block full of hits needs it

        counts = Counter(lines)
        first = dict(zip(reversed(lines), range(len(lines) - 1, -1, -1), strict=True))  # line -> first index
        prefilter = self.prefilter()
        for line, count in counts.items():
            if line in self._cache or prefilter.search(line) is not None:
                self.record(scan, source, lines_before + first[line] + 1, line, cut, count)

    def analyse(self, raw: bytes, more: bytes = b"") -> _LineResult:
        """Symptoms, features and facts of one candidate line (remembered per distinct line).

        `more` is the text of the lines that continue this one when a message was wrapped (see
        `_continuation`); the line is also read joined with them."""
        key = raw + b"\n" + more if more else raw
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        text = raw.decode("utf-8", "replace")
        result = _LineResult(text)
        forms = variants(text)
        own = len(forms)  # forms[:own] are this line alone; the rest read it joined with `more`
        parts = more.decode("utf-8", "replace").split("\n") if more else []
        spaced = " ".join(parts)
        if more:
            forms += [f for f in variants(text.rstrip() + " " + spaced) if f not in forms]
        matched: set[int] = set()
        rest = list(variants(spaced)) if more else []
        for number in self.candidates(forms[-1] if len(forms) == 1 else " ".join(forms), forms):
            exact = self.exact(number)
            if any(exact.search(form) is not None for form in forms[:own]) or any(exact.search(form) is not None for form in forms[own:]) and \
                    not any(exact.search(form) is not None for form in rest):
                matched.add(number)
        if not matched and not any(c.islower() for c in text):
            lowered = " ".join(forms).lower()
            for number, literal in enumerate(self.literals):
                if (not literal or literal.lower() in lowered) and any(
                        self.exact(number, True).search(form) is not None for form in forms):
                    matched.add(number)
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
            result.features.extend(_records(self.extractor, text, parts))
            if not is_error and not result.features:
                # Read generic evidence only where no symptom already says what the line means;
                # joined with the next lines only when those alone say nothing (as for symptoms).
                body = forms[own - 1]
                failure = self.extractor.failure_in(body)
                mentions = self.extractor.mentions_in(body)
                if more and rest and failure is None:
                    # The joined line counts when the next line says nothing by itself, or says
                    # less than the joined one (a syscall's flags wrapped before its errno).
                    joined = self.extractor.failure_in(forms[-1])
                    if joined is None and text[-1:].isalpha() and _lower_letter(parts[0][:1]):
                        # Wrapped mid-word by a fixed width ("Operation not p" / "ermitted").
                        joined = self.extractor.failure_in(variants(text + "".join(parts))[-1])
                    alone = self.extractor.failure_in(rest[-1])
                    if joined is not None and (alone is None or _says_more(joined, alone)):
                        failure = joined
                if failure is not None and self.extractor.is_quiet(forms[:own]):
                    failure = None  # an INFO or DEBUG line: the program goes on
                if more and rest and not mentions and not self.extractor.mentions_in(rest[-1]):
                    mentions = self.extractor.mentions_in(forms[-1])
                if failure is None and mentions and self.extractor.is_foreign(body):
                    # The line's error is a call unrelated to namespaces ("error adding seccomp filter
                    # rule for syscall clone3: ..."): what it names is about that call, no hint.
                    mentions = []
                if failure is not None:
                    result.features.append(failure)
                    if failure.kind == "failure" and failure.get("errno") == "EUNKNOWN":
                        # An error chain's link ("0: failed to unshare user namespace"): the errno
                        # may come on a line just below ("1: EPERM: Operation not permitted").
                        result.unsaid = failure
                        result.words = {k: v for k, v in failure.fields if k in ("syscall", "namespace", "object")}
                    # A topic that is the failed call or object itself ("newuidmap ... failed") is
                    # that failure, not a hint at a mechanism: it would count the line twice.
                    said = {t for k, v in failure.fields if k in ("syscall", "object") for t in v.split(" ")}
                    mentions = [m for m in mentions if m.get("topic") not in said]
                else:
                    result.words = self.extractor.words_in(body)
                    if not result.words:
                        result.bare_errno = self.extractor.bare_errno_in(body)
                        result.chain_errno = self.extractor.chain_errno_in(body)
                result.features.extend(mentions)
            result.facts.extend(self.extractor.facts_in(forms))
        if len(self._cache) < CACHE_LINES:
            self._cache[key] = result
        return result

    def _fact_set(self, sid: str, number: int, forms: list[str]) -> LineFact | None:
        sets = self.index["symptoms"][sid].get("sets_fact")
        if not sets or not sets.get("fact"):
            return None
        value = sets.get("value", "")
        if "$1" in value:
            compiled = self.exact(number)
            for form in forms:
                found = compiled.search(form)
                if found is not None and compiled.groups >= 1 and found.group(1) is not None:
                    return LineFact(sets["fact"], value.replace("$1", found.group(1).strip()))
            return None
        return LineFact(sets["fact"], value)

    def record(self, scan: Scan, source: str, number: int, raw: bytes, cut: bool, count: int,
               more: bytes = b"") -> None:
        cutter = self._cutter
        if cutter is not None and not cutter.invalid_utf8 and not raw.isascii():
            cutter.check_utf8(raw, number - 1, scan.warn)  # shown with U+FFFD; said once per input
        result = self.analyse(raw, more)
        text = result.text
        for sid in result.symptoms:
            hits = scan.symptom_hits.setdefault(sid, [])
            scan.symptom_counts[sid] = scan.symptom_counts.get(sid, 0) + count
            if len(hits) < MAX_HITS_PER_SYMPTOM:
                hits.append(Hit(source, number, text, cut))
        # A wrapped error message is one event: the lines that continue a line an error symptom
        # explains are not read again for generic evidence (a failure, a hint).
        wrapped = number <= scan.wrapped_to.get(source, 0)
        if more and any(self.index["symptoms"][sid]["kind"] == "error" for sid in result.symptoms):
            scan.wrapped_to[source] = number + more.count(b"\n") + 1
        for feature in result.features:
            if (wrapped and feature.kind in GENERIC_KINDS) or feature in scan.completed:
                continue
            scan.feature_hits.setdefault(feature, Hit(source, number, text, cut))
        for fact in result.facts + result.sets:
            scan.line_facts.setdefault(fact, Hit(source, number, text, cut))
        if result.words:
            scan.frame_words[source] = (number, result.words, result.unsaid)
            return
        frame = scan.frame_words.get(source)
        if frame is None:
            return
        unsaid, distance = frame[2], number - frame[0]
        # A traceback: the frames just above name the call whose errno this line reports. An error
        # chain: the link just above failed without an errno, and this line completes it.
        errno = result.chain_errno or result.bare_errno if unsaid is not None else result.bare_errno
        if errno is None or not 0 < distance <= (CHAIN_LINES if unsaid is not None else TRACEBACK_LINES):
            return
        if unsaid is not None:
            # One event: the errno-less failure goes, wherever and however often it was seen, so
            # that neither the order of the inputs nor a repeated link changes the answer.
            scan.completed.add(unsaid)
            scan.feature_hits.pop(unsaid, None)
        feature = Feature.of("failure", {"errno": errno, **frame[1]})
        scan.feature_hits.setdefault(feature, Hit(source, number, text, cut))


GENERIC_KINDS = ("failure", "thread", "signal", "mention")  # features read from any line, not kernel records
TRACEBACK_LINES = 12    # an exception line reads the call words of a frame this close above it
CHAIN_LINES = 3         # ... and the errno-less failure of an error chain's link this close above
PIPELINE_AFTER = 4 << 20  # input bytes after which blocks are searched on a second thread
PIPELINE_DEPTH = 2        # blocks waiting for the searching thread (memory stays bounded)


class _Pipeline:
    """The searching thread of one large input. The reading thread queues each block with the
    warnings the normalizer gave since the previous one; the searching thread says those, then
    searches the block: the order in which a single thread would have said and searched them."""

    def __init__(self, scanner: Scanner, scan: Scan, source: str, cutter: LineCutter):
        import queue
        import threading

        self.scan, self.cutter = scan, cutter
        self.pending: list[tuple[str, dict[str, Any]]] = []
        cutter.warn = lambda code, **params: self.pending.append((code, params))
        self.queue: queue.Queue[tuple[list[tuple[str, dict[str, Any]]], Block | None]] = queue.Queue(PIPELINE_DEPTH)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(scanner, source), name="nskb-search", daemon=True)
        self.thread.start()

    def put(self, block: Block | None) -> None:
        said, self.pending = self.pending, []
        self.queue.put((said, block))

    def close(self) -> None:
        """Say the last warnings, wait for the searching thread, re-raise what it raised."""
        self.put(None)
        self.thread.join()
        self.cutter.warn = self.scan.warn
        if self.error is not None:
            raise self.error

    def _run(self, scanner: Scanner, source: str) -> None:
        while True:
            said, block = self.queue.get()
            if self.error is None:  # after an error, only drain the queue
                try:
                    for code, params in said:
                        self.scan.warn(code, **params)
                    if block is not None:
                        scanner.search(self.scan, source, block)
                except BaseException as error:  # noqa: BLE001  # re-raised on the reading thread by close()
                    self.error = error
            if block is None:
                return


def _records(extractor: Extractor, text: str, parts: list[str]) -> list[Feature]:
    """The audit records of a line; one a terminal wrapped at its width (mid-word, or at a space
    the paste lost) is read joined with its next lines, whichever way gives more fields."""
    found = extractor.records_in(text)
    if not found or not parts or any(extractor.records_in(part) for part in parts):
        return found
    best = {f.kind: f for f in found}
    for joined in (text.rstrip() + " " + " ".join(parts), text.rstrip() + "".join(parts)):
        for feature in extractor.records_in(joined):
            if feature.kind in best and len(feature.fields) > len(best[feature.kind].fields):
                best[feature.kind] = feature
    return [best[f.kind] for f in found]


def _lower_letter(char: str) -> bool:
    """A lower-case letter (Unicode's Ll, as the page's /\\p{Ll}/u): not str.islower(), which
    also takes Other_Lowercase signs (ª, ʰ, ⓐ)."""
    import unicodedata  # here: only a line wrapped mid-word needs it

    return len(char) == 1 and unicodedata.category(char) == "Ll"


def _says_more(joined: Feature, alone: Feature) -> bool:
    """Every word of `alone` is in `joined`, and `joined` has more."""
    def words(feature: Feature) -> set[tuple[str, str]]:
        return {(key, token) for key, value in feature.fields for token in value.split(" ")}

    return words(alone) < words(joined)


WRAP_LINES = 2          # lines that may continue a wrapped message
RECORD_WRAP_LINES = 4   # ... and an audit record's (a record broken field by field runs longer)
WRAP_WIDTH = 60         # a line this long that stops mid-sentence was probably wrapped
_ENDS_SENTENCE = (b".", b"!", b"?", b")", b"]", b"}", b"`", b'"')
# ... as was a line of any width that stops on a word no sentence ends with ("... but is not",
# then "configured correctly."): a paste wrapped by hand or by a narrow window. Only when the next
# line goes on in lower case: a list item, a path-named program's message ("/bin/sh: ..."), a
# prefixed or capitalised line is a message of its own, whatever the line above left open.
_UNFINISHED = frozenset(b"not but and or the a an to of for with from by is are was were be that".split())


def _ends_unfinished(line: bytes, nxt: bytes) -> bool:
    words = line.rsplit(None, 1)
    return bool(words) and words[-1] in _UNFINISHED and b"a" <= nxt[:1] <= b"z"


class _LineMatch:
    """A line pattern compiled on first use: most inputs never need it. `needs`: strings one of
    which every match holds; a line without any is no match, and the pattern is not compiled."""

    def __init__(self, pattern: str, needs: tuple[bytes, ...] = ()):
        self.pattern = pattern
        self.needs = needs
        self._compiled: Any = None

    def __call__(self, line: bytes) -> bool:
        if self.needs and not any(n in line for n in self.needs):
            return False
        if self._compiled is None:
            self._compiled = re2.compile(self.pattern, re2_options(1 << 20))
        return self._compiled.match(line) is not None


_PROMPT_HEAD = r"(?:\([\w.-]{1,40}\)\s)?(?:\[[^\]]{1,80}\]|[\w.@:~/+-]{1,80})?[$#%] "
# A pasted shell command (`user@host:~$ bwrap ...`): what follows is its output, not the rest of
# a wrapped message.
_is_prompt = _LineMatch(r"^\s*" + _PROMPT_HEAD + r"\S", (b"$ ", b"# ", b"% "))
# A pasted `cat` of one file, after a shell prompt or alone.
_is_cat = _LineMatch(r"^\s*(?:" + _PROMPT_HEAD + r")?(?:sudo )?cat [\"']?/[^\s\"']+[\"']?\s*$", (b"cat ",))
CAT_VALUE = 40          # the longest output line read as a `cat` line's value
# A command written out without a prompt (`bwrap --unshare-user ... /bin/true`): a program, then an
# option, and no "word: " of a message. The next line is its output, not the rest of it.
_is_command = _LineMatch(r"^\s*(?:sudo\s+)?[\w./+-]{1,60}\s+--?[A-Za-z](?:[^:]|:\S)*$", (b"-",))
# A line that stops at a call written with its arguments (`... Probe detail: unshare(CLONE_NEWNS)`)
# has not said what became of the call: its closing parenthesis ends no sentence.
_ends_with_call = _LineMatch(r"^.*[A-Za-z_][A-Za-z0-9_]*\([^()\t\n\v\f\r ]{1,80}\)$", (b"(",))  # ASCII classes, as in JS
# An audit record whose line stops after a quoted field (`apparmor="DENIED"`, then `operation=...` on
# the next line) has not ended either: its closing quote ends no sentence.
_ends_with_record_field = _LineMatch(r'^.*(?:\baudit\(|\bapparmor=).*\b[a-z_]{1,30}="[^"\t\n\v\f\r]{0,200}"$', (b"audit(", b"apparmor="))
# A record's later line that stops after a quoted field (`profile="x" comm="bwrap"`) goes on too; a
# line that opens another record (`type=1400 ...`, or `apparmor="DENIED" ...` again) does not.
_field_at_end = _LineMatch(r'^.*\b[a-z_]{1,30}="[^"\t\n\v\f\r]{0,200}"$', (b'="',))
_opens_record = _LineMatch(r'^(?:type=[A-Z_0-9]{1,30} |audit\()', (b"type=", b"audit("))
# A line that opens a message of its own (`toolbox: ...`, `mkdir[42]: ...`, or a timestamp of syslog,
# ISO 8601, dmesg or Chromium) does not continue the one above it, however that one ends.
_starts_message = _LineMatch(r"^(?:[A-Za-z][\w.-]{0,40}(?:\[\d{1,10}\])?: |" + r"|".join((
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d ",
    r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d", r"\[\s*\d+\.\d+\] ", r"\[(?:\d+:){0,2}\d{4}/\d{6}\.\d{3,6}:")) + r")")


def _continuation(data: bytes, line_start: int, line_end: int, end: int) -> bytes:
    """The next lines when this one looks cut by wrapping (it does not end a sentence and the
    next one goes on), one per line; b"" otherwise."""
    line = data[line_start:line_end].rstrip()
    if _is_cat(line):
        # `cat FILE` pasted with its output: a one-line value under it (a sysctl, a module parameter).
        stop = data.find(b"\n", line_end + 1)
        value = data[line_end + 1:end if stop < 0 else stop].strip()
        return value if 0 < len(value) <= CAT_VALUE and b" " not in value else b""
    if len(line) < 20 or (line.endswith(_ENDS_SENTENCE) and not _ends_with_call(line) and not _ends_with_record_field(line)) \
            or _is_prompt(line) or _is_command(line):
        return b""
    apparmor_seen = b"apparmor=" in line
    record = apparmor_seen or b"audit(" in line
    parts: list[bytes] = []
    pos = line_end + 1
    for _ in range(RECORD_WRAP_LINES if record else WRAP_LINES):
        if pos >= end:
            break
        stop = data.find(b"\n", pos)
        stop = end if stop < 0 else stop
        raw = data[pos:stop]
        nxt = raw.strip()
        # Wrapped: the line filled a terminal's width, the next one is indented under it, or the line
        # was left open by its last word and the next goes on in lower case.
        if not nxt or len(nxt) > 400 \
                or not (len(line) >= WRAP_WIDTH or raw[:1] in (b" ", b"\t") or _ends_unfinished(line, nxt)) \
                or _starts_message(nxt) \
                or (record and (_opens_record(nxt) or (apparmor_seen and nxt.startswith(b'apparmor="')))):
            break
        parts.append(nxt)
        apparmor_seen = apparmor_seen or b"apparmor=" in nxt  # a second verdict opens a second record
        if nxt.endswith(_ENDS_SENTENCE) and not (record and _field_at_end(nxt)):
            break
        pos = stop + 1
    return b"\n".join(parts)  # the lines apart: a message is read joined by spaces, a record also glued
