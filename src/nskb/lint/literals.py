"""KB208: words left in a literal field. Expected outputs and commands are shown as code, the same
on the Chinese and the English page; a description or a comment written into them would reach
Chinese readers in English. Descriptions go in text.<lang>.confirms / .rules_out, comments in a
command's text.<lang>.note (kb/schema/cause.schema.json, defs.schema.json "command").

Finding English prose in terminal output is a heuristic: after quoted strings and the C errno
messages (`No such file or directory`) are taken out, real output of the tools we cover has none of
the little words that join a description ("a", "the", "or", "e.g.", "no output" ...).
"""
from __future__ import annotations

import re

from nskb.entries import COMMAND_LISTS, OUTPUT_SIDES
from nskb.kb.model import Document, Problem

PROSE_WORDS = re.compile(
    r"(?<![\w./=:-])(?:a|an|the|or|and|then|while|any|both|every|either|such as|for example|e\.g\.|"
    r"no output|empty|instead|without|with|containing|other than|if|when|followed by|two|same|different|"
    r"present|number|numbers|lines)(?![\w/=-])")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def _comment_start(command: str) -> int:
    """Where a shell comment starts in `command` (outside quotes), or -1."""
    quote = ""
    for at, char in enumerate(command):
        if quote:
            if char == quote:
                quote = ""
            elif char == "\\" and quote == '"':
                continue
        elif char in "'\"":
            quote = char
        elif char == "#" and (at == 0 or command[at - 1] in " \t\n;&|("):
            return at
    return -1


def prose_in_output(output: str, errno_messages: list[str]) -> str:
    """The first word that marks `output` as a description rather than what a terminal prints, or ""."""
    plain = QUOTED.sub(" ", output)
    for message in errno_messages:
        plain = plain.replace(message, " ")
    found = PROSE_WORDS.search(plain)
    return found.group(0) if found else ""


def _problem(document: Document, display: str, path: tuple, message: str, hint: str) -> Problem:
    line, col = document.position(path)
    return Problem(display, line, col, "KB208", message, hint)


def check_literals(document: Document, display: str, errno_messages: list[str]) -> list[Problem]:
    data = document.data
    if not isinstance(data, dict):
        return []
    problems = []
    for number, step in enumerate(data.get("diagnostics") or []):
        if not isinstance(step, dict):
            continue
        for side in OUTPUT_SIDES:
            output = step.get(side + "_output")
            word = prose_in_output(output, errno_messages) if isinstance(output, str) else ""
            if word:
                problems.append(_problem(
                    document, display, ("diagnostics", number, side + "_output"),
                    f"diagnostics.{number}.{side}_output reads as a description ('{word}'), not as literal output",
                    f"keep only what the command prints there, and say the rest in text.zh.{side} and text.en.{side}"))
        run = step.get("run")
        if isinstance(run, str) and _comment_start(run) >= 0:
            problems.append(_problem(document, display, ("diagnostics", number, "run"),
                                     f"diagnostics.{number}.run carries a shell comment",
                                     "say it in text.zh.purpose / text.en.purpose instead"))
    for key in COMMAND_LISTS:
        items = data.get(key)
        for number, item in enumerate(items if isinstance(items, list) else []):
            run, path = (item, (key, number)) if isinstance(item, str) else \
                ((item.get("run"), (key, number, "run")) if isinstance(item, dict) else (None, ()))
            if isinstance(run, str) and _comment_start(run) >= 0:
                problems.append(_problem(
                    document, display, path, f"{key}.{number} carries a shell comment in the command",
                    "write {run: <the command>, text: {zh: {note: …}, en: {note: …}}}; the note is shown as # … "
                    "in the reader's language"))
    return problems
