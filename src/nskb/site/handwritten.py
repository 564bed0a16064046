"""Hand-written pages from docs/: copied as they are, with three kinds of marker filled in.

- `<!-- nskb:run CMD -->` (optionally `<!-- nskb:run fold exit=1 CMD -->`): runs CMD with bash
  from the repository root, the venv's bin/ first on PATH, and puts `$ CMD` and its real output
  in a code block (`fold`: in a collapsed box, for long output). Exit status 2 or more fails the
  render unless the marker names that status.
- `<!-- nskb:lint-codes -->`: every kb-lint code with its hint and a bad and a good example.
- `<!-- nskb:counts -->`: how many symptoms, causes and fixes the KB holds.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from nskb.site import blocks, escape
from nskb.site.lint_codes_section import lint_codes_section

RUN = re.compile(r"^<!-- nskb:run (?:(?P<fold>fold) )?(?:exit=(?P<exit>\d+) )?(?P<cmd>.+?) -->$", re.MULTILINE)
FOLD_TITLE = {"zh": "展开完整输出", "en": "Show the full output"}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
COUNTS = {
    "zh": "目前收录 {s} 条报错与线索、{c} 个原因、{f} 种修复。",
    "en": "The knowledge base holds {s} messages and clues, {c} causes and {f} fixes.",
}


class RenderError(Exception):
    """A marker could not be filled in; the message says which and why."""


def page_lang(path: Path) -> str:
    return "en" if path.name.endswith(".en.md") else "zh"


def run_command(cmd: str, cwd: Path, allowed_exit: int | None, timeout: int = 120) -> str:
    env = dict(os.environ, NO_COLOR="1", TERM="dumb", COLUMNS="100", PYTHONIOENCODING="utf-8")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    try:
        done = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=cwd, env=env, timeout=timeout,
                              capture_output=True, text=True, errors="replace")
    except subprocess.TimeoutExpired as error:
        raise RenderError(f"`{cmd}` did not finish in {timeout} s") from error
    output = ANSI.sub("", done.stdout + done.stderr).rstrip()
    if done.returncode >= 2 and done.returncode != allowed_exit:
        raise RenderError(f"`{cmd}` exited with {done.returncode}: {output[-400:]}")
    return output


def fill_markers(source: str, lang: str, site, repo: Path, allow_missing: bool) -> str:
    def run(match: re.Match) -> str:
        cmd, allowed = match.group("cmd"), match.group("exit")
        try:
            output = run_command(cmd, repo, int(allowed) if allowed else None)
        except RenderError as error:
            if not allow_missing:
                raise
            note = "此处应为命令的真实输出；本次构建未能运行它：" if lang == "zh" else \
                "The real output belongs here; this build could not run the command: "
            return blocks.admonition("bug", "dev build", escape.inline(note + str(error)))
        if match.group("fold"):
            return f'??? example "{FOLD_TITLE[lang]}"\n\n' + \
                escape.code_block(f"$ {cmd}\n{output}", "console", "    ", wrap=True)
        return escape.code_block(f"$ {cmd}\n{output}", "console", wrap=True)

    source = RUN.sub(run, source)
    source = source.replace("<!-- nskb:lint-codes -->", lint_codes_section(lang))
    kb = site.kb
    counts = COUNTS[lang].format(s=sum(not e.retired for e in kb.symptoms.values()),
                                 c=sum(not e.retired for e in kb.causes.values()),
                                 f=sum(not e.retired for e in kb.fixes.values()))
    return source.replace("<!-- nskb:counts -->", counts)


def copy_docs(docs: Path, out: Path, site, *, allow_missing: bool = False) -> list[Path]:
    """Copy docs/ (without docs/dev/) into `out`, filling markers in Markdown files."""
    written = []
    repo = docs.resolve().parent
    for path in sorted(docs.rglob("*")):
        relative = path.relative_to(docs)
        if path.is_dir() or relative.parts[0] == "dev" or path.name.startswith("."):
            continue
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            text = fill_markers(path.read_text(encoding="utf-8"), page_lang(path), site, repo, allow_missing)
            target.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(path, target)
        written.append(target)
    return written
