"""From a Scan and probe facts to ranked causes, with their evidence, fixes and what would decide.

Pure: dicts in, dicts out. Results carry IDs, line numbers and fact keys; the report modules turn
them into sentences in the reader's language.
"""
from __future__ import annotations

from nskb.diagnose.conditions import condition_keys, holding, merge_facts
from nskb.report.fixes import GENERAL_TOOLS, fix_fits, order_fixes  # noqa: F401 - moved to report/ (issue 9); the lead drops this

# Score constants (see `rank_causes`).
CLUE_WEIGHT = 0.5       # a clue adds half the share an error line would
CONFIRM_BONUS = 1.0     # a probe or pasted fact that confirms the cause
FACT_ONLY_WEIGHT = 0.5  # a cause only facts point to, about the tool of the error lines that point elsewhere
SPECIFICITY_BONUS = 0.05  # per extra test in the confirming condition (chroot=yes < uid=0 && no CAP)
LOWER_FACTOR = 0.5      # each clue that makes a cause less likely halves it
CLOSE_RATIO = 0.4       # a runner-up is "close" at this fraction of the leader's points


def harmonic_shares(n: int) -> list[float]:
    """How a symptom spreads one unit of belief over its n causes, most likely first.

    Weights 1, 1/2, 1/3, ... normalized: one cause gets 1.0, the first of four gets 0.48 and the
    first of six 0.41. A specific symptom therefore outweighs a vague one, and the listed order
    acts as a prior.
    """
    weights = [1.0 / (i + 1) for i in range(n)]
    total = sum(weights) or 1.0
    return [w / total for w in weights]


def rank_causes(index: dict, scan, facts: dict, fact_sources: dict) -> dict:
    """Candidates, their points and evidence, the ruled-out causes and what would decide a tie.

    Points of a cause:
      + for each distinct error symptom that lists it: its harmonic share (1.0 for a symptom with
        one cause, 0.48 for the first of four, 0.12 for the last of four);
      + for each clue that lists it, when it is already a candidate: CLUE_WEIGHT x its share;
      + CONFIRM_BONUS when a `confirms` condition holds on the facts, plus SPECIFICITY_BONUS for
        each test beyond the first in that condition;
      x LOWER_FACTOR for each clue that lists it under `lowers`.
    A cause that only facts point to enters with that bonus when no error line matched. Next to
    error lines, it enters only when a matched clue lists it or its `tools` include the tool of one
    of those lines (subuid.count=0 says nothing about a bwrap error), with FACT_ONLY_WEIGHT, halved
    when a cause the lines list is confirmed. A cause whose `rules_out` condition holds is dropped
    and reported with the facts that ruled it out. `score` is the cause's share of all points.
    Each cause keeps all its fixes, in `order_fixes` order for the tools of every matched line.
    """
    causes, symptoms = index["causes"], index["symptoms"]
    errors = [s for s in scan.order if symptoms[s]["kind"] == "error"]
    clues = [s for s in scan.order if symptoms[s]["kind"] == "clue"]
    tally = _Tally(scan)
    for sid in errors:
        listed = [c for c in symptoms[sid]["causes"] if causes[c].get("status") != "retired"]
        for cid, share in zip(listed, harmonic_shares(len(listed))):
            tally.add(cid, share, {"type": "symptom", **tally.hit(sid), "weight": round(share, 3)}, sid)
    linked = set(tally.points)
    confirmed = {}      # cause -> (fact keys of its holding conditions, tests in the most specific one)
    for cid, cause in causes.items():
        keys, tests = holding(cause.get("confirms", []), facts) if cause.get("status") != "retired" else ([], 0)
        if keys and (not errors or _about_the_failure(cid, index, errors, clues, linked)):
            confirmed[cid] = (keys, tests)
    linked_confirmed = any(cid in linked for cid in confirmed)
    for cid, (keys, tests) in confirmed.items():
        bonus = CONFIRM_BONUS + SPECIFICITY_BONUS * (tests - 1)
        if cid not in linked and errors:
            bonus = FACT_ONLY_WEIGHT * (0.5 if linked_confirmed else 1.0)
        tally.add(cid, bonus, None)
        for key in keys:
            tally.evidence[cid].append({"type": "fact", "key": key, "value": facts[key], "effect": "confirms",
                                        "weight": round(bonus, 3), **fact_sources.get(key, {})})
    for sid in clues:
        listed = symptoms[sid]["causes"]
        for cid, share in zip(listed, harmonic_shares(len(listed))):
            if cid in tally.points:
                tally.add(cid, CLUE_WEIGHT * share, {"type": "clue", **tally.hit(sid), "effect": "raises",
                                                     "weight": round(CLUE_WEIGHT * share, 3)})
        for cid in symptoms[sid].get("lowers", []):
            if cid in tally.points:
                tally.points[cid] *= LOWER_FACTOR
                tally.evidence[cid].append({"type": "clue", **tally.hit(sid), "effect": "lowers", "weight": LOWER_FACTOR})
    ruled_out, warnings = _rule_out(tally.points, causes, confirmed, facts, fact_sources)
    points = tally.points
    total = sum(points.values()) or 1.0
    order = sorted(points, key=lambda c: (-round(points[c], 9), c not in confirmed,
                                          tally.first_line.get(c, (1 << 30, 0)), c))
    seen_tools = {symptoms[s].get("tool") for s in scan.order} - {"", None}
    ranked = []
    for rank, cid in enumerate(order, 1):
        ranked.append({"id": cid, "rank": rank, "score": round(points[cid] / total, 3),
                       "points": round(points[cid], 3), "confirmed": cid in confirmed,
                       "evidence": tally.evidence[cid], "fixes": order_fixes(index, causes[cid].get("fixes", []), seen_tools)})
    return {"causes": ranked, "ruled_out": ruled_out, "warnings": warnings,
            "decide": _decider(index, ranked, facts)}


