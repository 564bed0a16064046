"""Every fixed string the generated pages show, in both languages."""
from __future__ import annotations

LANGS = ("zh", "en")

_LABELS = {
    # section headings
    "message": ("报错原文", "The message"),
    "variants": ("同一报错的其他写法", "Other forms of the same message"),
    "printed_by": ("哪些程序会打印它", "Printed by"),
    "possible_causes": ("可能的原因", "Possible causes"),
    "clue_effect": ("这一行的作用", "What this line tells"),
    "notes": ("补充说明", "Notes"),
    "related": ("相关条目", "Related entries"),
    "references": ("参考资料", "References"),
    "leads_here": ("会指向这里的报错", "Messages that lead here"),
    "environment": ("适用环境", "Environment"),
    "mechanism": ("原因与机制", "Cause and mechanism"),
    "diagnosis": ("诊断步骤", "Diagnosis"),
    "probe_check": ("用 kb-probe 判断", "With kb-probe"),
    "fixes_by_risk": ("修复方法（风险从低到高）", "Fixes, safest first"),
    "not_applicable": ("不适用的情况", "When this does not apply"),
    "commands": ("命令", "Commands"),
    "files": ("写入的文件", "Files it writes"),
    "undo": ("撤销", "Undo"),
    "verify": ("验证", "Verify"),
    "fixes_causes": ("适用于这些原因", "Fixes these causes"),
    "symptoms": ("报错", "Messages"),
    "causes": ("原因", "Causes"),
    "fixes": ("修复", "Fixes"),
    "values": ("取值", "Values"),
    "used_by": ("用到它的原因", "Causes that use it"),
    "source": ("来源", "Source"),
    "how": ("读取方式", "How it is read"),
    "format": ("格式", "Format"),
    # table headers and inline labels
    "cause": ("原因", "Cause"),
    "confirmed_if": ("满足即可确认", "Confirmed when"),
    "ruled_out_if": ("满足即可排除", "Ruled out when"),
    "clue_lines": ("日志里的线索", "Telling lines in the log"),
    "program": ("程序", "Program"),
    "versions": ("版本", "Versions"),
    "all_versions": ("全部版本", "all versions"),
    "remarks": ("说明", "Remarks"),
    "errno": ("errno", "errno"),
    "fix": ("修复", "Fix"),
    "risk": ("风险", "Risk"),
    "scope": ("范围", "Scope"),
    "needs_root": ("需要 root", "Needs root"),
    "tools": ("工具", "Tools"),
    "tool": ("工具", "Tool"),
    "distros": ("发行版", "Distributions"),
    "kind": ("类型", "Kind"),
    "value": ("值", "Value"),
    "meaning": ("含义", "Meaning"),
    "term": ("术语", "Term"),
    "entry": ("条目", "Entry"),
    "count": ("数量", "Count"),
    "summary": ("简介", "Summary"),
    "if_cause": ("是这个原因时的输出", "Output when this is the cause"),
    "if_not_cause": ("不是这个原因时的输出", "Output when it is not"),
    "run_as_root": ("需要 root 运行。", "Run as root."),
    "raises": ("使这些原因更可能", "Makes these causes more likely"),
    "lowers": ("使这些原因更不可能", "Makes these causes less likely"),
    "sets_fact": ("把这一行记为事实", "Records this line as the fact"),
    "raises_short": ("出现时更可能", "more likely with"),
    "lowers_short": ("出现时更不可能", "less likely with"),
    "at_a_glance": ("要点", "At a glance"),
    "how_to_confirm": ("如何确认", "How to confirm"),
    "safest_fix": ("最安全的修复", "Safest fix"),
    "first_step": ("诊断第 1 步", "diagnostic step 1"),
    "or_probe": ("或 `kb-probe` 报告", "or `kb-probe` reports"),
    "decision_intro": (
        "按可能性排列。表中是 `kb-probe` 报告的事实：满足任一行即可确认或排除该原因。",
        "Most likely first. The table shows facts that `kb-probe` reports: any one line confirms or "
        "rules out that cause.",
    ),
    "facts_see": ("事实的含义见{link}。", "What the facts mean: {link}."),
    "none": ("—", "—"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "and": ("且", "and"),
    "one_of": ("取值之一", "is one of"),
    "matches": ("匹配", "matches"),
    "any_distro": ("任意", "any"),
    "kind_error": ("报错", "error"),
    "kind_clue": ("线索", "clue"),
    "risk_low": ("低", "low"),
    "risk_medium": ("中", "medium"),
    "risk_high": ("高", "high"),
    "scope_temporary": ("临时", "temporary"),
    "scope_persistent": ("持久", "persistent"),
    "workaround": (
        "这是临时绕过：它关闭或放宽一项保护，而不是消除原因。问题解决后请撤销。",
        "This is a workaround: it turns a protection off or loosens it instead of removing the "
        "cause. Undo it once the real cause is fixed.",
    ),
    "retired": ("此条目已停用，请改看：", "This entry is retired. See instead:"),
    "hand_check": ("动手检查", "Check by hand"),
    "no_hand_check": (
        "这个原因没有能直接运行的检查命令；请看原因页面，或在出错的环境里运行 `kb-probe`。",
        "This cause has no command to run by hand; see its page, or run `kb-probe` where the error "
        "happens.",
    ),
    "safest_fix_for": ("对 {tool} 最安全的修复", "Safest fix for {tool}"),
    "safest_fix_any": ("最安全的修复（没有专门针对 {tool} 的）", "Safest fix (none is specific to {tool})"),
    "safest_fix_any_tool": ("最安全的修复", "Safest fix"),
    "fix_details": ("完整步骤、撤销与验证：", "Full steps, undo and verify: "),
    "no_fix": ("这个原因还没有收录修复。", "No fix is recorded for this cause yet."),
    "cards_intro": (
        "按可能性从高到低排列。每个原因下面是一条可以手动运行的检查，以及最安全的修复和它的命令。",
        "Most likely first. Under each cause: a check you can run by hand, and the safest fix with "
        "its commands.",
    ),
    "copy_message": ("报错原文（可复制）", "The message (copyable)"),
    "safest_per_tool": ("按工具选最安全的修复", "Safest fix per tool"),
    "for_tools": ("{tools}：", "For {tools}: "),
    "next_step": (
        "不确定是哪一个？把完整日志交给 `kb-match`，或在出错的环境里运行 `kb-probe`，"
        "它会按上表给出判断和依据。",
        "Not sure which one? Give the whole log to `kb-match`, or run `kb-probe` where the "
        "error happens: it applies this table and shows the evidence.",
    ),
    "probe_intro": (
        "`kb-probe` 收集下列事实；`kb-match --probe` 据此确认或排除这个原因。",
        "`kb-probe` collects these facts; `kb-match --probe` uses them to confirm or rule out "
        "this cause.",
    ),
    "fix_order": (
        "先试风险最低的一项；后面的修复会放宽更多保护。",
        "Try the safest one first; the ones further down loosen more protection.",
    ),
    # page titles
    "title_symptoms": ("报错索引", "Messages"),
    "title_causes": ("原因索引", "Causes"),
    "title_fixes": ("修复索引", "Fixes"),
    "title_tools": ("按工具查找", "By tool"),
    "title_facts": ("探测事实参考", "Probe facts reference"),
    "title_glossary": ("术语表", "Glossary"),
    "intro_symptoms": (
        "按打印它的工具分组的全部报错与日志线索。最快的办法仍是在上方搜索框里粘贴报错原文。",
        "Every error message and log clue, grouped by the tool that prints it. The fastest way "
        "in is still to paste the message into the search box above.",
    ),
    "intro_causes": (
        "每个原因一篇文章：适用环境、机制、诊断步骤、按风险排序的修复。",
        "One article per cause: environment, mechanism, diagnosis, fixes ordered by risk.",
    ),
    "intro_fixes": (
        "全部修复，按风险从低到高排列。临时绕过会关闭一项保护，请只在确认原因后使用。",
        "Every fix, from the lowest risk to the highest. Workarounds turn a protection off: "
        "use them only once the cause is known.",
    ),
    "intro_tools": (
        "按出错的程序查找它会打印的报错。",
        "Find the messages a program prints, by program.",
    ),
    "intro_facts": (
        "`kb-probe`（`scripts/probe.sh`）每行输出一个 `键=值`。下面解释每个键、它从哪里读取、"
        "每个取值的含义，以及哪些原因用到它。读不到的值写作 `unknown:<原因>`，例如 "
        "`unknown:absent`、`unknown:EACCES`。",
        "`kb-probe` (`scripts/probe.sh`) prints one `key=value` per line. Below: what each key "
        "means, where it is read, what each value means and which causes use it. A value that "
        "could not be read is `unknown:<reason>`, such as `unknown:absent` or `unknown:EACCES`.",
    ),
    "intro_glossary": (
        "本站统一使用的术语及其英文对照。",
        "The terms this site uses, with their Chinese equivalents.",
    ),
    "filter_placeholder": ("按报错原文、条目名或工具筛选", "Filter by message, entry or tool"),
    "last_reviewed": ("最后审阅", "Last reviewed"),
    "tool_symptoms": ("这个工具打印的报错", "Messages this tool prints"),
    "tool_causes": ("涉及这个工具的原因", "Causes that involve this tool"),
    "tool_fixes": ("涉及这个工具的修复", "Fixes that involve this tool"),
    "other_tools": ("其他", "Other"),
}


def colon(lang: str) -> str:
    """The label separator: full-width in Chinese."""
    return "：" if lang == "zh" else ": "


def sep(lang: str) -> str:
    """The list separator: the Chinese enumeration comma in Chinese."""
    return "、" if lang == "zh" else ", "


def label(key: str, lang: str) -> str:
    zh, en = _LABELS[key]
    return zh if lang == "zh" else en


def md_name(base: str, lang: str) -> str:
    """`causes/x` -> `causes/x.md` (Chinese, the default) or `causes/x.en.md`."""
    return f"{base}.md" if lang == "zh" else f"{base}.{lang}.md"
