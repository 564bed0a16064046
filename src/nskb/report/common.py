"""Sentences every report format shares: the verdict, evidence, ruled-out reasons, warnings, the
decider hint, and which causes and fixes a report shows.

The diagnosis holds IDs, codes, line numbers and fact keys; these functions word them in the
reader's language. `text`, `markdown` and `as_json` lay them out.
"""
from __future__ import annotations

from nskb.report.fixes import MECHANISM_TOOLS, order_fixes
from nskb.report.links import title
from nskb.words import CLAUSE_SEP, COLON, LIST_SEP, UI

TYPE_CHECKING = False  # typing is not imported at run time: kb-match's start-up budget
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

SHOWN_LINE = 200  # characters of a matched line shown in text output
MIN_SHOWN = 0.01  # a candidate below this probability is not worth a reader's time
# What normalizing left (BEL, BS, SO, C1 ...), escaped; a translate table: no `re` at start-up.
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0))}


def shown_causes(result: dict[str, Any], index: Mapping[str, Any], top: int) -> list[dict[str, Any]]:
    """The causes a report lists: the first `top` that some evidence speaks for, each with its
    fixes in the order that fits the tools of the matched lines (the first is the safest fix)."""
    # The programs that failed: the tools of the error lines (a clue's tool, or a mechanism such as
    # AppArmor or the kernel, names no program).
    tools = {index["symptoms"][s["id"]].get("tool") for s in result["symptoms"]
             if index["symptoms"][s["id"]].get("kind") == "error"} - {"", None} - MECHANISM_TOOLS
    if result["facts"].get("ci.provider"):  # a CI's own fix fits where the log shows that CI
        tools.add(result["facts"]["ci.provider"])
    out: list[dict[str, Any]] = []
    for cause in result["causes"]:
        if len(out) >= top:
            break
        spoken = cause["explained"] or any(e.get("counted", True) and e["weight"] > 0 for e in cause["evidence"])
        if not spoken or cause["probability"] < MIN_SHOWN:
            continue
        fixes = order_fixes(index, index["causes"][cause["id"]].get("fixes", []), tools, program_unknown=not tools)
        out.append({**cause, "fixes": fixes})
    return out


def where(item: dict[str, Any], several: bool) -> str:
    """`file:line`, or just the line number for the only input when it is stdin."""
    if not item.get("line"):
        return item.get("file", "")
    return f"{item['file']}:{item['line']}" if several or item.get("file") not in (None, "-", "<stdin>") else str(item["line"])


def warning_text(warning: dict[str, Any], lang: str) -> str:
    """A coded warning (`{"code": ..., values}`) as a sentence in `lang`."""
    words = UI[lang]
    params = dict(warning)
    if params["code"].startswith("probe-"):  # the probe parser's warning, after its place
        from nskb.probe.parse import ProbeWarning

        values = {k: v for k, v in params.items() if k not in ("code", "file", "line")}
        text = ProbeWarning(params["code"][len("probe-"):], params.get("line", 1), values).message(lang)
        return str(words["w_probe"].format(message=f"{where(params, True)}: {text}"))
    if "file" in params:
        params["where"] = where(params, True)
    for key in ("keys", "values"):
        if key in params and isinstance(params[key], list):
            params[key] = LIST_SEP[lang].join(params[key])
    template = words.get("w_" + warning["code"])
    if template is None:
        return str(warning.get("message") or warning["code"])
    try:
        return str(template.format(**params))
    except (KeyError, IndexError):
        return str(warning["code"])


def _signed(weight: float) -> str:
    return f"{weight:+.2f}"


def feature_text(kind: str, fields: dict[str, str], lang: str) -> str:
    """A feature of a line in words: `AppArmor DENIED userns_create (profile unprivileged_userns)`."""
    words = UI[lang]
    if kind == "apparmor":
        profile = fields.get("profile", "")
        part = (f"（profile {profile}）" if lang == "zh" else f" (profile {profile})") if profile else ""
        return str(words["f_apparmor"].format(apparmor=fields.get("apparmor", ""), operation=fields.get("operation", ""),
                                              profile_part=part))
    if kind == "selinux":
        return str(words["f_selinux"].format(perms=fields.get("perms", ""), tclass=fields.get("tclass", "")))
    if kind == "syscall":
        errno = fields.get("errno", "")
        part = (f"（{errno}）" if lang == "zh" else f" ({errno})") if errno else ""
        return str(words["f_syscall"].format(syscall=fields.get("syscall", "?"), errno_part=part))
    if kind == "seccomp":
        return str(words["f_seccomp"].format(action=fields.get("action", "?"), syscall=fields.get("syscall", "?")))
    if kind == "signal":  # a process killed by a signal only a seccomp filter sends
        return str(words["f_signal"].format(signal=fields.get("signal", "?")))
    if kind == "thread":  # a thread or child process that could not be started
        return str(words["f_thread"].format(errno=fields.get("errno", "?")))
    if kind == "mention":  # a program's own hint at a mechanism (features.yaml `mentions`)
        return str(words["f_mention"].format(topic=fields.get("topic", "?")))
    what = " ".join(v for v in (fields.get("syscall"), fields.get("namespace") and f"{fields['namespace']} namespace",
                                fields.get("object")) if v) or "?"
    return str(words["f_failure"].format(what=what, errno=fields.get("errno", "?")))


