#!/usr/bin/env python3
"""One-off migration, kept for branches that still carry the old format: turn a symptom's ordered
`causes:` list into a mapping from cause to how often that cause prints the line.

Old: the list order was the only strength (most likely first). New: each link says it, as one of
usual / common / possible / rare (kb/schema/symptom.schema.json). The list position maps to
those levels as the old harmonic weights did: the first cause of an error line is `usual`, the
second `common`, the third and fourth `possible`, later ones `rare`; a clue's first cause is
`common` and the rest `possible`, except kernel audit records, whose first cause is `usual`.
Files already converted are left alone.

    python3 scripts/convert_cause_links.py kb/symptoms/*.yaml
"""
import re
import sys
from pathlib import Path

AUDIT_RECORD_CLUES = {"apparmor-userns-create-denied", "apparmor-capable-denied-unprivileged-userns",
                      "apparmor-mount-denied-unprivileged-userns", "apparmor-uid-map-open-denied",
                      "selinux-avc-user-namespace-create", "vfs-mount-too-revealing"}


def level(kind: str, sid: str, position: int) -> str:
    if kind == "clue":
        if position == 0:
            return "usual" if sid in AUDIT_RECORD_CLUES else "common"
        return "possible"
    return ["usual", "common", "possible", "possible"][position] if position < 4 else "rare"


def convert(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    kind = re.search(r"^kind:\s*(\w+)", text, re.M)
    kind = kind.group(1) if kind else "error"
    flow = re.search(r"^causes:\s*\[([^\]]*)\]\s*$", text, re.M)
    if flow:
        ids = [i.strip() for i in flow.group(1).split(",") if i.strip()]
        span = flow.span()
    else:
        block = re.search(r"^causes:\s*\n((?:  - [a-z0-9-]+\s*(?:#.*)?\n)+)", text, re.M)
        if not block:
            return False
        ids = re.findall(r"^  - ([a-z0-9-]+)", block.group(1), re.M)
        span = block.span()
    new = "causes:\n" + "".join(f"  {cid}: {level(kind, path.stem, n)}\n" for n, cid in enumerate(ids))
    if flow:
        new = new.rstrip("\n")
    path.write_text(text[:span[0]] + new + text[span[1]:], encoding="utf-8")
    return True


if __name__ == "__main__":
    changed = [p for p in map(Path, sys.argv[1:]) if convert(p)]
    print(f"converted {len(changed)} file(s)")
