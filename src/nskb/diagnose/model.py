"""The diagnosis model: log-odds over the KB's causes and an explicit `other` hypothesis.

Every piece of evidence adds a log likelihood ratio (in nats) to each hypothesis; a prior per
cause comes from its `prevalence`, and `other` (no cause of the KB, or no namespace failure at all)
has a prior of its own. The probability shown is the softmax of those totals, so it can be low
for every cause: then kb-match says it is not sure. docs/dev/MODEL.md explains each constant.

Evidence falls into two groups:

* failure evidence says that a namespace failure happened and which causes print it: the error
  symptoms, and the features of any line (audit records, a failed syscall) that a cause claims.
  Against `other` such a line is strong evidence, so its ratio is taken against the chance of
  seeing it with no KB cause behind it. Observations of one channel (the symptom lines; each
  feature kind) report one event: per cause, only the strongest of a channel counts.
* context evidence only shifts belief between causes: clue lines, and facts from the probe or
  from pasted lines (`confirms`, `rules_out`). Where failure evidence exists, context never
  raises a cause that no failure evidence speaks for: facts alone do not explain an error.

Pure and order-free: every sum and maximum runs over sets, so the order of lines, and repeated
lines, cannot change the result.
"""
from __future__ import annotations

import math

from .conditions import condition_holds, condition_keys, holding, tests_of
from .types import Diagnosis, Evidence, Feature, Hit, RankedCause, RuledOut, Scan

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on the start-up path
if TYPE_CHECKING:
    from typing import Any

    from .types import Verdict

# How often a cause prints a failure line it lists (kb/schema/symptom.schema.json levels), and
# how often a line appears with a cause that does not list it, or with no KB cause at all.
P_LINK = {"usual": 0.6, "common": 0.15, "possible": 0.04, "rare": 0.01}
P_UNLISTED = 0.004
P_OTHER = 0.002
# A symptom's `background`: how often its line appears with no KB cause behind it. Most literal
# lines are rare then; a wrapper's generic line ("Failed to launch the browser process!") is not.
P_BACKGROUND = {"usual": 0.5, "common": 0.2, "possible": 0.05, "rare": P_OTHER}
# A failure line tied to namespace work only by a generic word ("namespace", "sandbox"), with no
# call and no namespace object: NVDIMM namespaces, Kubernetes namespaces and app sandboxes print such
# lines too. Measured on the corpus (tests/cases, 895 cases): such a line is in 0.8 % of the negatives
# and 1.7 % of the cases with a cause, a specific failure line in 2.1 % and 21 %; the generic line
# tells a cause from `other` about five times less well. Small counts (2 and 5 negatives): a rough
# ratio, not a fitted one.
P_VAGUE_BACKGROUND = 5 * P_OTHER
FEATURE_LEVEL = {"strong": "usual", "moderate": "common", "weak": "possible", "hint": "rare"}
# Context: likelihood ratios between causes (unlisted causes and `other` keep 1).
LR_CLUE = {"usual": 20.0, "common": 6.0, "possible": 2.5, "rare": 1.5}
LR_LOWERS = 0.3
LR_CONFIRMS = 50.0           # a `confirms` condition of one test holds (bench/accuracy --fit)
LR_CONFIRMS_EACH_MORE = 1.5  # times this for each further test of the condition
LR_RULES_OUT = 0.02          # a `rules_out` condition holds (certain: the cause is removed)
# Priors: `other` has P_OTHER_PRIOR; the causes share the rest by prevalence.
P_OTHER_PRIOR = 0.5
PREVALENCE = {"common": 3.0, "uncommon": 1.0, "rare": 0.3}
# A cause is named with confidence at this probability or more.
CONFIDENT = 0.5
# Divides every log likelihood ratio of the KB's evidence: fitted once on the whole corpus by
# bench/accuracy --fit (one number for all causes and cases), so that the probabilities are
# calibrated. 0.6 has a lower log loss but more wrong confident answers (docs/dev/MODEL.md).
TEMPERATURE = 0.7
# A log (and probe) in which no failure evidence is found: what no KB cause leaves behind but an
# unrelated log nearly always does. Measured on logs the KB was not written from: 5 of the 40 cases
# with a cause of held-out set 4 showed no failure evidence (12 %; the corpus's own 4 % is optimistic,
# since its lines became symptoms), against about 90 % of the negatives. Measured frequencies, not
# levels of the KB: the temperature does not sharpen them.
P_SILENT_CAUSE = 0.12
P_SILENT_OTHER = 0.9
# The facts that would decide are listed unless the named cause has this probability, for the
# causes within this share of the leader's.
DECIDED = 0.9
CLOSE = 0.25
# Feature kinds that are kernel audit records (read field by field by the causes' rules).
RECORD_KINDS = ("apparmor", "selinux", "syscall", "seccomp")
# Probe facts that show the failure itself (the probe's own attempt to create a namespace).
FAILURE_FACTS = ("userns.create", "userns.map_write", "userns.proc_mount")
# ... and what each attempt is, as a failure line would say it.
PROBE_ATTEMPTS = {"userns.create": {"syscall": "unshare", "namespace": "user"},
                  "userns.map_write": {"object": "uid_map", "namespace": "user"},
                  "userns.proc_mount": {"syscall": "mount", "object": "proc"}}


