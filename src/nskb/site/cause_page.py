"""Cause articles: environment, mechanism, diagnosis, fixes by risk, limits, references."""
from __future__ import annotations

from nskb.site import blocks, escape
from nskb.site.conditions import condition_text
from nskb.site.context import SEARCH_BOOST
from nskb.site.fix_choice import safest_fix, safest_per_tool
from nskb.site.labels import colon, label, sep
from nskb.site.literals import output_lines


def tags(data: dict) -> list[str]:
    return list(data.get("tools") or []) + [d for d in data.get("distros") or [] if d != "any"]


def _leads_here(site, entry, lang: str, here: str) -> str:
    items = []
    for sid in site.symptoms_of_cause.get(entry.id, []):
        items.append(site.link("symptom", sid, lang, here))
    if not items:
        return ""
    return blocks.join(blocks.heading(2, label("leads_here", lang), "symptoms", searchable=False),
                       blocks.bullets(items))


def _environment(site, data: dict, text: dict, lang: str, here: str) -> str:
    tools = [site.link("tool", t, lang, here) for t in data.get("tools") or []]
    distros = [label("any_distro", lang) if d == "any" else escape.text(d) for d in data.get("distros") or []]
    facts = [f"{label('tools', lang)}{colon(lang)}{sep(lang).join(tools)}"] if tools else []
    if distros:
        facts.append(f"{label('distros', lang)}{colon(lang)}{sep(lang).join(distros)}")
    return blocks.join(blocks.heading(2, label("environment", lang), "environment"),
                       escape.prose(text.get("environment")), "  \n".join(facts))


def _diagnostic(step: dict, number: int, lang: str) -> str:
    text = (step.get("text") or {}).get(lang) or {}
    parts = [blocks.heading(3, f"{number}. " + escape.inline(text.get("purpose", "")).rstrip("。."),
                            f"step-{number}")]
    if step.get("needs_root"):
        parts.append(f"*{label('run_as_root', lang)}*")
    parts.append(escape.code_block(step.get("run", ""), "sh"))
    parts.append(blocks.bullets(output_lines(step, lang)))
    parts.append(escape.prose(text.get("reading")))
    return blocks.join(*parts)


def _probe(site, data: dict, lang: str, here: str) -> str:
    rows = []
    for condition in data.get("confirms") or []:
        rows.append(f"{label('confirmed_if', lang)}{colon(lang)}{condition_text(site, condition, lang, here)}")
    for condition in data.get("rules_out") or []:
        rows.append(f"{label('ruled_out_if', lang)}{colon(lang)}{condition_text(site, condition, lang, here)}")
    if not rows:
        return ""
    return blocks.join(blocks.heading(3, label("probe_check", lang), "probe"),
                       escape.prose(label("probe_intro", lang)), blocks.bullets(rows))


def _at_a_glance(site, data: dict, lang: str, here: str) -> str:
    """The two things a reader came for, before the long explanation: how to confirm, what to do."""
    lines = []
    confirm = []
    if data.get("diagnostics"):
        confirm.append(f"[{label('first_step', lang)}](#step-1)")
    else:
        confirm.append(label("none", lang))
    if data.get("confirms"):
        confirm.append(escape.inline(label("or_probe", lang)) + " "
                       + condition_text(site, data["confirms"][0], lang, here))
    if confirm:
        lines.append(f"{label('how_to_confirm', lang)}{colon(lang)}" + (" " if lang == "en" else "，").join(confirm))
    lines += _safest_per_tool(site, data, lang, here)
    if not lines:
        return ""
    return blocks.admonition("abstract", label("at_a_glance", lang), blocks.bullets(lines))


def _fix_with_risk(site, fix_id: str, lang: str, here: str) -> str:
    risk = site.entry("fix", fix_id).data.get("risk")
    word = label("risk_" + risk, lang) if risk in ("low", "medium", "high") else "?"
    note = f"（{label('risk', lang)}{colon(lang)}{word}）" if lang == "zh" else f" (risk: {word})"
    return site.link("fix", fix_id, lang, here) + note


