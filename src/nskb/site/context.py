"""What every page needs besides its own entry: titles, links and the reverse lookups."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from nskb.entries import product_name, tool_name
from nskb.kb.model import KB
from nskb.site import escape
from nskb.site.labels import md_name

REPO_URL = "https://github.com/nskb-kb/nskb"
BRANCH = "main"
RISK_ORDER = {"low": 0, "medium": 1, "high": 2}
FOLDERS = {"symptom": "symptoms", "cause": "causes", "fix": "fixes", "tool": "tools"}
# Search weight of a page (Material's `search.boost`): what a reader acts on first. A clue (a
# sysctl line, a container marker) only re-weighs causes, so it ranks below the causes it names.
SEARCH_BOOST = {"error": 2, "cause": 2, "fix": 1, "clue": 0.3, "tool": 0.5}


@dataclass
class Site:
    """The KB plus everything derived from it once, shared by all page writers."""

    kb: KB
    repo_url: str = REPO_URL
    reviewed: dict = field(default_factory=dict)            # "causes/x.yaml" -> "YYYY-MM-DD"
    # reverse lookups, filled by `index()`
    symptoms_of_cause: dict = field(default_factory=dict)   # cause -> [error symptom ids]
    clues_for_cause: dict = field(default_factory=dict)     # cause -> [(clue id, "raises"|"lowers")]
    causes_of_fix: dict = field(default_factory=dict)       # fix -> [cause ids]
    symptoms_of_tool: dict = field(default_factory=dict)    # tool -> [symptom ids]
    causes_using_fact: dict = field(default_factory=dict)   # fact key -> [cause ids]

    def __post_init__(self):
        kb = self.kb
        for sid, entry in sorted(kb.symptoms.items()):
            data = entry.data
            if entry.retired:
                continue
            self.symptoms_of_tool.setdefault(data.get("tool", ""), []).append(sid)
            for cid in data.get("causes") or []:
                if data.get("kind") == "clue":
                    self.clues_for_cause.setdefault(cid, []).append((sid, "raises"))
                else:
                    self.symptoms_of_cause.setdefault(cid, []).append(sid)
            for cid in data.get("lowers") or []:
                self.clues_for_cause.setdefault(cid, []).append((sid, "lowers"))
        for cid, entry in sorted(kb.causes.items()):
            if entry.retired:
                continue
            for fid in entry.data.get("fixes") or []:
                self.causes_of_fix.setdefault(fid, []).append(cid)
            for condition in (entry.data.get("confirms") or []) + (entry.data.get("rules_out") or []):
                for test in condition.get("all", [condition]):
                    users = self.causes_using_fact.setdefault(test.get("fact", ""), [])
                    if cid not in users:
                        users.append(cid)

    # -- looking things up ------------------------------------------------------------------
    def entry(self, kind: str, entry_id: str):
        return self.kb.by_kind(kind).get(entry_id) if kind in ("symptom", "cause", "fix") else None

    def tool(self, tool_id: str) -> dict | None:
        return next((t for t in self.kb.tools if t.get("id") == tool_id), None)

    def product(self, tool_id: str) -> str:
        """A tool's product name alone, for phrases ("the safest fix for Steam"); its id if unknown."""
        tool = self.tool(tool_id)
        return product_name(tool) if tool else tool_id

    def title(self, kind: str, entry_id: str, lang: str) -> str:
        """An entry's title in `lang`; a tool's whole name in `lang` (nskb.entries.tool_name)."""
        if kind == "tool":
            tool = self.tool(entry_id)
            return tool_name(tool, lang) if tool else entry_id
        entry = self.entry(kind, entry_id)
        return (entry.text(lang).get("title") if entry else None) or entry_id

    def exists(self, kind: str, entry_id: str) -> bool:
        return self.tool(entry_id) is not None if kind == "tool" else self.entry(kind, entry_id) is not None

    def fixes_by_risk(self, fix_ids: list[str]) -> list[str]:
        known = [f for f in fix_ids if self.entry("fix", f) is not None]
        return sorted(known, key=lambda f: RISK_ORDER.get(self.entry("fix", f).data.get("risk"), 3))

    # -- links ------------------------------------------------------------------------------
    def href(self, kind: str, entry_id: str, lang: str, here: str) -> str:
        """Relative link from the page `here` (e.g. 'causes/x') to an entry page."""
        target = md_name(f"{FOLDERS[kind]}/{entry_id}", lang)
        return posixpath.relpath(target, posixpath.dirname(here) or ".")

    def page_href(self, base: str, lang: str, here: str, fragment: str = "") -> str:
        target = posixpath.relpath(md_name(base, lang), posixpath.dirname(here) or ".")
        return target + (f"#{fragment}" if fragment else "")

    def link(self, kind: str, entry_id: str, lang: str, here: str, *, in_table: bool = False) -> str:
        """A Markdown link to an entry titled in `lang`, or its id as code if it does not exist."""
        if not self.exists(kind, entry_id):
            return escape.html_code(entry_id) if in_table else escape.code_span(entry_id)
        text = escape.inline(self.title(kind, entry_id, lang), in_table=in_table)
        return f"[{text}]({self.href(kind, entry_id, lang, here)})"

    def edit_url(self, entry) -> str:
        """The GitHub edit page of an entry's YAML file (the repo keeps the KB in kb/)."""
        return f"{self.repo_url}/edit/{BRANCH}/kb/{FOLDERS[entry.kind]}/{entry.path.name}"

    def reviewed_on(self, entry) -> str:
        return self.reviewed.get(f"{FOLDERS[entry.kind]}/{entry.path.name}", "")

    def catalogue_edit_url(self, name: str) -> str:
        return f"{self.repo_url}/edit/{BRANCH}/kb/{name}.yaml"
