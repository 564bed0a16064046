"""A message wrapped mid-word at a fixed width is read glued by both engines: kb-match and the page's
nskb-engine.js (run under Node) read the same failure from it, in any script, and neither glues a
next line that starts a word of its own. tests/site/test_diagnose.py checks the corpus in a browser;
these lines are made up to reach letters the corpus does not wrap. An audit record cut after a quoted
field is read on by both as well, over up to four lines, and not into the next record. Both read
setroubleshoot's one-line summary of a denial alike too."""
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
const kind = process.argv[3]
const logs = JSON.parse(require("fs").readFileSync(0, "utf8"))
process.stdout.write(JSON.stringify(logs.map(log => eng.diagnose(index, log, "").features
  .filter(f => f.kind === kind).map(f => f.fields))))
"""
HEAD = "sandstorm/supervisor.c++:863: failed: unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID): "
LOGS = [
    HEAD + "Operation not p\nermitted\n",                 # English, cut mid-word
    HEAD + "Операция не позволе\nна\n",                   # Russian: Cyrillic letters on both sides
    HEAD + "Operaç\não não permitida\n",                  # Portuguese: the cut falls after a letter with a mark
    HEAD + "Operation not p\nErmitted\n",                 # the next line starts a word of its own: not glued
    # wrapped by hand, short of a terminal's width, after a word no sentence ends with
    "sandbox: unshare(CLONE_NEWUSER) failed with\nerrno EPERM\n",
    # ... but not onto a next line that is a message of its own
    "Creating user namespace with unshare for\n/bin/sh: 1: ./run.sh: Permission denied\n",
    # ª is no lower-case letter (Unicode Lo) in either engine, though Python's islower() says so.
    "error: operation not permitted: mount /var/lib/containers/storage/overlay/abcdef0123456789/merged:/ta\nªrget, flags: 0x5000\n",
]


@pytest.fixture(scope="module")
def match_index(tmp_path_factory) -> Path:
    """The page's match index, written once for the module."""
    return write_match_index(KB, tmp_path_factory.mktemp("site"))


def both_engines(match_index: Path, kind: str, logs: list[str]) -> tuple[list, list]:
    """The fields of each log's features of one kind: the page's engine under Node, then kb-match's."""
    node = require_tool("node")
    done = subprocess.run([node, "-e", SCRIPT, str(ENGINE), str(match_index), kind], input=json.dumps(logs),
                          capture_output=True, text=True, timeout=60, check=True)
    index = current_index()
    python = [[f["fields"] for f in run(index, log.encode()).features if f["kind"] == kind] for log in logs]
    return json.loads(done.stdout), python


def test_both_engines_read_a_message_wrapped_mid_word_alike(match_index):
    browser, python = both_engines(match_index, "failure", LOGS)
    assert browser == python
    assert all({"errno": "EPERM", "syscall": "unshare"}.items() <= found[0].items() for found in python[:3])
    assert python[3] == []
    assert {"errno": "EPERM", "syscall": "unshare"}.items() <= python[4][0].items()
    assert python[5] == []


# An audit record wrapped after a quoted field: read whole by both engines.
RECORDS = [
    'May 24 21:09:56 host kernel: audit: type=1400\naudit(1779649796.463:218): apparmor="DENIED" operation="file_mmap"\n'
    'class="file" profile="/usr/lib/snapd/snap-confine"\nname="/usr/lib/x86_64-linux-gnu/libm.so.6" pid=153497\n',
    'Apr 23 22:03:12 host kernel: audit:\n  type=1400 audit(1713909792.064:262): apparmor="DENIED"\n'
    '  operation="signal" class="signal" profile="nerdctl-default"\n  pid=13483 comm="runc" requested_mask="receive"\n'
    '  denied_mask="receive" signal=cont peer="runc"\n',
    # broken field by field over four lines, each ending in a quoted field; then a second record
    # opening a line of its own, which is not glued onto the first
    'apparmor="AUDIT" operation="userns_create" class="namespace"\n    info="Userns create - transitioning profile"\n'
    '    profile="unconfined" pid=4242 comm="agentd"\n    target="unprivileged_userns"\n'
    'apparmor="DENIED" operation="capable" class="cap"\n    profile="unprivileged_userns" pid=4243 comm="agentd"\n'
    '    capability=21 capname="sys_admin"\n',
    # a header line, then two records each on an indented line of its own: two records, not one
    'kernel: audit: type=1400 audit(1713909792.064:262):\n  apparmor="DENIED" operation="mount" profile="ci-jobs" '
    'name="/x/"\n  apparmor="DENIED" operation="capable" profile="ci-other" capname="sys_admin"\n',
]


