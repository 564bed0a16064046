"""Literal text with words about it, per language: a diagnostic step's expected outputs and a
fix's commands with their comments.

Literal output is shown as a code span, exactly as a terminal prints it; a description of it is
prose in the page's language, after the literal in brackets when there is one. A command's comment
is written after it as `# …` in the page's language; the command itself is never translated.
"""
from __future__ import annotations

from nskb.entries import OUTPUT_SIDES, command_line, command_note, command_run, expected_output
from nskb.site import escape
from nskb.site.labels import colon, label

SIDE_LABEL = {"confirms": "if_cause", "rules_out": "if_not_cause"}


def output_text(literal: str, words: str, lang: str) -> str:
    """`literal` as code, `words` as prose (in brackets after a literal), both escaped."""
    code = escape.code_span(literal) if literal else ""
    prose = escape.inline(words) if words else ""
    if code and prose:
        return f"{code}（{prose}）" if lang == "zh" else f"{code} ({prose})"
    return code or prose


def output_lines(step: dict, lang: str) -> list[str]:
    """One line per side of a diagnostic step that says what to expect: label, colon, output."""
    lines = []
    for side in OUTPUT_SIDES:
        literal, words = expected_output(step, side, lang)
        if literal or words:
            lines.append(f"{label(SIDE_LABEL[side], lang)}{colon(lang)}{output_text(literal, words, lang)}")
    return lines


def command_blocks(items: list | None, lang: str, *, searchable: bool = True) -> list[str]:
    """One fenced `sh` block per command, its comment in the page's language."""
    return [escape.code_block(command_line(command_run(item), command_note(item, lang)), "sh", searchable=searchable)
            for item in items or []]
