"""Evidence from any line, whatever program printed it: kernel audit records, a failed syscall or
errno next to namespace words, and context lines that state a fact.

Driven by the `features` section of the index (compiled from kb/features.yaml and the errno
table), so a new record format, syscall word or context line is a data change. Pure: a decoded
line in, features and facts out.
"""
from __future__ import annotations

from nskb.regex import compile_re2, compile_set

from .types import Feature, LineFact

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on the start-up path
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

# Lines read pattern by pattern before a set (or the context gate) is compiled: a small log does not
# pay the milliseconds of compiling it, a large one pays them once.
SET_AFTER = 64
_KV = r"""([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|([^\s,;]+))"""
_BRACES = r"\{\s*([^}]*?)\s*\}"
_MINUS_NUMBER = r"^-(\d{1,3})$"
_NAMED_ERRNO = r"^(E[A-Z0-9]{2,8})\b"


class Lazy:
    """A pattern compiled on first use, behind a cheap gate: when the index gives the literal text
    every match contains, a line without it is never searched. Most of a small log's lines reach
    only the gates, so kb-match starts without compiling the extractors it will not need."""

    __slots__ = ("pattern", "literal", "_compiled")

    def __init__(self, pattern: str, literal: str = ""):
        self.pattern = pattern
        self.literal = literal
        self._compiled: Any = None

    def search(self, text: str, pos: int = 0) -> Any:
        """An re2 match, or None."""
        if self.literal and self.literal not in text:
            return None
        if self._compiled is None:
            self._compiled = compile_re2(self.pattern)
        return self._compiled.search(text, pos)

    def finditer(self, text: str) -> Iterator[Any]:
        if self._compiled is None:
            self._compiled = compile_re2(self.pattern)
        return iter(self._compiled.finditer(text))

    @property
    def groups(self) -> int:
        if self._compiled is None:
            self._compiled = compile_re2(self.pattern)
        return int(self._compiled.groups)


class Words:
    """Named patterns searched together: one pass of an RE2 set says which of them a line holds
    (a Kubernetes log has a namespace word on every line; a search per pattern cost more than the
    rest of reading the line). Each name's own pattern is the truth: the set is built from them."""

    __slots__ = ("names", "patterns", "_set", "_calls")

    def __init__(self, items: list[tuple[str, Lazy]]):
        self.names = [name for name, _ in items]
        self.patterns = [rx for _, rx in items]
        self._set: Any = None
        self._calls = 0

    def matching(self, text: str) -> list[int]:
        """Positions (in list order) of the patterns that match somewhere in `text`. The first
        SET_AFTER lines are searched pattern by pattern (each gated by its literal): a small log
        does not pay for compiling the set."""
        if not self.patterns:
            return []
        if self._set is None:
            self._calls += 1
            if self._calls <= SET_AFTER:
                return [i for i, rx in enumerate(self.patterns) if rx.search(text) is not None]
            self._set = compile_set([rx.pattern for rx in self.patterns])
        return sorted(self._set.Match(text) or ())  # the wrapper gives None for none

    def names_in(self, text: str) -> list[str]:
        return [self.names[i] for i in self.matching(text)]

    def first(self, text: str) -> str | None:
        found = self.matching(text)
        return self.names[found[0]] if found else None


class _Record:
    __slots__ = ("kind", "marker", "fields", "positional")

    def __init__(self, kind: str, marker: Lazy, fields: tuple[str, ...], positional: Lazy | None = None):
        self.kind = kind
        self.marker = marker
        self.fields = fields
        self.positional = positional  # a short form's fields by position (named groups)


