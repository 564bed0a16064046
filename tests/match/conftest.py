"""Fixtures for kb-match tests: a tiny KB built in memory (no YAML), and the real index.

The mini KB is shaped like the real one: a vague bwrap line printed by several causes, a specific
unshare line printed by one, clues, lines that set facts, causes with `confirms`, `rules_out`
(one of them `certain`) and priors. `mini_index` has no `features` section (no feature
extraction); `mini_features_index` adds a small one, with causes that claim its features.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from nskb.diagnose.model import diagnose
from nskb.diagnose.scan import Scanner
from nskb.diagnose.types import Diagnosis, Scan
from nskb.index.build import current_index as load_index
from nskb.index.compile import compile_index
from nskb.index.store import FORMAT
from nskb.kb.model import KB, Entry

REPO = Path(__file__).resolve().parents[2]

ERRNO = [
    {"name": "EPERM", "number": 1,
     "messages": {"C": "Operation not permitted", "zh_CN": "不允许的操作", "zh_TW": "此項操作並不被允許"}},
    {"name": "EACCES", "number": 13,
     "messages": {"C": "Permission denied", "zh_CN": "权限不够", "zh_TW": "拒絕不符權限的操作"}},
]

# A features section in the shape of kb/features.yaml, only what the tests need.
FEATURES = {
    "records": [{"kind": "apparmor", "marker": r'apparmor="?(?:DENIED|AUDIT)\b',
                 "fields": ["apparmor", "operation", "profile", "comm"]}],
    "arches": {},
    "syscalls": {},
    "failure": {
        "errno_forms": [r"\b(?P<name>E(?:PERM|ACCES))\b"],
        "syscalls": [{"name": "unshare", "pattern": r"\bunshare\b"}],
        "namespaces": [{"name": "user", "pattern": r"(?i)\buser namespaces?\b"}],
        "objects": [],
    },
    "mentions": {"error_words": r"(?i)\b(?:error|failed|cannot)\b",
                 "topics": [{"name": "apparmor", "pattern": r"(?i)\bapparmor\b"}]},
    "context": [{"fact": "process.uid", "pattern": r"^uid=(\d+)\([^)]*\) gid=\d+", "source": "id"}],
}


def _text(title: str) -> dict:
    return {"zh": {"title": "标题 " + title, "summary": "摘要。"}, "en": {"title": title, "summary": "Summary."}}


def _cause_text(title: str) -> dict:
    body = {"summary": "s", "mechanism": "m", "environment": "e", "not_applicable": "n"}
    return {"zh": {"title": "原因 " + title, **body}, "en": {"title": title, **body}}


def entry(kind: str, entry_id: str, data: dict) -> Entry:
    return Entry(Path(f"/mini/{kind}s/{entry_id}.yaml"), {"id": entry_id, **data}, {}, kind=kind)


def mini_kb(features: bool = False) -> KB:
    kb = KB(root=Path("/mini/kb"))
    kb.errno = ERRNO
    if features:
        kb.features = FEATURES
    kb.facts = [{"key": k, "source": "s", "text": {"zh": {"meaning": "m", "how": "h"}, "en": {"meaning": "m", "how": "h"}}}
                for k in ("chroot", "chroot.signal", "seccomp.mode", "container.runtime", "process.uid",
                          "sysctl.kernel.unprivileged_userns_clone", "os.id", "subuid.count", "userns.create")]
    symptoms = {
        # Printed by several causes: on its own it cannot decide.
        "four-causes": {"kind": "error", "tool": "bwrap",
                        "patterns": [r"No permissions to (?:creating|create(?: a)?) new namespace"],
                        "causes": {"seccomp": "common", "chroot": "common", "sysctl": "common", "systemd": "possible"}},
        # Printed by one cause.
        "one-cause": {"kind": "error", "tool": "unshare", "patterns": ["unshare failed: {EPERM} in chroot"],
                      "causes": {"chroot": "usual"}},
        "docker-clue": {"kind": "clue", "tool": "docker", "patterns": [r"^\s*docker run\b"],
                        "causes": {"seccomp": "common"}, "lowers": ["sysctl"]},
        "sysctl-line": {"kind": "clue", "tool": "bwrap", "patterns": [r"^kernel\.unprivileged_userns_clone\s*=\s*(\d)\s*$"],
                        "causes": {"sysctl": "possible"},
                        "sets_fact": {"fact": "sysctl.kernel.unprivileged_userns_clone", "value": "$1"}},
        "os-line": {"kind": "clue", "tool": "bwrap", "patterns": [r'^ID="?(\w+)"?$'], "causes": {"sysctl": "rare"},
                    "sets_fact": {"fact": "os.id", "value": "$1"}},
        # A cause whose fixes are written for different programs (step "safest fix that fits").
        "uid-map": {"kind": "error", "tool": "bwrap", "patterns": ["setting up uid map: {EACCES}"],
                    "causes": {"apparmor": "usual"}},
        "opam-sandbox": {"kind": "error", "tool": "opam", "patterns": [r"\[ERROR\] Sandboxing is not working"],
                         "causes": {"apparmor": "usual"}},
        # A cause about other tools, which probe facts confirm on many machines (no subordinate ids).
        "newuidmap-fail": {"kind": "error", "tool": "newuidmap", "patterns": ["newuidmap: write to uid_map failed"],
                           "causes": {"subid": "usual"}},
        "podman-clue": {"kind": "clue", "tool": "podman", "patterns": [r"^\s*podman run\b"], "causes": {"subid": "common"}},
    }
    causes = {
        "seccomp": {"confirms": [{"all": [{"fact": "seccomp.mode", "equals": "2"},
                                          {"fact": "container.runtime", "in": ["docker", "podman"]}]}],
                    "rules_out": [{"fact": "seccomp.mode", "equals": "0"}], "fixes": ["relax-seccomp", "privileged"]},
        "chroot": {"confirms": [{"fact": "chroot", "equals": "yes"}],
                   "rules_out": [{"all": [{"fact": "chroot", "equals": "no"}], "certain": True},
                                 {"fact": "userns.create", "equals": "ok"}],
                   "fixes": ["no-chroot"],
                   "evidence": [{"feature": "failure", "where": {"syscall": "unshare", "errno": "EPERM"},
                                 "strength": "weak"}]},
        "sysctl": {"confirms": [{"fact": "sysctl.kernel.unprivileged_userns_clone", "equals": "0"}],
                   "rules_out": [{"fact": "sysctl.kernel.unprivileged_userns_clone", "in": ["1", "unknown:absent"]}],
                   "fixes": ["enable-sysctl"]},
        "systemd": {"confirms": [{"fact": "container.runtime", "matches": "^systemd"}], "fixes": ["enable-sysctl"],
                    "prevalence": "rare"},
        "root-browser": {"confirms": [{"fact": "process.uid", "equals": "0"}], "fixes": ["no-chroot"],
                         "tools": ["chromium"], "prevalence": "common"},
        "subid": {"tools": ["podman", "newuidmap"], "confirms": [{"fact": "subuid.count", "equals": "0"}],
                  "fixes": ["enable-sysctl"]},
        "apparmor": {"tools": ["bwrap", "opam", "steam"],
                     "fixes": ["opam-profile", "steam-profile", "app-profile", "no-tools", "kernel-switch", "nix-only"],
                     "evidence": [{"feature": "apparmor", "where": {"operation": "userns_create"}, "strength": "strong"},
                                  {"feature": "mention", "where": {"topic": "apparmor"}, "strength": "hint"}]},
    }
    fixes = {"relax-seccomp": "medium", "privileged": "high", "no-chroot": "low", "enable-sysctl": "medium",
             "opam-profile": ("low", ["opam", "apparmor"]), "steam-profile": ("low", ["steam", "apparmor"]),
             "app-profile": ("medium", ["bwrap", "opam", "steam", "apparmor"]), "no-tools": ("medium", []),
             "kernel-switch": ("high", ["kernel"]), "nix-only": ("low", ["nix"])}
    for sid, data in symptoms.items():
        kb.symptoms[sid] = entry("symptom", sid, {**data, "examples": {"match": ["x"]}, "references": ["https://e.x/"],
                                                  "text": _text(sid)})
    for cid, data in causes.items():
        kb.causes[cid] = entry("cause", cid, {"tools": ["bwrap", "unshare"], **data, "references": ["https://e.x/"],
                                              "diagnostics": [{"run": f"check-{cid}", "text": {"zh": {"purpose": "p"}, "en": {"purpose": "p"}}}],
                                              "text": _cause_text(cid)})
    for fid, spec in fixes.items():
        risk, tools = spec if isinstance(spec, tuple) else (spec, [])
        kb.fixes[fid] = entry("fix", fid, {"risk": risk, "tools": tools, "scope": "persistent", "needs_root": True, "commands": ["c"],
                                          "undo": ["u"], "verify": ["v"], "references": ["https://e.x/"],
                                          "text": {"zh": {"title": "修复 " + fid, "summary": "s", "risk_reason": "r"},
                                                   "en": {"title": "fix " + fid, "summary": "s", "risk_reason": "r"}}})
    return kb


def build_index(features: bool = False) -> dict:
    index = compile_index(mini_kb(features), site_url="https://example.org/kb/", source_hash="sha256:mini")
    if not features:
        index.pop("features", None)  # an index without the section: no feature extraction at all
    return {"format": FORMAT, **index}


def run(index: dict, text: bytes, probe: dict | None = None, source: str = "log") -> Diagnosis:
    """Scan `text` and diagnose it with the probe facts `probe`."""
    scan = Scan()
    Scanner(index).feed(scan, source, [text])
    return diagnose(index, scan, probe or {}, [])


@pytest.fixture(scope="session")
def mini_index() -> dict:
    return build_index()


@pytest.fixture(scope="session")
def mini_features_index() -> dict:
    return build_index(features=True)


@pytest.fixture(scope="session")
def real_index() -> dict:
    return load_index()
