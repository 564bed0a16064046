"""Compile kb/ into the match index that kb-match loads (JSON, no YAML at run time).

`compile_index(kb)` is pure: the loaded KB in, one versioned dict out. `build_index` reads kb/
through the loader and writes `src/nskb/data/index.json`; setup.py calls it at build time, and
kb-match calls it when it runs from a checkout whose kb/ is newer than the index.
"""
from __future__ import annotations

import json
import os

FORMAT = "nskb-index/1"
DEFAULT_SITE_URL = "https://nskb-kb.github.io/nskb/"
RISK_ORDER = {"low": 0, "medium": 1, "high": 2}
LANGS = ("zh", "en")

# kb-match imports this module on its start-up path, so only json and os are imported at the top;
# pathlib, re and the loader come in with the functions that build an index.
PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
INDEX_PATH = os.path.join(PACKAGE_DIR, "data", "index.json")

_SITE_URL_LINE = r"^site_url:\s*['\"]?([^'\"\s#]+)"
# Whitespace that YAML line folding leaves inside Chinese prose: between two Han characters or
# next to full-width punctuation, where Chinese text never has a space.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULLWIDTH = "，。；：！？、（）「」『』《》〈〉【】"
_CJK_FOLD = rf"(?<=[{_HAN}{_FULLWIDTH}])[ \t\n]+(?=[{_HAN}{_FULLWIDTH}])"
_CJK_PUNCT_FOLD = rf"[ \t]+(?=[{_FULLWIDTH}])|(?<=[{_FULLWIDTH}])[ \t]+"


def checkout_kb_root(package_dir: str = PACKAGE_DIR) -> str | None:
    """kb/ of the source checkout this package runs from (editable install), else None."""
    root = os.path.join(os.path.dirname(os.path.dirname(package_dir)), "kb")
    return root if os.path.isdir(os.path.join(root, "symptoms")) else None


def read_site_url(mkdocs_yml: Path) -> str:
    """site_url from mkdocs.yml, read as text: the file may carry tags a safe YAML loader refuses."""
    import re

    try:
        found = re.search(_SITE_URL_LINE, mkdocs_yml.read_text(encoding="utf-8"), re.MULTILINE)
    except OSError:
        found = None
    url = found.group(1) if found else DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


def source_files(kb_root: Path) -> list[Path]:
    """Every file the index depends on: kb/ (schemas and good logs excluded) and mkdocs.yml."""
    from pathlib import Path

    kb_root = Path(kb_root)
    files = []
    for path in sorted(kb_root.rglob("*.yaml")):
        rel = path.relative_to(kb_root).parts
        if rel[0] in ("schema", "good-logs"):
            continue
        files.append(path)
    mkdocs = kb_root.parent / "mkdocs.yml"
    if mkdocs.is_file():
        files.append(mkdocs)
    return files


