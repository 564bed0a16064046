"""Words for kb-match: results as text, Markdown or nskb-match/1 JSON, and articles (--explain).

Everything language-specific lives here; `match` hands over IDs, line numbers and fact keys.
"""
from __future__ import annotations

import re


KIND_DIRS = {"symptom": "symptoms", "cause": "causes", "fix": "fixes"}
RESULT_FORMAT = "nskb-match/1"
SHOWN_LINE = 200  # characters of a matched line shown in text output

UI = {
    "en": {
        "summary": "{n} matching line(s) in {lines} line(s) read",
        "matched": "Matched lines", "causes": "Likely causes", "ruled_out": "Ruled out",
        "warnings": "Warnings", "nothing": "No known symptom matched in {lines} line(s).",
        "nothing_hint": "Check that the error output (stderr) was captured: cmd 2>&1 | kb-match. "
                        "Search the site for the message: {site}",
        "no_cause": "Symptoms matched, but no cause is left: every candidate was ruled out by the facts.",
        "only_clues": "Only context lines matched; they do not name a failure on their own.",
        "score": "score", "why": "why", "fix": "safest fix", "article": "article",
        "risk": "risk", "ev_symptom": "line {line} is “{title}” ({nth} of its {n} causes, +{w})",
        "ev_symptom_one": "line {line} is “{title}” (its only cause, +{w})",
        "ev_fact_probe": "probe: {facts} confirms it (+{w})",
        "ev_fact_probe_many": "probe: {facts} confirm it (+{w})",
        "ev_fact_line": "line {line} shows {key}={value}, which confirms it (+{w})",
        "ev_raise": "line {line} (“{title}”) makes it more likely (+{w})",
        "ev_lower": "line {line} (“{title}”) makes it less likely (×{w})",
        "via": " (via {signal})", "facts_only": "only facts point here; no matched line lists it",
        "because_probe": "probe says {key}={value}", "because_line": "line {line} shows {key}={value}",
        "decide": "Causes {ranks} are close. These facts would decide between them: {keys}",
        "decide_how": "run `kb-probe > probe.txt` where the command failed (inside the container or "
                      "chroot, as the same user), then `kb-match FILE --probe probe.txt`",
        "decide_hand": "or check by hand ({title}): `{run}`",
        "w_long-line": "{where}: the line is {length} bytes long; only its first {cap} bytes were searched",
        "w_invalid-utf8": "{where}: not valid UTF-8; invalid bytes were replaced",
        "w_nul-bytes": "{file}: {count} NUL byte(s) removed",
        "w_fact-conflict": "{where} shows {key}={value}, the probe says {key}={probe}; using the probe's value",
        "w_fact-conflict-lines": "{where} shows {key}={value}, an earlier line showed {earlier}; using the later one",
        "w_confirmed-and-ruled-out": "the facts both confirm and rule out {cause} ({keys}); treated as ruled out",
        "w_many-hits": "“{symptom}” matched {count} lines; the first {shown} are listed",
        "w_more-warnings": "more warnings of this kind ({of}) were left out",
        "w_probe": "probe {message}", "w_empty": "{file}: the input is empty",
        "ordinal": lambda n: f"{n}{'tsnrhtdd'[(n // 10 % 10 != 1) * (n % 10 < 4) * n % 10::4]}",
        # --explain
        "a_message": "The message", "a_applies": "Where it applies", "a_tool": "Tool",
        "a_meaning": "What it means", "a_causes": "Possible causes, most likely first",
        "a_mechanism": "Cause and mechanism", "a_environment": "Environment",
        "a_symptoms": "Messages it produces", "a_diagnose": "How to confirm it",
        "a_facts": "Probe facts", "a_fact_confirms": "confirms", "a_fact_rules_out": "rules out",
        "a_fixes": "Fixes, safest first", "a_not_applicable": "When this does not apply",
        "a_references": "References", "a_notes": "Notes", "a_commands": "Commands", "a_undo": "Undo",
        "a_verify": "Verify", "a_files": "Files", "a_fixes_causes": "Fixes these causes",
        "a_needs_root": "needs root", "a_no_root": "no root needed", "a_temporary": "temporary",
        "a_persistent": "persistent", "a_workaround": "workaround: it turns a protection off",
        "a_confirms_output": "confirms it", "a_rules_out_output": "rules it out", "a_url": "On the web",
        "a_retired": "This entry is retired; see {id}.", "a_distros": "Distributions", "a_risk": "Risk",
    },
    "zh": {
        "summary": "读取 {lines} 行，其中 {n} 行匹配",
        "matched": "匹配的行", "causes": "可能的原因", "ruled_out": "已排除", "warnings": "警告",
        "nothing": "在 {lines} 行中没有找到已知的症状。",
        "nothing_hint": "请确认捕获了错误输出（stderr）：cmd 2>&1 | kb-match。也可以在网站上搜索这条消息：{site}",
        "no_cause": "找到了症状，但所有可能的原因都被事实排除了。",
        "only_clues": "只匹配到上下文线索，它们本身不代表失败。",
        "score": "得分", "why": "依据", "fix": "风险最低的修复", "article": "文章", "risk": "风险",
        "ev_symptom": "第 {line} 行是“{title}”（在它的 {n} 个可能原因中排第 {i}，+{w}）",
        "ev_symptom_one": "第 {line} 行是“{title}”（它唯一的原因，+{w}）",
        "ev_fact_probe": "探测：{facts}，证实了这一原因（+{w}）",
        "ev_fact_probe_many": "探测：{facts}，证实了这一原因（+{w}）",
        "ev_fact_line": "第 {line} 行给出 {key}={value}，证实了这一原因（+{w}）",
        "ev_raise": "第 {line} 行（“{title}”）使它更有可能（+{w}）",
        "ev_lower": "第 {line} 行（“{title}”）使它不太可能（×{w}）",
        "via": "（依据 {signal}）", "facts_only": "只有事实指向这里，没有匹配的行列出它",
        "because_probe": "探测结果为 {key}={value}", "because_line": "第 {line} 行给出 {key}={value}",
        "decide": "原因 {ranks} 得分接近。以下事实可以区分它们：{keys}",
        "decide_how": "在命令失败的地方（容器或 chroot 内，用同一个用户）运行 `kb-probe > probe.txt`，"
                      "再运行 `kb-match FILE --probe probe.txt`",
        "decide_hand": "或者手动检查（{title}）：`{run}`",
        "w_long-line": "{where}：该行长 {length} 字节，只搜索了前 {cap} 字节",
        "w_invalid-utf8": "{where}：不是有效的 UTF-8，无效字节已被替换",
        "w_nul-bytes": "{file}：删除了 {count} 个 NUL 字节",
        "w_fact-conflict": "{where} 给出 {key}={value}，探测结果为 {key}={probe}；采用探测结果",
        "w_fact-conflict-lines": "{where} 给出 {key}={value}，前面的行给出 {earlier}；采用后者",
        "w_confirmed-and-ruled-out": "事实同时证实并排除了 {cause}（{keys}）；按已排除处理",
        "w_many-hits": "“{symptom}”匹配了 {count} 行，只列出前 {shown} 行",
        "w_more-warnings": "同类警告（{of}）还有更多，已省略",
        "w_probe": "探测结果 {message}", "w_empty": "{file}：输入为空",
        "ordinal": lambda n: str(n),
        "a_message": "错误消息", "a_applies": "适用范围", "a_tool": "工具",
        "a_meaning": "含义", "a_causes": "可能的原因（最可能的在前）",
        "a_mechanism": "原因与机制", "a_environment": "环境",
        "a_symptoms": "它会产生的消息", "a_diagnose": "如何确认",
        "a_facts": "探测事实", "a_fact_confirms": "证实", "a_fact_rules_out": "排除",
        "a_fixes": "修复方法（风险从低到高）", "a_not_applicable": "不适用的情况",
        "a_references": "参考资料", "a_notes": "说明", "a_commands": "命令", "a_undo": "撤销",
        "a_verify": "验证", "a_files": "文件", "a_fixes_causes": "可修复的原因",
        "a_needs_root": "需要 root", "a_no_root": "不需要 root", "a_temporary": "临时",
        "a_persistent": "持久", "a_workaround": "临时绕过：它关闭了一项保护",
        "a_confirms_output": "证实", "a_rules_out_output": "排除", "a_url": "网页",
        "a_retired": "此条目已停用，请看 {id}。", "a_distros": "发行版", "a_risk": "风险",
    },
}
COLON = {"en": ": ", "zh": "："}