def diagnose(index: dict[str, Any], scan: Scan, probe_facts: dict[str, str],
             probe_warnings: list[dict[str, Any]] | None = None) -> Diagnosis:
    """The whole result, language-free: verdict, ranked causes with evidence, facts, warnings."""
    shown, sources, warnings = merge_facts(probe_facts, scan)
    facts = judged(shown)
    causes = {cid: c for cid, c in index["causes"].items() if c.get("status") != "retired"}
    tally = _Tally(causes)
    failure_seen = _failure_evidence(index, scan, facts, tally, _probe_failures(facts, sources))
    _clue_evidence(index, scan, tally)
    ruled_out = _fact_evidence(causes, facts, sources, tally)
    probe_failure = any(_shows_failure(facts.get(key, "")) for key in FAILURE_FACTS)
    silent = not failure_seen and not probe_failure
    if failure_seen:
        # Context raises only causes that some failure evidence speaks for.
        tally.gate_context()
    elif silent:
        # Where a failure would most likely come from, given the facts: it orders the causes.
        _any_failure_evidence(tally, facts, as_context=True)
    # With no failure at all (a healthy probe, a log of something else) context raises no cause
    # against `other`: it only orders the causes, within the share that `other` leaves them.
    # Silence is evidence only where a log was read: a probe alone says nothing of the log.
    ranked, other = _rank(causes, tally, {r.id for r in ruled_out if r.certain}, silent and scan.lines > 0,
                          context_orders_only=silent)
    if failure_seen:  # report what was ruled out among the causes the failure speaks for, not all of them
        ruled_out = [r for r in ruled_out if r.id in tally.explained]
    top = ranked[0] if ranked else None
    verdict: Verdict
    if silent:
        verdict = "no-failure"
    elif top is not None and top.probability >= CONFIDENT and top.probability > other and (top.explained or not failure_seen):
        verdict = "cause"
    else:
        verdict = "not-sure"
    # The probe's warnings come coded (probe-<code>, with their file and line), as the engine's own.
    warnings = list(probe_warnings or []) + list(scan.warnings) + warnings
    for sid, count in scan.symptom_counts.items():
        if count > len(scan.symptom_hits[sid]):
            warnings.append({"code": "many-hits", "symptom": sid, "count": count, "shown": len(scan.symptom_hits[sid])})
    return Diagnosis(verdict=verdict, causes=ranked, other=other, ruled_out=ruled_out, facts=dict(sorted(shown.items())),
                     fact_sources=sources, symptoms=_symptom_list(index, scan), features=_feature_list(scan),
                     warnings=warnings, decide=_decider(index, ranked, facts, verdict),
                     lines=scan.lines, bytes=scan.bytes, sources=list(scan.sources))


