"""Cause articles: environment, mechanism, diagnosis, fixes by risk, limits, references."""
from __future__ import annotations

from nskb.entries import RISKS
from nskb.site import blocks, escape
from nskb.site.conditions import condition_text
from nskb.words import COLON, LIST_SEP, label


def tags(data: dict) -> list[str]:
    return list(data.get("tools") or []) + [d for d in data.get("distros") or [] if d != "any"]


def _leads_here(site, entry, lang: str, here: str) -> str:
    items = []
    for sid in site.symptoms_of_cause.get(entry.id, []):
        items.append(site.link("symptom", sid, lang, here))
    if not items:
        return ""
    return blocks.join(blocks.heading(2, label("leads_here", lang), "symptoms"), blocks.bullets(items))


def _environment(site, data: dict, text: dict, lang: str, here: str) -> str:
    tools = [site.link("tool", t, lang, here) for t in data.get("tools") or []]
    distros = [label("any_distro", lang) if d == "any" else escape.text(d) for d in data.get("distros") or []]
    facts = [f"{label('tools', lang)}{COLON[lang]}{LIST_SEP[lang].join(tools)}"] if tools else []
    if distros:
        facts.append(f"{label('distros', lang)}{COLON[lang]}{LIST_SEP[lang].join(distros)}")
    return blocks.join(blocks.heading(2, label("environment", lang), "environment"),
                       escape.prose(text.get("environment")), "  \n".join(facts))


def _diagnostic(step: dict, number: int, lang: str) -> str:
    text = (step.get("text") or {}).get(lang) or {}
    parts = [blocks.heading(3, f"{number}. " + escape.inline(text.get("purpose", "")).rstrip("。."),
                            f"step-{number}")]
    if step.get("needs_root"):
        parts.append(f"*{label('run_as_root', lang)}*")
    parts.append(escape.code_block(step.get("run", ""), "sh"))
    outputs = []
    if step.get("confirms_output"):
        outputs.append(f"{label('if_cause', lang)}{COLON[lang]}{escape.code_span(step['confirms_output'])}")
    if step.get("rules_out_output"):
        outputs.append(f"{label('if_not_cause', lang)}{COLON[lang]}{escape.code_span(step['rules_out_output'])}")
    parts.append(blocks.bullets(outputs))
    parts.append(escape.prose(text.get("reading")))
    return blocks.join(*parts)


def _probe(site, data: dict, lang: str, here: str) -> str:
    rows = []
    for condition in data.get("confirms") or []:
        rows.append(f"{label('confirmed_if', lang)}{COLON[lang]}{condition_text(site, condition, lang, here)}")
    for condition in data.get("rules_out") or []:
        rows.append(f"{label('ruled_out_if', lang)}{COLON[lang]}{condition_text(site, condition, lang, here)}")
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
        lines.append(f"{label('how_to_confirm', lang)}{COLON[lang]}" + (" " if lang == "en" else "，").join(confirm))
    safest = site.fixes_by_risk(data.get("fixes") or [])
    if safest:
        fix = site.entry("fix", safest[0]).data
        risk = label("risk_" + fix["risk"], lang) if fix.get("risk") in RISKS else "?"
        risk_note = f"（{label('risk', lang)}{COLON[lang]}{risk}）" if lang == "zh" else f" (risk: {risk})"
        lines.append(f"{label('safest_fix', lang)}{COLON[lang]}{site.link('fix', safest[0], lang, here)}{risk_note}")
    if not lines:
        return ""
    return blocks.admonition("abstract", label("at_a_glance", lang), blocks.bullets(lines))


def _fixes(site, data: dict, lang: str, here: str) -> str:
    rows = []
    for fid in site.fixes_by_risk(data.get("fixes") or []):
        fix = site.entry("fix", fid).data
        risk = fix.get("risk", "")
        rows.append([
            site.link("fix", fid, lang, here, in_table=True),
            f'<span class="nskb-risk nskb-risk--{risk}">{label("risk_" + risk, lang)}</span>'
            if risk in RISKS else "",
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
                            edit_url=site.edit_url(entry)),
        blocks.heading(1, escape.inline(title)),
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
        blocks.heading(2, label("related", lang), "related") if related else "",
        blocks.bullets(related),
        blocks.heading(2, label("references", lang), "references"),
        blocks.bullets([blocks.external_link(u) for u in data.get("references") or []]),
    )