def paren(lang: str, text: str) -> str:
    return f"（{text}）" if lang == "zh" else f"({text})"


def risk_note(lang: str, risk: str) -> str:
    return paren(lang, f"{UI[lang]['risk']}{COLON[lang]}{RISK_WORDS[lang][risk]}")


RISK_WORDS = {"en": {"low": "low", "medium": "medium", "high": "high"},
              "zh": {"low": "低", "medium": "中", "high": "高"}}


def language_from_env(environ) -> str:
    """zh for zh_* locales, else en; LC_ALL, then LC_MESSAGES, then LANG, as gettext reads them."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def article_url(site_url: str, lang: str, kind: str, entry_id: str) -> str:
    base = site_url if site_url.endswith("/") else site_url + "/"
    return f"{base}{'en/' if lang == 'en' else ''}{KIND_DIRS[kind]}/{entry_id}/"


def title(index: dict, kind: str, entry_id: str, lang: str) -> str:
    titles = index["titles"][kind].get(entry_id) or {}
    return titles.get(lang) or titles.get("en") or entry_id


class Style:
    """ANSI styling, or none: colour only on a terminal and never when NO_COLOR is set."""

    CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, name: str, text: str) -> str:
        return f"\x1b[{self.CODES[name]}m{text}\x1b[0m" if self.enabled and text else text

    def prose(self, text: str) -> str:
        return re.sub(r"`([^`]+)`", lambda m: self("cyan", m.group(1)), text) if self.enabled else text


# ---------------------------------------------------------------------------------------------
# Results


def _where(item: dict, several: bool) -> str:
    if item.get("line") is None:
        return item.get("file", "")
    return f"{item['file']}:{item['line']}" if several or item.get("file") not in (None, "-", "<stdin>") else str(item["line"])


def warning_text(warning: dict, lang: str, several: bool = True) -> str:
    words = UI[lang]
    params = dict(warning)
    if "file" in params:
        params["where"] = _where(params, True)
    if "keys" in params and isinstance(params["keys"], list):
        params["keys"] = ", ".join(params["keys"])
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


def _evidence_text(index: dict, item: dict, facts: dict, lang: str) -> str:
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
        joined = ("，" if lang == "zh" else ", ").join(_fact_words(f, facts, lang) for f in item["items"])
        key = "ev_fact_probe_many" if len(item["items"]) > 1 else "ev_fact_probe"
        return words[key].format(facts=joined, w=f"{item['weight']:.2f}")
    return words["ev_fact_line"].format(line=item["line"], key=item["key"], value=item["value"], w=f"{item['weight']:.2f}")


def _grouped(evidence: list[dict]) -> list[dict]:
    """Evidence for people: the probe facts that confirmed a cause together become one item."""
    out, probe = [], []
    for item in evidence:
        if item["type"] == "fact" and item.get("source") != "line":
            probe.append(item)
        else:
            out.append(item)
    if probe:
        out.append({"type": "facts", "items": probe, "weight": probe[0]["weight"]})
    return out


def _because_text(item: dict, lang: str) -> str:
    if item.get("source") == "line":
        return UI[lang]["because_line"].format(**item)
    return UI[lang]["because_probe"].format(**item)


def _with_nth(index: dict, cause_id: str, evidence: list[dict]) -> list[dict]:
    out = []
    for item in evidence:
        if item["type"] == "symptom":
            listed = index["symptoms"][item["id"]]["causes"]
            item = {**item, "nth": listed.index(cause_id) + 1 if cause_id in listed else 1}
        out.append(item)
    return out


def to_json(result: dict, index: dict, lang: str, site_url: str, top: int) -> dict:
    """The nskb-match/1 object of DESIGN.md (plus `file` beside each `line`)."""
    def evidence(item):
        if item["type"] == "fact":
            return {"type": "fact", "key": item["key"], "value": item["value"], "effect": item["effect"]}
        out = {"type": item["type"], "id": item["id"], "line": item["line"], "file": item["file"]}
        if item["type"] == "clue":
            out["effect"] = item["effect"]
        return out

    return {
        "format": RESULT_FORMAT,
        "symptoms": [{"id": s["id"], "kind": s["kind"], "line": s["line"], "text": s["text"], "file": s["file"]}
                     for s in result["symptoms"]],
        "causes": [{"id": c["id"], "rank": c["rank"], "score": c["score"],
                    "title": title(index, "cause", c["id"], lang),
                    "url": article_url(site_url, lang, "cause", c["id"]),
                    "evidence": [evidence(e) for e in c["evidence"]],
                    "fixes": [{"id": f, "risk": index["fixes"][f]["risk"], "url": article_url(site_url, lang, "fix", f)}
                              for f in c["fixes"]]}
                   for c in result["causes"][:top]],
        "ruled_out": [{"id": r["id"], "because": [{"key": b["key"], "value": b["value"]} for b in r["because"]]}
                      for r in result["ruled_out"]],
        "facts": dict(result["facts"]),
        "warnings": [warning_text(w, lang) for w in result["warnings"]],
    }


def _shorten(text: str, limit: int = SHOWN_LINE) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _decide_lines(result: dict, index: dict, lang: str) -> list[str]:
    decide = result.get("decide")
    if not decide:
        return []
    words = UI[lang]
    rank_of = {c["id"]: c["rank"] for c in result["causes"]}
    ranks = [str(rank_of[c]) for c in decide["between"] if c in rank_of]
    joined = (("、".join(ranks[:-1]) + " 和 " + ranks[-1]) if lang == "zh" else
              (", ".join(ranks[:-1]) + " and " + ranks[-1]))
    lines = [words["decide"].format(ranks=joined, keys=", ".join(decide["facts"])), "  " + words["decide_how"]]
    for cid in decide["between"]:
        for run in index["causes"][cid].get("diagnose", [])[:1]:
            lines.append("  " + words["decide_hand"].format(title=title(index, "cause", cid, lang), run=run))
    return lines


def to_text(result: dict, index: dict, lang: str, site_url: str, top: int, style: Style) -> str:
    words = UI[lang]
    several = len({s["file"] for s in result["symptoms"]}) > 1 or len(result.get("sources", [])) > 1
    out = []
    errors = [s for s in result["symptoms"]]
    if not errors:
        out.append(words["nothing"].format(lines=result["lines"]))
        out.append(words["nothing_hint"].format(site=site_url))
    else:
        out.append(style("bold", words["matched"]))
        for hit in result["symptoms"]:
            place = _where(hit, several)
            out.append(f"  {style('yellow', place)}: {_shorten(hit['text'])}")
            out.append(f"      → {title(index, 'symptom', hit['id'], lang)}")
    causes = result["causes"][:top]
    if causes:
        out += ["", style("bold", words["causes"])]
        for cause in causes:
            cid = cause["id"]
            gap = "" if lang == "zh" else "  "
            out.append(f"  {cause['rank']}. {style('bold', title(index, 'cause', cid, lang))}{gap}"
                       f"{paren(lang, words['score'] + ' ' + format(cause['score'], '.2f'))}")
            out.append(f"     {words['why']}{COLON[lang].rstrip()}")
            for item in _grouped(_with_nth(index, cid, cause["evidence"])):
                out.append(f"       - {_evidence_text(index, item, result['facts'], lang)}")
            if not any(e["type"] == "symptom" for e in cause["evidence"]):
                out.append(f"       - {words['facts_only']}")
            if cause["fixes"]:
                fid = cause["fixes"][0]
                gap = "" if lang == "zh" else " "
                out.append(f"     {words['fix']}{COLON[lang]}{style('green', title(index, 'fix', fid, lang))}{gap}"
                           f"{risk_note(lang, index['fixes'][fid]['risk'])} {article_url(site_url, lang, 'fix', fid)}")
            out.append(f"     {words['article']}{COLON[lang]}{article_url(site_url, lang, 'cause', cid)}")
    elif result["symptoms"]:
        only_clues = all(s["kind"] == "clue" for s in result["symptoms"])
        out += ["", words["only_clues"] if only_clues and not result["ruled_out"] else words["no_cause"]]
    if result["ruled_out"]:
        out += ["", style("bold", words["ruled_out"])]
        for item in result["ruled_out"]:
            because = "; ".join(_because_text(b, lang) for b in item["because"])
            out.append(f"  - {title(index, 'cause', item['id'], lang)}: {because}")
    decide = _decide_lines(result, index, lang)
    if decide:
        out += [""] + [style("bold", decide[0])] + decide[1:]
    if result["warnings"]:
        out += ["", style("bold", words["warnings"])]
        out += [f"  {style('yellow', '!')} {warning_text(w, lang)}" for w in result["warnings"]]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Inline text for Markdown: shown literally (log lines hold <, *, _ and backticks)."""
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)