class _Tally:
    """Per cause: the log-likelihood ratio of each channel, and the evidence behind it."""

    def __init__(self, causes: dict[str, Any]):
        self.causes = causes
        self.channels: dict[str, dict[str, tuple[float, Evidence]]] = {c: {} for c in causes}
        self.context: dict[str, list[Evidence]] = {c: [] for c in causes}
        self.explained: set[str] = set()
        self.shown: dict[str, list[Evidence]] = {c: [] for c in causes}

    def failure(self, cid: str, channel: str, weight: float, evidence: Evidence, listed: bool) -> None:
        """Keep, per channel, the strongest observation for this cause."""
        if listed:
            self.explained.add(cid)
            self.shown[cid].append(evidence)
        best = self.channels[cid].get(channel)
        if best is None or (weight, evidence.file, -evidence.line) > (best[0], best[1].file, -best[1].line):
            self.channels[cid][channel] = (weight, evidence)

    def add_context(self, cid: str, evidence: Evidence) -> None:
        self.context[cid].append(evidence)

    def gate_context(self) -> None:
        for cid, items in self.context.items():
            if cid not in self.explained:
                for item in items:
                    if item.weight > 0:
                        item.counted = False
                        item.code += "-unexplained"

    def total(self, cid: str, context: bool = True) -> float:
        failure = sum(w for w, _ in self.channels[cid].values())
        if not context:
            return failure
        return failure + sum(e.weight for e in self.context[cid] if e.counted)

    def evidence(self, cid: str) -> list[Evidence]:
        counted = {id(e) for _, e in self.channels[cid].values()}
        shown = []
        for item in self.shown[cid]:
            item.counted = id(item) in counted
            shown.append(item)
        items = shown + self.context[cid]
        return sorted(items, key=lambda e: (not e.counted, -e.weight, e.type, e.id, e.file, e.line, e.value))


def _probe_failures(facts: dict[str, str], sources: dict[str, dict[str, Any]]) -> list[tuple[Feature, Hit]]:
    """The probe's own attempt, read as failure lines: `userns.create=EPERM` says what a failed
    unshare(CLONE_NEWUSER) says, so the same evidence rules weigh it."""
    found = []
    for key, fields in PROBE_ATTEMPTS.items():
        value = facts.get(key, "")
        if sources.get(key, {}).get("source") == "probe" and _shows_failure(value) and value.startswith("E"):
            found.append((Feature.of("failure", {**fields, "errno": value}), Hit("probe", 0, f"{key}={value}")))
    return found


def _failure_evidence(index: dict[str, Any], scan: Scan, facts: dict[str, str], tally: _Tally,
                      probe_features: list[tuple[Feature, Hit]]) -> bool:
    """Error symptoms and claimed features (of the log, and of the probe's own attempt); True when
    any was seen."""
    symptoms = index["symptoms"]
    seen = happened = False
    for sid in sorted(scan.symptom_hits):
        symptom = symptoms[sid]
        if symptom["kind"] != "error" or symptom.get("status") == "retired":
            continue
        seen = happened = True
        hit = scan.symptom_hits[sid][0]
        strengths = symptom.get("strength", {})
        background = P_BACKGROUND[symptom.get("background", "rare")]
        for cid in tally.causes:
            level = strengths.get(cid)
            weight = math.log((P_LINK[level] if level else P_UNLISTED) / background)
            code = f"symptom-{level}" if level else "symptom-unlisted"
            tally.failure(cid, "symptom", weight, Evidence("symptom", weight, code, sid, file=hit.file, line=hit.line),
                          listed=bool(level))
    features = dict(probe_features)
    features.update(scan.feature_hits)
    # A signal that says only how a failure ended (features.yaml `ending_only`: SIGTRAP after
    # "Check failed: ... Permission denied") is the same event as the line that reports the
    # failure: it counts only where no error symptom and no other claimed feature (mentions
    # aside) does, so it comes last. SIGSYS names its cause and counts like any feature.
    ending_only = _ending_only_signals(index)
    last = {f for f in features if f.kind == "signal" and f.get("signal") in ending_only}
    other_work = _OtherWork(index)
    happened_other: set[str] = set()  # the work seen to fail that makes no namespace (a newer call ...)
    for feature in sorted(features, key=lambda f: (f in last, f.kind, f.fields)):
        if feature in last and (happened or happened_other):
            continue
        other = other_work.names(feature)
        claims = _claims(tally.causes, feature, facts, other)
        if not claims:
            continue  # no cause speaks to it: an unrelated denial or errno
        seen = True
        # A program's hint at a mechanism ("check your SELinux settings") speaks for the cause it
        # names, but does not say where a failure happened: the `any` rules need a failure itself.
        if other is not None:
            happened_other |= other
        else:
            happened |= feature.kind != "mention"
        hit = features[feature]
        text = " ".join(f"{k}={v}" for k, v in feature.fields)
        from_probe = hit.file == "probe" and hit.line == 0
        background = P_VAGUE_BACKGROUND if _vague(feature) else P_OTHER
        for cid in tally.causes:
            strength = claims.get(cid)
            weight = math.log((P_LINK[FEATURE_LEVEL[strength]] if strength else P_UNLISTED) / background)
            if from_probe:  # the probe's own attempt: shown as the fact it is
                key, _, value = hit.text.partition("=")
                evidence = Evidence("probe", weight, f"probe-{strength or 'unlisted'}", key, value, source="probe")
            else:
                evidence = Evidence("feature", weight, f"feature-{strength or 'unlisted'}", feature.kind, text,
                                    hit.file, hit.line)
            tally.failure(cid, "feature:" + feature.kind, weight, evidence, listed=bool(strength))
    if happened or happened_other:
        _any_failure_evidence(tally, facts, other_only=None if happened else frozenset(happened_other))
    return seen


