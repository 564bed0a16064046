"""Chinese output follows the house style: full-width punctuation in Chinese sentences, a space
between Chinese and Latin words or numbers (docs/dev/CONVENTIONS.md, "Chinese")."""
from __future__ import annotations

import re

import pytest

from nskb.diagnose.model import CONFIDENT, diagnose
from nskb.diagnose.scan import Scanner
from nskb.diagnose.types import Scan
from nskb.evaluation import run_case
from nskb.report.article import article
from nskb.report.markdown import to_markdown
from nskb.report.terminal import Style
from nskb.report.text import to_text
from nskb.words import UI

from .test_corpus import corpus, probe_parser

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CODE_SPAN = re.compile(r"`[^`]*`")
ASCII_AFTER_HAN = re.compile(f"[{HAN}“”）][:;,!?](?: |$)")


# Placeholders whose zh value is itself Chinese (a level, a strength word, a full-width parenthesis),
# so they sit next to Chinese with no space, like the words they stand for.
CHINESE_PLACEHOLDERS = {"level": "lvl_", "strength": "str_", "errno_part": None, "profile_part": None,
                        "link": None}  # the site's link to a page, titled in Chinese


def style_problems(text: str) -> list[str]:
    """What in one zh string breaks the style (code spans and {placeholders} aside)."""
    text = CODE_SPAN.sub("`code`", text)
    for name in CHINESE_PLACEHOLDERS:
        text = text.replace("{" + name + "}", "（中文）" if name.endswith("_part") else "中文")
    found = []
    if re.search(f"[{HAN}][,:;!?()]|[,:;!?()][{HAN}]", text):
        found.append("ASCII punctuation next to a Chinese character")
    if re.search(f"[{HAN}][A-Za-z0-9{{`]|[A-Za-z0-9}}`][{HAN}]", text):
        found.append("no space between Chinese and Latin text, a number or a placeholder")
    return found


def test_every_zh_string_follows_the_style():
    bad = {key: style_problems(text) for key, text in UI["zh"].items() if isinstance(text, str)}
    assert not {key: problems for key, problems in bad.items() if problems}


def test_chinese_placeholders_are_filled_with_chinese():
    """The exemption above holds only while those placeholders really carry Chinese in zh."""
    han = re.compile(f"[{HAN}（）]")
    for name, prefix in CHINESE_PLACEHOLDERS.items():
        if prefix:
            values = [v for k, v in UI["zh"].items() if k.startswith(prefix)]
            assert values and all(han.search(v) for v in values), (name, values)
    from nskb.report.common import feature_text

    assert feature_text("syscall", {"syscall": "unshare", "errno": "EPERM"}, "zh").endswith("（EPERM）")
    assert "（profile x）" in feature_text("apparmor", {"apparmor": "DENIED", "operation": "o", "profile": "x"}, "zh")


def test_the_checks_catch_what_they_should():
    assert style_problems("已排除: 探测结果为 x") and style_problems("读取{lines}行") and style_problems("需要root")
    assert not style_problems("第 {line} 行是“{title}”（+{w}）") and not style_problems("运行 `kb-match: x`")


def reported_lines(text: str) -> list[str]:
    """Lines kb-match wrote itself: matched log lines (quoted as they were) and code spans left out."""
    lines, quoted = [], False
    for line in text.splitlines():
        if line in ("匹配的行", "### 匹配的行") or line.startswith("```"):
            quoted = line != "```"  # the text section ends at a blank line, the Markdown one at ```
            continue
        if quoted and (not line or line == "```"):
            quoted = False
        if not quoted:
            lines.append(CODE_SPAN.sub("", line))
    return lines


def zh_reports(index: dict, result: dict) -> list[str]:
    site = index["site_url"]
    return (reported_lines(to_text(result, index, "zh", site, 5, Style(False), CONFIDENT))
            + reported_lines(to_markdown(result, index, "zh", site, 5, CONFIDENT)))


def test_zh_reports_have_no_ascii_colon_after_chinese(real_index):
    lines = []
    scanner = Scanner(real_index)
    parse = probe_parser(real_index)
    verdicts = set()
    for case in corpus():
        diagnosis = run_case(real_index, case, parse, scanner=scanner)
        verdicts.add(diagnosis.verdict)
        lines += zh_reports(real_index, diagnosis.to_dict())
    assert verdicts == {"cause", "not-sure", "no-failure"}  # every kind of report was read
    long_line = b"x" * 70000 + b"\nbwrap: No permissions to create a new namespace\n"
    for text, probe in ((long_line + b"kernel.unprivileged_userns_clone = 0\n",
                         {"sysctl.kernel.unprivileged_userns_clone": "1", "chroot": "no", "seccomp.mode": "0"}),
                        (b"all good\n", {})):
        scan = Scan()
        Scanner(real_index).feed(scan, "log", [text])
        lines += zh_reports(real_index, diagnose(real_index, scan, probe, [{"code": "probe-unknown-key", "line": 3, "key": "x", "file": "probe.txt"}]).to_dict())
    assert any("已排除" in line for line in lines) and any("：" in line for line in lines)
    bad = sorted({line for line in lines if ASCII_AFTER_HAN.search(line)})
    assert not bad, bad[:10]


@pytest.mark.parametrize("plural", ["symptoms", "causes", "fixes"])
def test_zh_articles_have_no_ascii_colon_after_chinese(real_index, plural):
    kind = {"symptoms": "symptom", "causes": "cause", "fixes": "fix"}[plural]
    bad = []
    for entry_id in sorted(real_index[plural]):
        text = article(real_index, kind, entry_id, "zh", real_index["site_url"], Style(False))
        bad += [f"{entry_id}: {line}" for line in text.splitlines()
                if ASCII_AFTER_HAN.search(CODE_SPAN.sub("", line))]
    assert not bad, bad[:10]


def test_articles_name_tools_in_the_readers_language(real_index):
    # Issue 13: `kb-match --explain` names a symptom's or cause's tools as the site does, with the
    # description in the reader's language (kb/tools.yaml text.<lang>.name), never the tool id.
    names = real_index["titles"]["tool"]
    assert names["steam"] == {"zh": "Steam（客户端与 Steam Linux Runtime / pressure-vessel）",
                              "en": "Steam (client and Steam Linux Runtime / pressure-vessel)"}
    assert names["crun"] == {"zh": "crun", "en": "crun"}  # a product name that says it all
    labels = {lang: f"{UI[lang]['tool']}{'：' if lang == 'zh' else ': '}" for lang in ("zh", "en")}
    for entry_id, data in sorted(real_index["symptoms"].items()):
        for lang in ("zh", "en"):
            text = article(real_index, "symptom", entry_id, lang, real_index["site_url"], Style(False))
            assert f"  - {labels[lang]}{names[data['tool']][lang]}\n" in text, (entry_id, lang)
    cause = article(real_index, "cause", "container-proc-masked", "zh", real_index["site_url"], Style(False))
    assert "Linux 内核（dmesg、sysctl、/proc）" in cause and "Linux kernel" not in cause
