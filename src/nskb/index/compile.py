"""Compile the loaded KB into the content of the match index (JSON data, no YAML at run time).

`compile_index(kb)` is pure: the loaded KB in, one dict out. Writing it, stamping its format and
deciding when to rebuild it is `index`'s job; `prefilter` works out what the matcher's prefilter
needs from each pattern.
"""
from __future__ import annotations

import json
import re

from nskb.chinese import drop_fold_spaces
from nskb.entries import COMMAND_LISTS, LANGS, RISK_ORDER, command_note, command_run, risk_rank, tool_name
from nskb.index.prefilter import line_bounded, longest_literal, required_atoms, unanchored_form, verified_literal
from nskb.index.sources import kb_hash, read_site_url
from nskb.regex import re2_options

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nskb.index.format import Cause, Content, Fact, Fix, Symptom
    from nskb.kb.model import KB, Entry


def _prose(value: Any, lang: str) -> Any:
    """Prose trimmed; Chinese prose without the spaces YAML line folding put between characters."""
    if isinstance(value, str):
        value = value.strip()
        return drop_fold_spaces(value) if lang == "zh" else value
    if isinstance(value, dict):
        return {k: _prose(v, lang) for k, v in value.items()}
    return value


def _texts(data: dict[str, Any]) -> dict[str, Any]:
    text = data.get("text")
    if not isinstance(text, dict):
        text = {}
    return {lang: _prose(text.get(lang) or {}, lang) for lang in LANGS}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _risk_key(fixes: dict[str, Fix], fix_id: str, position: int) -> tuple[int, int]:
    fix = fixes.get(fix_id)
    return (risk_rank(fix["risk"] if fix else None), position)


def _compile_symptom(entry: Entry, texts: dict[str, list[str]], problems: list[str]) -> tuple[Symptom, dict[str, Any]]:
    """(what matching needs, what only --explain needs) for one symptom."""
    import re2  # the compiler checks every pattern exactly as kb-match will run it

    from nskb.kb.patterns import expand_pattern

    data = entry.data
    examples = data.get("examples") if isinstance(data.get("examples"), dict) else {}
    matching = _list(examples.get("match"))
    patterns, literals, prefilter = [], [], []
    options = re2_options()
    for raw in _list(data.get("patterns")):
        if not isinstance(raw, str):
            continue
        expanded = expand_pattern(raw, texts)
        try:
            compiled = re2.compile(expanded, options)
        except re2.error as error:
            problems.append(f"{entry.id}: pattern skipped, RE2 refuses it: {error}")
            continue
        patterns.append(expanded)
        literals.append(verified_literal(expanded, compiled, matching))
        prefilter.append(unanchored_form(expanded))
    sets_fact = data.get("sets_fact") if isinstance(data.get("sets_fact"), dict) else None
    lean: Symptom = {
        "kind": data.get("kind") if data.get("kind") in ("error", "clue") else "error",
        "tool": data.get("tool") or "",
        "patterns": patterns,
        "literals": literals,
        "prefilter": prefilter,
        # per pattern: strings one of which each prefilter match holds (the small-input screen)
        "screen": [required_atoms(form) for form in prefilter],
        # most likely first; `strength` says how often each cause prints this line
        "causes": _cause_links(data.get("causes")),
        "strength": _cause_strengths(data.get("causes")),
        "background": data.get("background") if data.get("background") in LINK_LEVELS else "rare",
        "lowers": [c for c in _list(data.get("lowers")) if isinstance(c, str)],
        "sets_fact": sets_fact,
        "status": data.get("status", "active"),
        "replaced_by": data.get("replaced_by"),
    }
    details = {
        "distros": _list(data.get("distros")),
        "related": _list(data.get("related")),
        # language-invariant part only; each item's text.<lang>.note goes to the prose, per language
        "printed_by": [{k: v for k, v in p.items() if k != "text"}
                       for p in _list(data.get("printed_by")) if isinstance(p, dict)],
        "examples": {"match": matching, "no_match": _list(examples.get("no_match"))},
        "references": _list(data.get("references")),
    }
    return lean, details


LINK_LEVELS = ("usual", "common", "possible", "rare")


def _cause_strengths(value: Any) -> dict[str, str]:
    """{cause: level} from a symptom's `causes:` mapping (or an old ordered list)."""
    if isinstance(value, dict):
        return {c: s for c, s in value.items() if isinstance(c, str) and s in LINK_LEVELS}
    legacy = [c for c in _list(value) if isinstance(c, str)]
    return {c: LINK_LEVELS[min(n, 2)] for n, c in enumerate(legacy)}