def _ending_only_signals(index: dict[str, Any]) -> set[str]:
    signals = index.get("features", {}).get("failure", {}).get("signals", [])
    return {s["name"] for s in signals if isinstance(s, dict) and s.get("ending_only") and isinstance(s.get("name"), str)}


def _vague(feature: Feature) -> bool:
    """A failure whose only tie to namespace work is a generic word (`namespace: any`)."""
    return feature.kind == "failure" and feature.get("namespace") == "any" and not feature.get("syscall") \
        and not feature.get("object")


class _OtherWork:
    """Failures of work that makes no namespace (features.yaml `failure.other_work`): a thread that
    could not start, a newer call or ptrace refused, a path looked at. A rule reads one by its errno
    alone, or by where it happened, only for a cause that lists that work (its `other_work`)."""

    def __init__(self, index: dict[str, Any]):
        spec = index.get("features", {}).get("failure", {}).get("other_work", {})
        self.syscalls = frozenset(spec.get("syscalls", []))
        self.objects = frozenset(spec.get("objects", []))
        self.path_objects = frozenset(spec.get("path_objects", []))
        self.errnos = frozenset(spec.get("errnos", []))

    def names(self, feature: Feature) -> frozenset[str] | None:
        """The other work the feature is (a thread, a limit's errno, or its syscall and object
        words); None when it is, or may be, namespace work."""
        if feature.kind == "thread":
            return frozenset(("thread",))
        if feature.kind != "failure":
            return None
        if feature.get("errno") in self.errnos:  # a limit on processes or memory, whatever the call
            return frozenset((feature.get("errno"),))
        syscalls, objects = feature.get("syscall").split(), feature.get("object").split()
        path = self.path_objects.intersection(objects)
        if path:  # a path looked at: the other words on the line are the path's name
            return frozenset(path)
        if feature.get("namespace") not in ("", "any") or not (syscalls or objects):
            return None
        if self.syscalls.issuperset(syscalls) and self.objects.issuperset(objects):
            return frozenset(syscalls + objects)
        return None


def _names_work(rule: dict[str, Any], other: frozenset[str]) -> bool:
    """The rule asks for that work itself: one of its names as the syscall or the object (a path's
    name or a namespace word on the line is no such ask), or the `thread` feature."""
    if rule.get("feature") == "thread":
        return True
    from .conditions import matches

    where = rule.get("where") or {}
    for key in ("syscall", "object"):
        wanted = where.get(key)
        if isinstance(wanted, str) and wanted in other:
            return True
        if isinstance(wanted, list) and other.intersection(wanted):
            return True
        if isinstance(wanted, dict) and "matches" in wanted and any(matches(wanted["matches"], w) for w in other):
            return True
    return False


