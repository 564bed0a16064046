"""Layer two: what a schema cannot say — ids, links between entries, fact keys, reachability."""
from __future__ import annotations

from nskb.entries import FOLDERS, RISK_ORDER, condition_tests
from nskb.kb.model import KB, Entry, Problem, as_list
from nskb.regex import PatternError, compile_re2


def _problem(entry: Entry, display: str, path: tuple, code: str, message: str, hint: str) -> Problem:
    line, col = entry.position(path)
    return Problem(display, line, col, code, message, hint)


def check_ids(kb: KB, shown) -> list[Problem]:
    problems = []
    owners: dict[str, Entry] = {}
    for entry in kb.entries():
        declared = entry.data.get("id")
        if isinstance(declared, str) and declared != entry.path.stem:
            problems.append(_problem(entry, shown(entry), ("id",), "KB012",
                                     f"id '{declared}' differs from the file name '{entry.path.stem}'",
                                     f"rename the file to {declared}.yaml or set id: {entry.path.stem}"))
        if entry.id in owners:
            other = owners[entry.id]
            problems.append(_problem(entry, shown(entry), ("id",), "KB013",
                                     f"id '{entry.id}' is also the {other.kind} {shown(other)}",
                                     "ids are unique across symptoms, causes and fixes; choose another"))
        else:
            owners[entry.id] = entry
    return problems


def _ids_at(entry: Entry, key: str):
    value = entry.data.get(key)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield (key, index), item
    elif isinstance(value, dict):  # a symptom's causes: {cause id: strength}
        for item in value:
            if isinstance(item, str):
                yield (key, item), item
    elif isinstance(value, str):
        yield (key,), value


def check_links(kb: KB, shown) -> list[Problem]:
    """Every id an entry names must exist, be of the right kind, and not be retired."""
    problems = []
    tool_ids = {t.get("id") for t in kb.tools if isinstance(t.get("id"), str)}
    targets = {
        "symptom": {"causes": kb.causes, "lowers": kb.causes, "related": kb.symptoms, "replaced_by": kb.symptoms},
        "cause": {"fixes": kb.fixes, "related": kb.causes, "replaced_by": kb.causes},
        "fix": {"replaced_by": kb.fixes},
    }
    for entry in kb.entries():
        for key, table in targets[entry.kind].items():
            kind = {id(kb.causes): "cause", id(kb.fixes): "fix", id(kb.symptoms): "symptom"}[id(table)]
            for path, target in _ids_at(entry, key):
                if target not in table:
                    problems.append(_problem(entry, shown(entry), path, "KB014",
                                             f"{key} names '{target}', which is not a {kind}",
                                             f"create kb/{FOLDERS[kind]}/{target}.yaml or correct the id"))
                elif table[target].retired and key != "replaced_by":
                    new = table[target].data.get("replaced_by", "its replacement")
                    problems.append(_problem(entry, shown(entry), path, "KB017",
                                             f"{key} names the retired {kind} '{target}'", f"use '{new}' instead"))
        for path, tool in _ids_at(entry, "tool" if entry.kind == "symptom" else "tools"):
            if tool_ids and tool not in tool_ids:
                problems.append(_problem(entry, shown(entry), path, "KB014", f"unknown tool '{tool}'",
                                         "use a tool id from kb/tools.yaml, or add the tool there"))
    return problems


