"""A small real fleet on this machine, probed by the real ansible-playbook with ansible/probe-fleet.yml.

Hosts (each differs in what it allows):
  self-root      this machine, as root (local connection): user namespaces work
  self-user      this machine, as an unprivileged user reached with `become` (su): they work
  chroot         a chroot (community.general.chroot connection): the kernel refuses a user
                 namespace in a chroot (EPERM)
  limited        an SSH server (Dropbear) on 127.0.0.1, in a user namespace whose
                 user.max_user_namespaces is 0, reached over SSH as the unprivileged user: ENOSPC,
                 no seccomp involved
  gone           SSH to a closed port on 127.0.0.1: unreachable
  broken-chroot  a chroot directory without /bin/sh: the run fails

Everything happens as root inside `unshare --mount --pid --fork --kill-child --mount-proc`: the mounts, the
extra user (bind-mounted over /etc/passwd) and the SSH server vanish with that namespace, whatever happens.
Nothing listens anywhere but 127.0.0.1.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PLAYBOOK = REPO / "ansible" / "probe-fleet.yml"
COLLECTIONS = REPO / ".venv" / "share" / "ansible" / "collections"
USER_NAME = "nskb-fleet"
USER_ID = 61999
TIMEOUT = 300  # seconds for the whole run; the playbook bounds each task on a host to 60 s

RUNNER = r"""
set -euo pipefail
cd /
# The unprivileged user, visible only in this mount namespace.
cp /etc/passwd "$WORK/passwd"; cp /etc/group "$WORK/group"; cp /etc/shadow "$WORK/shadow"
echo "$FLEET_USER:x:$FLEET_UID:$FLEET_UID::$WORK/home:/bin/sh" >> "$WORK/passwd"
echo "$FLEET_USER:x:$FLEET_UID:" >> "$WORK/group"
echo "$FLEET_USER:*:19000:0:99999:7:::" >> "$WORK/shadow"
for f in passwd group shadow; do mount --bind "$WORK/$f" "/etc/$f"; done
mkdir -p "$WORK/home"; chown "$FLEET_UID:$FLEET_UID" "$WORK/home"; chmod 755 "$WORK" "$WORK/home"

# The chroot: the host's /usr and library directories read-only, a few /etc files, /dev, a procfs.
R=$WORK/chroot
mkdir -p "$R/usr" "$R/etc" "$R/proc" "$R/dev" "$R/tmp" "$R/root"
chmod 755 "$R"; chmod 1777 "$R/tmp"
mount --bind /usr "$R/usr"; mount -o remount,bind,ro "$R/usr"
for d in bin sbin lib lib32 lib64 libx32; do
  if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$R/$d"
  elif [ -d "/$d" ]; then mkdir "$R/$d"; mount --bind "/$d" "$R/$d"; mount -o remount,bind,ro "$R/$d"; fi
done
for f in passwd group nsswitch.conf os-release; do cp -L "/etc/$f" "$R/etc/$f"; done
mount --rbind /dev "$R/dev"
mount -t proc proc "$R/proc"
mkdir -p "$WORK/broken-chroot"

# An SSH server on loopback (Dropbear: a binary with no service to enable), inside a user
# namespace where user.max_user_namespaces is 0.
S=$WORK/ssh
mkdir -p "$S" "$WORK/home/.ssh"
dropbearkey -t ed25519 -f "$S/host_key" >/dev/null 2>&1
ssh-keygen -q -t ed25519 -N '' -f "$S/client_key"
cp "$S/client_key.pub" "$WORK/home/.ssh/authorized_keys"
chown -R "$FLEET_UID:$FLEET_UID" "$WORK/home/.ssh"; chmod 700 "$WORK/home/.ssh"; chmod 600 "$WORK/home/.ssh/authorized_keys"
"$PYTHON" "$HELPERS/userns_limit_exec.py" \
  dropbear -F -E -s -w -m -j -k -p "127.0.0.1:$SSH_PORT" -r "$S/host_key" -P "$S/dropbear.pid" 2>"$WORK/sshd.log" &
for _ in $(seq 200); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$SSH_PORT") 2>/dev/null; then break; fi
  sleep 0.05
done

cat > "$WORK/inventory.ini" <<EOF
[fleet]
self-root     ansible_connection=local
self-user     ansible_connection=local nskb_probe_user=$FLEET_USER ansible_become_method=su
chroot        ansible_connection=community.general.chroot ansible_host=$R
limited       ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=$SSH_PORT ansible_user=$FLEET_USER
gone          ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=$CLOSED_PORT ansible_user=$FLEET_USER
broken-chroot ansible_connection=community.general.chroot ansible_host=$WORK/broken-chroot

[fleet:vars]
ansible_ssh_private_key_file=$S/client_key
ansible_ssh_common_args=-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ControlMaster=no
ansible_ssh_transfer_method=piped
ansible_python_interpreter=$PYTHON
EOF
"$ANSIBLE_PLAYBOOK" -i "$WORK/inventory.ini" "$PLAYBOOK" -e "nskb_fleet_dir=$OUT" > "$WORK/ansible.log" 2>&1
"""


@dataclass
class FleetRun:
    out: Path               # the directory of host files the playbook wrote
    returncode: int
    ansible_log: str
    sshd_log: str
    runner_err: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_fleet(work: Path, ansible_playbook: str) -> FleetRun:
    """Build the hosts, run the playbook against them, and return where the host files are."""
    out = work / "out"
    script = work / "run.sh"
    script.write_text(RUNNER)
    env = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8",
        "HOME": str(work), "WORK": str(work), "OUT": str(out), "PYTHON": sys.executable, "HELPERS": str(HERE),
        "PLAYBOOK": str(PLAYBOOK), "ANSIBLE_PLAYBOOK": ansible_playbook,
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS), "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_LOCAL_TEMP": str(work / "ansible-local"), "ANSIBLE_HOST_KEY_CHECKING": "False",
        "FLEET_USER": USER_NAME, "FLEET_UID": str(USER_ID),
        "SSH_PORT": str(_free_port()), "CLOSED_PORT": str(_free_port()),
    }
    argv = ["unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child", "--mount-proc",
            "bash", str(script)]
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        err = f"timed out after {TIMEOUT} s; {err}"

    def read(path: Path) -> str:
        return path.read_text(errors="replace") if path.is_file() else ""

    return FleetRun(out=out, returncode=proc.returncode, ansible_log=read(work / "ansible.log"),
                    sshd_log=read(work / "sshd.log"), runner_err=err.strip())


def new_workdir() -> Path:
    work = Path(tempfile.mkdtemp(prefix="nskb-fleet-"))
    os.chmod(work, 0o755)
    return work


def remove_workdir(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