def _reads_other(cause: dict[str, Any], rule: dict[str, Any], other: frozenset[str] | None) -> bool:
    """The rule may read a failure of other work `other` (None: namespace work, any rule may)."""
    return other is None or _names_work(rule, other) or bool(other.intersection(cause.get("other_work", ())))


def _any_failure_evidence(tally: _Tally, facts: dict[str, str], as_context: bool = False,
                          other_only: frozenset[str] | None = None) -> None:
    """Rules on whatever failed (`feature: any`): where the facts say the failure happened (a
    RHEL 7 kernel, a snap, an LXD container) speaks for a cause, whichever line reported it.
    `as_context`: no failure was seen; the rules only say which cause it would most likely be.
    `other_only`: the work seen to fail, when none of it makes a namespace; only the causes that list
    some of it in their `other_work` read it."""
    any_failure = Feature("any", ())
    claims = _claims(tally.causes, any_failure, facts, other_only)
    for cid, strength in claims.items():
        weight = math.log(LR_CLUE[FEATURE_LEVEL[strength]])
        keys = sorted({t.get("fact", "") for rule in tally.causes[cid].get("evidence", []) if rule.get("feature") == "any"
                       for c in rule.get("facts") or [] for t in tests_of(c) if t.get("fact") in facts})
        evidence = Evidence("fact", weight, f"fact-where-{strength}", ", ".join(keys),
                            ", ".join(f"{k}={facts[k]}" for k in keys))
        if as_context:
            tally.add_context(cid, evidence)
        else:
            tally.failure(cid, "feature:any", weight, evidence, listed=True)


def _claims(causes: dict[str, Any], feature: Feature, facts: dict[str, str],
            other_work: frozenset[str] | None = None) -> dict[str, str]:
    """{cause: strongest strength} of the causes whose `evidence` rules match this feature.
    `other_work`: the work that failed, when it makes no namespace; a rule reads it only where it
    names what failed, or where its cause lists that work (`other_work`)."""
    order = ("strong", "moderate", "weak", "hint")
    found: dict[str, str] = {}
    for cid, cause in causes.items():
        for rule in cause.get("evidence", []):
            if rule.get("feature") != feature.kind or not _where_holds(rule.get("where") or {}, feature):
                continue
            if not _reads_other(cause, rule, other_work):
                continue
            if any(condition_holds(c, facts)[0] is not True for c in rule.get("facts") or []):
                continue
            strength = rule.get("strength", "weak")
            if cid not in found or order.index(strength) < order.index(found[cid]):
                found[cid] = strength
    return found


def _where_holds(where: dict[str, Any], feature: Feature) -> bool:
    from .conditions import matches

    for key, wanted in where.items():
        value = feature.get(key)
        # A field holds space-separated values (`namespace=net any`); a record's free text (AppArmor's
        # info="no new privs") is one value with spaces, so a wanted string matches it whole too.
        tokens = value.split(" ") if value else []
        if isinstance(wanted, str):
            if wanted not in tokens and wanted != value:
                return False
        elif isinstance(wanted, list):
            if not any(w in tokens or w == value for w in wanted):
                return False
        elif isinstance(wanted, dict):
            if "matches" in wanted and not any(matches(wanted["matches"], t) for t in tokens):
                return False
            # A field that is absent, or whose every value escapes the pattern, passes `not_matches`.
            if "not_matches" in wanted and any(matches(wanted["not_matches"], t) for t in tokens):
                return False
    return True


