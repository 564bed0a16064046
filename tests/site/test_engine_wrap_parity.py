"""A message wrapped mid-word at a fixed width is read glued by both engines: kb-match and the page's
nskb-engine.js (run under Node) read the same failure from it, in any script, and neither glues a
next line that starts a word of its own. tests/site/test_diagnose.py checks the corpus in a browser;
these lines are made up to reach letters the corpus does not wrap."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from tests.conftest import require_tool
from tests.match.conftest import run

from nskb.index.build import current_index
from nskb.site.match_asset import write_match_index

ENGINE = Path(__file__).resolve().parents[2] / "src/nskb/site/theme/assets/javascripts/nskb-engine.js"
KB = Path(__file__).resolve().parents[2] / "kb"
SCRIPT = """
const eng = require(process.argv[1])
const index = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"))
const logs = JSON.parse(require("fs").readFileSync(0, "utf8"))
process.stdout.write(JSON.stringify(logs.map(log => eng.diagnose(index, log, "").features
  .filter(f => f.kind === "failure").map(f => f.fields))))
"""
HEAD = "sandstorm/supervisor.c++:863: failed: unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID): "
LOGS = [
    HEAD + "Operation not p\nermitted\n",                 # English, cut mid-word
    HEAD + "Операция не позволе\nна\n",                   # Russian: Cyrillic letters on both sides
    HEAD + "Operaç\não não permitida\n",                  # Portuguese: the cut falls after a letter with a mark
    HEAD + "Operation not p\nErmitted\n",                 # the next line starts a word of its own: not glued
    # ª is no lower-case letter (Unicode Lo) in either engine, though Python's islower() says so.
    "error: operation not permitted: mount /var/lib/containers/storage/overlay/abcdef0123456789/merged:/ta\nªrget, flags: 0x5000\n",
]


@pytest.fixture(scope="module")
def browser_failures(tmp_path_factory):
    node = require_tool("node")
    index = write_match_index(KB, tmp_path_factory.mktemp("site"))
    done = subprocess.run([node, "-e", SCRIPT, str(ENGINE), str(index)], input=json.dumps(LOGS),
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_both_engines_read_a_message_wrapped_mid_word_alike(browser_failures):
    index = current_index()
    python = [[f["fields"] for f in run(index, log.encode()).features if f["kind"] == "failure"] for log in LOGS]
    assert browser_failures == python
    assert all({"errno": "EPERM", "syscall": "unshare"}.items() <= found[0].items() for found in python[:3])
    assert python[3] == []