class Extractor:
    """Built once per index; `features(line)` and `facts(variants)` per candidate line."""

    def __init__(self, spec: dict[str, Any], errno_table: dict[str, Any]):
        self.records = [_Record(r["kind"], _lazy(r, "marker"), tuple(r["fields"]),
                                _lazy(r, "positional") if r.get("positional") else None) for r in spec.get("records", [])]
        self.arches: dict[str, str] = dict(spec.get("arches", {}))
        self.syscall_numbers: dict[str, dict[str, str]] = {a: dict(t) for a, t in spec.get("syscalls", {}).items()}
        failure = spec.get("failure", {})
        self.errno_forms = [Lazy(p["pattern"], p.get("literal", "")) if isinstance(p, dict) else Lazy(p)
                            for p in failure.get("errno_forms", [])]
        # Lists, most specific first: the first word that matches names the field.
        self.syscall_words = Words(_named(failure.get("syscalls", [])))
        self.namespace_words = Words(_named(failure.get("namespaces", [])))
        # The kinds of namespace (features.yaml `kind`): beside one, the generic "any" and "new" are dropped.
        self.namespace_kinds = frozenset(w["name"] for w in failure.get("namespaces", [])
                                         if isinstance(w, dict) and w.get("kind") and isinstance(w.get("name"), str))
        self.object_words = Words(_named(failure.get("objects", [])))
        # Signals a process was killed by, in words ("Bad system call" is SIGSYS): a `signal` feature.
        self.signal_words = Words(_named(failure.get("signals", [])))
        # The program that printed a failure line, where the line says it (an OCI runtime's set-up).
        self.program_words = Words(_named(failure.get("programs", [])))
        # Objects that are a confinement of their own (Landlock): "sandbox" on their lines is no namespace.
        self.confinement_objects = frozenset(failure.get("confinement_objects", []))
        # Files named after namespaces (a runtime folder of network namespace files): on their lines
        # the namespace word is the file's name, and no namespace word is read.
        self.file_objects = frozenset(failure.get("file_objects", []))
        self.errno_words = Words(_named(failure.get("errno_words", [])))
        # A program's wording that borrows another errno's text (libmount's "permission denied." for EPERM).
        self.errno_wordings = Words(_named(failure.get("errno_wordings", [])))
        # Which errno forms a line holds, in one pass; the form's own pattern then reads its groups.
        self.errno_form_set = Words([(str(i), form) for i, form in enumerate(self.errno_forms)])
        mentions = spec.get("mentions", {})
        self.error_words = Lazy(mentions["error_words"]) if mentions.get("error_words") else None
        self.checks = Lazy(mentions["checks"]) if mentions.get("checks") else None  # a pasted ls, stat ...
        self.topics = _named(mentions.get("topics", []))
        self.absent = {t["name"]: Lazy(t["absent"], "") for t in mentions.get("topics", [])
                       if isinstance(t, dict) and t.get("absent")}
        self.context = [(c["fact"], c.get("value"), _lazy(c, "pattern"),
                         tuple(atom.encode() for atom in c.get("pattern_atoms") or ()), c.get("values") or {})
                        for c in spec.get("context", [])]
        # One search of all context patterns at once tells whether any of them can match a line:
        # most candidate lines of a large log hold a namespace word and no context at all, and each
        # pattern searched alone costs a call into re2. Compiling that gate costs milliseconds, so
        # the first SET_AFTER lines are screened by each pattern's atoms instead.
        self.context_gate = Lazy("|".join(f"(?:{c['pattern']})" for c in spec.get("context", [])
                                          if isinstance(c.get("pattern"), str)))
        self._context_lines = 0
        # An exception line that names only its errno (Python's `PermissionError: [Errno 1] ...`):
        # the call that failed is in the traceback frames above it.
        self.exception_line = Lazy(failure["exception_line"]) if failure.get("exception_line") else None
        self.chain_line = Lazy(failure["chain_line"]) if failure.get("chain_line") else None
        # A line logged at INFO or DEBUG: what it says is no failure.
        self.quiet_line = Lazy(failure["quiet_line"]) if failure.get("quiet_line") else None
        # A call unrelated to namespaces, with its failure: the errno after it is that call's.
        self.foreign_call = Lazy(failure["foreign_call"]) if failure.get("foreign_call") else None
        # A thread that could not be started: its errno is the thread's.
        self.thread_start = Lazy(failure["thread_start"]) if failure.get("thread_start") else None
        self.kv = Lazy(_KV)
        self.braces = Lazy(_BRACES)
        self.minus_number = Lazy(_MINUS_NUMBER)
        self.named_errno = Lazy(_NAMED_ERRNO)
        self.by_number = {str(e["number"]): name for name, e in errno_table.items()}
        self.errno_names = sorted(errno_table)
        self._errno_table = errno_table
        self._errno_text: Lazy | None | bool = False  # built on first use (errno_text)

    @property
    def errno_text(self) -> Lazy | None:
        """One search finds the first errno text of any locale; the group says which errno. Built
        on first use: escaping every locale's texts is a third of a millisecond of start-up, and
        most runs never read an errno outside a known symptom line."""
        if self._errno_text is False:
            alternatives = []
            for name in self.errno_names:
                texts = sorted(set(self._errno_table[name]["texts"]), key=len, reverse=True)
                alternatives.append("(" + "|".join(_escape(t) for t in texts) + ")")
            self._errno_text = Lazy("|".join(alternatives)) if alternatives else None
        return self._errno_text  # type: ignore[return-value]  # never False once built

    # --- errno -------------------------------------------------------------------------------
    def errno_in(self, text: str) -> str | None:
        """The errno a line reports, in any form or language; None when it shows none."""
        worded = self.errno_wordings.first(text)
        if worded is not None:
            return worded
        if self.errno_text is not None:
            found = self.errno_text.search(text)
            if found is not None:
                for number, name in enumerate(self.errno_names, 1):
                    if found.group(number) is not None:
                        return str(name)
        for i in self.errno_form_set.matching(text):
            found = self.errno_forms[i].search(text)
            if found is None:
                continue
            groups = found.groupdict()
            if groups.get("name"):
                return str(groups["name"])
            if groups.get("number") in self.by_number:
                return str(self.by_number[groups["number"]])
        return self.errno_words.first(text)

    def _errno_value(self, value: str) -> str | None:
        """exit=-13, error=-1, exit=EACCES(Permission denied) -> the errno name."""
        found = self.minus_number.search(value)
        if found is not None:
            return self.by_number.get(found.group(1))
        found = self.named_errno.search(value)
        return found.group(1) if found is not None else None

    # --- records -----------------------------------------------------------------------------
    def records_in(self, text: str) -> list[Feature]:
        found: list[Feature] = []
        for record in self.records:
            marker = record.marker.search(text)
            if marker is None:
                continue
            pairs: dict[str, str] = {}
            for kv in self.kv.finditer(text):
                key = kv.group(1)
                if key not in pairs:
                    pairs[key] = next((g for g in kv.groups()[1:] if g is not None), "")
            if record.positional is not None:
                placed = record.positional.search(text)
                if placed is not None:
                    for key, value in placed.groupdict().items():
                        if value is not None:
                            pairs.setdefault(key, value)
            if record.kind == "selinux":
                perms = self.braces.search(text, marker.start())
                if perms is not None:
                    pairs["perms"] = " ".join(perms.group(1).split())
            fields = {k: pairs[k] for k in record.fields if k in pairs}
            self._derive(record.kind, pairs, fields)
            found.append(Feature.of(record.kind, fields))
        return found

    def _derive(self, kind: str, pairs: dict[str, str], fields: dict[str, str]) -> None:
        """Normalised fields: syscall names for numbers, the errno of exit=/error=, arch names."""
        arch = self.arches.get(pairs.get("arch", "").lower(), "")
        if arch:
            fields["arch"] = arch
        syscall = pairs.get("syscall")
        if syscall is not None:
            fields["syscall"] = self.syscall_numbers.get(arch or "x86_64", {}).get(syscall, syscall)
        for key in ("exit", "error"):
            if key in pairs:
                name = self._errno_value(pairs[key])
                if name:
                    fields["errno"] = name
        if kind == "seccomp" and "code" in pairs:
            fields["action"] = _seccomp_action(pairs["code"])
        elif kind == "seccomp" and pairs.get("sig") == "31":
            # A record cut before its code=: the kernel logs SIGSYS (31) only for the kill actions.
            fields["action"] = "kill"

    # --- failure lines -----------------------------------------------------------------------
    def failure_in(self, text: str) -> Feature | None:
        """An errno next to a word that ties it to namespace work, from any program (or a thread
        that could not be started, `thread`; or, with no errno, a killing signal, `signal`)."""
        errno = self.errno_in(text)
        if errno is None:
            # No errno: a process killed by a signal that names its cause (SIGSYS: only a seccomp
            # filter sends it; SIGTRAP: a failed CHECK, as Chromium's sandbox raises at start).
            signal = self.signal_words.first(text)
            return Feature.of("signal", {"signal": signal}) if signal else None
        if self.is_foreign(text):
            return None
        words = self.words_in(text)
        if "namespace" not in words and self.thread_start is not None and self.thread_start.search(text):
            # A thread or child that could not be started: the errno is the thread's, a feature of
            # its own (an old seccomp profile answering clone3 with EPERM), no namespace failure.
            return Feature.of("thread", {"errno": errno})
        if not words:
            return None
        program = self.program_words.first(text)
        return Feature.of("failure", {"errno": errno, **words, **({"program": program} if program else {})})

    def is_foreign(self, text: str) -> bool:
        """The line's errno follows a call that is not namespace work, on no namespace object."""
        found = self.foreign_call.search(text) if self.foreign_call is not None else None
        rest = text[found.end():] if found is not None else ""
        if found is None or self.errno_in(rest) is None or "syscall" in self.words_in(rest):
            return False  # no errno after the call, or another call (a namespace one) comes first
        arguments = self.words_in(next((g for g in found.groups() if g is not None), ""))
        return not ("object" in arguments or "namespace" in arguments)

    def words_in(self, text: str) -> dict[str, str]:
        """The syscall, namespace and object words of a line, those that match (space-separated, most
        specific first: a rule that names one of them matches); a traceback frame has them alone."""
        objects = self.object_words.names_in(text)
        namespaces = self.namespace_words.names_in(text)
        if self.namespace_kinds.intersection(namespaces):
            # "any" and "new" stand for a namespace of no kind the line says: not on a line that names
            # one ("Failed to move to new namespace: PID namespaces supported, …" is PID and network).
            namespaces = [name for name in namespaces if name not in ("any", "new")]
        elif self.confinement_objects.intersection(objects):
            # Landlock or a program's own filter: "sandbox" on its line is no namespace.
            namespaces = [name for name in namespaces if name != "any"]
        if self.file_objects.intersection(objects):
            namespaces = []
        words = {"syscall": " ".join(self.syscall_words.names_in(text)),
                 "namespace": " ".join(namespaces),
                 "object": " ".join(objects)}
        return {k: v for k, v in words.items() if v}

    def is_quiet(self, forms: list[str]) -> bool:
        """The line, or a layer of it, is logged at an informational level."""
        return self.quiet_line is not None and any(self.quiet_line.search(f) is not None for f in forms)

    def bare_errno_in(self, text: str) -> str | None:
        """The errno of an exception line that names no syscall, namespace or object itself."""
        return self._errno_on(self.exception_line, text)

    def chain_errno_in(self, text: str) -> str | None:
        """The errno of an error chain's last link that is an errno alone ("1: Operation not permitted")."""
        return self._errno_on(self.chain_line, text)

    def _errno_on(self, line: Lazy | None, text: str) -> str | None:
        return self.errno_in(text) if line is not None and line.search(text) is not None else None

    def mentions_in(self, text: str) -> list[Feature]:
        """The mechanisms an error line names as its likely cause (a program's own hint)."""
        if self.error_words is None or self.error_words.search(text) is None:
            return []
        if self.checks is not None and self.checks.search(text) is not None:
            return []
        return [Feature.of("mention", {"topic": name}) for name, rx in self.topics
                if rx.search(text) and not (name in self.absent and self.absent[name].search(text))]

    # --- context -----------------------------------------------------------------------------
    def facts_in(self, variants: list[str]) -> list[LineFact]:
        found: list[LineFact] = []
        if not self.context:
            return found
        self._context_lines += 1
        if self._context_lines > SET_AFTER:
            if not any(self.context_gate.search(text) for text in variants):
                return found
            tried = self.context
        else:
            folded = [screen_text(text.encode("utf-8", "replace")) for text in variants]
            tried = [c for c in self.context if not c[3] or any(atom in f for atom in c[3] for f in folded)]
        for key, fixed, pattern, _, named in tried:
            for text in variants:
                match = pattern.search(text)
                if match is None:
                    continue
                value = fixed if fixed is not None else (match.group(1) if pattern.groups >= 1 else None)
                if value and named:  # the group holds a name that stands for the value (a code name)
                    value = named.get(value.strip().lower())
                if value:  # else a later form may hold it (a `cat` line joined with its output)
                    found.append(LineFact(key, value.strip()))
                    break
        return found


