"""Sentences every report format shares: evidence, ruled-out reasons, warnings, the decider hint.

The result of `rank.diagnose` holds IDs, line numbers and fact keys; these functions word them in
the reader's language. `report_text`, `report_markdown` and `report_json` lay them out.
"""
from __future__ import annotations

import re

from nskb.report.links import title
from nskb.words import CLAUSE_SEP, COLON, LIST_SEP, UI

TYPE_CHECKING = False
if TYPE_CHECKING:
    from nskb.index.format import Index

SHOWN_LINE = 200  # characters of a matched line shown in text output
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what normalizing left: BEL, BS, SO, C1 ...


def where(item: dict, several: bool) -> str:
    """`file:line`, or just the line number for the only input when it is stdin."""
    if item.get("line") is None:
        return item.get("file", "")
    return f"{item['file']}:{item['line']}" if several or item.get("file") not in (None, "-", "<stdin>") else str(item["line"])


def warning_text(warning: dict, lang: str) -> str:
    """A coded warning (`{"code": ..., values}`) as a sentence in `lang`."""
    words = UI[lang]
    params = dict(warning)
    if isinstance(params.get("message"), dict):  # a coded probe warning the engine wrapped as {"code": "probe", ...}
        return warning_text(params["message"], lang)
    if params["code"].startswith("probe-"):  # the probe parser's warning, after its place
        from nskb.probe.parse import ProbeWarning

        values = {k: v for k, v in params.items() if k not in ("code", "file", "line")}
        text = ProbeWarning(params["code"][len("probe-"):], params.get("line", 1), values).message(lang)
        return words["w_probe"].format(message=f"{where(params, True)}: {text}")
    if "file" in params:
        params["where"] = where(params, True)
    if "keys" in params and isinstance(params["keys"], list):
        params["keys"] = LIST_SEP[lang].join(params["keys"])
    template = words.get("w_" + warning["code"])
    if template is None:
        return warning.get("message") or warning["code"]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return warning["code"]


def _fact_words(item: dict, facts: dict, lang: str) -> str:
    """`key=value`, with the signal behind it when the probe recorded one (chroot=yes via mountinfo)."""
    signal = facts.get(item["key"] + ".signal") or facts.get(item["key"].split(".")[0] + ".signal")
    via = UI[lang]["via"].format(signal=signal) if signal and signal != "none" and not signal.startswith("unknown:") else ""
    return f"{item['key']}={item['value']}{via}"


def evidence_text(index: Index, item: dict, facts: dict, lang: str) -> str:
    """One line of "why" for a cause: a symptom line, a clue, the probe's facts, or a pasted fact."""
    words = UI[lang]
    if item["type"] == "symptom":
        listed = index["symptoms"][item["id"]]["causes"]
        return words["ev_symptom_one" if len(listed) == 1 else "ev_symptom"].format(
            line=item["line"], title=title(index, "symptom", item["id"], lang), n=len(listed),
            i=item.get("nth", 1), nth=words["ordinal"](item.get("nth", 1)), w=f"{item['weight']:.2f}")
    if item["type"] == "clue":
        key = "ev_raise" if item["effect"] == "raises" else "ev_lower"
        return words[key].format(line=item["line"], title=title(index, "symptom", item["id"], lang), w=f"{item['weight']:.2f}")
    if item["type"] == "facts":  # the probe's facts of one confirmation, in one sentence
        joined = LIST_SEP[lang].join(_fact_words(f, facts, lang) for f in item["items"])
        key = "ev_fact_probe_many" if len(item["items"]) > 1 else "ev_fact_probe"
        return words[key].format(facts=joined, w=f"{item['weight']:.2f}")
    return words["ev_fact_line"].format(line=item["line"], key=item["key"], value=item["value"], w=f"{item['weight']:.2f}")


def evidence_for_people(index: Index, cause_id: str, evidence: list[dict]) -> list[dict]:
    """Evidence as people read it: each symptom knows the cause's place in its list (`nth`), and
    the probe facts that confirmed the cause together become one item."""
    out, probe = [], []
    for item in evidence:
        if item["type"] == "symptom":
            listed = index["symptoms"][item["id"]]["causes"]
            out.append({**item, "nth": listed.index(cause_id) + 1 if cause_id in listed else 1})
        elif item["type"] == "fact" and item.get("source") != "line":
            probe.append(item)
        else:
            out.append(item)
    if probe:
        out.append({"type": "facts", "items": probe, "weight": probe[0]["weight"]})
    return out


def _because_one(item: dict, lang: str) -> str:
    if item.get("source") == "line":
        return UI[lang]["because_line"].format(**item)
    return UI[lang]["because_probe"].format(**item)


def ruled_out_text(index: Index, item: dict, lang: str) -> str:
    """`<cause title>: <the facts that ruled it out>`, punctuated for the language."""
    because = CLAUSE_SEP[lang].join(_because_one(b, lang) for b in item["because"])
    return f"{title(index, 'cause', item['id'], lang)}{COLON[lang]}{because}"


def shorten(text: str, limit: int = SHOWN_LINE) -> str:
    """A log line to show: control characters escaped (a terminal would act on them), cut at `limit`."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decide_lines(result: dict, index: Index, lang: str) -> list[str]:
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
