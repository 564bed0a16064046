"""kb/features.yaml's own patterns. kb-match compiles each with RE2 the first time a line needs it,
so a pattern RE2 refuses would fail there, on someone's log; kb-lint refuses it first (KB101), and
a pattern that matches an empty line, which would make every line a candidate (KB109). The
confinement objects must be names of `failure.objects` (KB014)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nskb.kb.model import KB, Problem, as_list
from nskb.lint.evidence import declared_names
from nskb.lint.matching import MATCHES_EMPTY, compiled_or_problem

SINGLE = (("failure", "exception_line"), ("failure", "chain_line"), ("failure", "foreign_call"), ("failure", "quiet_line"),
          ("failure", "thread_start"), ("mentions", "error_words"), ("mentions", "checks"))
NAMED = (("failure", "errno_words"), ("failure", "errno_wordings"), ("failure", "syscalls"), ("failure", "namespaces"),
         ("failure", "objects"), ("failure", "signals"), ("failure", "programs"))


def _section(features: dict[str, Any], name: str) -> dict[str, Any]:
    part = features.get(name)
    return part if isinstance(part, dict) else {}


def _patterns(features: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(place in the file, pattern) for every pattern kb-match runs."""
    for section, key in SINGLE:
        part = features.get(section)
        if isinstance(part, dict) and key in part:
            yield (section, key), part[key]
    failure = _section(features, "failure")
    for n, pattern in enumerate(as_list(failure.get("errno_forms"))):
        yield ("failure", "errno_forms", n), pattern
    for section, key in NAMED:
        part = features.get(section)
        for n, item in enumerate(as_list(part.get(key)) if isinstance(part, dict) else []):
            if isinstance(item, dict):
                yield (section, key, n, "pattern"), item.get("pattern")
    mentions = _section(features, "mentions")
    for n, item in enumerate(as_list(mentions.get("topics"))):
        if isinstance(item, dict):
            for key in ("pattern", "absent"):
                if key in item:
                    yield ("mentions", "topics", n, key), item[key]
    for n, item in enumerate(as_list(features.get("records"))):
        if isinstance(item, dict):
            yield ("records", n, "marker"), item.get("marker")
            if "positional" in item:
                yield ("records", n, "positional"), item["positional"]
    for n, item in enumerate(as_list(features.get("context"))):
        if isinstance(item, dict):
            yield ("context", n, "pattern"), item.get("pattern")


def check_feature_patterns(kb: KB, shown) -> list[Problem]:
    document = kb.catalogues.get("features")
    if document is None or not isinstance(kb.features, dict):
        return []
    problems = []
    for place, pattern in _patterns(kb.features):
        if not isinstance(pattern, str):
            continue  # the schema reports it
        line, col = document.position(place)
        compiled, refused = compiled_or_problem(pattern)
        if refused is not None:
            problems.append(Problem(shown(document), line, col, *refused))
        elif compiled.search(""):
            problems.append(Problem(shown(document), line, col, *MATCHES_EMPTY, "anchor it on the text it looks for"))
    objects = declared_names(kb.features, "failure", "objects") or set()
    for key, label in (("confinement_objects", "confinement object"), ("file_objects", "file object")):
        for n, name in enumerate(as_list(_section(kb.features, "failure").get(key))):
            if isinstance(name, str) and name not in objects:
                line, col = document.position(("failure", key, n))
                problems.append(Problem(shown(document), line, col, "KB014", f"{label} '{name}' is no name in failure.objects",
                                        "name an object of failure.objects, or add it there first"))
    other_work = _section(kb.features, "failure").get("other_work")
    listed = set(as_list(other_work.get("objects"))) if isinstance(other_work, dict) else set()
    errnos = {e["name"] for e in kb.errno if isinstance(e, dict) and isinstance(e.get("name"), str)}
    declared = {"objects": objects, "syscalls": declared_names(kb.features, "failure", "syscalls") or set(),
                "path_objects": listed, "errnos": errnos}
    for key, names in declared.items():
        for n, name in enumerate(as_list(other_work.get(key)) if isinstance(other_work, dict) else []):
            if isinstance(name, str) and name not in names:
                line, col = document.position(("failure", "other_work", key, n))
                known = {"path_objects": "other_work.objects", "errnos": "errno table"}.get(key, f"failure.{key}")
                problems.append(Problem(shown(document), line, col, "KB014",
                                        f"other_work {key[:-1]} '{name}' is no name in {known}",
                                        f"name one of {known}, or add it there first"))
    return problems
