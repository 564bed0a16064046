"""Fix pages: risk first, then the exact commands, the files, how to undo and verify."""
from __future__ import annotations

from nskb.site import blocks, escape
from nskb.site.literals import command_blocks
from nskb.words import COLON, LIST_SEP, label

ADMONITION = {"low": "success", "medium": "warning", "high": "danger"}


def tags(data: dict) -> list[str]:
    return list(data.get("tools") or []) + [d for d in data.get("distros") or [] if d != "any"]


def _risk(data: dict, text: dict, lang: str) -> str:
    risk = data.get("risk", "")
    title = f"{label('risk', lang)}{COLON[lang]}{label('risk_' + risk, lang)}" if risk in ADMONITION else label("risk", lang)
    body = [escape.prose(text.get("risk_reason"))]
    if data.get("workaround"):
        body.append(escape.prose(label("workaround", lang)))
    facts = [
        f"{label('scope', lang)}{COLON[lang]}{label('scope_' + data['scope'], lang)}"
        if data.get("scope") in ("temporary", "persistent") else "",
        f"{label('needs_root', lang)}{COLON[lang]}{label('yes' if data.get('needs_root') else 'no', lang)}",
    ]
    body.append(" · ".join(f for f in facts if f))
    return blocks.admonition(ADMONITION.get(risk, "note"), title, "\n\n".join(b for b in body if b))


def _commands(commands: list | None, lang: str) -> str:
    return "\n\n".join(command_blocks(commands, lang))


def _files(data: dict, lang: str) -> str:
    parts = []
    for item in data.get("files") or []:
        parts.append(escape.code_span(item.get("path", "")))
        parts.append(escape.code_block(item.get("content", ""), "text"))
    if not parts:
        return ""
    return blocks.join(blocks.heading(2, label("files", lang), "files"), *parts)


def _scope_line(site, data: dict, lang: str, here: str) -> str:
    tools = [site.link("tool", t, lang, here) for t in data.get("tools") or []]
    distros = [label("any_distro", lang) if d == "any" else escape.text(d) for d in data.get("distros") or []]
    lines = []
    if tools:
        lines.append(f"{label('tools', lang)}{COLON[lang]}{LIST_SEP[lang].join(tools)}")
    if distros:
        lines.append(f"{label('distros', lang)}{COLON[lang]}{LIST_SEP[lang].join(distros)}")
    return "  \n".join(lines)


def render(site, entry, lang: str) -> str:
    data, text = entry.data, entry.text(lang)
    here = f"fixes/{entry.id}"
    title = text.get("title") or entry.id
    causes = [site.link("cause", c, lang, here) for c in site.causes_of_fix.get(entry.id, [])]
    return blocks.join(
        blocks.front_matter(title, description=text.get("summary", ""), tags=tags(data),
                            edit_url=site.edit_url(entry)),
        blocks.heading(1, escape.inline(title)),
        blocks.reviewed_line(site.reviewed_on(entry), lang),
        escape.prose(text.get("summary")),
        _risk(data, text, lang),
        _scope_line(site, data, lang, here),
        blocks.heading(2, label("commands", lang), "commands"),
        _commands(data.get("commands"), lang),
        _files(data, lang),
        blocks.heading(2, label("undo", lang), "undo"),
        escape.prose(text.get("undo_note")),
        _commands(data.get("undo"), lang),
        blocks.heading(2, label("verify", lang), "verify"),
        escape.prose(text.get("verify_note")),
        _commands(data.get("verify"), lang),
        blocks.heading(2, label("notes", lang), "notes") if text.get("notes") else "",
        escape.prose(text.get("notes")),
        blocks.heading(2, label("fixes_causes", lang), "causes", searchable=False) if causes else "",
        blocks.bullets(causes),
        blocks.heading(2, label("references", lang), "references", searchable=False),
        blocks.bullets([blocks.external_link(u) for u in data.get("references") or []]),
    )