def _cause_links(value: Any) -> list[str]:
    strengths = _cause_strengths(value)
    order = list(strengths)
    return sorted(order, key=lambda c: (LINK_LEVELS.index(strengths[c]), order.index(c)))


def _compile_cause(entry: Entry) -> tuple[Cause, dict[str, Any]]:
    data = entry.data
    diagnostics: list[dict[str, Any]] = []
    for step in _list(data.get("diagnostics")):
        if isinstance(step, dict) and isinstance(step.get("run"), str):
            diagnostics.append({k: step.get(k) for k in ("run", "needs_root", "confirms_output", "rules_out_output")})
    lean: Cause = {
        "confirms": [c for c in _list(data.get("confirms")) if isinstance(c, dict)],
        "rules_out": [c for c in _list(data.get("rules_out")) if isinstance(c, dict)],
        "fixes": [f for f in _list(data.get("fixes")) if isinstance(f, str)],
        "prevalence": data.get("prevalence") if data.get("prevalence") in ("common", "uncommon", "rare") else "uncommon",
        "evidence": [e for e in _list(data.get("evidence")) if isinstance(e, dict)],
        "other_work": [w for w in _list(data.get("other_work")) if isinstance(w, str)],
        "fixes_by_risk": [],  # filled by _link, once every fix is known
        "diagnose": [step["run"] for step in diagnostics[:1]],  # what the "which fact decides" hint shows
        "tools": _list(data.get("tools")),
        "status": data.get("status", "active"),
        "replaced_by": data.get("replaced_by"),
    }
    details = {
        "distros": _list(data.get("distros")),
        "related": _list(data.get("related")),
        "diagnostics": diagnostics,
        "references": _list(data.get("references")),
    }
    return lean, details


def _compile_fix(entry: Entry) -> tuple[Fix, dict[str, Any]]:
    """A fix's risk and tools (kb-match chooses among a cause's fixes by them); the rest for --explain."""
    data = entry.data
    lean: Fix = {
        "risk": data.get("risk") if data.get("risk") in RISK_ORDER else "high",
        "tools": [t for t in _list(data.get("tools")) if isinstance(t, str)],
        "status": data.get("status", "active"),
        "replaced_by": data.get("replaced_by"),
    }
    details = {
        "scope": data.get("scope") or "",
        "needs_root": bool(data.get("needs_root")),
        "workaround": bool(data.get("workaround")),
        "distros": _list(data.get("distros")),
        # the shell text only; each command's comment goes to the prose, per language
        "commands": [command_run(c) for c in _list(data.get("commands"))],
        "files": [f for f in _list(data.get("files")) if isinstance(f, dict)],
        "undo": [command_run(c) for c in _list(data.get("undo"))],
        "verify": [command_run(c) for c in _list(data.get("verify"))],
        "references": _list(data.get("references")),
    }
    return lean, details