def kb_hash(kb_root: Path) -> str:
    import hashlib  # not needed on kb-match's fast path
    from pathlib import Path

    kb_root = Path(kb_root)
    digest = hashlib.sha256()
    for path in source_files(kb_root):
        digest.update(str(path.relative_to(kb_root.parent)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\1unreadable")
        digest.update(b"\0")
    return "sha256:" + digest.hexdigest()


def newest_source_mtime(kb_root: str) -> float:
    """The newest modification time among kb/'s YAML files and folders, mkdocs.yml and this compiler."""
    newest = os.stat(__file__).st_mtime  # a change to this compiler also makes the index stale
    for dirpath, _dirs, names in os.walk(kb_root):
        for name in names:
            if name.endswith(".yaml"):
                try:
                    newest = max(newest, os.stat(os.path.join(dirpath, name)).st_mtime)
                except OSError:
                    pass
        newest = max(newest, os.stat(dirpath).st_mtime)  # a deleted entry changes its folder
    try:
        newest = max(newest, os.stat(os.path.join(os.path.dirname(kb_root), "mkdocs.yml")).st_mtime)
    except OSError:
        pass
    return newest


def longest_literal(pattern: str) -> str:
    """The longest run of literal text every match of `pattern` contains ('' when none is sure).

    Parsed with Python's regex parser, which reads the RE2 subset our patterns use; anything it
    cannot read, or case-insensitive matching, gives '' (the pattern is then never prefiltered).
    """
    import re

    if any(syntax in pattern for syntax in ("[[:", "\\p", "\\P", "\\C", "\\Q", "\\z")):
        return ""  # RE2 syntax Python's parser reads differently: no literal rather than a wrong one
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover
        import sre_parse  # type: ignore
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - any parse failure just means "no literal"
        return ""
    if parsed.state.flags & re.IGNORECASE:
        return ""
    best, run = "", []

    def flush():
        nonlocal best, run
        text = "".join(run)
        if len(text.encode()) > len(best.encode()):
            best = text
        run = []

    def walk(items) -> None:
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                run.append(chr(arg))
            elif name == "AT":
                continue  # anchors consume nothing
            elif name == "SUBPATTERN" and not arg[1] and not any(str(o) == "BRANCH" for o, _ in arg[3]):
                walk(arg[3])
            else:
                flush()

    walk(parsed)
    flush()
    return best


def prefilter_form(pattern: str) -> tuple[str, bool]:
    """The pattern as the combined prefilter scans whole chunks with it, and whether it needs (?m).

    The pattern is kept whole (anchors too, so `^Description:` does not wake up on every
    "Description:" in the middle of a line); a pattern with `^` or `$` makes the combined scan
    multi-line, so that they keep meaning the start and end of a line.
    """
    try:
        from re import _parser as sre_parse
    except ImportError:  # pragma: no cover
        import sre_parse  # type: ignore
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:  # noqa: BLE001 - unreadable here: assume anchors
        return pattern, True

    def has_anchor(items) -> bool:
        for op, arg in items:
            name = str(op)
            if name == "AT" and str(arg) in ("AT_BEGINNING", "AT_END", "AT_BEGINNING_STRING", "AT_END_STRING"):
                return True
            if name == "SUBPATTERN" and has_anchor(arg[3]):
                return True
            if name == "BRANCH" and any(has_anchor(branch) for branch in arg[1]):
                return True
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and has_anchor(arg[2]):
                return True
        return False

    return pattern, has_anchor(parsed)


def _prose(value, lang: str):
    import re

    if isinstance(value, str):
        value = value.strip()
        if lang == "zh":
            value = re.sub(_CJK_FOLD, "", value)
            value = re.sub(_CJK_PUNCT_FOLD, "", value)
        return value
    if isinstance(value, dict):
        return {k: _prose(v, lang) for k, v in value.items()}
    return value


def _texts(data: dict) -> dict:
    text = data.get("text") if isinstance(data.get("text"), dict) else {}
    return {lang: _prose(text.get(lang) or {}, lang) for lang in LANGS}


def _list(value) -> list:
    return list(value) if isinstance(value, list) else []


def _risk_key(fixes: dict, fix_id: str, position: int):
    return (RISK_ORDER.get((fixes.get(fix_id) or {}).get("risk"), 3), position)


def _verified_literal(pattern: str, compiled, examples: list) -> str:
    """The pattern's literal, kept only if every example line the pattern matches contains it."""
    literal = longest_literal(pattern)
    for line in examples:
        if isinstance(line, str) and compiled.search(line) and literal not in line:
            return ""
    return literal


def _compile_symptom(entry, texts, problems) -> tuple[dict, dict]:
    """(what matching needs, what only --explain needs) for one symptom."""
    import re2  # the compiler checks every pattern exactly as kb-match will run it

    from .patterns import expand_pattern

    data = entry.data
    examples = data.get("examples") if isinstance(data.get("examples"), dict) else {}
    matching = _list(examples.get("match"))
    patterns, literals, prefilter = [], [], []
    options = re2.Options()
    options.log_errors = False
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
        literals.append(_verified_literal(expanded, compiled, matching))
        prefilter.append(prefilter_form(expanded))
    sets_fact = data.get("sets_fact") if isinstance(data.get("sets_fact"), dict) else None
    lean = {
        "kind": data.get("kind") if data.get("kind") in ("error", "clue") else "error",
        "tool": data.get("tool") or "",
        "patterns": patterns,
        "literals": literals,
        "prefilter": [form for form, _multiline in prefilter],
        "prefilter_multiline": any(multiline for _form, multiline in prefilter),
        "causes": [c for c in _list(data.get("causes")) if isinstance(c, str)],
        "lowers": [c for c in _list(data.get("lowers")) if isinstance(c, str)],
        "sets_fact": sets_fact,
        "status": data.get("status", "active"),
        "replaced_by": data.get("replaced_by"),
    }
    details = {
        "distros": _list(data.get("distros")),
        "related": _list(data.get("related")),
        "printed_by": _list(data.get("printed_by")),
        "examples": {"match": matching, "no_match": _list(examples.get("no_match"))},
        "references": _list(data.get("references")),
    }
    return lean, details


def _compile_cause(entry) -> tuple[dict, dict]:
    data = entry.data
    diagnostics = []
    for step in _list(data.get("diagnostics")):
        if isinstance(step, dict) and isinstance(step.get("run"), str):
            diagnostics.append({k: step.get(k) for k in ("run", "needs_root", "confirms_output", "rules_out_output")})
    lean = {
        "confirms": [c for c in _list(data.get("confirms")) if isinstance(c, dict)],
        "rules_out": [c for c in _list(data.get("rules_out")) if isinstance(c, dict)],
        "fixes": [f for f in _list(data.get("fixes")) if isinstance(f, str)],
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


def _compile_fix(entry) -> tuple[dict, dict]:
    data = entry.data
    lean = {
        "risk": data.get("risk") if data.get("risk") in RISK_ORDER else "high",
        "status": data.get("status", "active"),
        "replaced_by": data.get("replaced_by"),
    }
    details = {
        "scope": data.get("scope") or "",
        "needs_root": bool(data.get("needs_root")),
        "workaround": bool(data.get("workaround")),
        "tools": _list(data.get("tools")),
        "distros": _list(data.get("distros")),
        "commands": _list(data.get("commands")),
        "files": [f for f in _list(data.get("files")) if isinstance(f, dict)],
        "undo": _list(data.get("undo")),
        "verify": _list(data.get("verify")),
        "references": _list(data.get("references")),
    }
    return lean, details


def compile_index(kb, site_url: str | None = None, source_hash: str | None = None) -> dict:
    """The match index: everything kb-match and `--explain` need, as plain JSON data.

    Two layers: what every run needs (patterns, links, conditions, risks, titles) as JSON objects,
    and what only `--explain` reads (prose, examples, commands, references) as one JSON string in
    `articles`, decoded on demand by `articles()`. Loading the index then builds a few thousand
    objects instead of tens of thousands, which is most of kb-match's start-up.
    """
    from pathlib import Path

    from .patterns import errno_texts

    problems: list[str] = []
    texts = errno_texts(kb.errno)
    lean = {"symptom": {}, "cause": {}, "fix": {}}
    details = {"symptom": {}, "cause": {}, "fix": {}, "fact": {}, "tool": {}}
    prose = {"symptom": {}, "cause": {}, "fix": {}, "fact": {}, "tool": {}}
    builders = {"symptom": lambda e: _compile_symptom(e, texts, problems), "cause": _compile_cause, "fix": _compile_fix}
    for kind, entries in (("symptom", kb.symptoms), ("cause", kb.causes), ("fix", kb.fixes)):
        for entry_id in sorted(entries):
            entry = entries[entry_id]
            if not isinstance(entry.data, dict):
                continue
            lean[kind][entry_id], details[kind][entry_id] = builders[kind](entry)
            prose[kind][entry_id] = _texts(entry.data)
            if kind == "cause":
                for lang in LANGS:
                    prose[kind][entry_id][lang]["diagnostics"] = [
                        _prose(((step.get("text") or {}).get(lang) or {}), lang)
                        for step in _list(entry.data.get("diagnostics"))
                        if isinstance(step, dict) and isinstance(step.get("run"), str)]
    symptoms, causes, fixes = lean["symptom"], lean["cause"], lean["fix"]
    # Links that point nowhere are dropped here (kb-lint reports them); kb-match never dangles.
    for sid, symptom in symptoms.items():
        for key in ("causes", "lowers"):
            missing = [c for c in symptom[key] if c not in causes]
            if missing:
                problems.append(f"{sid}: {key} lists unknown causes {missing}")
            symptom[key] = [c for c in symptom[key] if c in causes]
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
    facts = {}
    for item in kb.facts:
        key = item.get("key")
        if not isinstance(key, str):
            continue
        values = [v.get("value") for v in _list(item.get("values")) if isinstance(v, dict)]
        facts[key] = {"values": values}
        details["fact"][key] = {"source": item.get("source", ""), "format": item.get("format", ""), "values": values}
        prose["fact"][key] = _texts(item)
        for lang in LANGS:
            prose["fact"][key][lang]["values"] = {
                v.get("value"): _prose(((v.get("text") or {}).get(lang) or {}).get("meaning", ""), lang)
                for v in _list(item.get("values")) if isinstance(v, dict)}
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
    details["text"] = prose
    return {
        "format": FORMAT,
        "kb_hash": source_hash or kb_hash(root),
        "site_url": site_url,
        "symptoms": symptoms,
        "causes": causes,
        "fixes": fixes,
        "facts": facts,
        "titles": titles,
        "articles": json.dumps(details, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
        "problems": problems,
    }


def articles(index: dict) -> dict:
    """What only --explain needs ({"text": prose, "symptom": {id: details}, ...}), decoded once."""
    if "_articles" not in index:
        index["_articles"] = json.loads(index["articles"])
    return index["_articles"]


def entry(index: dict, kind: str, entry_id: str) -> dict:
    """One symptom, cause or fix with everything the index holds about it (matching data and details)."""
    plural = {"symptom": "symptoms", "cause": "causes", "fix": "fixes"}[kind]
    return {**index[plural][entry_id], **articles(index)[kind].get(entry_id, {})}


def write_index(index: dict, path) -> None:
    """Write atomically, so a kb-match running meanwhile sees the old or the new index, whole."""
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = {k: v for k, v in index.items() if not k.startswith("_")}
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def build_index(kb_root, out=INDEX_PATH) -> dict:
    """Load kb/ (the loader imports YAML) and write the index; returns it."""
    from pathlib import Path

    from .loader import load_kb

    kb, _problems = load_kb(Path(kb_root))  # kb-lint reports the problems; we compile what loaded
    index = compile_index(kb)
    write_index(index, out)
    return index


class IndexUnusable(Exception):
    """The index is missing, unreadable or of another format; the message says what to do."""


def _rebuild(kb_root: str, path: str) -> dict:
    try:
        return build_index(kb_root, path)
    except OSError:  # read-only checkout: use a fresh index without saving it
        from pathlib import Path

        from .loader import load_kb

        return compile_index(load_kb(Path(kb_root))[0])


def load_index(path: str = INDEX_PATH, kb_root: str | None | bool = True) -> dict:
    """The index kb-match runs on. From a checkout, rebuilt first when kb/ is newer than it.

    `kb_root=True` finds the checkout's kb/ next to the package; None/False never rebuilds.
    """
    if kb_root is True:
        kb_root = checkout_kb_root()
    index = None
    try:
        with open(path, "rb") as handle:
            index = json.loads(handle.read())
        stale = not isinstance(index, dict) or index.get("format") != FORMAT
    except (OSError, ValueError):
        stale = True
    if kb_root:
        if stale or newest_source_mtime(kb_root) > os.stat(path).st_mtime:
            try:
                return _rebuild(kb_root, path)
            except Exception as error:  # noqa: BLE001 - a KB being edited must not stop kb-match
                if stale:
                    raise IndexUnusable(f"kb/ could not be compiled into {path} ({type(error).__name__}: {error}); "
                                        "run kb-lint kb to find the problem") from None
                index["_warning"] = (f"kb/ changed but could not be compiled ({type(error).__name__}: {error}); "
                                     "using the previous index (run kb-lint kb)")
    elif stale:
        found = index.get("format") if isinstance(index, dict) else None
        what = f"is of format {found!r}, not {FORMAT!r}" if found else "is missing or unreadable"
        raise IndexUnusable(f"the match index {path} {what}; reinstall nskb (pip install --force-reinstall nskb)")
    return index