# RE2's case folding maps these two characters to ASCII letters (K to k, LONG S to s); bytes.lower()
# does not, so the screen maps them first (see index.prefilter.required_atoms).
_FOLDED_TO_ASCII = (("\u212a".encode(), b"k"), ("\u017f".encode(), b"s"))


def screen_text(data: bytes) -> bytes:
    """`data` as the screen's atoms are looked for in it: ASCII letters lower-cased, and the two
    non-ASCII characters RE2 folds to ASCII letters mapped to them."""
    folded = data.lower()
    if not data.isascii():
        for char, letter in _FOLDED_TO_ASCII:
            folded = folded.replace(char, letter)
    return folded


def _named(items: list[Any]) -> list[tuple[str, Lazy]]:
    return [(item["name"], _lazy(item, "pattern")) for item in items if isinstance(item, dict)]


def _lazy(item: dict[str, Any], key: str) -> Lazy:
    return Lazy(item[key], item.get(key + "_literal", ""))


# re.escape's own table: the errno texts are escaped on every start, where `re` is not imported.
_SPECIAL = {i: "\\" + chr(i) for i in b"()[]{}?*+-|^$\\.&~# \t\n\r\v\f"}


def _escape(text: str) -> str:
    return text.translate(_SPECIAL)


def _seccomp_action(code: str) -> str:
    """The action of a seccomp audit record's code= (the high 16 bits of SECCOMP_RET_*). auditd's
    enriched format appends "AUID=..." after an invisible separator, which a paste often loses
    ("code=0x30000AUID=..."): the value ends there."""
    code = code.split("AUID=", 1)[0].split("\x1d", 1)[0]
    try:
        value = int(code, 16) if code.lower().startswith("0x") else int(code)
    except ValueError:
        return "unknown"
    action = value & 0xFFFF0000
    return {0x80000000: "kill_process", 0x00000000: "kill_thread", 0x00030000: "trap", 0x00050000: "errno",
            0x7FC00000: "user_notif", 0x7FF00000: "trace", 0x7FFC0000: "log", 0x7FFF0000: "allow"}.get(action, "unknown")