def test_both_engines_read_an_audit_record_wrapped_after_a_quoted_field(match_index):
    browser, python = both_engines(match_index, "apparmor", RECORDS)
    assert browser == python
    assert python[0][0]["profile"] == "/usr/lib/snapd/snap-confine"
    assert python[1][0]["operation"] == "signal" and python[1][0]["profile"] == "nerdctl-default"
    assert python[1][0]["peer"] == "runc"  # the record's fourth line after its head
    first, second = python[2]
    assert first["operation"] == "userns_create" and first["target"] == "unprivileged_userns"
    assert second["operation"] == "capable" and second["capname"] == "sys_admin" and second["profile"] == "unprivileged_userns"
    assert sorted((r["operation"], r["profile"], r.get("capname")) for r in python[3]) == \
        [("capable", "ci-other", "sys_admin"), ("mount", "ci-jobs", None)]


# A line of another kind that ends in a quoted field (logrus's msg="...") is not taken on into the next line.
def test_a_logrus_line_ending_in_a_quoted_field_is_not_a_wrapped_record():
    from nskb.diagnose.scan import _continuation

    first = b'time="2024-01-01T00:00:00Z" level=error msg="failed to unshare the user namespace: operation not permitted"'
    data = first + b'\n  time="2024-01-01T00:00:01Z" level=info msg="retrying"\n'
    assert _continuation(data, 0, len(first), len(data)) == b""
    record = b'audit(1713909792.064:262): apparmor="DENIED" operation="signal" class="signal"'
    data = record + b'\n  profile="nerdctl-default" pid=13483\n'
    assert _continuation(data, 0, len(record), len(data)) == b'profile="nerdctl-default" pid=13483'


# setroubleshoot's one-line summaries of an AVC denial: the program, the permissions and the class
# by position, read alike by both engines.
SUMMARIES = [
    "Dec 01 10:00:00 fedora setroubleshoot[2231]: SELinux is preventing /usr/bin/bwrap from create access "
    "on the user_namespace Unknown. For complete SELinux messages run: sealert -l 0b6a\n",
    "SELinux is preventing /usr/bin/podman from using the sys_admin capability.\n",
    "SELinux is preventing /usr/sbin/httpd from 'read, write' accesses on the file /var/www/x.\n",
]


def test_both_engines_read_setroubleshoots_summary_alike(match_index):
    browser, python = both_engines(match_index, "selinux", SUMMARIES)
    assert browser == python
    assert python == [[{"comm": "bwrap", "perms": "create", "tclass": "user_namespace"}],
                      [{"comm": "podman", "perms": "sys_admin"}],
                      [{"comm": "httpd", "perms": "read, write", "tclass": "file"}]]


def test_a_header_line_is_read_on_into_one_record_not_two():
    from nskb.diagnose.scan import _continuation

    head = b"kernel: audit: type=1400 audit(1713909792.064:262):"
    data = head + (b'\n  apparmor="DENIED" operation="mount" profile="ci-jobs" name="/x/"'
                   b'\n  apparmor="DENIED" operation="capable" profile="ci-other" capname="sys_admin"\n')
    assert _continuation(data, 0, len(head), len(data)) == b'apparmor="DENIED" operation="mount" profile="ci-jobs" name="/x/"'
