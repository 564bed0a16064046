"""The fleet summary as text (a terminal), Markdown (a ticket) or JSON (nskb-fleet/1, a dashboard)."""
from __future__ import annotations

import re
import textwrap

from nskb.fleet.summary import OTHER, FleetSummary, Group
from nskb.fleet.verdict import BLOCKED, GROUPS, NOT_SURE, UNREACHABLE, UNREADABLE, WORKS
from nskb.report.links import article_url, title
from nskb.words import CLAUSE_SEP, COLON, LIST_SEP, paren, risk_note
from nskb.words import FLEET_WORDS as WORDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

FORMAT = "nskb-fleet/1"
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _plain(text: str) -> str:
    """A host name or reason from a host file, with control characters shown escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _counts_line(summary: FleetSummary, lang: str) -> str:
    c = summary.counts
    return WORDS[lang]["summary"].format(total=summary.total, works=c[WORKS], blocked=c[BLOCKED],
                                         not_sure=c[NOT_SURE], unreachable=c[UNREACHABLE], unreadable=c[UNREADABLE])


def _heading(group: Group, index: Mapping[str, Any], lang: str) -> str:
    words = WORDS[lang]
    if group.verdict in (BLOCKED, NOT_SURE) and group.cause:
        return words[group.verdict].format(title=title(index, "cause", group.cause["id"], lang))
    return words["not-sure-none" if group.verdict == NOT_SURE else group.verdict]


def _fix(group: Group) -> dict | None:
    fixes = (group.cause or {}).get("fixes") or []
    return fixes[0] if fixes else None  # the engine lists a cause's fixes safest first


SHOWN_VALUES = 5  # values of one fact shown in text and Markdown; JSON has the whole tally


def _differs(group: Group, lang: str) -> str:
    """`key: value ×n, ...` for the facts that differ, the most common values first, the rest summed."""
    parts = []
    for key, values in group.facts.differing().items():
        named = [(v, n) for v, n in values if v != OTHER]
        rest = sum(n for v, n in values if v == OTHER) + sum(n for _, n in named[SHOWN_VALUES:])
        shown = [f"{_plain(v)} ×{n}" for v, n in named[:SHOWN_VALUES]]
        if rest:
            shown.append(WORDS[lang]["other_values"].format(n=rest))
        parts.append(f"{key}{COLON[lang]}" + LIST_SEP[lang].join(shown))
    return CLAUSE_SEP[lang].join(parts)


def _reason(group: Group, i: int, lang: str) -> str:
    code, detail = group.reasons[i]
    template = WORDS[lang].get("p_" + code, code + ": {detail}")
    return _plain(template.format(detail=detail).rstrip(":： "))


def to_text(summary: FleetSummary, index: Mapping[str, Any], lang: str, site_url: str) -> str:
    words, colon = WORDS[lang], COLON[lang]
    out = [f"kb-fleet{colon}{_counts_line(summary, lang)}", ""]
    for group in summary.ordered():
        out.append(f"{group.verdict.upper()}  {_heading(group, index, lang)} — {words['hosts_n'].format(n=len(group.hosts))}")
        if group.cause:
            out.append(f"  {words['article']}{colon}{article_url(site_url, lang, 'cause', group.cause['id'])}")
            fix = _fix(group)
            if fix:
                out.append(f"  {words['fix']}{colon}{title(index, 'fix', fix['id'], lang)} {risk_note(lang, fix['risk'])} "
                           f"{article_url(site_url, lang, 'fix', fix['id'])}")
            if group.verdict == NOT_SURE:
                if group.candidates:
                    out.append(f"  {words['also_close']}{colon}{LIST_SEP[lang].join(sorted(group.candidates))}")
                out.append(f"  {words['not_confirmed']}")
        if group.reasons:
            out += [f"  {_plain(host)}{colon}{_reason(group, i, lang)}" for i, host in enumerate(group.hosts)]
        else:
            hosts = f"{words['hosts']}{colon}" + ", ".join(_plain(h) for h in group.hosts)
            out += textwrap.wrap(hosts, 100, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False)
        differs = _differs(group, lang)
        if differs:
            out.append(f"  {words['differs']}{colon}{differs}")
        out.append("")
    return "\n".join(out)


def _md(text: str) -> str:
    """Inline Markdown text shown literally (host names and reasons come from host files)."""
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", _plain(text))


def to_markdown(summary: FleetSummary, index: Mapping[str, Any], lang: str, site_url: str) -> str:
    words, colon = WORDS[lang], COLON[lang]
    out = [f"## {words['report']}", "", _counts_line(summary, lang), ""]
    out += [f"| {words['verdict']} | {words['cause']} | {words['count']} | {words['fix']} |", "|---|---|---:|---|"]
    for group in summary.ordered():
        cause = fix_cell = ""
        if group.cause:
            cid = group.cause["id"]
            cause = f"[{_md(title(index, 'cause', cid, lang))}]({article_url(site_url, lang, 'cause', cid)})"
            fix = _fix(group)
            if fix:
                fix_cell = (f"[{_md(title(index, 'fix', fix['id'], lang))}]({article_url(site_url, lang, 'fix', fix['id'])}) "
                            f"{risk_note(lang, fix['risk'])}")
        out.append(f"| {words['v_' + group.verdict]} | {cause} | {len(group.hosts)} | {fix_cell} |")
    out.append("")
    for group in summary.ordered():
        out += [f"### {_md(_heading(group, index, lang))} {paren(lang, words['hosts_n'].format(n=len(group.hosts)))}", ""]
        if group.reasons:
            out += [f"- `{_md(host)}`{colon}{_md(_reason(group, i, lang))}" for i, host in enumerate(group.hosts)]
        else:
            out.append(f"- {words['hosts']}{colon}" + ", ".join(f"`{_md(h)}`" for h in group.hosts))
        if group.verdict == NOT_SURE and group.cause:
            out.append(f"- {words['not_confirmed']}")
        differs = _differs(group, lang)
        if differs:
            out.append(f"- {words['differs']}{colon}{_md(differs)}")
        out.append("")
    return "\n".join(out)


def to_json(summary: FleetSummary, index: Mapping[str, Any], lang: str, site_url: str) -> dict:
    groups = []
    for group in summary.ordered():
        item: dict = {"verdict": group.verdict, "count": len(group.hosts)}
        if group.cause:
            cid = group.cause["id"]
            item["cause"] = {"id": cid, "title": title(index, "cause", cid, lang),
                             "url": article_url(site_url, lang, "cause", cid)}
            fix = _fix(group)
            item["fix"] = ({"id": fix["id"], "title": title(index, "fix", fix["id"], lang), "risk": fix["risk"],
                            "url": article_url(site_url, lang, "fix", fix["id"])} if fix else None)
        if group.verdict == NOT_SURE:
            item["also_close"] = dict(sorted(group.candidates.items()))
        if group.reasons:
            item["hosts"] = [{"host": h, "reason": _reason(group, i, lang), "source": group.sources[i]}
                             for i, h in enumerate(group.hosts)]
        else:
            item["hosts"] = list(group.hosts)
        item["differing_facts"] = {k: dict(v) for k, v in group.facts.differing().items()}
        groups.append(item)
    return {"format": FORMAT, "hosts": summary.total, "counts": {g: summary.counts[g] for g in GROUPS}, "groups": groups}