def _safest_per_tool(site, data: dict, lang: str, here: str) -> list[str]:
    """"For Chrome/Electron: …, for Steam: …": the safest fix that names each tool, tools that
    share one fix on one line. Tools no fix names are left to the full table below: the safest
    fix overall is often another tool's (an opam profile is no help to Chrome)."""
    fixes = data.get("fixes") or []
    groups = safest_per_tool(site, fixes, data.get("tools") or [])
    overall, _ = safest_fix(site, fixes, None)
    if overall is None:
        return []
    if len(groups) <= 1:
        return [f"{label('safest_fix', lang)}{colon(lang)}{_fix_with_risk(site, overall, lang, here)}"]
    lines = []
    for fix_id, tools in groups:
        names = sep(lang).join(escape.inline(site.product(t)) for t in tools)
        lines.append(label("for_tools", lang).format(tools=names) + _fix_with_risk(site, fix_id, lang, here))
    return [f"{label('safest_per_tool', lang)}{colon(lang)}\n\n" +
            "\n".join("    - " + line for line in lines)]


def _fixes(site, data: dict, lang: str, here: str) -> str:
    rows = []
    for fid in site.fixes_by_risk(data.get("fixes") or []):
        fix = site.entry("fix", fid).data
        risk = fix.get("risk", "")
        rows.append([
            site.link("fix", fid, lang, here, in_table=True),
            f'<span class="nskb-risk nskb-risk--{risk}">{label("risk_" + risk, lang)}</span>'
            if risk in ("low", "medium", "high") else "",
            label("scope_" + fix["scope"], lang) if fix.get("scope") in ("temporary", "persistent") else "",
            label("yes" if fix.get("needs_root") else "no", lang),
        ])
    missing = [f for f in data.get("fixes") or [] if site.entry("fix", f) is None]
    rows += [[escape.html_code(f), "", "", ""] for f in missing]
    headers = [label("fix", lang), label("risk", lang), label("scope", lang), label("needs_root", lang)]
    return blocks.join(blocks.heading(2, label("fixes_by_risk", lang), "fixes"),
                       escape.prose(label("fix_order", lang)), blocks.table(headers, rows))


def render(site, entry, lang: str) -> str:
    data, text = entry.data, entry.text(lang)
    here = f"causes/{entry.id}"
    title = text.get("title") or entry.id
    steps = [_diagnostic(step, n, lang) for n, step in enumerate(data.get("diagnostics") or [], 1)]
    related = [site.link("cause", c, lang, here) for c in data.get("related") or []]
    return blocks.join(
        blocks.front_matter(title, description=text.get("summary", ""), tags=tags(data),
                            edit_url=site.edit_url(entry), search_boost=SEARCH_BOOST["cause"]),
        blocks.heading(1, escape.inline(title)),
        blocks.reviewed_line(site.reviewed_on(entry), lang),
        escape.prose(text.get("summary")),
        _at_a_glance(site, data, lang, here),
        _environment(site, data, text, lang, here),
        blocks.heading(2, label("mechanism", lang), "mechanism"),
        escape.prose(text.get("mechanism")),
        blocks.heading(2, label("diagnosis", lang), "diagnosis"),
        *steps,
        _probe(site, data, lang, here),
        _fixes(site, data, lang, here),
        blocks.heading(2, label("not_applicable", lang), "not-applicable"),
        escape.prose(text.get("not_applicable")),
        _leads_here(site, entry, lang, here),
        blocks.heading(2, label("related", lang), "related", searchable=False) if related else "",
        blocks.bullets(related),
        blocks.heading(2, label("references", lang), "references", searchable=False),
        blocks.bullets([blocks.external_link(u) for u in data.get("references") or []]),
    )