def _clue_evidence(index: dict[str, Any], scan: Scan, tally: _Tally) -> None:
    symptoms = index["symptoms"]
    # An audit record is read field by field by the causes' evidence rules: a clue pattern on the
    # same line would count the same event twice.
    record_lines = {(h.file, h.line) for f, h in scan.feature_hits.items() if f.kind in RECORD_KINDS}
    for sid in sorted(scan.symptom_hits):
        symptom = symptoms[sid]
        if symptom["kind"] != "clue" or symptom.get("status") == "retired":
            continue
        hit = scan.symptom_hits[sid][0]
        if (hit.file, hit.line) in record_lines:
            continue
        for cid, level in symptom.get("strength", {}).items():
            if cid in tally.causes:
                weight = math.log(LR_CLUE[level])
                tally.add_context(cid, Evidence("clue", weight, f"clue-{level}", sid, file=hit.file, line=hit.line))
        for cid in symptom.get("lowers", []):
            if cid in tally.causes:
                tally.add_context(cid, Evidence("clue", math.log(LR_LOWERS), "clue-lowers", sid, file=hit.file, line=hit.line))
    # Clues are one channel: several lines that say the same (os-release's ID=, VERSION_ID= and
    # PRETTY_NAME=) must not add up. Per cause, the strongest clue for it and the strongest against it count.
    for items in tally.context.values():
        clues = [e for e in items if e.type == "clue"]
        for sign in (1, -1):
            same = sorted((e for e in clues if e.weight * sign > 0), key=lambda e: (-abs(e.weight), e.id, e.file, e.line))
            for extra in same[1:]:
                extra.counted = False


def _fact_seen(weight: float, code: str, key: str, facts: dict[str, str],
               sources: dict[str, dict[str, Any]]) -> Evidence:
    """Evidence from a fact, with where it was read: the probe, or a pasted line's file and number."""
    src = sources.get(key, {})
    return Evidence("fact", weight, code, key, facts[key], source=src.get("source", ""),
                    file=src.get("file", ""), line=src.get("line", 0))


def _fact_evidence(causes: dict[str, Any], facts: dict[str, str], sources: dict[str, dict[str, Any]],
                   tally: _Tally) -> list[RuledOut]:
    ruled_out: list[RuledOut] = []
    for cid in sorted(causes):
        cause = causes[cid]
        keys, tests = holding(cause.get("confirms", []), facts)
        if keys:
            weight = math.log(LR_CONFIRMS * LR_CONFIRMS_EACH_MORE ** max(0, tests - 1))
            for key in keys:
                tally.add_context(cid, _fact_seen(weight / len(keys), "fact-confirms", key, facts, sources))
        certain, because = False, []
        for condition in cause.get("rules_out", []):
            holds, read = condition_holds(condition, facts)
            if holds:
                certain |= bool(condition.get("certain"))
                because += [k for k in read if k not in because]
        if because:
            weight = math.log(LR_RULES_OUT)
            for key in because:
                tally.add_context(cid, _fact_seen(weight / len(because), "fact-rules-out", key, facts, sources))
            ruled_out.append(RuledOut(cid, [{"key": k, "value": facts[k], **sources.get(k, {})} for k in because], certain))
    return ruled_out


def _rank(causes: dict[str, Any], tally: _Tally, removed: set[str], silent: bool,
          context_orders_only: bool = False) -> tuple[list[RankedCause], float]:
    total_prior = sum(PREVALENCE[c.get("prevalence", "uncommon")] for c in causes.values()) or 1.0
    # Finding no failure at all is evidence too: for `other`, against every cause.
    scores = {"": math.log(P_OTHER_PRIOR) + (math.log(P_SILENT_OTHER / P_SILENT_CAUSE) if silent else 0.0)}
    plain = dict(scores)  # without context: what `other` gets when context only orders the causes
    for cid, cause in causes.items():
        if cid in removed:
            continue
        prior = (1 - P_OTHER_PRIOR) * PREVALENCE[cause.get("prevalence", "uncommon")] / total_prior
        scores[cid] = math.log(prior) + tally.total(cid) / TEMPERATURE
        plain[cid] = math.log(prior) + tally.total(cid, context=False) / TEMPERATURE
    share = _softmax(scores)
    if context_orders_only:
        other = _softmax(plain)[""]
        within = _softmax({h: s for h, s in scores.items() if h})
        share = {"": other, **{h: p * (1 - other) for h, p in within.items()}}
    ranked = []
    order = sorted((h for h in scores if h), key=lambda h: (-scores[h], h))
    for rank, cid in enumerate(order, 1):
        ranked.append(RankedCause(cid, rank, share[cid], tally.total(cid), cid in tally.explained,
                                  tally.evidence(cid)))
    return ranked, share[""]


