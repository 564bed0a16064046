"""Index pages (symptoms, causes, fixes, tools) and one page per tool."""
from __future__ import annotations

from typing import Any

from nskb.site import blocks, escape
from nskb.site.context import RISK_ORDER, SEARCH_BOOST
from nskb.site.labels import label


def _active(entries: dict) -> list:
    return [e for _, e in sorted(entries.items()) if not e.retired]


def symptoms_index(site, lang: str) -> str:
    here = "symptoms/index"
    groups: dict[str, list[Any]] = {}
    for entry in _active(site.kb.symptoms):
        groups.setdefault(entry.data.get("tool", ""), []).append(entry)
    filter_box = (f'<input type="search" class="nskb-filter" data-nskb-filter '
                  f'placeholder="{label("filter_placeholder", lang)}" aria-label="{label("filter_placeholder", lang)}">')
    parts = [blocks.front_matter(label("title_symptoms", lang), edit_url="", search_exclude=True),
             blocks.heading(1, label("title_symptoms", lang)), escape.prose(label("intro_symptoms", lang)),
             filter_box]
    for tool_id in sorted(groups, key=lambda t: site.title("tool", t, lang).lower()):
        name = escape.inline(site.title("tool", tool_id, lang)) if tool_id else label("other_tools", lang)
        rows = []
        for entry in groups[tool_id]:
            examples = (entry.data.get("examples") or {}).get("match") or [""]
            rows.append([site.link("symptom", entry.id, lang, here, in_table=True),
                         label("kind_" + entry.data.get("kind", "error"), lang),
                         escape.html_code(examples[0])])
        parts += [blocks.heading(2, name, f"tool-{tool_id}" if tool_id else "tool-other"),
                  blocks.table([label("entry", lang), label("kind", lang), label("message", lang)], rows)]
    return blocks.join(*parts)


def causes_index(site, lang: str) -> str:
    here = "causes/index"
    rows = []
    for entry in _active(site.kb.causes):
        tools = ", ".join(site.link("tool", t, lang, here, in_table=True) for t in entry.data.get("tools") or [])
        rows.append([site.link("cause", entry.id, lang, here, in_table=True), tools,
                     str(len(site.symptoms_of_cause.get(entry.id, [])))])
    return blocks.join(
        blocks.front_matter(label("title_causes", lang), edit_url="", search_exclude=True),
        blocks.heading(1, label("title_causes", lang)), escape.prose(label("intro_causes", lang)),
        blocks.table([label("cause", lang), label("tools", lang), label("symptoms", lang)], rows))


def fixes_index(site, lang: str) -> str:
    here = "fixes/index"
    entries = sorted(_active(site.kb.fixes), key=lambda e: (RISK_ORDER.get(e.data.get("risk"), 3), e.id))
    rows = []
    for entry in entries:
        data = entry.data
        risk = data.get("risk", "")
        rows.append([
            site.link("fix", entry.id, lang, here, in_table=True),
            f'<span class="nskb-risk nskb-risk--{risk}">{label("risk_" + risk, lang)}</span>'
            if risk in RISK_ORDER else "",
            label("scope_" + data["scope"], lang) if data.get("scope") in ("temporary", "persistent") else "",
            label("yes" if data.get("needs_root") else "no", lang),
        ])
    return blocks.join(
        blocks.front_matter(label("title_fixes", lang), edit_url="", search_exclude=True),
        blocks.heading(1, label("title_fixes", lang)), escape.prose(label("intro_fixes", lang)),
        blocks.table([label("fix", lang), label("risk", lang), label("scope", lang),
                      label("needs_root", lang)], rows))


def tools_index(site, lang: str) -> str:
    here = "tools/index"
    rows = []
    for tool in sorted(site.kb.tools, key=lambda t: t.get("name", t.get("id", "")).lower()):
        summary = ((tool.get("text") or {}).get(lang) or {}).get("summary", "")
        rows.append([site.link("tool", tool["id"], lang, here, in_table=True), escape.cell(summary),
                     str(len(site.symptoms_of_tool.get(tool["id"], [])))])
    return blocks.join(
        blocks.front_matter(label("title_tools", lang), edit_url="", search_exclude=True),
        blocks.heading(1, label("title_tools", lang)), escape.prose(label("intro_tools", lang)),
        blocks.table([label("tool", lang), label("summary", lang), label("symptoms", lang)], rows))


def tool_page(site, tool: dict, lang: str) -> str:
    tool_id = tool["id"]
    here = f"tools/{tool_id}"
    text = (tool.get("text") or {}).get(lang) or {}
    symptoms = [site.link("symptom", s, lang, here) for s in site.symptoms_of_tool.get(tool_id, [])]
    causes = [site.link("cause", e.id, lang, here) for e in _active(site.kb.causes)
              if tool_id in (e.data.get("tools") or [])]
    fixes = [site.link("fix", e.id, lang, here) for e in _active(site.kb.fixes)
             if tool_id in (e.data.get("tools") or [])]
    name = site.title("tool", tool_id, lang)
    return blocks.join(
        blocks.front_matter(name, description=text.get("summary", ""), tags=[tool_id],
                            edit_url=site.catalogue_edit_url("tools"), search_boost=SEARCH_BOOST["tool"]),
        blocks.heading(1, escape.inline(name)),
        escape.prose(text.get("summary")),
        blocks.heading(2, label("tool_symptoms", lang), "symptoms", searchable=False) if symptoms else "",
        blocks.bullets(symptoms),
        blocks.heading(2, label("tool_causes", lang), "causes", searchable=False) if causes else "",
        blocks.bullets(causes),
        blocks.heading(2, label("tool_fixes", lang), "fixes", searchable=False) if fixes else "",
        blocks.bullets(fixes),
        blocks.heading(2, label("references", lang), "references", searchable=False),
        blocks.bullets([blocks.external_link(u) for u in tool.get("references") or []]),
    )