class _Tally:
    """Points and evidence per cause, and where the first line pointing to it is (for ties)."""

    def __init__(self, scan):
        self.scan = scan
        self.points: dict[str, float] = {}
        self.evidence: dict[str, list[dict]] = {}
        self.first_line: dict[str, tuple] = {}

    def hit(self, sid: str) -> dict:
        first = self.scan.hits[sid][0]
        return {"id": sid, "file": first["file"], "line": first["line"]}

    def add(self, cid: str, points: float, evidence: dict | None, sid: str | None = None) -> None:
        self.points[cid] = self.points.get(cid, 0.0) + points
        self.evidence.setdefault(cid, [])
        if evidence:
            self.evidence[cid].append(evidence)
        if sid:  # (input number, line) of the symptom's first line
            first = self.scan.hits[sid][0]
            sources = self.scan.sources
            place = (sources.index(first["file"]) if first["file"] in sources else 0, first["line"])
            self.first_line[cid] = min(self.first_line.get(cid, place), place)


def _about_the_failure(cid: str, index: dict, errors: list[str], clues: list[str], linked: set) -> bool:
    """Whether a cause the facts confirm belongs next to the matched error lines: a matched line
    lists it, or it is about the tool of one of the error lines. Otherwise the facts describe
    something else on the machine (no subordinate ids, a root uid) and the cause stays out."""
    symptoms = index["symptoms"]
    if cid in linked or any(cid in symptoms[s]["causes"] for s in clues):
        return True
    error_tools = {symptoms[s].get("tool") for s in errors}
    return not error_tools.isdisjoint(index["causes"][cid].get("tools", []))


def _rule_out(points: dict, causes: dict, confirmed: dict, facts: dict, fact_sources: dict) -> tuple[list, list]:
    """Drop (from `points`) every candidate a `rules_out` condition holds for; report it, with the facts."""
    ruled_out, warnings = [], []
    for cid in sorted(points, key=lambda c: (-points[c], c)):
        keys, _tests = holding(causes[cid].get("rules_out", []), facts)
        if keys:
            if cid in confirmed:
                warnings.append({"code": "confirmed-and-ruled-out", "cause": cid, "keys": keys})
            ruled_out.append({"id": cid, "because": [{"key": k, "value": facts[k], **fact_sources.get(k, {})} for k in keys]})
            del points[cid]
    return ruled_out, warnings


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


def diagnose(index: dict, scan, probe_facts: dict, probe_warnings: list | None = None) -> dict:
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