def _fields(value: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in value.split(" ") if "=" in part)


def evidence_text(index: Mapping[str, Any], item: dict[str, Any], lang: str) -> str:
    """One line of "why" for a cause, with its contribution in log-odds."""
    words = UI[lang]
    code, w = item["code"], _signed(item["weight"])
    base = code.removesuffix("-unexplained")
    if base.startswith("symptom-"):
        text = words["e_symptom"].format(line=item["line"], title=title(index, "symptom", item["id"], lang),
                                         level=words["lvl_" + base.split("-", 1)[1]], w=w)
    elif base.startswith("probe-"):
        text = words["e_probe_attempt"].format(key=item["id"], value=item.get("value", ""),
                                               strength=words["str_" + base.split("-", 1)[1]]
                                               if base != "probe-unlisted" else words["str_weak"], w=w)
    elif base.startswith("feature-"):
        text = words["e_feature"].format(line=item["line"], what=feature_text(item["id"], _fields(item.get("value", "")), lang),
                                         strength=words["str_" + base.split("-", 1)[1]], w=w)
    elif base == "clue-lowers":
        text = words["e_clue_lowers"].format(line=item["line"], title=title(index, "symptom", item["id"], lang), w=w)
    elif base.startswith("clue-"):
        text = words["e_clue"].format(line=item["line"], title=title(index, "symptom", item["id"], lang), w=w)
    elif base.startswith("fact-where-"):
        text = words["e_fact_where"].format(value=item.get("value", ""), w=w)
    else:
        against = base == "fact-rules-out"
        key = ("e_against_" if against else "e_fact_") + ("line" if item.get("source") == "line" else "probe")
        text = words[key].format(line=item.get("line", ""), key=item["id"], value=item.get("value", ""), w=w)
    if code.endswith("-unexplained"):
        text += words["e_unexplained"]
    elif not item.get("counted", True):
        text += words["e_not_counted"]
    return str(text)


def shown_evidence(cause: dict[str, Any]) -> list[dict[str, Any]]:
    """The evidence a report lists for a cause: what counted, then what was set aside (a few)."""
    counted = [e for e in cause["evidence"] if e.get("counted", True)]
    aside = [e for e in cause["evidence"] if not e.get("counted", True)]
    return counted + aside[:3]


def _because_one(item: dict[str, Any], lang: str) -> str:
    if item.get("source") == "line":
        return str(UI[lang]["because_line"].format(**item))
    return str(UI[lang]["because_probe"].format(**item))


def ruled_out_text(index: Mapping[str, Any], item: dict[str, Any], lang: str) -> str:
    """`<cause title>: <the facts that ruled it out>`, punctuated for the language."""
    because = CLAUSE_SEP[lang].join(_because_one(b, lang) for b in item["because"])
    return f"{title(index, 'cause', item['id'], lang)}{COLON[lang]}{because}"


def shorten(text: str, limit: int = SHOWN_LINE) -> str:
    """A log line to show: control characters escaped (a terminal would act on them), cut at `limit`."""
    text = text.strip().translate(_CONTROL)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def verdict_line(result: dict[str, Any], index: Mapping[str, Any], lang: str, threshold: float) -> str:
    words = UI[lang]
    if result["verdict"] == "cause":
        top = result["causes"][0]
        return str(words["verdict_cause"].format(title=title(index, "cause", top["id"], lang), p=f"{top['probability']:.2f}"))
    if result["verdict"] == "not-sure":
        return str(words["verdict_not_sure"].format(threshold=f"{threshold:.2f}"))
    return str(words["verdict_no_failure"].format(lines=result["lines"]))


def decide_lines(result: dict[str, Any], index: Mapping[str, Any], lang: str) -> list[str]:
    """When close causes remain undecided: which facts would decide, and how to collect them."""
    decide = result.get("decide")
    if not decide:
        return []
    words = UI[lang]
    rank_of = {c["id"]: c["rank"] for c in result["causes"]}
    ranks = [str(rank_of[c]) for c in decide["between"] if c in rank_of]
    joined = (("、".join(ranks[:-1]) + " 和 " + ranks[-1]) if lang == "zh" else
              (", ".join(ranks[:-1]) + " and " + ranks[-1]))
    lines = [words["decide"].format(ranks=joined, keys=LIST_SEP[lang].join(decide["facts"])), "  " + words["decide_how"]]
    for cid in decide["between"]:
        for run in index["causes"][cid].get("diagnose", [])[:1]:
            lines.append("  " + words["decide_hand"].format(title=title(index, "cause", cid, lang), run=run))
    return lines
