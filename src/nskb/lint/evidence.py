"""What a schema cannot say about a cause's `evidence:` rules: that each names fields its feature
has, values the extractors can produce, and patterns RE2 accepts (KB020)."""
from __future__ import annotations

from nskb.kb.model import KB, Entry, Problem, as_list
from nskb.kb.patterns import PatternError, compile_re2

# The fields each feature kind carries (kb/features.yaml keeps the record fields; these are what
# the extractors derive on top of them).
DERIVED = {"apparmor": {"errno", "arch", "syscall"}, "selinux": set(), "syscall": {"errno"},
           "seccomp": {"action"}, "failure": {"errno", "syscall", "namespace", "object", "program"}, "thread": {"errno"}, "signal": {"signal"},
           "mention": {"topic"},
           "any": set()}
# Where the values of a field come from: a named list of features.yaml.
NAMED = {("failure", "syscall"): ("failure", "syscalls"), ("failure", "namespace"): ("failure", "namespaces"),
         ("failure", "object"): ("failure", "objects"),
         ("failure", "program"): ("failure", "programs"), ("mention", "topic"): ("mentions", "topics"),
         ("signal", "signal"): ("failure", "signals")}


def _fields(features: dict) -> dict[str, set[str]]:
    fields = {kind: set(extra) for kind, extra in DERIVED.items()}
    for record in as_list(features.get("records")):
        if isinstance(record, dict) and record.get("kind") in fields:
            fields[record["kind"]] |= {f for f in as_list(record.get("fields")) if isinstance(f, str)}
    return fields


def declared_names(features: dict, section: str, key: str) -> set[str] | None:
    part = features.get(section)
    items = part.get(key) if isinstance(part, dict) else None
    if not isinstance(items, list):
        return None  # no features.yaml: nothing to check the names against
    return {i["name"] for i in items if isinstance(i, dict) and isinstance(i.get("name"), str)}


def check_evidence(kb: KB, shown) -> list[Problem]:
    problems = []
    features = kb.features if isinstance(kb.features, dict) else {}
    fields = _fields(features)
    # An errno is one of kb/errno.yaml or a name kb/features.yaml's errno_words give (EUNKNOWN: the
    # line says no errno; EDISABLED: it says user namespaces are off; ECONFLICT: a setting refused
    # because they are on).
    errnos = {e.get("name") for e in kb.errno if isinstance(e, dict) and isinstance(e.get("name"), str)} | \
        (declared_names(features, "failure", "errno_words") or set())
    other = features.get("failure", {}).get("other_work") if isinstance(features.get("failure"), dict) else None
    # The names a cause may list: other work's syscalls, objects and limit errnos, and `thread`.
    other_names = ({n for key in ("syscalls", "objects", "errnos") for n in as_list(other.get(key))} | {"thread"}
                   if isinstance(other, dict) else None)
    for entry in kb.causes.values():
        for n, name in enumerate(as_list(entry.data.get("other_work"))):
            if other_names is not None and isinstance(name, str) and name not in other_names:
                line, col = entry.position(("other_work", n))
                problems.append(Problem(shown(entry), line, col, "KB020",
                                        f"other_work '{name}' is no name in features.yaml failure.other_work",
                                        "name one of its syscalls, objects or errnos, or thread"))
        for n, rule in enumerate(as_list(entry.data.get("evidence"))):
            if not isinstance(rule, dict) or rule.get("feature") not in fields:
                continue  # the schema reports it
            kind = rule["feature"]
            where: dict[str, object] = rule["where"] if isinstance(rule.get("where"), dict) else {}
            for key, wanted in where.items():
                path = ("evidence", n, "where", key)

                def problem(message: str, hint: str, at: tuple = path, entry: Entry = entry) -> None:
                    line, col = entry.position(at)
                    problems.append(Problem(shown(entry), line, col, "KB020", message, hint))

                if key not in fields[kind]:
                    problem(f"a {kind} feature has no field '{key}'",
                            f"use one of {', '.join(sorted(fields[kind]))} (kb/features.yaml)")
                    continue
                values = [wanted] if isinstance(wanted, str) else [v for v in as_list(wanted) if isinstance(v, str)]
                known = declared_names(features, *NAMED[(kind, key)]) if (kind, key) in NAMED else \
                    (errnos if key == "errno" else None)
                for value in values:
                    if known is not None and value not in known:
                        problem(f"no extractor gives {kind}.{key} the value '{value}'",
                                f"use one of {', '.join(sorted(k for k in known if k))}")
                for test in ("matches", "not_matches"):
                    if isinstance(wanted, dict) and isinstance(wanted.get(test), str):
                        try:
                            compile_re2(wanted[test])
                        except PatternError as error:
                            problem(f"RE2 refuses the pattern ({error})", "write it in RE2 syntax (no look-around)")
    return problems