def _softmax(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    top = max(scores.values())
    mass = {h: math.exp(s - top) for h, s in scores.items()}
    norm = sum(mass.values())
    return {h: m / norm for h, m in mass.items()}


def merge_facts(probe: dict[str, str], scan: Scan) -> tuple[dict[str, str], dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Probe facts plus facts read from pasted lines. The probe wins; lines that disagree with
    each other leave the fact unknown (neither value is preferred: the result must not depend on
    which line comes last)."""
    facts = dict(probe)
    sources: dict[str, dict[str, Any]] = {key: {"source": "probe"} for key in probe}
    warnings: list[dict[str, Any]] = []
    by_key: dict[str, list[tuple[str, Any]]] = {}
    for fact, hit in scan.line_facts.items():
        by_key.setdefault(fact.key, []).append((fact.value, hit))
    for key in sorted(by_key):
        values = sorted(by_key[key], key=lambda vh: (vh[1].file, vh[1].line, vh[0]))
        first_value, first_hit = values[0]
        if key in probe:
            for value, hit in values:
                if value != probe[key]:
                    warnings.append({"code": "fact-conflict", "key": key, "probe": probe[key], "value": value,
                                     "file": hit.file, "line": hit.line})
            continue
        distinct = sorted({v for v, _ in values})
        if len(distinct) > 1:
            warnings.append({"code": "fact-conflict-lines", "key": key, "values": distinct,
                             "file": first_hit.file, "line": first_hit.line})
            continue
        facts[key] = first_value
        sources[key] = {"source": "line", "file": first_hit.file, "line": first_hit.line}
    return facts, sources, warnings


def judged(facts: dict[str, str]) -> dict[str, str]:
    """The facts as evidence. The probe's own attempt made as root (`userns.test_uid=0`) says
    nothing of what an ordinary user can do when it succeeds: that success counts as unknown (a
    failure still shows a failure). The report keeps the probe's own values."""
    if facts.get("userns.test_uid") != "0":
        return facts
    return {k: ("unknown:as-root" if k in FAILURE_FACTS and v == "ok" else v) for k, v in facts.items()}


def _shows_failure(value: str) -> bool:
    return bool(value) and value != "ok" and not value.startswith("unknown:") and value not in ("skipped", "n/a")


def _symptom_list(index: dict[str, Any], scan: Scan) -> list[dict[str, Any]]:
    rank_of_source = {s: i for i, s in enumerate(scan.sources)}
    out = [{"id": sid, "kind": index["symptoms"][sid]["kind"], "file": h.file, "line": h.line, "text": h.text, "cut": h.cut}
           for sid, hits in scan.symptom_hits.items() for h in hits]
    return sorted(out, key=lambda h: (rank_of_source.get(h["file"], 0), h["line"], h["id"]))


def _feature_list(scan: Scan) -> list[dict[str, Any]]:
    rank_of_source = {s: i for i, s in enumerate(scan.sources)}
    out = [{"kind": f.kind, "fields": f.as_dict(), "file": h.file, "line": h.line} for f, h in scan.feature_hits.items()]
    return sorted(out, key=lambda f: (rank_of_source.get(f["file"], 0), f["line"], f["kind"], sorted(f["fields"].items())))


def _decider(index: dict[str, Any], ranked: list[RankedCause], facts: dict[str, str], verdict: str) -> dict[str, Any] | None:
    """When the leader is not certain, the unknown facts that would tell the close causes apart."""
    if len(ranked) < 2 or verdict == "no-failure" or (verdict == "cause" and ranked[0].probability >= DECIDED):
        return None
    leader = ranked[0].probability
    between = [r.id for r in ranked[:3] if r.probability >= CLOSE * leader and r.explained]
    if len(between) < 2:
        return None
    missing: list[str] = []
    for cid in between:
        for key in condition_keys(index["causes"][cid]):
            value = facts.get(key)
            if (value is None or value.startswith("unknown:")) and key not in missing:
                missing.append(key)
    return {"between": between, "facts": missing} if missing else None
