"""--redact: replace host names, user names and home paths in the facts that can carry them.

Only fields whose values are paths, labels or unit names are rewritten: a host called `debian`
must not turn `os.id=debian` into `os.id=<host1>`, nor a user called `docker` the runtime name.
"""
from __future__ import annotations

import os
import pwd
import re
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from nskb.probe.parse import ProbeWarning

# Facts whose values are free text that may hold a host, user or home path (kb/facts.yaml).
NAME_FIELDS = frozenset({
    "bwrap.path", "bwrap.caps", "apparmor.profile", "selinux.context", "container.signal", "chroot.signal",
    "systemd.unit", "proc.masked.paths",
})
# Facts whose values come from a fixed vocabulary, a number or a distribution's own name: never
# names of this host or user. A key in neither set (from a newer probe) is redacted.
PLAIN_FIELDS = frozenset({
    "os.id", "os.version_id", "kernel.release", "kernel.arch",
    "sysctl.kernel.unprivileged_userns_clone", "sysctl.user.max_user_namespaces", "sysctl.user.max_mnt_namespaces",
    "sysctl.user.max_pid_namespaces", "sysctl.user.max_net_namespaces", "sysctl.user.max_ipc_namespaces",
    "sysctl.user.max_uts_namespaces", "sysctl.user.max_cgroup_namespaces", "sysctl.user.max_time_namespaces",
    "sysctl.kernel.apparmor_restrict_unprivileged_userns", "sysctl.kernel.apparmor_restrict_unprivileged_unconfined",
    "sysctl.kernel.yama.ptrace_scope", "module.user_namespace.enable", "userns.supported", "process.uid", "process.gid", "process.invoking_uid",
    "process.in_userns", "process.no_new_privs", "seccomp.mode", "seccomp.filters", "cap.sys_admin.effective",
    "cap.sys_admin.bounding", "cap.setuid.effective", "cap.setuid.bounding", "cap.sys_ptrace.effective",
    "cap.sys_ptrace.bounding", "apparmor.enabled", "apparmor.mode",
    "selinux.mode", "container.runtime", "chroot", "chroot.checked", "proc.masked", "proc.sys_readonly",
    "mount.root_fstype", "mount.root_propagation",
    "bwrap.version", "bwrap.setuid", "newuidmap.present", "newuidmap.privileged", "newgidmap.present",
    "newgidmap.privileged", "subuid.count", "subgid.count", "userns.tool", "userns.test_uid", "userns.create",
    "userns.map_write", "userns.proc_mount",
})
_NOT_SECRET = {"root", "nobody", "localhost", "user", "host", "none", "unknown"}
_HOME_RE = re.compile(r"/(?:home|Users)/[^/\s,:=]+")


@dataclass
class Redactor:
    """Replace host names, user names and home paths with stable placeholders.

    The same original always becomes the same placeholder (`<user1>`, `<host1>`, `<home1>`), so
    a redacted report still shows that two values were equal.
    """

    hosts: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    homes: list[str] = field(default_factory=list)
    _seen: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_environment(cls) -> Redactor:
        hosts = {socket.gethostname(), os.uname().nodename}
        hosts |= {h.split(".")[0] for h in hosts}
        users = {os.environ.get(v, "") for v in ("USER", "LOGNAME", "SUDO_USER")}
        homes = {os.environ.get("HOME", "")}
        for uid in {os.getuid(), os.geteuid()}:
            try:
                entry = pwd.getpwuid(uid)
            except KeyError:
                continue
            users.add(entry.pw_name)
            homes.add(entry.pw_dir)
        return cls(hosts=_usable(hosts), users=_usable(users), homes=_usable(homes, paths=True))

    def _token(self, kind: str, original: str) -> str:
        if original not in self._seen:
            n = sum(1 for t in self._seen.values() if t.startswith(f"<{kind}")) + 1
            self._seen[original] = f"<{kind}{n}>"
        return self._seen[original]

    def value(self, text: str) -> str:
        for home in sorted(self.homes, key=len, reverse=True):
            text = re.sub(re.escape(home) + r"(?=/|$|[\s,:])", lambda m: self._token("home", m.group(0)), text)
        text = _HOME_RE.sub(lambda m: self._token("home", m.group(0)), text)
        for kind, names in (("host", self.hosts), ("user", self.users)):
            for name in sorted(names, key=len, reverse=True):
                word = r"(?<![A-Za-z0-9_])" + re.escape(name) + r"(?![A-Za-z0-9_])"
                text = re.sub(word, lambda m, k=kind: self._token(k, m.group(0)), text)  # type: ignore[misc]
        return text

    def facts(self, facts: Mapping[str, str]) -> dict[str, str]:
        return {k: v if k in PLAIN_FIELDS and k not in NAME_FIELDS else self.value(v) for k, v in facts.items()}

    def warning(self, warning: ProbeWarning) -> ProbeWarning:
        """The same warning with host names, user names and home paths in its values replaced."""
        params = {k: self.value(v) if isinstance(v, str) else v for k, v in warning.params.items()}
        return ProbeWarning(warning.code, warning.line, params)


def _usable(names: Iterable[str], paths: bool = False) -> list[str]:
    out = []
    for n in names:
        if not n or n in _NOT_SECRET:
            continue
        if paths and (n in ("/", "/root") or not n.startswith("/") or n.startswith("/nonexistent")):
            continue
        if not paths and len(n) < 2:
            continue
        out.append(n)
    return sorted(out)