def to_markdown(result: dict, index: dict, lang: str, site_url: str, top: int) -> str:
    words = UI[lang]
    out = []
    if result["symptoms"]:
        out += [f"### {words['matched']}", "", "```text"]
        out += [f"{_where(h, True)}: {_shorten(h['text'], 500)}" for h in result["symptoms"]]
        out += ["```", ""]
    else:
        out += [words["nothing"].format(lines=result["lines"]), ""]
    if result["causes"][:top]:
        out += [f"### {words['causes']}", ""]
        for cause in result["causes"][:top]:
            cid = cause["id"]
            out.append(f"{cause['rank']}. **[{_md(title(index, 'cause', cid, lang))}]"
                       f"({article_url(site_url, lang, 'cause', cid)})** {paren(lang, words['score'] + ' ' + format(cause['score'], '.2f'))}")
            for item in _grouped(_with_nth(index, cid, cause["evidence"])):
                out.append(f"    - {_md(_evidence_text(index, item, result['facts'], lang))}")
            if cause["fixes"]:
                fid = cause["fixes"][0]
                out.append(f"    - {words['fix']}{COLON[lang]}[{_md(title(index, 'fix', fid, lang))}]"
                           f"({article_url(site_url, lang, 'fix', fid)}) {risk_note(lang, index['fixes'][fid]['risk'])}")
        out.append("")
    if result["ruled_out"]:
        out += [f"### {words['ruled_out']}", ""]
        for item in result["ruled_out"]:
            because = "; ".join(_because_text(b, lang) for b in item["because"])
            out.append(f"- {_md(title(index, 'cause', item['id'], lang))}: {_md(because)}")
        out.append("")
    decide = _decide_lines(result, index, lang)
    if decide:
        out += [f"> {_md(line.strip())}" for line in decide] + [""]
    if result["warnings"]:
        out += [f"### {words['warnings']}", ""] + [f"- {_md(warning_text(w, lang))}" for w in result["warnings"]] + [""]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Articles (--explain)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# Compiled on first use (re.findall caches it): a plain run never wraps prose.
