"""The words kb-match prints, per language (zh, en): result reports and --explain articles.

Everything language-specific is here or in the KB's own prose; the rest of kb-match hands over
IDs, line numbers and fact keys. Chinese follows the house style: full-width punctuation in
Chinese sentences (COLON, LIST_SEP, CLAUSE_SEP, `paren`), a space between Chinese and Latin words or
numbers, commands in code spans.
"""
from __future__ import annotations

KIND_DIRS = {"symptom": "symptoms", "cause": "causes", "fix": "fixes"}

UI = {
    "en": {
        "summary": "{n} matching line(s) in {lines} line(s) read",
        "probability": "probability",
        "verdict_cause": "Most likely cause: {title} (probability {p})",
        "verdict_not_sure": "No confident cause: no candidate reaches a probability of {threshold}. The closest candidates:",
        "verdict_no_failure": "No sandbox or user-namespace failure was recognised in {lines} line(s).",
        "other": "Something this knowledge base does not cover, or no namespace failure: probability {p}",
        "lvl_usual": "usually prints", "lvl_common": "often prints", "lvl_possible": "can print", "lvl_rare": "rarely prints",
        "str_strong": "strong", "str_moderate": "moderate", "str_weak": "weak", "str_hint": "hint-level",
        "e_symptom": "line {line} is “{title}”, which this cause {level} ({w})",
        "e_feature": "line {line}: {what} ({strength} evidence, {w})",
        "e_clue": "line {line} (“{title}”) makes it more likely ({w})",
        "e_clue_lowers": "line {line} (“{title}”) makes it less likely ({w})",
        "e_fact_probe": "probe: {key}={value} confirms it ({w})",
        "e_fact_line": "line {line} shows {key}={value}, which confirms it ({w})",
        "e_against_probe": "probe: {key}={value} speaks against it ({w})",
        "e_against_line": "line {line} shows {key}={value}, which speaks against it ({w})",
        "e_not_counted": " [not counted: same event as a stronger line]",
        "e_fact_where": "the failure happened where {value}, which speaks for it ({w})",
        "e_unexplained": " [not counted: no line of the log speaks for this cause]",
        "f_apparmor": "AppArmor {apparmor} {operation}{profile_part}",
        "f_selinux": "SELinux denied {{{perms}}} on {tclass}",
        "f_syscall": "audit record: {syscall} failed{errno_part}",
        "f_seccomp": "seccomp {action} on {syscall}",
        "f_failure": "{what} failed with {errno}",
        "w_unknown": "{code}",

        "matched": "Matched lines", "causes": "Likely causes", "ruled_out": "Ruled out",
        "warnings": "Warnings", "nothing": "No known symptom matched in {lines} line(s).",
        "nothing_hint": "Check that the error output (stderr) was captured: `cmd 2>&1 | kb-match`. "
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
        "w_gb18030": "{file}: not UTF-8; read as GB 18030 (GBK), the encoding of a Chinese locale",
        "w_fact-conflict": "{where} shows {key}={value}, the probe says {key}={probe}; using the probe's value",
        "w_fact-conflict-lines": "{where}: lines disagree about {key} ({values}); the fact is left unknown",
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
        "a_all_versions": "all versions",
    },
    "zh": {
        "summary": "读取 {lines} 行，其中 {n} 行匹配",
        "probability": "概率",
        "verdict_cause": "最可能的原因：{title}（概率 {p}）",
        "verdict_not_sure": "没有把握确定原因：没有哪个候选的概率达到 {threshold}。最接近的候选：",
        "verdict_no_failure": "在 {lines} 行中没有识别出沙箱或用户命名空间故障。",
        "other": "知识库未收录的原因，或根本不是命名空间故障：概率 {p}",
        "lvl_usual": "通常会输出", "lvl_common": "经常输出", "lvl_possible": "可能输出", "lvl_rare": "很少输出",
        "str_strong": "强", "str_moderate": "中等", "str_weak": "弱", "str_hint": "提示性",
        "e_symptom": "第 {line} 行是“{title}”，这一原因{level}这一行（{w}）",
        "e_feature": "第 {line} 行：{what}（{strength}证据，{w}）",
        "e_clue": "第 {line} 行（“{title}”）使它更有可能（{w}）",
        "e_clue_lowers": "第 {line} 行（“{title}”）使它不太可能（{w}）",
        "e_fact_probe": "探测：{key}={value}，证实了这一原因（{w}）",
        "e_fact_line": "第 {line} 行给出 {key}={value}，证实了这一原因（{w}）",
        "e_against_probe": "探测：{key}={value}，不支持这一原因（{w}）",
        "e_against_line": "第 {line} 行给出 {key}={value}，不支持这一原因（{w}）",
        "e_not_counted": "［未计入：与更强的一行属于同一事件］",
        "e_fact_where": "故障发生在 {value} 的环境中，这支持这一原因（{w}）",
        "e_unexplained": "［未计入：日志中没有任何一行支持这一原因］",
        "f_apparmor": "AppArmor {apparmor} {operation}{profile_part}",
        "f_selinux": "SELinux 拒绝了 {tclass} 的 {{{perms}}}",
        "f_syscall": "审计记录：{syscall} 失败{errno_part}",
        "f_seccomp": "seccomp 对 {syscall} 执行了 {action}",
        "f_failure": "{what} 失败，错误为 {errno}",
        "w_unknown": "{code}",

        "matched": "匹配的行", "causes": "可能的原因", "ruled_out": "已排除", "warnings": "警告",
        "nothing": "在 {lines} 行中没有找到已知的症状。",
        "nothing_hint": "请确认捕获了错误输出（stderr）：`cmd 2>&1 | kb-match`。也可以在网站上搜索这条消息：{site}",
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
        "w_gb18030": "{file}：不是 UTF-8，已按 GB 18030（GBK，中文区域设置的编码）读取",
        "w_fact-conflict": "{where} 给出 {key}={value}，探测结果为 {key}={probe}；采用探测结果",
        "w_fact-conflict-lines": "{where}：各行给出的 {key} 不一致（{values}），该事实按未知处理",
        "w_confirmed-and-ruled-out": "事实同时证实并排除了 {cause}（{keys}）；按已排除处理",
        "w_many-hits": "“{symptom}”匹配了 {count} 行，只列出前 {shown} 行",
        "w_more-warnings": "同类警告（{of}）还有更多，已省略",
        "w_probe": "探测输出：{message}", "w_empty": "{file}：输入为空",
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
        "a_all_versions": "全部版本",
    },
}
COLON = {"en": ": ", "zh": "："}
LIST_SEP = {"en": ", ", "zh": "、"}     # between items of a list inside a sentence
CLAUSE_SEP = {"en": "; ", "zh": "；"}   # between clauses (the reasons a cause was ruled out)
RISK_WORDS = {"en": {"low": "low", "medium": "medium", "high": "high"},
              "zh": {"low": "低", "medium": "中", "high": "高"}}


def paren(lang: str, text: str) -> str:
    return f"（{text}）" if lang == "zh" else f"({text})"


def risk_note(lang: str, risk: str) -> str:
    return paren(lang, f"{UI[lang]['risk']}{COLON[lang]}{RISK_WORDS[lang][risk]}")


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