def compile_index(kb: KB, site_url: str | None = None, source_hash: str | None = None) -> Content:
    """The content of the match index: everything kb-match and `--explain` need, as JSON data.

    Two layers: what every run needs (patterns, links, conditions, risks, titles) as JSON objects,
    and what only `--explain` reads (prose, examples, commands, references) as one JSON string in
    `articles`, decoded on demand by `index.articles()`. Loading the index then builds a few
    thousand objects instead of tens of thousands, which is most of kb-match's start-up.
    """
    from pathlib import Path

    from nskb.kb.patterns import errno_texts

    problems: list[str] = []
    texts = errno_texts(kb.errno)
    lean: dict[str, dict[str, Any]] = {"symptom": {}, "cause": {}, "fix": {}}
    details: dict[str, Any] = {"symptom": {}, "cause": {}, "fix": {}, "fact": {}, "tool": {}}
    prose: dict[str, dict[str, Any]] = {"symptom": {}, "cause": {}, "fix": {}, "fact": {}, "tool": {}}
    builders: dict[str, Any] = {"symptom": lambda e: _compile_symptom(e, texts, problems), "cause": _compile_cause, "fix": _compile_fix}
    for kind, entries in (("symptom", kb.symptoms), ("cause", kb.causes), ("fix", kb.fixes)):
        for entry_id in sorted(entries):
            entry = entries[entry_id]
            if not isinstance(entry.data, dict):
                continue
            lean[kind][entry_id], details[kind][entry_id] = builders[kind](entry)
            prose[kind][entry_id] = _texts(entry.data)
            if kind == "symptom":
                for lang in LANGS:  # one note per printed_by item ("" when it has none), same order
                    prose[kind][entry_id][lang]["printed_by"] = [
                        _prose(((p.get("text") or {}).get(lang) or {}).get("note", ""), lang)
                        for p in _list(entry.data.get("printed_by")) if isinstance(p, dict)]
            if kind == "cause":
                for lang in LANGS:
                    prose[kind][entry_id][lang]["diagnostics"] = [
                        _prose(((step.get("text") or {}).get(lang) or {}), lang)
                        for step in _list(entry.data.get("diagnostics"))
                        if isinstance(step, dict) and isinstance(step.get("run"), str)]
            if kind == "fix":
                for lang in LANGS:  # one comment per command ("" when it has none), same order
                    for key in COMMAND_LISTS:
                        prose[kind][entry_id][lang][key] = [command_note(c, lang) for c in _list(entry.data.get(key))]
    _link(lean, details, problems)
    facts = _compile_facts(kb.facts, details, prose)
    for item in kb.tools:
        tid = item.get("id")
        if isinstance(tid, str):
            details["tool"][tid] = {k: v for k, v in item.items() if k != "text"}
            prose["tool"][tid] = _texts(item)
    root = Path(kb.root)
    if site_url is None:
        site_url = read_site_url(root.parent / "mkdocs.yml")
    titles = {kind: {eid: {lang: (t.get(lang) or {}).get("title") or eid for lang in LANGS}
                     for eid, t in entries.items()}
              for kind, entries in prose.items() if kind in ("symptom", "cause", "fix")}
    # a tool's title is its name in each language (text.<lang>.name, else the product name)
    titles["tool"] = {item["id"]: {lang: tool_name(item, lang) for lang in LANGS}
                      for item in kb.tools if isinstance(item.get("id"), str)}
    details["text"] = prose
    return {
        "kb_hash": source_hash or kb_hash(root),
        "features": _compile_features(_with_signal_texts(kb.features, _signal_table(kb))),
        "errno": {item["name"]: {"number": item.get("number"), "texts": texts.get(item["name"], [])}
                  for item in kb.errno if isinstance(item.get("name"), str)},
        "site_url": site_url,
        "symptoms": lean["symptom"],
        "causes": lean["cause"],
        "fixes": lean["fix"],
        "facts": facts,
        "titles": titles,
        "articles": json.dumps(details, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
        "problems": problems,
    }


def _link(lean: dict[str, Any], details: dict[str, Any], problems: list[str]) -> None:
    """Drop links that point nowhere (kb-lint reports them; kb-match never dangles) and add the
    reverse links: a cause's symptoms, a fix's causes, a cause's fixes from the safest."""
    symptoms, causes, fixes = lean["symptom"], lean["cause"], lean["fix"]
    for sid, symptom in symptoms.items():
        for key in ("causes", "lowers"):
            missing = [c for c in symptom[key] if c not in causes]
            if missing:
                problems.append(f"{sid}: {key} lists unknown causes {missing}")
            symptom[key] = [c for c in symptom[key] if c in causes]
        symptom["strength"] = {c: s for c, s in symptom["strength"].items() if c in causes}
    for cid, cause in causes.items():
        missing = [f for f in cause["fixes"] if f not in fixes]
        if missing:
            problems.append(f"{cid}: fixes lists unknown fixes {missing}")
        listed = [f for f in cause["fixes"] if f in fixes]
        cause["fixes"] = listed
        cause["fixes_by_risk"] = sorted(listed, key=lambda f: _risk_key(fixes, f, listed.index(f)))
        details["cause"][cid]["symptoms"] = sorted(s for s, sym in symptoms.items() if cid in sym["causes"])
    for fid in fixes:
        details["fix"][fid]["causes"] = sorted(c for c, cause in causes.items() if fid in cause["fixes"])


def _compile_facts(items: list[dict[str, Any]], details: dict[str, Any], prose: dict[str, Any]) -> dict[str, Fact]:
    """{key: {"values": [...], "format": ...}} for matching and for checking probe output; the
    facts' sources and wording go to the articles."""
    facts: dict[str, Fact] = {}
    for item in items:
        key = item.get("key")
        if not isinstance(key, str):
            continue
        values = [v["value"] for v in _list(item.get("values")) if isinstance(v, dict) and isinstance(v.get("value"), str)]
        facts[key] = {"values": values, "format": item.get("format", "") or ""}
        details["fact"][key] = {"source": item.get("source", ""), "format": item.get("format", ""), "values": values}
        prose["fact"][key] = _texts(item)
        for lang in LANGS:
            prose["fact"][key][lang]["values"] = {
                v.get("value"): _prose(((v.get("text") or {}).get(lang) or {}).get("meaning", ""), lang)
                for v in _list(item.get("values")) if isinstance(v, dict)}
    return facts


def _signal_table(kb: KB) -> dict[str, list[str]]:
    """{"SIGTRAP": ["Trace/breakpoint trap", ..., "追踪与中断点陷阱", ...]}: errno.yaml's `signals`."""
    from nskb.kb.patterns import errno_texts

    document = kb.catalogues.get("errno")
    table = document.data.get("signals") if document is not None and isinstance(document.data, dict) else None
    return errno_texts([item for item in table if isinstance(item, dict)]) if isinstance(table, list) else {}


def _with_signal_texts(features: Any, texts: dict[str, list[str]]) -> Any:
    """features.yaml with each named signal's pattern also matching glibc's name for it in every
    locale of errno.yaml (a shell in a Spanish locale says "`trap' para punto de parada/seguimiento")."""
    failure = features.get("failure") if isinstance(features, dict) else None
    if not texts or not isinstance(failure, dict) or not isinstance(failure.get("signals"), list):
        return features
    signals = []
    for item in failure["signals"]:
        name = item.get("name") if isinstance(item, dict) else None
        names = texts.get(name) if isinstance(name, str) else None
        if names and isinstance(item.get("pattern"), str):
            # The texts as glibc prints them, outside the pattern's own (?i): a case-insensitive
            # part with non-ASCII letters has no atoms for the screen, and would be compiled for
            # every small log.
            own = item["pattern"]
            own = "(?i:" + own[4:] + ")" if own.startswith("(?i)") else "(?:" + own + ")"
            item = {**item, "pattern": own + "|" + "|".join(re.escape(text) for text in names)}
        signals.append(item)
    return {**features, "failure": {**failure, "signals": signals}}


def _compile_features(features: Any) -> dict[str, Any]:
    """features.yaml as kb-match reads it, plus `triggers`: the forms the prefilter looks for so
    that a line with a record, a namespace or syscall word, a program's hint or a context fact
    becomes a candidate (an errno alone never makes a failure line, so its texts are no trigger)."""
    if not isinstance(features, dict):
        return {}
    triggers = [r.get("marker") for r in _list(features.get("records")) if isinstance(r, dict)]
    failure: dict[str, Any] = features["failure"] if isinstance(features.get("failure"), dict) else {}
    triggers += _list(failure.get("errno_forms"))
    # A failure line needs an errno AND a word that ties it to namespace work: screening for the
    # words (a few dozen) is much cheaper than for every errno text of every locale.
    # A killing signal in words ("Bad system call") needs no errno: its patterns are triggers too.
    for group in ("errno_words", "syscalls", "namespaces", "objects", "signals"):
        triggers += [w.get("pattern") for w in _list(failure.get(group)) if isinstance(w, dict)]
    mentions: dict[str, Any] = features["mentions"] if isinstance(features.get("mentions"), dict) else {}
    triggers += [w.get("pattern") for w in _list(mentions.get("topics")) if isinstance(w, dict)]
    triggers += [unanchored_form(c.get("pattern", "")) for c in _list(features.get("context")) if isinstance(c, dict)]
    out = dict(features)
    # The literal each extractor pattern's matches contain: kb-match skips a line without it.
    out["records"] = [_with_literal(r, "marker") for r in _list(features.get("records")) if isinstance(r, dict)]
    # ... and strings one of which each match holds (ASCII-lower-cased): a small log tries a context
    # pattern only on a line that holds one, instead of compiling the gate of them all.
    out["context"] = [{**_with_literal(c, "pattern"), "pattern_atoms": required_atoms(c["pattern"])}
                      for c in _list(features.get("context")) if isinstance(c, dict) and isinstance(c.get("pattern"), str)]
    # Named pattern lists get their literals; a list of plain names (confinement_objects) stays as it is.
    out["failure"] = {k: ([{"pattern": p, "literal": longest_literal(p)} for p in v] if k == "errno_forms"
                          else [_with_literal(i, "pattern") if isinstance(i, dict) else i for i in v]
                          if isinstance(v, list) else v)
                      for k, v in failure.items()}
    if mentions:
        out["mentions"] = {**mentions, "topics": [_with_literal(t, "pattern") for t in _list(mentions.get("topics"))
                                                  if isinstance(t, dict)]}
    out["triggers"] = [line_bounded(t) for t in triggers if isinstance(t, str) and t]
    # What each trigger's matches must contain ("" when nothing is sure): kb-match screens a small
    # input's lines with these substrings before it compiles any trigger.
    out["trigger_literals"] = [longest_literal(t) for t in out["triggers"]]
    # Strings one of which each trigger match holds: the small-input screen compiles a trigger only
    # for a line that holds one of them.
    out["trigger_atoms"] = [required_atoms(t) for t in out["triggers"]]
    return out


def _with_literal(item: dict[str, Any], key: str) -> dict[str, Any]:
    pattern = item.get(key)
    return {**item, key + "_literal": longest_literal(pattern) if isinstance(pattern, str) else ""}