_TOKEN = r"`[^`]*`|\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s`\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+"


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Fill a paragraph to `width` columns; CJK text breaks between characters, Latin at spaces."""
    lines, current, used = [], indent, _width(indent)
    for token in re.findall(_TOKEN, " ".join(text.split())):
        if token.isspace():
            if used > _width(indent):
                current, used = current + " ", used + 1
            continue
        size = _width(token)
        if used + size > width and used > _width(indent):
            lines.append(current.rstrip())
            current, used = indent, _width(indent)
        current, used = current + token, used + size
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _paragraphs(text: str, width: int, style: Style, indent: str = "  ") -> list[str]:
    out = []
    for paragraph in re.split(r"\n\s*\n", text or ""):
        if paragraph.strip():
            out += [style.prose(line) for line in wrap(paragraph, width, indent)]
            out.append("")
    return out


def find_entry(index: dict, entry_id: str) -> list[str]:
    return [kind for kind, plural in (("symptom", "symptoms"), ("cause", "causes"), ("fix", "fixes"))
            if entry_id in index[plural]]


def article(index: dict, kind: str, entry_id: str, lang: str, site_url: str, style: Style, width: int = 88) -> str:
    from .compile import articles, entry

    words = UI[lang]
    prose = articles(index)["text"]
    text = prose[kind].get(entry_id, {}).get(lang) or {}
    data = entry(index, kind, entry_id)
    out = [style("bold", text.get("title", entry_id)), ""]

    def section(name, body_lines):
        body_lines = [line for line in body_lines if line is not None]
        if body_lines:
            out.extend([style("bold", words[name])] + body_lines + ([""] if body_lines[-1] else []))

    def code(lines, prompt="$ "):
        return ["    " + style("cyan", prompt + line) for line in lines]

    if data.get("status") == "retired" and data.get("replaced_by"):
        out += [words["a_retired"].format(id=data["replaced_by"]), ""]
    if kind == "symptom":
        section("a_message", code(data["examples"]["match"][:1], prompt=""))
        applies = [f"  - {p.get('program', '')}: {p.get('versions', '')}" + (f" ({p['errno']})" if p.get("errno") else "")
                   for p in data.get("printed_by", [])]
        applies += [f"  - {words['a_tool']}{COLON[lang]}{data.get('tool', '')}"]
        if data.get("distros"):
            applies.append(f"  - {words['a_distros']}{COLON[lang]}{', '.join(data['distros'])}")
        section("a_applies", applies)
        section("a_meaning", _paragraphs(text.get("summary", ""), width, style))
        section("a_causes", [f"  {n}. {title(index, 'cause', c, lang)}  {style('dim', article_url(site_url, lang, 'cause', c))}"
                             for n, c in enumerate(data["causes"], 1)])
        fixes = []
        for cid in data["causes"]:
            fixes += [f for f in index["causes"][cid].get("fixes_by_risk", []) if f not in fixes]
        order = {"low": 0, "medium": 1, "high": 2}
        fixes.sort(key=lambda f: order[index["fixes"][f]["risk"]])
        section("a_fixes", [f"  - {title(index, 'fix', f, lang)}{'' if lang == 'zh' else ' '}{risk_note(lang, index['fixes'][f]['risk'])}"
                            f"  {style('dim', article_url(site_url, lang, 'fix', f))}" for f in fixes])
        section("a_notes", _paragraphs(text.get("notes", ""), width, style))
    elif kind == "cause":
        env = _paragraphs(text.get("environment", ""), width, style)
        if data.get("distros"):
            env.append(f"  {words['a_distros']}{COLON[lang]}{', '.join(data['distros'])}")
        if data.get("tools"):
            env.append(f"  {words['a_tool']}{COLON[lang]}{', '.join(data['tools'])}")
        section("a_environment", env)
        section("a_meaning", _paragraphs(text.get("summary", ""), width, style))
        section("a_mechanism", _paragraphs(text.get("mechanism", ""), width, style))
        section("a_symptoms", [f"  - {title(index, 'symptom', s, lang)}" for s in data.get("symptoms", [])])
        steps = []
        for n, step in enumerate(data.get("diagnostics", []), 1):
            step_text = (text.get("diagnostics") or [{}] * n)[n - 1] if len(text.get("diagnostics") or []) >= n else {}
            steps += wrap(f"{n}. {step_text.get('purpose', '')}", width, "  ")
            steps += code([step["run"]], prompt="# " if step.get("needs_root") else "$ ")
            if step.get("confirms_output"):
                steps.append(f"    → {words['a_confirms_output']}{COLON[lang]}{step['confirms_output']}")
            if step.get("rules_out_output"):
                steps.append(f"    → {words['a_rules_out_output']}{COLON[lang]}{step['rules_out_output']}")
            if step_text.get("reading"):
                steps += [style.prose(line) for line in wrap(step_text["reading"], width, "    ")]
            steps.append("")
        section("a_diagnose", steps)
        facts = [f"  {words['a_fact_confirms']}{COLON[lang]}{_condition_text(c)}" for c in data.get("confirms", [])]
        facts += [f"  {words['a_fact_rules_out']}{COLON[lang]}{_condition_text(c)}" for c in data.get("rules_out", [])]
        section("a_facts", facts)
        fixes = []
        for n, fid in enumerate(data.get("fixes_by_risk", []), 1):
            fix = entry(index, "fix", fid)
            fix_text = prose["fix"].get(fid, {}).get(lang) or {}
            flags = [f"{words['risk']}{COLON[lang]}{RISK_WORDS[lang][fix['risk']]}",
                     words["a_temporary"] if fix.get("scope") == "temporary" else words["a_persistent"],
                     words["a_needs_root"] if fix.get("needs_root") else words["a_no_root"]]
            fixes.append(f"  {n}. {style('bold', title(index, 'fix', fid, lang))}{'' if lang == 'zh' else ' '}{paren(lang, ('，' if lang == 'zh' else ', ').join(flags))}")
            if fix_text.get("risk_reason"):
                fixes += [style.prose(line) for line in wrap(fix_text["risk_reason"], width, "     ")]
            fixes += code(fix.get("commands", []))
            fixes.append(f"     {style('dim', article_url(site_url, lang, 'fix', fid))}")
        section("a_fixes", fixes)
        section("a_not_applicable", _paragraphs(text.get("not_applicable", ""), width, style))
    else:
        flags = [f"{words['risk']}{COLON[lang]}{RISK_WORDS[lang][data['risk']]}",
                 words["a_temporary"] if data.get("scope") == "temporary" else words["a_persistent"],
                 words["a_needs_root"] if data.get("needs_root") else words["a_no_root"]]
        risk = ["  " + ("，" if lang == "zh" else ", ").join(flags)] + ([f"  {words['a_workaround']}"] if data.get("workaround") else [])
        risk += _paragraphs(text.get("risk_reason", ""), width, style)
        section("a_meaning", _paragraphs(text.get("summary", ""), width, style))
        out.extend([style("bold", words["a_risk"])] + risk)
        section("a_commands", code(data.get("commands", [])) + [""])
        files = []
        for item in data.get("files", []):
            files += [f"  {item.get('path', '')}:"] + ["    " + line for line in str(item.get("content", "")).splitlines()]
        section("a_files", files)
        section("a_undo", code(data.get("undo", [])) + [""] + _paragraphs(text.get("undo_note", ""), width, style))
        section("a_verify", code(data.get("verify", [])) + [""] + _paragraphs(text.get("verify_note", ""), width, style))
        section("a_notes", _paragraphs(text.get("notes", ""), width, style))
        section("a_fixes_causes", [f"  - {title(index, 'cause', c, lang)}  {style('dim', article_url(site_url, lang, 'cause', c))}"
                                   for c in data.get("causes", [])])
    section("a_references", [f"  - {url}" for url in data.get("references", [])])
    out += [f"{words['a_url']}{COLON[lang]}{article_url(site_url, lang, kind, entry_id)}"]
    return "\n".join(out).rstrip("\n") + "\n"


def _condition_text(condition: dict) -> str:
    tests = condition["all"] if isinstance(condition.get("all"), list) else [condition]
    parts = []
    for test in tests:
        key = test.get("fact", "?")
        if "equals" in test:
            parts.append(f"{key}={test['equals']}")
        elif "in" in test:
            parts.append(f"{key} ∈ {{{', '.join(test['in'])}}}")
        elif "matches" in test:
            parts.append(f"{key} ~ /{test['matches']}/")
    return " && ".join(parts)
