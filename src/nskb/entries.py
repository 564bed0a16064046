"""What every layer knows about KB entries: their kinds, folders, risk levels and fact conditions.

The bottom of the package: it imports nothing, so the YAML side (kb, lint), the runtime (index,
diagnose, report) and the site all take these names from one place.
"""
from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time: kb-match's start-up budget
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

LANGS = ("zh", "en")  # Chinese first: it is the site's default language

# Entry kind -> its folder under kb/ (and on the site, and in article URLs).
FOLDERS = {"symptom": "symptoms", "cause": "causes", "fix": "fixes"}
KINDS = tuple(FOLDERS)

# A fix's risk, from the safest; anything else sorts after "high".
RISKS = ("low", "medium", "high")
RISK_ORDER = {risk: rank for rank, risk in enumerate(RISKS)}


def risk_rank(risk: object) -> int:
    """0 for low, 1 medium, 2 high, 3 for a missing or unknown risk (shown last)."""
    return RISK_ORDER.get(risk, len(RISKS)) if isinstance(risk, str) else len(RISKS)


def condition_tests(condition: object) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """The tests of one `confirms`/`rules_out` condition, each with its path inside the condition.

    A condition is one test (`{fact, equals|in|matches}`, path `()`) or `{all: [test, ...]}`
    (paths `("all", i)`). Items that are not mappings are skipped (the schema reports them).
    """
    if not isinstance(condition, dict):
        return
    tests = condition.get("all")
    if isinstance(tests, list):
        for number, test in enumerate(tests):
            if isinstance(test, dict):
                yield ("all", number), test
    else:
        yield (), condition


def condition_facts(conditions: object) -> list[str]:
    """Every fact key a list of conditions reads, in order, each once."""
    keys: list[str] = []
    for condition in conditions if isinstance(conditions, list) else []:
        for _path, test in condition_tests(condition):
            key = test.get("fact")
            if isinstance(key, str) and key not in keys:
                keys.append(key)
    return keys


# A fix's lists of shell commands. Each item is a command string, or `{run, text: {zh: {note},
# en: {note}}}` when it carries a comment: the comment is prose in both languages, never part of
# the text a reader copies (kb/schema/defs.schema.json "command").
COMMAND_LISTS = ("commands", "undo", "verify")


def command_run(item: object) -> str:
    """The shell text of one command item; "" for a step done by hand (a note alone)."""
    if isinstance(item, str):
        return item
    run = item.get("run") if isinstance(item, dict) else None
    return run if isinstance(run, str) else ""


def command_note(item: object, lang: str) -> str:
    """The comment of one command item in `lang`, "" when it has none."""
    text = item.get("text") if isinstance(item, dict) else None
    own = text.get(lang) if isinstance(text, dict) else None
    note = own.get("note") if isinstance(own, dict) else None
    return " ".join(note.split()) if isinstance(note, str) else ""


def command_line(run: str, note: str) -> str:
    """A command with its comment as a shell comment, the way a reader sees and copies it."""
    if not note:
        return run
    return f"{run}  # {note}" if run else f"# {note}"


# A diagnostic step's expected outputs: `confirms_output` / `rules_out_output` hold literal terminal
# output (shown as code); text.<lang>.confirms / .rules_out describe it in words, alone or as a note.
OUTPUT_SIDES = ("confirms", "rules_out")


def expected_output(step: dict[str, Any], side: str, lang: str) -> tuple[str, str]:
    """(literal output, description in `lang`) of one side of a diagnostic step; either may be ""."""
    literal = step.get(side + "_output")
    text = step.get("text")
    own = text.get(lang) if isinstance(text, dict) else None
    words = own.get(side) if isinstance(own, dict) else None
    return (literal if isinstance(literal, str) else "", words.strip() if isinstance(words, str) else "")


# A tool (kb/tools.yaml) has a product name that is the same in every language (`name`: what a
# user types, "Steam") and, when that needs a description, a whole name per language
# (`text.<lang>.name`: "Steam（客户端与 Steam Linux Runtime / pressure-vessel）").
def tool_name(tool: object, lang: str) -> str:
    """The name of a tool on a `lang` page or report: its text.<lang>.name, else the product name."""
    if not isinstance(tool, dict):
        return ""
    text = tool.get("text")
    own = text.get(lang) if isinstance(text, dict) else None
    name = own.get("name") if isinstance(own, dict) else None
    if isinstance(name, str) and name.strip():
        return " ".join(name.split())
    return product_name(tool)


def product_name(tool: object) -> str:
    """A tool's product name alone ("Steam"), for a phrase such as "the safest fix for Steam"."""
    if not isinstance(tool, dict):
        return ""
    name = tool.get("name") or tool.get("id")
    return " ".join(name.split()) if isinstance(name, str) else ""
