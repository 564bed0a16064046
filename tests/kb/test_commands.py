"""The commands a reader copies: every fix command (with its comment, in each language, as the page
shows it) and every diagnostic step parses as bash (ShellCheck, errors only: placeholders such as IMAGE
are fine, syntax is not)."""
from __future__ import annotations

import subprocess

from tests.conftest import require_tool

from nskb.entries import COMMAND_LISTS, LANGS, command_line, command_note, command_run

from .conftest import kb_and_patterns

KB, _ = kb_and_patterns()


def _shown_commands() -> list[tuple[str, str]]:
    """(where, text) for every command as a page shows it: each fix command once per language."""
    shown = []
    for fid, fix in sorted(KB.fixes.items()):
        for key in COMMAND_LISTS:
            for number, item in enumerate(fix.data.get(key) or []):
                for lang in LANGS:
                    shown.append((f"fixes/{fid} {key}.{number} ({lang})",
                                  command_line(command_run(item), command_note(item, lang))))
    for cid, cause in sorted(KB.causes.items()):
        for number, step in enumerate(cause.data.get("diagnostics") or []):
            shown.append((f"causes/{cid} diagnostics.{number}", step["run"]))
    return shown


def test_every_command_parses_as_bash(tmp_path):
    shellcheck = require_tool("shellcheck")
    shown = _shown_commands()
    files = []
    for number, (_where, text) in enumerate(shown):
        path = tmp_path / f"{number}.sh"
        path.write_text("#!/bin/bash\n" + text + "\n", encoding="utf-8")
        files.append(str(path))
    done = subprocess.run([shellcheck, "-S", "error", "-f", "gcc", *files], capture_output=True, text=True, timeout=300)
    failing = sorted({shown[int(line.split("/")[-1].split(".sh:")[0])][0] + ": " + line.split(": ", 1)[-1]
                      for line in done.stdout.splitlines() if ".sh:" in line})
    assert done.returncode == 0 and not failing, "\n".join(failing) or done.stderr