def check_fact_keys(kb: KB, shown) -> list[Problem]:
    """Conditions (confirms, rules_out, evidence facts) and sets_fact use documented fact keys, and
    documented values of them."""
    problems = []
    catalogue = {f.get("key"): f for f in kb.facts if isinstance(f.get("key"), str)}
    # Facts only a log gives (features.yaml `context`): their fixed values, the values a name in the
    # pattern's group stands for, or any value when the group itself is the value.
    from_logs: dict[str, set[str] | None] = {}
    for item in as_list((kb.features or {}).get("context")):
        if isinstance(item, dict) and isinstance(item.get("fact"), str) and item["fact"] not in catalogue:
            values = from_logs.setdefault(item["fact"], set())
            if "value" in item:
                new: set[str] | None = {str(item["value"])}
            elif isinstance(item.get("values"), dict):
                new = {str(v) for v in item["values"].values()}
            else:
                new = None
            if new is None:
                from_logs[item["fact"]] = None
            elif values is not None:
                values.update(new)
    for entry in kb.entries():
        places = []
        for group in ("confirms", "rules_out"):
            for index, condition in enumerate(as_list(entry.data.get(group))):
                for sub, test in condition_tests(condition):
                    places.append(((group, index) + sub, test))
        # An evidence rule's facts: a value no probe reports would make the rule dead.
        for index, rule in enumerate(as_list(entry.data.get("evidence"))):
            if isinstance(rule, dict):
                for number, condition in enumerate(as_list(rule.get("facts"))):
                    for sub, test in condition_tests(condition):
                        places.append((("evidence", index, "facts", number) + sub, test))
        if isinstance(entry.data.get("sets_fact"), dict):
            places.append((("sets_fact",), entry.data["sets_fact"]))
        for path, test in places:
            key = test.get("fact")
            if not isinstance(key, str):
                continue
            if isinstance(test.get("matches"), str):
                try:
                    compile_re2(test["matches"])
                except PatternError as error:
                    problems.append(_problem(entry, shown(entry), path + ("matches",), "KB108",
                                             f"RE2 cannot compile the condition: {error}", "write a valid RE2 pattern"))
            if key not in catalogue and key not in from_logs:
                problems.append(_problem(entry, shown(entry), path + ("fact",), "KB015", f"unknown fact key '{key}'",
                                         "use a key documented in kb/facts.yaml or read by kb/features.yaml"))
                continue
            known: set[str] = set()
            if key in catalogue:
                known = {str(v["value"]) for v in as_list(catalogue[key].get("values"))
                         if isinstance(v, dict) and isinstance(v.get("value"), str)}
            else:
                known = from_logs[key] or set()
            wanted = [test["equals"]] if isinstance(test.get("equals"), str) else as_list(test.get("in"))
            if test.get("value") and not str(test["value"]).startswith("$"):
                wanted = [test["value"]]
            for value in wanted:
                if known and isinstance(value, str) and value not in known and not value.startswith("unknown:"):
                    problems.append(_problem(entry, shown(entry), path, "KB015",
                                             f"'{value}' is not a documented value of fact '{key}'",
                                             f"use one of: {', '.join(sorted(v for v in known if v))}"))
    return problems


def check_causes(kb: KB, shown) -> list[Problem]:
    """Each cause is reachable, and lists its fixes from the lowest risk to the highest."""
    problems = []
    pointed = {c for s in kb.symptoms.values() if not s.retired for _, c in _ids_at(s, "causes")}
    for cause in kb.causes.values():
        if cause.retired:
            continue
        if cause.id not in pointed and not cause.data.get("confirms"):
            problems.append(_problem(cause, shown(cause), ("id",), "KB016",
                                     f"cause '{cause.id}' is reached by no symptom and no fact condition",
                                     "list it in a symptom's causes, or give it confirms: conditions"))
        ranks = []
        for path, fix_id in _ids_at(cause, "fixes"):
            fix = kb.fixes.get(fix_id)
            risk = fix.data.get("risk") if fix is not None else None
            if isinstance(risk, str) and risk in RISK_ORDER:
                ranks.append((RISK_ORDER[risk], path, fix_id))
        for (rank_a, _, a), (rank_b, path, b) in zip(ranks, ranks[1:], strict=False):
            if rank_b < rank_a:
                problems.append(_problem(cause, shown(cause), path, "KB019",
                                         f"fix '{b}' has lower risk than '{a}' listed before it",
                                         "order fixes from the lowest risk to the highest"))
    return problems


def check_catalogue_keys(kb: KB, shown_doc) -> list[Problem]:
    """Keys inside facts.yaml, tools.yaml, glossary.yaml and errno.yaml are unique."""
    problems = []
    for name, list_key, id_key in (("facts", "facts", "key"), ("tools", "tools", "id"),
                                   ("glossary", "terms", "id"), ("errno", "errno", "name")):
        document = kb.catalogues.get(name)
        if document is None:
            continue
        seen = set()
        for index, item in enumerate(as_list(document.data.get(list_key))):
            value = item.get(id_key) if isinstance(item, dict) else None
            if not isinstance(value, str):
                continue  # the schema reports a missing or wrong-typed key
            if value in seen:
                line, col = document.position((list_key, index, id_key))
                problems.append(Problem(shown_doc(document), line, col, "KB013",
                                        f"{id_key} '{value}' appears twice in {name}.yaml", "keep one of them"))
            seen.add(value)
    return problems
