"""Classes of evidence the engine reads from logs it has no symptom for, on the real KB: a Python
traceback, a pasted shell session, silence, a probe run as root, a clue on an audit-record line."""
from __future__ import annotations

from nskb.diagnose import model
from nskb.diagnose.scan import Scanner
from nskb.diagnose.types import Scan
from nskb.evaluation import without_tool

from .conftest import run

FRAMES = (b"Traceback (most recent call last):\n"
          b'  File "/usr/lib/python3/dist-packages/tool/sandbox.py", line 195, in unshare\n'
          b"    os.unshare(flags)\n")
EXCEPTION = b"PermissionError: [Errno 1] Operation not permitted\n"


def failures(result) -> list[dict[str, str]]:
    return [f["fields"] for f in result.features if f["kind"] == "failure"]


def test_an_exception_line_reads_the_call_from_the_frame_above(real_index):
    result = run(real_index, FRAMES + EXCEPTION)
    assert {"errno": "EPERM", "syscall": "unshare", "namespace": "any"} in failures(result)
    assert result.verdict != "no-failure"


def test_an_exception_line_alone_or_far_from_its_frame_is_not_a_namespace_failure(real_index):
    assert failures(run(real_index, EXCEPTION)) == []
    far = FRAMES + b"".join(b"step %d done\n" % n for n in range(20)) + EXCEPTION
    assert failures(run(real_index, far)) == []


def test_a_pasted_command_is_not_read_together_with_its_output(real_index):
    session = (b"user@host:~/src$ /usr/bin/bwrap --unshare-user --unshare-net --ro-bind / / --dev /dev /bin/true\n"
               b"bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted\n")
    assert not any("unshare" in f.get("syscall", "") for f in failures(run(real_index, session)))


def test_silence_in_a_log_is_evidence_for_other_but_a_probe_alone_is_not_silence(real_index):
    quiet = run(real_index, b"Compiling foo v0.1.0\nFinished release in 3.2s\n")
    ratio = model.P_SILENT_OTHER / model.P_SILENT_CAUSE  # a measured frequency: not tempered
    expected = model.P_OTHER_PRIOR * ratio / (model.P_OTHER_PRIOR * ratio + 1 - model.P_OTHER_PRIOR)
    assert quiet.verdict == "no-failure" and abs(quiet.other - expected) < 1e-9
    probe_only = run(real_index, b"", {"userns.create": "ok", "userns.map_write": "ok"})
    assert probe_only.verdict == "no-failure" and probe_only.other < quiet.other
    assert probe_only.other >= model.P_OTHER_PRIOR - 1e-9


def test_a_probe_run_as_root_does_not_speak_for_ordinary_users(real_index):
    line = b"unshare: unshare failed: Operation not permitted\n"
    as_user = run(real_index, line, {"userns.create": "ok", "userns.test_uid": "1000"})
    as_root = run(real_index, line, {"userns.create": "ok", "userns.test_uid": "0"})
    ruled = {r.id for r in as_user.ruled_out}
    assert "userns-clone-sysctl-off" in ruled
    assert "userns-clone-sysctl-off" not in {r.id for r in as_root.ruled_out}
    assert as_root.facts["userns.create"] == "ok"  # the report keeps the probe's own value
    assert "userns.create" in (as_root.decide or {}).get("facts", []) or as_root.verdict == "cause"


def test_a_clue_on_an_audit_record_line_is_shown_but_not_counted(real_index):
    record = (b'audit: type=1400 audit(1747501609.093:412): apparmor="DENIED" operation="userns_create" '
              b'class="namespace" profile="snap.electron-app.electron-app" pid=9403 comm="electron-app" '
              b'requested="userns_create" denied="userns_create"\n')
    result = run(real_index, record)
    assert any(s["id"] == "apparmor-userns-create-denied" for s in result.symptoms)
    assert result.causes[0].id == "snap-confinement-blocks-userns"
    restricted = next(c for c in result.causes if c.id == "apparmor-userns-restricted")
    assert not any(e.type == "clue" for e in restricted.evidence)


def test_the_safest_fix_for_an_unknown_program_is_not_one_written_for_another_program(real_index):
    from nskb.report.common import shown_causes

    ubuntu = b'ID=ubuntu\nVERSION_ID="24.04"\n'
    unknown = shown_causes(run(real_index, FRAMES + EXCEPTION + ubuntu).to_dict(), real_index, 3)
    restricted = next(c for c in unknown if c["id"] == "apparmor-userns-restricted")
    first = real_index["fixes"][restricted["fixes"][0]]
    programs = [t for t in first.get("tools") or [] if t not in ("kernel", "apparmor", "selinux")]
    assert len(programs) != 1, (restricted["fixes"][0], programs)
    steam = shown_causes(run(real_index, b"steam.sh: Error: Steam now requires user namespaces to be enabled.\n" + ubuntu)
                         .to_dict(), real_index, 3)
    assert next(c for c in steam if c["id"] == "apparmor-userns-restricted")["fixes"][0] == "steam-apparmor-profile"


def test_a_rust_error_chain_reads_the_call_from_the_lines_above_its_os_error(real_index):
    chain = (b"Error: Failed to start local worker\n\nCaused by:\n    0: Watcher thread failed\n"
             b"    1: Failed to write /proc/self/setgroups\n\n       Caused by:\n"
             b"           Permission denied (os error 13)\n")
    result = run(real_index, chain)
    assert {"errno": "EACCES", "object": "setgroups"} in failures(result)
    assert result.causes[0].id == "apparmor-userns-restricted"
    far = b"    1: Failed to write /proc/self/setgroups\n" + b"note\n" * 20 + b"Permission denied (os error 13)\n"
    assert failures(run(real_index, far)) == []


def test_configuring_a_new_network_namespace_needs_its_capabilities(real_index):
    for line in (b"jail: failed to bring up loopback interface: Operation not permitted\n",
                 b"CRITICAL - Failed to configure container with operation 'fcntl.ioctl(sock, _SIOCSIFFLAGS, ifreq)': "
                 b"[Errno 1] Operation not permitted\n"):
        result = run(real_index, line)
        assert {"errno": "EPERM", "object": "net_config"} in failures(result)
        assert result.causes[0].id == "apparmor-userns-restricted"
    assert failures(run(real_index, b"RTNETLINK answers: Operation not permitted\n")) == []  # `ip` without root


def test_a_line_that_several_mechanisms_print_alike_leaves_the_answer_to_the_facts(real_index):
    # Equal evidence: the priors alone order the causes, and the facts that decide are listed.
    line = b"unshare: unshare failed: Operation not permitted\n"
    alone = run(real_index, line)
    assert alone.causes[0].probability < model.DECIDED
    assert {"userns-clone-sysctl-off", "chroot-environment"} <= {c.id for c in alone.causes[:3]}
    assert alone.decide and "chroot" in alone.decide["facts"]
    decided = run(real_index, line, {"chroot": "yes"})
    assert decided.verdict == "cause" and decided.causes[0].id == "chroot-environment"
    go = run(real_index, b"Error: fork/exec /proc/self/exe: operation not permitted\n")
    explained = {c.id for c in go.causes if c.explained}
    assert go.causes[0].probability < model.DECIDED
    assert {"apparmor-userns-restricted", "container-seccomp-blocks-userns", "userns-clone-sysctl-off"} <= explained


def test_a_limit_of_zero_speaks_for_any_failure_to_make_a_namespace(real_index):
    log = b"Error: fork/exec /proc/self/exe: operation not permitted\n/proc/sys/user/max_user_namespaces 0\n"
    result = run(real_index, log)
    assert result.facts.get("sysctl.user.max_user_namespaces") == "0"
    assert result.causes[0].id == "max-user-namespaces-zero"


def test_a_wrapped_message_does_not_run_into_the_next_programs_line(real_index):
    log = (b"toolbox: checking if /etc/subgid and /etc/subuid have entries for user hh\n"
           b"toolbox: TOOLBOX_PATH is /usr/bin/toolbox\n"
           b"mkdir: cannot create directory '/toolbox': Operation not permitted\n")
    assert failures(run(real_index, log)) == []
    wrapped = (b"toolbox: the files /etc/subgid and /etc/subuid do not have entries for\n"
               b"    the user hh\n")
    assert {"errno": "ENOENT", "object": "subid"} in failures(run(real_index, wrapped))


def test_a_sandbox_said_to_be_unusable_is_a_failure_with_no_reason_given(real_index):
    for line in (b"local sandbox: bwrap (bubblewrap) is required on Linux but is not available or not functional\n",
                 b"WARNING: Sandboxed execution is not supported on your system and thus hermeticity of actions "
                 b"cannot be guaranteed.\n"):
        assert {"errno": "EUNKNOWN", "namespace": "any"} in failures(run(real_index, line)), line
    assert failures(run(real_index, b"INFO: sandbox profile written to ./out\n")) == []


def test_a_kernel_release_pasted_alone_is_a_fact(real_index):
    log = b"$ uname -r\n6.0.7-hardened1-1-hardened\nunshare: unshare failed: Operation not permitted\n"
    result = run(real_index, log)
    assert result.facts["kernel.release"] == "6.0.7-hardened1-1-hardened"
    assert result.causes[0].id == "userns-clone-sysctl-off"
    assert "kernel.release" not in run(real_index, b"1.2.3-beta\n").facts


def test_a_line_logged_at_an_informational_level_is_no_failure(real_index):
    for line in (b"INFO:    User not listed in /etc/subuid, trying root-mapped namespace\n",
                 b"2024-05-23 20:02:47 - DEBUG - unshare(CLONE_NEWUSER) failed: Operation not permitted, retrying\n",
                 b'time="2024-01-02T03:04:05Z" level=debug msg="unshare failed: operation not permitted"\n'):
        assert failures(run(real_index, line)) == [], line
    assert failures(run(real_index, b"FATAL:   unshare(CLONE_NEWUSER) failed: Operation not permitted\n"))


def test_a_program_no_fix_names_gets_a_general_fix_not_another_programs(real_index):
    from nskb.report.common import shown_causes

    bitbake = b"ERROR: User namespaces are not usable by BitBake, possibly due to AppArmor.\n"
    shown = shown_causes(run(real_index, bitbake).to_dict(), real_index, 3)
    restricted = next(c for c in shown if c["id"] == "apparmor-userns-restricted")
    programs = [t for t in real_index["fixes"][restricted["fixes"][0]].get("tools") or []
                if t not in ("kernel", "apparmor", "selinux")]
    # A fix written for BitBake, or a general one: never one for a single other program (Steam's).
    assert "bitbake" in programs or len(programs) != 1, programs


def test_a_call_wrapped_before_its_errno_is_read_whole(real_index):
    log = (b"src/sandstorm/supervisor-main.c++:844: error from OS: unshare(CLONE_NEWUSER | \n"
           b"CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID): Invalid argument\n")
    assert any(f.get("syscall") == "unshare" and "user" in f.get("namespace", "").split()
               and f.get("errno") == "EINVAL" for f in failures(run(real_index, log)))


def test_a_snap_path_anywhere_in_a_line_says_the_program_is_confined(real_index):
    line = (b"bwrap: Can't mount tmpfs on /newroot/snap/steam/171/usr/share/vulkan/implicit_layer.d: "
            b"Permission denied\n")
    result = run(real_index, line)
    assert result.facts.get("snap.confined") == "yes"
    assert "snap-confinement-blocks-userns" in {c.id for c in result.causes[:2]}
    # On Ubuntu, which ships AppArmor and not SELinux, the snap's confinement leads.
    ubuntu = run(real_index, b"on Ubuntu 22.04:\n" + line)
    assert ubuntu.causes[0].id == "snap-confinement-blocks-userns"



def test_systemds_namespacing_wording_names_the_namespace(real_index):
    from nskb.diagnose.scan import Scanner

    extractor = Scanner(real_index).extractor
    for kind in ("user", "pid", "net", "uts", "ipc", "cgroup"):
        word = "network" if kind == "net" else kind.upper() if kind in ("pid", "uts", "ipc") else kind
        line = f"upower.service: Failed to set up {word} namespacing: Invalid argument"
        found = extractor.failure_in(line)
        assert found is not None and kind in found.get("namespace").split(), (line, found)


def test_an_errno_after_a_call_unrelated_to_namespaces_is_that_calls(real_index):
    # A cgroup device filter's failure, on a line that also says "mount error".
    foreign = (b"nvidia-container-cli: mount error: failed to add device rules: unable to find any existing "
               b"device filters attached to the cgroup: bpf_prog_query(BPF_CGROUP_DEVICE) failed: "
               b"operation not permitted\n")
    assert failures(run(real_index, foreign)) == []
    # The same call shape on a namespace object, or a namespace call, stays a namespace failure.
    on_map = run(real_index, b"helper: write(/proc/self/uid_map) failed: Operation not permitted\n")
    assert any("uid_map" in f.get("object", "") for f in failures(on_map))
    own = run(real_index, b"helper: open(/etc/passwd): ok; mount(proc) failed: Operation not permitted\n")
    assert any("mount" in f.get("syscall", "") for f in failures(own))


def test_a_hint_at_a_mechanism_does_not_let_facts_name_a_cause(real_index):
    # "selinux" next to "denied" hints at SELinux, but shows no namespace failure: the pasted
    # `docker run` must not then make the container's seccomp profile the answer.
    log = (b"# docker run --rm busybox echo hi\n"
           b'standard_init_linux.go:207: exec user process caused "permission denied"\n'
           b"The corresponding `denied` message in selinux log file /var/log/audit/audit.log is:\n")
    result = run(real_index, log)
    assert any(f["kind"] == "mention" for f in result.features)
    assert result.verdict != "cause"
    seccomp = next(c for c in result.causes if c.id == "container-seccomp-blocks-userns")
    assert not any(e.counted and e.weight > 0 for e in seccomp.evidence)


def test_an_audit_record_a_terminal_wrapped_mid_word_is_read_whole(real_index):
    record = ('type=AVC msg=audit(1745913133.523:894): apparmor="DENIED" operation="capable" clas\n'
              's="cap" profile="unprivileged_userns" pid=2258678 comm="lm-studio" capability=21  capn\n'
              'ame="sys_admin"\n')
    apparmor = [f["fields"] for f in run(real_index, record.encode()).features if f["kind"] == "apparmor"]
    assert apparmor and apparmor[0]["profile"] == "unprivileged_userns" and apparmor[0]["capname"] == "sys_admin"
    # The next line is another record: each is read alone.
    two = (b'audit: type=1400 audit(1.2:3): apparmor="DENIED" operation="userns_create" class="namespace"\n'
           b'audit: type=1400 audit(1.2:4): apparmor="DENIED" operation="capable" profile="x" capname="sys_admin"\n')
    first = [f["fields"] for f in run(real_index, two).features if f["kind"] == "apparmor"]
    assert {"apparmor": "DENIED", "class": "namespace", "operation": "userns_create"} in first


def test_a_written_map_quoted_in_a_plain_line_stays_one_line(real_index):
    # `\n"` followed by more words is a quoted map, not the end of a JSON string.
    line = b'Error: error writing "0 0 4294967295\\n" to /proc/33/uid_map: write /proc/33/uid_map: operation not permitted\n'
    result = run(real_index, line)
    assert result.lines == 1
    assert any("uid_map_root" in f.get("object", "") for f in failures(result))
    record = b'{"log":"bwrap: setting up uid map: Permission denied\\n","stream":"stderr"}\n'
    assert "bwrap-uid-map-eacces" in {s["id"] for s in run(real_index, record).symptoms}


def test_a_runtime_that_lacks_user_namespace_support_is_not_the_kernel(real_index):
    line = b'agent: sandbox create: the OCI runtime "youki" does not support user namespaces\n'
    result = run(real_index, line)
    assert {"errno": "ERUNTIME", "namespace": "user"} in failures(result)
    assert result.causes[0].id == "cri-runtime-without-userns-support"
    kernel = b"agent: sandbox create: this kernel does not support user namespaces\n"
    assert {"errno": "ENOSYS", "namespace": "user"} in failures(run(real_index, kernel))


def test_with_no_failure_the_facts_say_which_cause_a_failure_would_be(real_index):
    # A healthy-looking log on a RHEL 7 kernel: no verdict, but the RHEL 7 cause leads the
    # candidates through its rule on whatever fails there, and `other` is what silence gives it.
    log = b"Linux build01 3.10.0-1160.el7.x86_64 #1 SMP Mon Oct 19 16:18:59 UTC 2020 x86_64 GNU/Linux\nall steps done\n"
    result = run(real_index, log)
    assert result.verdict == "no-failure"
    assert result.causes[0].id == "rhel7-userns-disabled"
    assert any(e.code.startswith("fact-where-") and e.counted for e in result.causes[0].evidence)
    assert result.other == run(real_index, b"all steps done\n").other


def test_too_few_ids_and_a_map_the_kernel_refuses_point_at_the_subordinate_ranges(real_index):
    few = run(real_index, b"builder: unpacking layer: not enough IDs in the namespace for /etc/shadow: chown: invalid argument\n")
    assert any("subid" in f.get("object", "") for f in failures(few))
    assert few.causes[0].id == "subid-ranges-missing"
    refused = run(real_index, b"helper: newuidmap 4168 0 1001 1 1 1001 1 failed: write to uid_map failed: Invalid argument\n")
    assert refused.causes[0].id == "subid-ranges-missing"


def test_a_pasted_cat_of_a_sysctl_file_gives_its_value(real_index):
    pasted = b"$ cat /proc/sys/kernel/unprivileged_userns_clone\n0\n$ cat \"/proc/sys/user/max_user_namespaces\"\n15000\n"
    padding = b"".join(b"build step %d done\n" % n for n in range(6000))  # past the small-input screen
    for log in (pasted, padding + pasted):
        facts = run(real_index, log).facts
        assert facts["sysctl.kernel.unprivileged_userns_clone"] == "0"
        assert facts["sysctl.user.max_user_namespaces"] == "15000"
    # A command whose output is not one value, or a line that only names the file, sets nothing.
    assert "sysctl.kernel.unprivileged_userns_clone" not in run(
        real_index, b"$ cat /proc/sys/kernel/unprivileged_userns_clone\ncat: permission denied here\n").facts
    assert "sysctl.kernel.unprivileged_userns_clone" not in run(
        real_index, b"echo 1 > /proc/sys/kernel/unprivileged_userns_clone\n0\n").facts


def test_sysctl_output_is_a_fact_without_the_sysctl_clues(real_index):
    bare = without_tool(real_index, "kernel")  # the sysctl clue symptoms belong to the kernel
    log = b"user.max_user_namespaces = 0\nkernel.unprivileged_userns_clone = 1\n"
    facts = run(bare, log).facts
    assert facts["sysctl.user.max_user_namespaces"] == "0"
    assert facts["sysctl.kernel.unprivileged_userns_clone"] == "1"
    # A command that sets a value says nothing of what it was.
    assert "sysctl.kernel.unprivileged_userns_clone" not in run(bare, b"sudo sysctl -w kernel.unprivileged_userns_clone=1\n").facts


def test_a_kernel_config_path_names_the_kernel_release(real_index):
    log = b'$ grep CONFIG_USER_NS /boot/config-3.10.0-229.el7.x86_64\nCONFIG_USER_NS=y\n'
    assert run(real_index, log).facts["kernel.release"] == "3.10.0-229.el7.x86_64"


def test_nested_go_error_quotes_are_unescaped_to_the_words_inside(real_index):
    # runc before 1.0 quoted each wrapped error with %q: the proc mount sits two escapes deep.
    nested = (b'container_linux.go:297: starting container process caused "process_linux.go:402: container init '
              b'caused \\"rootfs_linux.go:58: mounting \\\\\\"proc\\\\\\" to rootfs \\\\\\"/home/user/rootfs\\\\\\" '
              b'at \\\\\\"/proc\\\\\\" caused \\\\\\"operation not permitted\\\\\\"\\""\n')
    bare = without_tool(real_index, "runc")
    assert {"errno": "EPERM", "object": "proc", "syscall": "mount"} in failures(run(bare, nested))


def test_a_pasted_uid_map_line_keeps_its_written_newline():
    from nskb.diagnose.normalize import unescape_json_lines

    line = b'writing "0 0 4294967295\\n" to /proc/33/uid_map: Operation not permitted\n'
    assert unescape_json_lines(line) == line


def test_a_mount_denied_by_any_other_apparmor_profile_is_a_confining_profile_not_the_userns_restriction(real_index):
    def record(profile: str) -> bytes:
        return (b'type=AVC msg=audit(1745913133.523:894): apparmor="DENIED" operation="mount" class="mount" '
                b'info="failed flags match" error=-13 profile="%s" name="/var/tmp/x/dev/" pid=14677 comm="5" '
                b'flags="ro, remount"\n' % profile.encode())

    # A profile with no cause of its own: the program's own outside a container, the container's in one.
    assert run(real_index, record("ci-runner")).causes[0].id == "apparmor-program-profile-denies"
    in_docker = b"$ docker run --rm -it example/sandbox\n" + record("ci-runner")
    assert run(real_index, in_docker).causes[0].id == "container-apparmor-blocks-mount"
    assert run(real_index, record("unprivileged_userns")).causes[0].id == "apparmor-userns-restricted"
    assert run(real_index, record("snap.steam.steam")).causes[0].id == "snap-confinement-blocks-userns"


def test_a_failure_after_the_namespaces_were_made_is_not_the_container_seccomp_filter(real_index):
    docker = b"$ docker run --rm -it example/sandbox\n"
    early = run(real_index, docker + b"unshare: unshare failed: Operation not permitted\n")
    late = run(real_index, docker + b"sandbox: writing /proc/self/uid_map failed: Operation not permitted\n")

    def seccomp(result) -> float:
        return next(c.probability for c in result.causes if c.id == "container-seccomp-blocks-userns")

    assert early.causes[0].id == "container-seccomp-blocks-userns"
    assert seccomp(late) < seccomp(early)


def test_a_thread_that_could_not_start_is_no_namespace_failure(real_index):
    thread = (b"clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, "
              b"child_tid=0x7f0, exit_signal=0, stack=0x7f0, stack_size=0x7ffe00}, 88) = -1 EPERM (Operation not permitted)\n")
    namespaces = b"clone3({flags=CLONE_NEWUSER|CLONE_NEWNS, exit_signal=SIGCHLD, stack=NULL}, 88) = -1 EPERM (Operation not permitted)\n"
    assert failures(run(real_index, thread)) == []
    # ... it is a thread that could not start, which only a filter answering clone3 with EPERM explains.
    result = run(real_index, b"$ docker run -it fedora:rawhide curl example.org\n" + thread)
    assert [f["fields"] for f in result.features if f["kind"] == "thread"] == [{"errno": "EPERM"}]
    assert result.causes[0].id == "seccomp-profile-denies-newer-syscall"
    assert {"errno": "EPERM", "syscall": "clone3", "namespace": "user mount"} in failures(run(real_index, namespaces))
    # A thread started inside namespace work keeps the line a namespace failure.
    assert failures(run(real_index, b"sandbox: pthread_create in user namespace failed: Operation not permitted\n"))


def test_user_namespaces_said_to_be_unavailable_are_switched_off(real_index):
    line = b"Warning: user namespaces not available in the current kernel.\n"
    assert [(f["errno"], f["namespace"].split()[0]) for f in failures(run(real_index, line))] == [("EDISABLED", "user")]


def test_a_failure_tied_to_namespaces_only_by_a_generic_word_weighs_less(real_index):
    def leader(line: bytes) -> tuple[str, float]:
        cause = run(real_index, line).causes[0]
        return cause.id, cause.probability

    vague = leader(b"failed to create namespace: No space left on device\n")
    specific = leader(b"unshare(CLONE_NEWUSER): No space left on device\n")
    assert vague[0] == specific[0] == "max-user-namespaces-zero"
    assert vague[1] < specific[1]


def test_a_go_mount_error_with_its_flags_is_a_mount_failure(real_index):
    # moby/sys/mount and containers/storage write "mount SRC:TARGET, flags: 0x...: <errno>".
    line = b"Error: mount /var/lib/containers/storage/overlay:/var/lib/containers/storage/overlay, flags: 0x1000: permission denied\n"
    assert {"errno": "EACCES", "syscall": "mount"} in failures(run(real_index, line))


def test_a_sandbox_required_but_unavailable_is_a_sandbox_that_could_not_start(real_index):
    line = b"Error: sandbox required but unavailable: bwrap\n"
    assert [f["errno"] for f in failures(run(real_index, line))] == ["EUNKNOWN"]


def test_setgroups_eacces_is_a_denied_capability_but_its_eperm_is_not_apparmor(real_index):
    # The kernel refuses the open of setgroups with EACCES when the capability is denied, and the
    # write with EPERM only when setgroups was denied by a parent or a gid map came first.
    denied = run(real_index, b"bwrap: error writing to setgroups: Permission denied\n")
    assert denied.verdict == "cause" and denied.causes[0].id == "apparmor-userns-restricted"
    refused = run(real_index, b"unshare: write failed /proc/self/setgroups: Operation not permitted\n"
                              b"some-tool: error writing to setgroups: Operation not permitted\n")
    assert "apparmor-userns-restricted" not in {c.id for c in refused.causes if c.explained}
    assert refused.causes[0].id == "nested-userns-no-capability"


WRAPPED = (b"FATAL:sandbox/linux/suid/client/setuid_sandbox_host.cc:166] The SUID sandbox helper\n"
           b"binary was found, but is not configured correctly. Rather than run without sandboxing\n"
           b"I'm aborting now. You need to make sure that /tmp/.mount_AppXXXXXX/chrome-sandbox\n"
           b"is owned by root and has mode 4755.\n")


def test_a_wrapped_error_message_counts_once(real_index):
    # Its third line alone is an error line naming chrome-sandbox: read again, it would count the
    # helper a second time, as a hint.
    wrapped = run(real_index, WRAPPED)
    assert wrapped.features == [] and "chrome-suid-helper-misconfigured" in {s["id"] for s in wrapped.symptoms}
    apart = run(real_index, WRAPPED + b"\nerror: could not start, check that chrome-sandbox is setuid root\n")
    assert {"topic": "setuid_helper"} in [f["fields"] for f in apart.features if f["kind"] == "mention"]


def test_kernel_config_checkers_say_whether_the_kernel_has_user_namespaces(real_index):
    for line in (b"User namespace: missing\n", b"- CONFIG_USER_NS: missing\n", b"# CONFIG_USER_NS is not set\n"):
        assert run(real_index, line).facts.get("userns.supported") == "no", line
    assert run(real_index, b"- CONFIG_USER_NS: enabled\n").facts.get("userns.supported") == "yes"
    # With a failure it explains, the fact decides; alone it only orders the candidates.
    failed = run(real_index, b"User namespace: missing\nclone: Invalid argument\n")
    assert failed.verdict == "cause" and failed.causes[0].id == "kernel-without-userns"
    alone = run(real_index, b"User namespace: missing\n")
    assert alone.verdict == "no-failure" and alone.causes[0].id == "kernel-without-userns"


def test_a_mechanism_named_as_absent_is_no_hint_at_it(real_index):
    boot = b"bpf-restrict-fs: BPF LSM hook not enabled in the kernel, BPF LSM not supported.\n"
    assert not [f for f in run(real_index, boot).features if f["kind"] == "mention"]
    said = run(real_index, b"error: userns_create denied by the BPF LSM program of the security agent\n")
    assert {"topic": "bpf_lsm"} in [f["fields"] for f in said.features if f["kind"] == "mention"]
    for line in (b"error: SELinux is disabled, cannot label the sandbox\n",
                 b"failed: seccomp not supported by this kernel\n"):
        assert not [f for f in run(real_index, line).features if f["kind"] == "mention"], line


def test_failing_to_clone_a_process_is_a_clone_failure_but_not_a_repository(real_index):
    def failures(line):
        return [f["fields"] for f in run(real_index, line).features if f["kind"] == "failure"]
    for line in (b"Fri Feb  2 16:43:18 2024 user.err : jail: failed to clone/fork: Operation not permitted\n",
                 b"lxc-start 1405048807.232 ERROR    lxc_start - Operation not permitted - failed to clone\n"):
        assert failures(line) == [{"errno": "EPERM", "syscall": "clone"}], line
    for line in (b"fatal: failed to clone 'https://example.org/repo.git': Permission denied (publickey)\n",
                 b"error: failed to clone repository into /src: permission denied\n"):
        assert failures(line) == [], line


def test_a_failed_remount_is_a_mount_failure(real_index):
    failed = run(real_index, b"Failed to remount /: Permission denied\n")
    assert [f["fields"] for f in failed.features if f["kind"] == "failure"] == [{"errno": "EACCES", "syscall": "mount"}]
    remounting = run(real_index, b"error remounting chroot in read-only: permission denied\n")
    assert failures(remounting) == [{"errno": "EACCES", "syscall": "mount"}]
    # A desktop's unmount of a removable disk is no namespace work.
    assert not failures(run(real_index, b"Error unmounting block device 8:17: Error unmounting /dev/sdb1: Permission denied\n"))


def test_a_message_wrapped_mid_word_at_a_fixed_width_is_read_whole(real_index):
    head = b"sandstorm/supervisor.c++:863: failed: unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID): Operation not p"
    assert {"errno": "EPERM", "syscall": "unshare", "namespace": "user mount pid"} in failures(run(real_index, head + b"\nermitted\n"))
    # The next line starting a word of its own is not glued on.
    assert failures(run(real_index, head + b"\nErmitted\n")) == []


def test_a_map_named_in_words_and_capitals_is_the_map(real_index):
    said = run(real_index, b"ERROR  : Failed to write to GID map: Operation not permitted\n")
    assert failures(said) == [{"errno": "EPERM", "object": "gid_map"}]
    # Many writers are refused a map with EPERM: without Ubuntu's release the restriction leads, but
    # at about the share of such lines it is behind.
    assert said.causes[0].id == "apparmor-userns-restricted" and said.causes[0].probability < 0.6


def test_a_kernel_release_said_in_a_sentence_is_a_fact(real_index):
    said = run(real_index, b"My kernel version is `3.10.0-327.22.2.el7.x86_64` and I had to run grubby\n")
    assert said.facts["kernel.release"] == "3.10.0-327.22.2.el7.x86_64"
    assert "kernel.release" not in run(real_index, b"The kernel is `5.15` or later\n").facts
    assert "kernel.release" not in run(real_index, b"The minimum supported kernel is 3.10.0; this host is newer.\n").facts


def test_a_seccomp_rule_for_a_syscall_is_not_that_syscall_failing(real_index):
    # runc with an old libseccomp: the rule for clone3 could not be added; clone3 never ran.
    rule = run(real_index, b"error adding seccomp filter rule for syscall clone3: permission denied\n")
    assert not [f for f in rule.features if f["kind"] in ("failure", "mention")]
    assert rule.verdict != "cause"
    assert run(real_index, b"clone3: permission denied\n").features  # the call itself still counts


def test_a_program_naming_the_kernel_release_it_needs_speaks_for_an_old_kernel(real_index):
    line = b"RuntimeError: Sandbox requires Linux 4.8+ to use seccomp, you have 4.4.0-210-generic\n"
    needs = run(real_index, line)
    assert {"topic": "kernel_version_required"} in [f["fields"] for f in needs.features if f["kind"] == "mention"]
    assert needs.causes[0].id == "kernel-too-old-for-feature"
    assert not [f for f in run(real_index, b"Kernel 5.15 is installed\n").features if f["kind"] == "mention"]


def test_bwrap_under_qemu_user_emulation_is_the_emulator_not_the_kernel(real_index):
    einval = (b"bwrap: Creating new namespace failed, likely because the kernel does not support user "
              b"namespaces.  bwrap must be installed setuid on such systems.\n")
    alone = run(real_index, einval)
    assert alone.causes[0].id == "kernel-without-userns" and alone.verdict == "not-sure"
    for context in (b"Setting up qemu-user-static (1:8.2.2+ds-0ubuntu1) ...\n",
                    b"+ /usr/bin/qemu-aarch64-static /bin/sh -c rpm-ostree compose tree\n",
                    b"qemu: uncaught target signal 11 (Segmentation fault) - core dumped\n"):
        emulated = run(real_index, context + einval)
        assert emulated.facts.get("emulation") == "qemu-user", context
        assert emulated.verdict == "cause" and emulated.causes[0].id == "qemu-user-emulation", context
    # A full virtual machine has a real kernel: no emulation fact.
    assert "emulation" not in run(real_index, b"qemu-system-x86_64 -enable-kvm -m 4G disk.img\n" + einval).facts


def test_an_appimage_helper_speaks_for_the_causes_that_refuse_the_user_namespace(real_index):
    line = ("[7353:0124/171117.154743:FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, "
            "but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to make "
            "sure that {} is owned by root and has mode 4755.\n")
    installed = run(real_index, line.format("/opt/Signal/chrome-sandbox").encode())
    appimage = run(real_index, line.format("/tmp/.mount_KopiaUkxhDSN/chrome-sandbox").encode())
    assert appimage.facts.get("app.packaging") == "appimage" and "app.packaging" not in installed.facts
    p = {d: {c.id: c.probability for c in d.causes} for d in (installed, appimage)}
    # The helper's own cause still leads (the corpus's threads often settled on its mode), less surely.
    assert installed.causes[0].id == appimage.causes[0].id == "chrome-sandbox-not-setuid"
    assert p[appimage]["chrome-sandbox-not-setuid"] < p[installed]["chrome-sandbox-not-setuid"]
    assert p[appimage]["apparmor-userns-restricted"] > p[installed]["apparmor-userns-restricted"]
    assert run(real_index, b"./Kopia-0.15.0.AppImage\n").facts == {"app.packaging": "appimage"}


def test_a_kernel_without_the_user_namespace_file_has_no_user_namespaces(real_index):
    line = (b"/proc/self/ns/user does not exist; your kernel was likely built without CONFIG_USER_NS=y, "
            b"which is required for sandboxing\n")
    missing = run(real_index, line)
    failure = next(f["fields"] for f in missing.features if f["kind"] == "failure")
    assert (failure["errno"], failure["object"], "user" in failure["namespace"].split()) == ("ENOENT", "ns_file", True)
    assert missing.causes[0].id == "kernel-without-userns"
    # Another namespace's file missing is a kernel older than that namespace.
    cgroup = run(real_index, b"open /proc/self/ns/cgroup: no such file or directory (does not exist)\n")
    assert cgroup.causes[0].id != "kernel-without-userns"


def test_a_line_that_starts_with_a_timestamp_does_not_continue_the_one_above(real_index):
    # Two journal lines: the first is long and ends without a full stop, the second opens its own message.
    log = (b"Apr 20 12:08:30 opi-usb apparmor.systemd[2203]: /sbin/apparmor_parser: Unable to replace "
           b"\"unprivileged_userns\".  Profile doesn't conform to protocol\n"
           b"Apr 20 12:08:30 opi-usb apparmor.systemd[2163]: /sbin/apparmor_parser: Unable to replace "
           b"\"QtWebEngineProcess\".  Profile doesn't exist\n")
    assert not [f for f in run(real_index, log).features if f["kind"] == "failure"]


def test_a_pasted_check_of_a_file_is_no_hint_at_a_mechanism(real_index):
    # `ls` and `stat` complain about the file the user looked at, and `chmod` in a package's script
    # about the file it changes; they guess at no mechanism.
    for line in (b"ls: cannot access '/opt/Session/chrome-sandbox': No such file or directory\n",
                 b"stat: cannot stat '/usr/share/apparmor/extra-profiles/bwrap-userns-restrict': No such file or directory\n",
                 "chmod: 无法访问 '/opt/dingtalk/chrome-sandbox': 没有那个文件或目录\n".encode(),
                 b"chown: cannot access '/opt/App/chrome-sandbox': No such file or directory\n"):
        checked = run(real_index, line)
        assert not [f for f in checked.features if f["kind"] == "mention"], line
        assert checked.verdict != "cause", line
    # The program's own words about the same helper still are one.
    helper = run(real_index, b"FATAL: the chrome-sandbox is not configured correctly, aborting\n")
    assert {"topic": "setuid_helper"} in [f["fields"] for f in helper.features if f["kind"] == "mention"]


def test_a_snap_profile_refusing_the_user_namespace_files_is_the_snap_confinement(real_index):
    record = (b'audit: type=1400 audit(1633024187.016:100): apparmor="DENIED" operation="open" '
              b'profile="snap.some-app.some-app" name="/proc/3771/setgroups" pid=3771 comm="some-app" '
              b'requested_mask="w" denied_mask="w" fsuid=1000 ouid=1000\n')
    denied = run(real_index, record)
    assert denied.verdict == "cause" and denied.causes[0].id == "snap-confinement-blocks-userns"
    other_file = record.replace(b"/proc/3771/setgroups", b"/home/u/.config/app/settings.json")
    assert "snap-confinement-blocks-userns" not in {c.id for c in run(real_index, other_file).causes if c.explained}


def test_a_pasted_ls_of_a_sandbox_helper_says_whether_it_is_setuid_root(real_index):
    facts = lambda line: run(real_index, line).facts  # noqa: E731
    assert facts(b"-rwxr-xr-x 1 root root 6.0M May 15 19:24 /opt/Signal/chrome-sandbox\n") == {"chrome_sandbox.setuid": "no"}
    assert facts(b"-rwsr-xr-x 1 root root 14272 Jan  1 00:00 /opt/App/chrome-sandbox\n") == {"chrome_sandbox.setuid": "yes"}
    assert facts(b"-rwsr-xr-x 1 root root 71800 Feb  1  2024 /usr/bin/bwrap\n") == {"bwrap.setuid": "yes"}
    assert facts(b"-rwxr-xr-x. 1 root root 71800 Feb  1  2024 /usr/bin/bwrap\n") == {"bwrap.setuid": "no"}
    assert facts(b"drwxr-xr-x 2 u u 4096 Jan  1 00:00 /opt/app/chrome-sandbox\n") == {}  # a directory
    line = (b"FATAL:setuid_sandbox_host.cc(158)] The SUID sandbox helper binary was found, but is not configured "
            b"correctly. Rather than run without sandboxing I'm aborting now.\n")
    helper = "chrome-sandbox-not-setuid"
    shown = run(real_index, line + b"-rwxr-xr-x 1 root root 6.0M May 15 19:24 /opt/Signal/chrome-sandbox\n")
    assert shown.causes[0].id == helper
    assert shown.causes[0].probability > next(c.probability for c in run(real_index, line).causes if c.id == helper)


def test_a_program_without_a_symptom_that_finds_no_landlock_names_the_cause(real_index):
    # Asking for the Landlock ABI fails with ENOSYS (no Landlock) or EOPNOTSUPP (not enabled at boot),
    # whatever program asked; the `landlock` object ties the errno to it.
    for line, errno in ((b"landlock_create_ruleset(VERSION) failed: Function not implemented (os error 38)\n", "ENOSYS"),
                        (b"sandbox: could not enable Landlock: Operation not supported\n", "EOPNOTSUPP")):
        result = run(real_index, line)
        assert any(f["errno"] == errno and f.get("object") == "landlock" for f in failures(result))
        assert result.causes[0].id == "landlock-unavailable"
    # EPERM from landlock_restrict_self() is a missing no_new_privs, not a kernel without Landlock.
    refused = run(real_index, b"landlock_restrict_self failed: Operation not permitted\n")
    assert all(c.id != "landlock-unavailable" or c.probability < model.CONFIDENT for c in refused.causes)
    assert failures(run(real_index, b"[    0.253631] landlock: Up and running.\n")) == []


def test_an_old_kernel_speaks_for_landlock_only_where_landlock_failed(real_index):
    # A kernel older than 5.13 has no Landlock, but that explains only a Landlock failure: with no
    # failure at all it must not put Landlock first among the causes the context orders.
    old = {"kernel.release": "5.10.0-8-amd64"}
    assert run(real_index, b"", old).causes[0].id != "landlock-unavailable"
    failed = run(real_index, b"sandbox: could not enable Landlock: Operation not supported\n", old)
    assert failed.verdict == "cause" and failed.causes[0].id == "landlock-unavailable"


def test_a_program_saying_landlock_is_not_available_is_read_as_its_failure(real_index):
    # go-landlock's "landlock not available" and other programs' words for the same EOPNOTSUPP/ENOSYS.
    for line in (b"[fatal] landlock not available\n", b"error: Landlock is unavailable on this system\n"):
        result = run(real_index, line)
        assert result.verdict == "cause" and result.causes[0].id == "landlock-unavailable", line
    assert run(real_index, b"INFO Landlock not available on this kernel\n").verdict == "no-failure"  # a program going on


def test_a_switch_the_kernel_lacks_is_absent_not_a_hint_at_its_cause(real_index):
    # People try Debian's or Ubuntu's switch on kernels without it; the error says it is not there.
    line = b"sysctl: cannot stat /proc/sys/kernel/unprivileged_userns_clone: No such file or directory\n"
    missing = run(real_index, line)
    assert missing.facts == {"sysctl.kernel.unprivileged_userns_clone": "unknown:absent"}
    assert not [f for f in missing.features if f["kind"] == "mention"]
    refused = run(real_index, line + b"bwrap: No permissions to create new namespace, likely because the kernel "
                                      b"does not allow non-privileged user namespaces.\n")
    assert "userns-clone-sysctl-off" in {r.id for r in refused.ruled_out}
    apparmor = run(real_index, b"sysctl: cannot stat /proc/sys/kernel/apparmor_restrict_unprivileged_userns: "
                               b"No such file or directory\n")
    assert apparmor.facts == {"sysctl.kernel.apparmor_restrict_unprivileged_userns": "unknown:absent"}
    assert apparmor.verdict == "no-failure"


def test_a_debian_release_with_two_numbers_is_read_from_uname(real_index):
    # Debian named some kernels 3.12-1-amd64 (no third number); its switch was off on those kernels.
    line = b"Linux hop 3.12-1-amd64 #1 SMP Debian 3.12.6-2 (2013-12-29) x86_64 GNU/Linux\n"
    assert run(real_index, line).facts == {"kernel.release": "3.12-1-amd64"}
    failed = run(real_index, line + b"unshare: unshare failed: Operation not permitted\n")
    assert failed.causes[0].id == "userns-clone-sysctl-off"


def test_firejail_dropping_capabilities_speaks_for_the_nested_sandbox(real_index):
    capset = b"bwrap: capset failed: Operation not permitted\n"
    kept = run(real_index, b"caps.keep sys_chroot\nignore nonewprivs\n" + capset)
    assert kept.verdict == "cause" and kept.causes[0].id == "nested-userns-no-capability"
    cancelled = run(real_index, b"ignore caps.drop all\n" + capset)
    assert "firejail-drops-capabilities" not in {s["id"] for s in cancelled.symptoms}


def test_a_program_that_could_not_run_unshare_failed_at_namespace_work(real_index):
    # unshare(1) and unshare(2) exist only to make namespaces: a line naming it is namespace work,
    # and "could not run unshare" is a namespace that could not be made, the reason untold.
    line = b"try needs unshare to work, but could not run unshare.\n"
    assert {"errno": "EUNKNOWN", "syscall": "unshare", "namespace": "any"} in failures(run(real_index, line))
    assert run(real_index, line).verdict != "no-failure"
    assert failures(run(real_index, b"Reading unshare(1) manual page\n")) == []


def test_a_kernel_said_to_be_built_without_user_namespaces_is_enosys(real_index):
    line = (b"Your kernel does not appear to be compiled with support for unprivileged user namespaces "
            b"(CONFIG_USER_NS=y), or something else is preventing creation of user namespaces.\n")
    assert [f["errno"] for f in failures(run(real_index, line))] == ["ENOSYS"]


def test_a_command_written_without_a_prompt_is_not_read_with_its_output(real_index):
    # The command's options (--unshare-user) are no part of the error printed under it.
    log = (b"bwrap --unshare-user --disable-userns --ro-bind / / /bin/true\n"
           b" #=> bwrap: cannot open /proc/sys/user/max_user_namespaces: Permission denied\n")
    result = run(real_index, log)
    assert failures(result) == []
    assert [s["id"] for s in result.symptoms] == ["bwrap-disable-userns-sysctl-eacces"]
    # A wrapped message is still read joined: its first line is no command.
    wrapped = (b"runtime: the mount namespace of the container rootfs at /var/lib/x went wrong in\n"
               b"    unshare(CLONE_NEWNS): Operation not permitted\n")
    assert [(f["errno"], f["syscall"]) for f in failures(run(real_index, wrapped))] == [("EPERM", "unshare")]


def test_a_program_that_cannot_install_its_own_seccomp_filter_meets_an_old_kernel(real_index):
    # EINVAL or ENOSYS from installing a filter is a mode or flag the kernel has not got; it says nothing
    # of a container's filter that denies namespaces.
    for line in (b"bwrap: prctl(PR_SET_SECCOMP): Invalid argument\n",
                 b"slurmstepd: error: pyxis: seccomp filter failed: Invalid argument:22\n",
                 b"[evince] (xpra) E Error (seccomp): function not implemented\n"):
        result = run(real_index, line)
        assert [f["fields"]["object"] for f in result.features] == ["seccomp"], line
        assert result.causes[0].id == "kernel-too-old-for-feature", line
    blocked = run(real_index, b"unshare: unshare failed: Operation not permitted (blocked by the seccomp profile)\n")
    assert "kernel-too-old-for-feature" not in {c.id for c in blocked.causes[:3]}


def test_nix_wrapper_line_does_not_outweigh_the_errno_of_the_clone_it_wraps(real_index):
    # Nix throws "unable to start build process" after its helper printed why the clone failed.
    log = b"error: cloning builder process: Invalid argument\nerror: unable to start build process\n"
    result = run(real_index, log)
    assert result.causes[0].id in {"kernel-without-userns", "rhel7-userns-disabled"}
    assert "container-seccomp-blocks-userns" not in {c.id for c in result.causes[:2]}
    alone = run(real_index, b"error: unable to start build process\n")
    assert alone.verdict != "cause"  # the wrapper alone does not say which failure it wraps


def test_a_go_file_call_owns_the_errno_after_it_unless_its_path_is_a_namespace_object(real_index):
    # Go's os.PathError: "op /path: err". A full disk is the disk's ENOSPC, not a namespace limit.
    disk = (b"Error: failed to write resolv.conf hash file when setting up dns for sandbox 0492: "
            b"write /var/lib/docker/containers/2642/resolv.conf.hash: no space left on device\n")
    assert failures(run(real_index, disk)) == []
    assert {"errno": "EPERM", "object": "uid_map"} in failures(run(real_index, b"write /proc/self/uid_map: operation not permitted\n"))
    # chown's EINVAL is an id the user namespace does not map: still the namespace's.
    ids = (b"Error: there might not be enough IDs available in the namespace (requested 100000:100000 for /x): "
           b"lchown /x: invalid argument\n")
    assert run(real_index, ids).causes[0].id == "subid-ranges-missing"


def test_a_shell_that_cannot_find_the_bwrap_binary_says_bwrap_is_missing(real_index):
    missing = run(real_index, b"/usr/bin/steam: line 156: /run/wrappers/bin/../bin/bwrap: No such file or directory\n")
    assert missing.causes[0].id == "bwrap-missing" and missing.verdict == "cause"
    # bwrap's own messages carry no path: a file missing inside the sandbox is no missing bwrap.
    assert run(real_index, b"bwrap: execvp /bin/foo: No such file or directory\n").verdict == "no-failure"


def test_an_image_build_or_the_reporters_words_say_the_command_ran_in_a_container(real_index):
    failed = b"Error during unshare(CLONE_NEWUSER): Operation not permitted\n"
    for context, runtime in ((b" > [3/5] RUN podman info:\n", "docker"),
                             (b'ERROR: process "/bin/sh -c podman info" did not complete successfully: exit code: 125\n',
                              "docker"),
                             (b'Error: building at STEP "RUN buildah from alpine": while running runtime: exit status 1\n',
                              "podman"),
                             (b"buildah login fails inside of a **Docker** container\n", "docker"),
                             (b"It works in a podman container.\n", "podman")):
        result = run(real_index, context + failed)
        assert result.facts.get("container.runtime") == runtime, context
    inside = run(real_index, b"buildah login fails inside of a Docker container\n" + failed)
    assert inside.causes[0].id == "container-seccomp-blocks-userns"
    # Alone, the line leaves the container's filter tied with the host's switches.
    alone = run(real_index, failed)
    assert alone.causes[0].probability == alone.causes[1].probability
    # Words that are not a container, a RUN in prose, a build's progress line or a Dockerfile's RUN
    # line (they fill build logs: every line of them would be read) say nothing.
    for prose in (b"docker containers work fine here\n", b"We RUN tests nightly\n", b"I run it outside Docker\n",
                  b"Step 4/7 : RUN buildah bud -t app .\n", b"#9 [build 3/5] RUN podman info\n",
                  b"STEP 2/4: RUN buildah from alpine\n", b"RUN podman info \\\n"):
        assert "container.runtime" not in run(real_index, prose + failed).facts, prose


def test_a_call_named_before_a_colon_and_its_errno_is_that_calls_failure(real_index):
    # Go's os.SyscallError ("mount: operation not permitted"), and a C program's strerror after the name.
    for line in (b'failed to build task directory for "foo-task": mount: operation not permitted\n',
                 b"2017-03-20T09:58:02.662101006Z setup: mount: Permission denied\n"):
        assert {"syscall": "mount"}.items() <= next(iter(failures(run(real_index, line))), {}).items(), line
    # A word that only ends in "mount" is another program.
    assert failures(run(real_index, b"fusermount: option allow_other only allowed if 'user_allow_other' is set\n")) == []


def test_a_refused_named_network_namespace_is_missing_privilege_not_a_user_namespace_block(real_index):
    # iproute2's named network namespaces belong to the initial user namespace.
    for line in (b'    setting the network namespace "ns" failed: Operation not permitted\n',
                 b'mount --make-rshared /var/run/netns failed: "operation not permitted"\n'):
        result = run(real_index, line)
        assert result.causes[0].id == "non-user-namespace-without-privilege", line
    # A network namespace made by a program of its own (in a user namespace it made) keeps the old reading.
    own = run(real_index, b"unshare(CLONE_NEWNET): Operation not permitted\n")
    assert "named_netns" not in {f.get("object") for f in failures(own)}


def test_a_program_that_finds_no_bwrap_on_path_is_missing_bwrap(real_index):
    # Said in a program's own words, with no symptom of its own: the helper it looked for, and "no ... was found".
    result = run(real_index, b"error: sandbox helper: no system bwrap was found on PATH\n")
    assert {"errno": "ENOENT", "object": "bwrap_program"}.items() <= failures(result)[0].items()
    assert result.causes[0].id == "bwrap-missing"
    # "No errors were found" next to no sandbox helper is nothing.
    assert failures(run(real_index, b"fsck: no errors were found on /dev/sda1\n")) == []


def test_a_mount_refused_to_a_systemd_units_spawned_child_is_the_units_sandboxing(real_index):
    # systemd names the child after the unit's program in parentheses until it executes it.
    record = (b'audit: type=1400 audit(1581037366.401:54): apparmor="DENIED" operation="mount" info="failed flags match" '
              b'error=-13 profile="lxd-gw-home_</var/snap/lxd/common/lxd>" name="/run/systemd/unit-root/" pid=2036 '
              b'comm="(networkd)" flags="ro, remount, noatime, bind"\n')
    result = run(real_index, record)
    top = {c.id for c in result.causes[:2]}
    assert top == {"lxd-container-nesting-off", "systemd-mount-namespacing-failed"}
    assert result.verdict != "cause"  # threads split between nesting and a profile fix
    # The same denial to a program of the container's own (not a unit's set-up) stays the profile's.
    own = run(real_index, record.replace(b'comm="(networkd)"', b'comm="bwrap"'))
    assert own.causes[0].id == "lxd-container-nesting-off"
    assert own.causes[1].id != "systemd-mount-namespacing-failed"


def test_a_process_in_another_kind_of_container_is_not_a_snaps(real_index):
    line = b"bwrap: Failed to mount tmpfs: Permission denied\n"
    assert "snap-confinement-blocks-userns" in {c.id for c in run(real_index, line).causes[:3]}
    in_podman = run(real_index, line, {"container.runtime": "podman", "selinux.mode": "enforcing"})
    assert "snap-confinement-blocks-userns" not in {c.id for c in in_podman.causes[:3]}


def test_apptainers_named_switch_is_no_proof_that_the_switch_is_off(real_index):
    # The starter names the switch whenever its file exists; Ubuntu kernels have it, set to 1.
    line = (b"ERROR  : Failed to create user namespace: user namespace requires to set "
            b"/proc/sys/kernel/unprivileged_userns_clone to 1\n")
    alone = run(real_index, line)
    assert alone.verdict != "cause"
    assert {c.id for c in alone.causes[:2]} == {"userns-clone-sysctl-off", "container-seccomp-blocks-userns"}
    assert run(real_index, b"$ docker run --rm -it quay.io/singularity/singularity:v3.11.0 build c.sif c.def\n"
               + line).causes[0].id == "container-seccomp-blocks-userns"
    assert run(real_index, line, {"sysctl.kernel.unprivileged_userns_clone": "0"}).causes[0].id == "userns-clone-sysctl-off"


def test_nsenters_refused_setns_is_entering_not_making_a_namespace(real_index):
    result = run(real_index, b"nsenter: reassociate to namespace 'ns/pid' failed: Operation not permitted\n")
    assert {"errno": "EPERM", "syscall": "setns"}.items() <= failures(result)[0].items()
    assert "pid" in failures(result)[0]["namespace"].split()
    top = [c.id for c in result.causes[:3]]
    assert "non-user-namespace-without-privilege" in top and "container-no-cap-sys-admin" in top
    # The switches and the restriction govern making user namespaces, not entering existing ones.
    assert not {"userns-clone-sysctl-off", "apparmor-userns-restricted"} & set(top)
    assert result.verdict != "cause"


def test_changing_the_propagation_of_root_with_einval_is_a_chroot(real_index):
    # EINVAL from a propagation change at "/" means "/" is no mount point (mount(2)): a chroot.
    for line in (b"error: failed to mount private /: Invalid argument\n",
                 b"mount --make-rprivate / failed: invalid argument\n"):
        result = run(real_index, line)
        assert result.causes[0].id == "chroot-environment", line
    # bwrap's own wording, read as any program's (its symptom held out, as leave-one-tool-out does).
    held = run(without_tool(real_index, "bwrap"), b"bwrap: Failed to make / slave: Invalid argument\n")
    assert {"errno": "EINVAL", "object": "root_propagation"}.items() <= failures(held)[0].items()
    assert held.causes[0].id == "chroot-environment"
    # Another path, or another errno, is not.
    assert "root_propagation" not in str(failures(run(real_index, b"mount --make-rshared /var/run/netns failed: invalid argument\n")))
    assert run(real_index, b"error: failed to mount private /: Permission denied\n").causes[0].id != "chroot-environment"


def test_a_mount_refused_inside_a_container_is_its_missing_capability(real_index):
    log = (b"[user@host ~]$ sudo docker run -t -i nodeos/nodeos\n"
           b"mount procfs: Operation not permitted\n"
           b"Trace: { Error: EPERM, Operation not permitted 'overlay'\n"
           b"    at Error (native) errno: 1, code: 'EPERM', path: 'overlay', syscall: 'mount' }\n")
    result = run(real_index, log)
    assert all(f.get("syscall") == "mount" for f in failures(result)) and failures(result)
    assert result.causes[0].id == "container-no-cap-sys-admin"
    # Unsharing in a container is still the filter's refusal of the user namespace.
    unshare = run(real_index, b"$ docker run --rm -it debian unshare -U true\nunshare: unshare failed: Operation not permitted\n")
    assert unshare.causes[0].id == "container-seccomp-blocks-userns"


def test_a_program_that_requires_user_namespaces_reports_that_it_could_not_make_one(real_index):
    result = run(real_index, b"FATAL:   Building with encryption unprivileged requires unprivileged user namespaces\n")
    failure = failures(result)[0]
    assert failure["errno"] == "EUNKNOWN" and "user" in failure["namespace"].split()
    assert result.verdict == "not-sure"


def test_libmounts_permission_denied_is_eperm_and_a_plain_one_stays_eacces(real_index):
    # util-linux's libmount words mount(2)'s EPERM to root as "permission denied" (context_mount.c).
    assert failures(run(real_index, b"mount: /run/osbuild: permission denied.\n")) == [
        {"errno": "EPERM", "syscall": "mount"}]
    assert failures(run(real_index, b"mount: /mnt: must be superuser to use mount.\n")) == [
        {"errno": "EPERM", "syscall": "mount"}]
    assert failures(run(real_index, b"fuse: mount failed: Permission denied\n")) == [
        {"errno": "EACCES", "syscall": "mount"}]


def test_a_namespace_file_or_binfmt_misc_under_proc_is_no_proc_mount(real_index):
    for line in (b"mount: /proc/sys/fs/binfmt_misc: permission denied.\n",
                 b'failed to execute [unshare -n mount --bind /proc/self/ns/net /tmp/x/netns]: exit status 32 '
                 b'(out="mount: /tmp/x/netns: permission denied.")\n'):
        assert all(f.get("object") != "proc" for f in failures(run(real_index, line))), line
    assert {"errno": "EPERM", "object": "proc", "syscall": "mount"} in failures(
        run(real_index, b"mount: /proc: permission denied.\n"))


def test_capset_refused_is_read_from_any_program_and_from_an_audit_record(real_index):
    assert {"errno": "EPERM", "syscall": "capset"} in failures(
        run(real_index, b"nsrun: capset failed: Operation not permitted\n"))
    record = (b"type=SYSCALL msg=audit(1683450324.510:7304): arch=c000003e syscall=126 success=no exit=-13 "
              b"a0=0x7ffd7da22980 comm=\"chromium-browse\"\n")
    result = run(real_index, record)
    assert any(f["kind"] == "syscall" and f["fields"].get("syscall") == "capset" for f in result.features)


def test_a_chrome_sandbox_under_app_is_inside_a_flatpak(real_index):
    line = (b"[2:0100/000000.000000:FATAL:setuid_sandbox_host.cc(158)] The SUID sandbox helper binary was found, "
            b"but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to "
            b"make sure that /app/lib/example/chrome-sandbox is owned by root and has mode 4755.\n")
    result = run(real_index, line)
    assert result.facts.get("container.runtime") == "flatpak"
    assert result.causes[0].id == "flatpak-app-seccomp"
    opt = run(real_index, line.replace(b"/app/lib/example/", b"/opt/Example/"))
    assert "container.runtime" not in opt.facts and opt.causes[0].id != "flatpak-app-seccomp"


def test_chromiums_credentials_check_matches_strerror_in_any_locale(real_index):
    line = "[50012:50012:1220/164845.344667:FATAL:credentials.cc(127)] Check failed: . : Отказано в доступе (13)\n"
    result = run(real_index, line.encode())
    assert result.causes[0].id == "apparmor-userns-restricted"
    assert any(s["id"] == "chrome-clone-newuser-check-failed" for s in result.symptoms)


def test_busyboxs_are_you_root_is_mounts_eperm_without_its_symptom(real_index):
    # BusyBox's mount dies with "permission denied (are you root?)" only for mount(2)'s EPERM
    # (util-linux/mount.c); without the docker symptom for that line it is still no LSM's EACCES.
    line = b"mount: permission denied (are you root?)\n"
    without_docker = without_tool(real_index, "docker")
    result = run(without_docker, line)
    assert failures(result) == [{"errno": "EPERM", "syscall": "mount"}]
    assert result.causes[0].id == "container-no-cap-sys-admin"


def test_a_refused_write_of_the_userns_switch_points_at_the_switch_but_not_confidently(real_index):
    # Someone tried to turn the switch on and could not (a read-only /proc/sys in a container): the
    # switch is the likely cause, and a hint is not enough to be sure.
    result = run(real_index, b'sysctl: setting key "kernel.unprivileged_userns_clone": Read-only file system\n')
    assert result.causes[0].id == "userns-clone-sysctl-off" and result.verdict == "not-sure"


def test_landlock_einval_is_an_abi_older_than_asked_for_on_any_kernel_release(real_index):
    # EINVAL from a Landlock call is a right or flag the kernel's ABI lacks; a 5.15 or 6.1 kernel
    # does not rule that out (Landlock ABI 3 came with 6.2).
    log = (b"Linux box 5.15.153.1-microsoft-standard-WSL2 #1 SMP Fri Mar 29 23:14:13 UTC 2024 x86_64 GNU/Linux\n"
           b"sandbox: landlock_add_rule failed: Invalid argument\n")
    result = run(real_index, log)
    assert result.causes[0].id == "kernel-too-old-for-feature"
    assert "kernel-too-old-for-feature" not in {r.id for r in result.ruled_out}
    absent = run(real_index, b"sandbox: landlock_create_ruleset failed: Function not implemented\n")
    assert absent.causes[0].id == "landlock-unavailable"


def test_runcs_reopened_sysctl_refused_names_the_lxc_profile(real_index):
    line = (b"docker: Error response from daemon: failed to create task for container: failed to create shim task: "
            b"OCI runtime create failed: runc create failed: unable to start container process: error during container "
            b"init: open sysctl net.ipv4.ip_unprivileged_port_start file: reopen fd 8: permission denied: unknown\n")
    result = run(real_index, line)
    assert [c.id for c in result.causes[:2]] == ["lxc-apparmor-blocks-runc-procfs", "lxd-container-nesting-off"]
    exdev = line.replace(b"reopen fd 8: permission denied",
                         b"unsafe procfs detected: openat2 /proc/./sys/net/ipv4/ip_unprivileged_port_start: "
                         b"invalid cross-device link")
    # The same call refused by Sysbox's overmounted /proc/sys (EXDEV) is no AppArmor denial.
    assert run(real_index, exdev).symptoms == [] and run(real_index, exdev).verdict == "no-failure"


def test_the_chromeos_lsm_line_names_its_rule_and_the_bwrap_line_alone_does_not(real_index):
    bwrap = b"steam-runtime-check-requirements [6608]: W: Child process exited with code 1: bwrap: Failed to mount tmpfs: Operation not permitted\n"
    kernel = (b"[ 3321.162242] Chromium OS LSM: sb_mount Mounting a filesystem with 'exec' flag requires CAP_SYS_ADMIN in init ns "
              b'obj="/tmp" pid=8474 cmdline="/usr/bin/bwrap --bind / / true"\n'
              b"[ 3321.162256] Chromium OS LSM: sb_mount dev=tmpfs type=tmpfs flags=0x6\n")
    assert run(real_index, bwrap + kernel).causes[0].id == "chromeos-lsm-blocks-mount"
    alone = run(real_index, bwrap)
    assert alone.causes[0].id != "chromeos-lsm-blocks-mount" and alone.verdict == "not-sure"
    # On ChromeOS itself (its one user's home in a path) the same refused mount is the LSM's.
    devmode = b"  '/home/chronos/user/.local/share/flatpak/exports/share'\n" + bwrap
    result = run(real_index, devmode)
    assert result.facts.get("os.id") == "chromeos" and result.causes[0].id == "chromeos-lsm-blocks-mount"


def test_a_world_readable_proc_sys_file_refused_is_a_security_modules_denial(real_index):
    # overflowuid and its kin are readable by everyone on every kernel: EACCES there is an LSM's,
    # whichever program read them (without bwrap's own symptom for the line).
    line = b"GnomeDesktop-DEBUG: 16:43:18.965: Failed to launch script: bwrap: Can't read /proc/sys/kernel/overflowuid: Permission denied\n"
    result = run(without_tool(real_index, "bwrap"), line)
    assert [c.id for c in result.causes[:2]] == ["snap-confinement-blocks-userns", "selinux-denies-userns"]
    missing = run(without_tool(real_index, "bwrap"), line.replace(b"Permission denied", b"No such file or directory"))
    assert missing.causes[0].id == "proc-sys-unavailable"


def test_pacmans_landlock_eperm_is_its_sandbox_without_real_root(real_index):
    log = (b"error: restricting filesystem access failed because the Landlock ruleset could not be applied: Operation not permitted\n"
           b"error: switching to sandbox user 'alpm' failed!\n")
    result = run(real_index, log)
    assert [c.id for c in result.causes[:2]] == ["pacman-sandbox-without-root", "container-no-cap-sys-admin"]
    # Its ABI-too-old and no-Landlock-at-all lines are other causes.
    abi = run(real_index, b"error: restricting filesystem access failed because the landlock rule for / could not be added!\n")
    assert abi.causes[0].id == "kernel-too-old-for-feature"


def test_newuidmap_refusing_a_caller_whose_gid_is_not_its_passwd_group(real_index):
    line = (b'lxc c1 20220216082112.267 ERROR    conf - conf.c:lxc_map_ids:3668 - newuidmap failed to write mapping '
            b'"newuidmap: Target process 188239 is owned by a different user: uid:0 pw_uid:0 st_uid:0, gid:402 pw_gid:0 '
            b'st_gid:402": newuidmap 188239 0 1000000 1000000000\n')
    assert run(real_index, line).causes[0].id == "newuidmap-owner-mismatch"


def test_a_fedora_kernel_speaks_against_ubuntus_apparmor_restriction(real_index):
    # The same rootless Podman line on a Fedora kernel (.fc40, as uname -a shows it) is SELinux's.
    line = b"cannot clone: Permission denied\nError: cannot re-exec process\n"
    uname = b"Linux box 6.8.9-300.fc40.x86_64 #1 SMP PREEMPT_DYNAMIC Thu May  2 18:50:49 UTC 2024 x86_64 GNU/Linux\n"
    assert run(real_index, line).causes[0].id == "apparmor-userns-restricted"
    fedora = run(real_index, uname + line)
    assert fedora.facts["os.id"] == "fedora" and fedora.causes[0].id == "selinux-denies-userns"


def test_a_release_named_by_its_code_name_is_a_fact_but_an_image_tag_or_apt_source_is_not(real_index):
    assert run(real_index, b"Brave fails on Debian-Stretch\n").facts == {"os.id": "debian", "os.version_id": "9"}
    assert run(real_index, b"same on Ubuntu noble\n").facts == {"os.id": "ubuntu", "os.version_id": "24.04"}
    assert run(real_index, b"running Debian sid\n").facts == {"os.id": "debian"}
    for line in (b"FROM debian:bookworm\n", b"docker run node:22-bookworm\n",
                 b"Get:1 http://deb.debian.org/debian bookworm InRelease\n",
                 b"Hit:2 http://archive.ubuntu.com/ubuntu jammy-updates InRelease\n"):
        assert not {"os.id", "os.version_id"} & set(run(real_index, line).facts), line


def test_a_release_without_ubuntus_restriction_speaks_against_it(real_index):
    # The AppArmor restriction is Ubuntu's, from 23.10: Chromium's "No usable sandbox!" on Debian 9 or
    # Ubuntu 22.04 is not it, while on Ubuntu 24.04 it leads.
    line = b"[1:1:0413/112452.391878:FATAL:zygote_host_impl_linux.cc(107)] No usable sandbox!\n"
    alone = run(real_index, line).causes[0]
    assert alone.id == "apparmor-userns-restricted"
    for release in (b"on Debian Stretch\n", b"on Ubuntu Jammy\n"):
        causes = run(real_index, release + line).causes
        apparmor = next(c for c in causes if c.id == "apparmor-userns-restricted")
        assert causes[0].id != apparmor.id and apparmor.probability < alone.probability / 4, release
    assert run(real_index, b"on Ubuntu Noble\n" + line).causes[0].id == "apparmor-userns-restricted"


def test_a_trap_under_qemus_user_mode_emulator_is_the_emulator_refusing_namespaces(real_index):
    # QEMU names the signal the emulated program died of; Chromium's sandbox CHECK under it traps.
    trap = b"Trace/breakpoint trap (core dumped)\n"
    assert run(real_index, trap).causes[0].id != "qemu-user-emulation"
    emulated = run(real_index, b"qemu: uncaught target signal 5 (Trace/breakpoint trap) - core dumped\n")
    assert emulated.facts == {"emulation": "qemu-user"} and emulated.causes[0].id == "qemu-user-emulation"
    # Not sure: a JIT runtime crashes under the emulator the same way.
    assert emulated.verdict == "not-sure"


def test_a_helper_refused_the_capabilities_it_raises_is_a_capset_failure_in_words_too(real_index):
    # libcap's callers say "failed to set capabilities"; setcap's "Failed to set capabilities on file"
    # sets a file's extended attribute, no process capability.
    words = run(real_index, b"enroot-aufs2ovlfs: failed to set capabilities: Operation not permitted\n")
    assert {"errno": "EPERM", "syscall": "capset"} in failures(words)
    assert {c.id for c in words.causes[:2]} == {"sandbox-helper-lacks-privilege", "nested-userns-no-capability"}
    assert words.verdict == "not-sure"  # nothing shows a container, a parent sandbox or the helper's mode
    in_docker = run(real_index, b"$ docker run --rm -it img helper\nhelper: capset: Operation not permitted\n")
    assert in_docker.causes[0].id == "container-no-cap-sys-admin"
    setcap = run(real_index, b"Failed to set capabilities on file `/usr/bin/pihole-FTL' (Operation not supported)\n")
    assert not any(f.get("syscall") == "capset" for f in failures(setcap))


def test_uname_after_a_label_is_read_and_a_host_name_is_no_release(real_index):
    # A host name holding a distribution's word, then the kernel release, is no release of it.
    line = b"\xe7\xb3\xbb\xe7\xbb\x9f\xe7\x89\x88\xe6\x9c\xac\xef\xbc\x9a Linux VM-0-10-centos 3.10.0-1127.13.1.el7.x86_64 #1 SMP Tue Jun 23 15:46:38 UTC 2020 x86_64 GNU/Linux\n"
    assert run(real_index, line).facts == {"kernel.release": "3.10.0-1127.13.1.el7.x86_64"}
    assert run(real_index, b"CentOS Linux release 7.9.2009 (Core)\n").facts == {"os.id": "centos", "os.version_id": "7"}
    assert run(real_index, b"on CentOS 7-x86_64 minimal\n").facts == {"os.id": "centos", "os.version_id": "7"}


def test_another_distribution_speaks_against_rhel7s_switch(real_index):
    # EINVAL from making a user namespace: RHEL 7's switch or a kernel without them, until the
    # log names the system.
    line = b"unshare: unshare failed: Invalid argument\n"
    alone = [c.id for c in run(real_index, line).causes[:2]]
    assert set(alone) == {"kernel-without-userns", "rhel7-userns-disabled"}
    for system in (b"ID=arch\n", b"on Ubuntu 24.04\n", b"CentOS release 6.5 (Final)\n"):
        first, second = run(real_index, system + line).causes[:2]
        assert first.id == "kernel-without-userns" and first.probability > 2 * second.probability, system
    rhel7 = run(real_index, b"CentOS Linux release 7.9.2009 (Core)\n" + line).causes
    assert rhel7[0].id == "rhel7-userns-disabled" and rhel7[0].probability > 2 * rhel7[1].probability


def test_systemds_namespace_exit_status_is_a_failed_namespacing_step_from_any_unit(real_index):
    # status=226/NAMESPACE is EXIT_NAMESPACE (systemd.exec(5)): the unit's namespacing step failed,
    # and the status carries no errno. Read as any program's line (systemd's symptoms held out).
    line = b"fwupd.service: Main process exited, code=exited, status=226/NAMESPACE\n"
    held = run(without_tool(real_index, "systemd"), line)
    assert {"errno": "EUNKNOWN", "namespace": "mount_namespacing any"}.items() <= failures(held)[0].items()
    assert held.causes[0].id == "systemd-mount-namespacing-failed"
    assert held.verdict != "no-failure"
    # Another exit status of the same unit is no namespace failure.
    other = run(without_tool(real_index, "systemd"), b"fwupd.service: Main process exited, code=exited, status=203/EXEC\n")
    assert failures(other) == []


def test_go_mount_errors_and_rootlesskits_propagation_change_are_mount_failures(real_index):
    # moby/sys/mount and runc print "<op> [<source>:]<target>, flags: 0x…: <err>" for mount, remount
    # and unmount; RootlessKit's child makes "/" shared and says "failed to share mount point: /".
    remount = b"ApplyLayer stdout:  stderr: remount /, flags: 0x44000: permission denied exit status 1\n"
    assert {"errno": "EACCES", "syscall": "mount"}.items() <= failures(run(real_index, remount))[0].items()
    share = b"[rootlesskit:child ] error: failed to share mount point: /: permission denied\n"
    read = failures(run(real_index, share))[0]
    assert {"errno": "EACCES", "syscall": "mount", "object": "root_propagation"}.items() <= read.items()
    # EACCES from a mount is a security module's answer: every leading cause is one.
    assert {c.id for c in run(real_index, share).causes[:3]} <= {
        "apparmor-userns-restricted", "container-apparmor-blocks-mount", "selinux-denies-userns"}
    # Flags without a mount word, or a mount point named in passing, are not.
    assert failures(run(real_index, b"open /data, flags: 0x8000: permission denied\n")) == []


def test_going_back_into_a_namespace_is_setns_and_its_einval_is_a_shared_process(real_index):
    line = b"error: restoring parent mount namespace: Invalid argument\n"
    result = run(real_index, line)
    assert {"errno": "EINVAL", "syscall": "setns"}.items() <= failures(result)[0].items()
    assert result.causes[0].id == "multithreaded-process"
    # Joining a namespace that exists says nothing of a kernel that cannot make new ones.
    assert "kernel-without-userns" not in {c.id for c in result.causes[:3]}
    made = run(real_index, b"error: unable to create the parent mount namespace: Invalid argument\n")
    assert "setns" not in failures(made)[0].get("syscall", "")


def test_a_shell_inside_a_flatpak_sandbox_is_a_flatpak_fact_but_flatpak_run_alone_is_not(real_index):
    for shell in ("[\N{PACKAGE} org.gnome.Platform ~]$ unshare -U true\n",
                  "$ flatpak run --command=sh org.gnome.Platform//49 -c 'unshare -U true'\n"):
        facts = run(real_index, (shell + "unshare: unshare failed: Operation not permitted\n").encode()).facts
        assert facts.get("container.runtime") == "flatpak", shell
    # `flatpak enter` joins the app's namespaces from the host: its own refusal is the host's.
    enter = run(real_index, b"$ flatpak enter 15608 /bin/sh\nerror: Can't enter mnt namespace: Operation not permitted\n")
    assert "container.runtime" not in enter.facts
    assert {"errno": "EPERM", "syscall": "setns", "namespace": "mount"} in failures(enter)
    assert enter.causes[0].id != "flatpak-app-seccomp"
    # Entering is joining a namespace of a kind; a new one is made, not entered.
    assert "setns" not in failures(run(real_index, b"Error: failed to enter a new namespace: Operation not permitted\n"))[0].get("syscall", "")
    # `flatpak run APP` itself runs bwrap on the host.
    host = b"$ flatpak run --command=thunderbird org.mozilla.Thunderbird\nbwrap: setting up uid map: Permission denied\n"
    assert "container.runtime" not in run(real_index, host).facts


def test_chromiums_suid_helper_complaint_says_a_user_namespace_could_not_be_made(real_index):
    # Chromium uses its SUID helper only when Credentials::CanCreateProcessInNewUserNS() failed
    # (zygote_host_impl_linux.cc), so the helper's complaint is a namespace failure with no reason
    # given: whatever refused the namespace is a candidate, not the helper's mode alone.
    held = without_tool(without_tool(real_index, "electron"), "chromium")
    line = (b"[12:0509/102335.519347:FATAL:setuid_sandbox_host.cc(158)] The SUID sandbox helper binary was found, "
            b"but is not configured correctly. Rather than run without sandboxing I'm aborting now. You need to "
            b"make sure that /tmp/.mount_AppXyZ/chrome-sandbox is owned by root and has mode 4755.\n")
    result = run(held, line)
    assert {"errno": "EUNKNOWN"}.items() <= failures(result)[0].items()
    top3 = [c.id for c in result.causes[:3]]
    assert top3[0] == "chrome-sandbox-not-setuid"
    assert {"apparmor-userns-restricted", "userns-clone-sysctl-off"} <= set(top3)
    # A mention of the helper that reports no failure stays no failure.
    assert failures(run(held, b"Using the SUID sandbox helper binary at /opt/app/chrome-sandbox\n")) == []


def test_a_message_wrapped_after_a_call_reads_the_calls_fate_from_the_next_line(real_index):
    wrapped = (b"app.sandbox.SandboxUnavailableError: Sandbox backend unavailable and\n"
               b"allow_unsandboxed_exec is not set. ... Probe detail: unshare(CLONE_NEWNS)\n"
               b"failed with errno 1 (EPERM).\n")
    assert {"errno": "EPERM", "syscall": "unshare"}.items() <= failures(run(real_index, wrapped))[0].items()
    # A line that ends in parentheses that are no call ("... (errno 1)") has ended its sentence.
    from nskb.diagnose.scan import _continuation

    def continued(first: bytes, second: bytes) -> bytes:
        data = first + b"\n" + second + b"\n"
        return _continuation(data, 0, len(first), len(data))

    assert continued(wrapped.split(b"\n")[1], b"failed with errno 1 (EPERM).") == b"failed with errno 1 (EPERM)."
    assert continued(b"sandbox setup: creating the user namespace failed: Operation not permitted (errno 1)",
                     b"continuing without the sandbox, which is slower") == b""


def test_a_snapshotter_without_idmapped_mounts_is_a_feature_the_kernel_or_filesystem_lacks(real_index):
    line = (b'Message: "failed to start sandbox \\"e31b\\": failed to create containerd container: '
            b'snapshotter \\"overlayfs\\" doesn\'t support idmap mounts"\n')
    result = run(without_tool(real_index, "containerd"), line)
    assert {"errno": "EOPNOTSUPP", "object": "idmapped_mount"}.items() <= failures(result)[0].items()
    assert result.causes[0].id == "kernel-too-old-for-feature"


def test_podmans_single_mapping_warning_says_which_causes_by_its_wording(real_index):
    # Podman 1.2-2.0 fell back to one mapping when newuidmap failed too ("... for adding subids");
    # from 2.1 a configured range makes newuidmap's failure an error, so the later "sub*ids" wording
    # means that no range was read at all.
    old = b"WARN[0000] using rootless single mapping into the namespace. This might break some images. Check /etc/subuid and /etc/subgid for adding subids\n"
    new = b"WARN[0000] Using rootless single mapping into the namespace. This might break some images. Check /etc/subuid and /etc/subgid for adding sub*ids if not using a network user\n"
    error = b"Error: cannot re-exec process\n"

    def clue_for(result, cid: str) -> float:
        cause = next(c for c in result.causes if c.id == cid)
        return sum(e.weight for e in cause.evidence if e.type == "clue" and e.counted)

    early, late = run(real_index, old + error), run(real_index, new + error)
    assert clue_for(early, "newuidmap-unavailable") > 0 and clue_for(late, "newuidmap-unavailable") == 0
    assert clue_for(late, "subid-ranges-missing") > clue_for(early, "subid-ranges-missing")


def test_an_exec_refused_under_no_new_privs_is_the_programs_own_apparmor_profile(real_index):
    # The record's info is free text with spaces: a rule naming it matches the whole value.
    record = (b'audit: type=1400 audit(1700000000.123:45): apparmor="DENIED" operation="exec" class="file" '
              b'info="no new privs" error=-1 profile="/usr/sbin/sshd" name="/usr/lib/openssh/sftp-server" '
              b'pid=812 comm="sshd" requested_mask="x" denied_mask="x" fsuid=0 ouid=0 target="sftp-server"\n')
    result = run(real_index, record)
    assert result.verdict == "cause" and result.causes[0].id == "apparmor-program-profile-denies"


def test_a_namespace_file_refused_is_an_access_check_not_the_user_namespace_restriction(real_index):
    line = b"Couldn't open network namespace /proc/4596/ns/net: Permission denied\n"
    result = run(real_index, line)
    claimed = {c.id for c in result.causes if any(e.type == "feature" and e.counted for e in c.evidence)}
    assert "apparmor-userns-restricted" not in claimed
    assert result.causes[0].id == "apparmor-program-profile-denies" and result.verdict != "cause"


def test_setns_einval_into_an_unnamed_namespace_speaks_for_the_callers_threads(real_index):
    unnamed = run(real_index, b"error: container_p_join: setns failed for /slurm-tmp/15/.ns: Invalid argument\n")
    assert unnamed.causes[0].id == "multithreaded-process"
    named = run(real_index, b"setns(CLONE_NEWNET) failed: Invalid argument\n")
    assert "multithreaded-process" not in {c.id for c in named.causes
                                           if any(e.type == "feature" and e.counted for e in c.evidence)}


def test_a_kernel_without_cgroup_or_time_namespaces_is_too_old_not_without_user_namespaces(real_index):
    for line in (b"WARNING: Your kernel does not support cgroup namespaces.  Cgroup namespace setting discarded.\n",
                 b"nsenter: cannot open /proc/2566/ns/time: No such file or directory\n"):
        result = run(real_index, line)
        assert result.causes[0].id == "kernel-too-old-for-feature", line
        assert "kernel-without-userns" not in {c.id for c in result.causes if c.explained}, line
    user = run(real_index, b"Your kernel does not support user namespaces\n")
    assert user.causes[0].id == "kernel-without-userns"


def test_a_program_saying_what_it_read_from_the_switch_is_a_fact_but_advice_naming_it_is_not(real_index):
    said = {b"host is not configured properly: /proc/sys/kernel/unprivileged_userns_clone: want 1, have 0: unknown.\n":
            ("sysctl.kernel.unprivileged_userns_clone", "0"),
            b"user namespaces are not enabled in /proc/sys/kernel/unprivileged_userns_clone\n":
            ("sysctl.kernel.unprivileged_userns_clone", "0"),
            b"check failed: /proc/sys/user/max_user_namespaces: want >0, have 0\n": ("sysctl.user.max_user_namespaces", "0")}
    for line, (fact, value) in said.items():
        assert run(real_index, line).facts.get(fact) == value, line
    advice = (b"bwrap: No permissions to creating new namespace, likely because the kernel does not allow "
              b"non-privileged user namespaces. On e.g. debian this can be enabled with "
              b"'sysctl kernel.unprivileged_userns_clone=1'.\n")
    assert "sysctl.kernel.unprivileged_userns_clone" not in run(real_index, advice).facts
    should = b"error: make sure that kernel.unprivileged_userns_clone is 1\n"
    assert "sysctl.kernel.unprivileged_userns_clone" not in run(real_index, should).facts


def test_the_root_mount_decides_between_the_two_pivot_root_einval_causes(real_index):
    line = b"pivot_root: failed to change root from `.' to `oldroot': Invalid argument\n"
    shared = run(real_index, line, {"mount.root_fstype": "ext4", "mount.root_propagation": "shared"})
    initramfs = run(real_index, line, {"mount.root_fstype": "rootfs", "mount.root_propagation": "private"})
    assert shared.verdict == "cause" and shared.causes[0].id == "pivot-root-shared-mount"
    assert initramfs.verdict == "cause" and initramfs.causes[0].id == "initramfs-root-pivot-root"
    assert "initramfs-root-pivot-root" in {r.id for r in shared.ruled_out}
    assert "pivot-root-shared-mount" in {r.id for r in initramfs.ruled_out}


def test_go_landlocks_missing_kernel_support_is_a_kernel_without_landlock(real_index):
    line = b"Error: failed to apply Landlock restrictions: missing kernel Landlock support. Got Landlock ABI v0\n"
    result = run(real_index, line)
    assert {"errno": "EOPNOTSUPP", "object": "landlock"}.items() <= failures(result)[0].items()
    assert result.causes[0].id == "landlock-unavailable"


def test_a_profile_refusing_a_bind_mounted_network_namespace_file_is_the_programs_own(real_index):
    record = (b'AVC apparmor="DENIED" operation="open" profile="passt" '
              b'name="/run/user/1000/netns/netns-fc48cae4" pid=2292 comm="passt.avx2" requested_mask="r" '
              b'denied_mask="r" fsuid=1000 ouid=0\n')
    assert run(real_index, record).causes[0].id == "apparmor-program-profile-denies"
    elsewhere = record.replace(b"/run/user/1000/netns/netns-fc48cae4", b"/home/u/.config/passt.conf")
    assert "apparmor-program-profile-denies" not in {c.id for c in run(real_index, elsewhere).causes if c.explained}


def test_phrases_that_name_the_cause_in_a_programs_own_words(real_index):
    no_ranges = run(real_index, b"Creating container...error: the user has no subuids\n")
    assert {"topic": "subid"} in [f["fields"] for f in no_ranges.features if f["kind"] == "mention"]
    assert no_ranges.causes[0].id == "subid-ranges-missing"
    too_old = run(real_index, b"FATAL: mount failed: Operation not permitted (the kernel may be too old)\n")
    assert too_old.causes[0].id == "kernel-too-old-for-feature"


def test_a_named_network_namespace_refused_is_not_the_user_namespace_restriction(real_index):
    # iproute2's named network namespaces are root's, in the initial user namespace: the restriction
    # of unprivileged user namespaces never applies there.
    result = run(real_index, b"mount --make-shared /var/run/netns: Permission denied\n")
    assert "apparmor-userns-restricted" not in {c.id for c in result.causes if c.explained}


def test_a_helper_without_its_capabilities_is_a_privilege_not_granted(real_index):
    line = (b"snap-confine is packaged without necessary permissions and cannot continue\n"
            b"required permitted capability cap_dac_override not found in current capabilities:\n")
    result = run(real_index, line)
    assert result.verdict == "cause" and result.causes[0].id == "sandbox-helper-lacks-privilege"
    # no_new_privs makes execve ignore setuid bits and file capabilities: it confirms, as a fact.
    capset = b"helper: capset(): Operation not permitted\n"
    plain = run(real_index, capset)
    nnp = run(real_index, capset, {"process.no_new_privs": "1"})
    def share(result) -> float:
        return next(c.probability for c in result.causes if c.id == "sandbox-helper-lacks-privilege")
    assert share(nnp) > share(plain)


def test_a_file_named_after_namespaces_is_a_file_not_a_namespace_being_made(real_index):
    # pasta refused its own runtime files by an SELinux policy (container-selinux#408): the namespace
    # word is the file's name, and an EACCES opening it says nothing of making a user namespace.
    for line in (b"Couldn't open PID file /run/user/1000/containers/networks/rootless-netns/conn.pid: Permission denied\n",
                 b"pasta did not start: netns dir open: Permission denied, exiting\n"):
        result = run(real_index, line)
        assert failures(result) == [{"errno": "EACCES", "object": "ns_path"}], line
        assert result.verdict == "no-failure", line
    # A namespace file named in words is the kernel's nsfs file: its EACCES is a ptrace access check.
    words = run(real_index, b"cannot perform readlinkat() on the mount namespace file descriptor of pid 1: Permission denied\n")
    assert "ns_file" in failures(words)[0]["object"].split()
    assert "apparmor-userns-restricted" not in {c.id for c in words.causes[:1]}
    # ... and so is a namespace that a program opens by its path (pasta's bind-mounted netns file).
    path = run(real_index, b"Couldn't open network namespace /var/tmp/ci/netns-1a2b: Permission denied\n")
    assert "ns_file" in failures(path)[0]["object"].split()
    assert "apparmor-userns-restricted" not in {c.id for c in path.causes[:1]}


def test_the_helpers_own_reason_outweighs_the_wrappers_exit_status(real_index):
    # Podman reports only that newuidmap exited with status 1; newuidmap's own line says why.
    log = (b"ERRO[0000] running `/usr/bin/newuidmap 60 0 1001 1 1 100000 2000000`: newuidmap: Target process 60 "
           b"is owned by a different user: uid:1001 pw_uid:1001 st_uid:1001, gid:123 pw_gid:12345 st_gid:123\n"
           b'Error: cannot set up namespace using "/usr/bin/newuidmap": exit status 1\n')
    result = run(real_index, log)
    assert result.verdict == "cause" and result.causes[0].id == "newuidmap-owner-mismatch"


def test_a_quoted_commands_long_options_are_no_call_and_no_hint(real_index):
    # glycin could not start bwrap at all (firejail forbade the file): the options say what the
    # command would have asked for, not which call failed.
    line = (b'Could not spawn `"bwrap" "--unshare-all" "--die-with-parent" "--seccomp" "215" "/usr/lib/loader"`: '
            b"Permission denied (os error 13)\n")
    result = run(real_index, line)
    assert failures(result) == [] and not [f for f in result.features if f["kind"] == "mention"]
    assert result.verdict == "no-failure"
    # A program named after the call still names it.
    named = run(real_index, b"enroot-unshare: failed to create user namespace: Operation not permitted\n")
    assert "unshare" in failures(named)[0].get("syscall", "").split()


def test_a_filter_answering_openat2_with_eperm_is_a_profile_that_predates_it(real_index):
    # crun (under a filter that refuses openat2) and runc both name the call; EPERM is a filter's
    # errno action. ENOSYS is a kernel without the call or a filter answering ENOSYS, which only the
    # kernel's release decides (test_enosys_for_a_newer_call_...): without it, no confident answer.
    crun = run(real_index, b"Error: openat2 `proc`: Operation not permitted: OCI runtime permission denied error\n")
    assert crun.verdict == "cause" and crun.causes[0].id == "seccomp-profile-denies-newer-syscall"
    missing = run(real_index, b"get handle to /proc/thread-self/fd: unsafe procfs detected: openat2 "
                              b"fsmount:fscontext:proc/thread-self/fd/: function not implemented\n")
    assert missing.verdict == "not-sure"
    assert {"seccomp-profile-denies-newer-syscall", "kernel-too-old-for-feature"} <= {c.id for c in missing.causes if c.explained}


def test_a_thread_refused_with_eperm_is_a_filter_that_predates_clone3(real_index):
    # glibc 2.34 creates threads and posix_spawn's children with clone3 and falls back only on ENOSYS.
    for line in (b"runtime/cgo: pthread_create failed: Operation not permitted\n",
                 b"[0201/191831.586807:FATAL:spawn_subprocess.cc(236)] posix_spawn: Operation not permitted (1)\n",
                 b"thread 'main' panicked at 'OS can't spawn worker thread: Operation not permitted (os error 1)'\n"):
        result = run(real_index, line)
        assert [f["fields"] for f in result.features if f["kind"] == "thread"] == [{"errno": "EPERM"}], line
        assert result.verdict == "cause" and result.causes[0].id == "seccomp-profile-denies-newer-syscall", line
    # A limit on processes answers EAGAIN: no cause of this KB.
    limit = run(real_index, b"runtime/cgo: pthread_create failed: Resource temporarily unavailable\n")
    assert limit.verdict != "cause"


def test_a_process_killed_by_sigsys_is_an_allow_list_that_lacks_the_call(real_index):
    # Only a seccomp filter sends SIGSYS: a judge's "signal: 31", Chromium's own handler, a shell.
    for line in (b"{'cpu_time': 0, 'real_time': 155, 'signal': 31, 'exit_code': 0, 'result': 4}\n",
                 b"[1:1:0101/000000.0:FATAL:sandbox_linux.cc] seccomp-bpf failure in syscall 0403\n",
                 b"`Bad system call`\n"):
        result = run(real_index, line)
        assert {"kind": "signal", "fields": {"signal": "SIGSYS"}} in [
            {"kind": f["kind"], "fields": f["fields"]} for f in result.features], line
        assert result.causes[0].id == "seccomp-allowlist-kills-syscall", line
    # journald's form of the kernel's seccomp record is read like type=1326.
    record = (b"audit[7053]: SECCOMP auid=4294967295 uid=998 gid=998 ses=4294967295 pid=7053 comm=\"pyzor\" "
              b"exe=\"/usr/bin/python2.7\" sig=31 arch=c000003e syscall=141 compat=0 ip=0x7f085ec6abf7 code=0x0\n")
    result = run(real_index, record)
    assert [f["fields"]["action"] for f in result.features if f["kind"] == "seccomp"] == ["kill_thread"]
    assert result.verdict == "cause" and result.causes[0].id == "seccomp-allowlist-kills-syscall"
    # Another signal is no seccomp filter.
    assert run(real_index, b"Segmentation fault (core dumped)\n").verdict == "no-failure"


def test_newer_calls_refused_with_eperm_and_firefoxs_own_sigsys_report(real_index):
    # A call that libraries probe with an ENOSYS fallback, refused with EPERM (strace and programs alike).
    for line in (b"[pid 229163] <... faccessat2 resumed>)  = -1 EPERM (Operation not permitted)\n",
                 b"panic: mseal failed: operation not permitted\n",
                 # calls that never answer EPERM themselves: the clock (time64 on 32-bit), a cache flush
                 b"clock_gettime64(CLOCK_REALTIME, 0xbeb1c5e8) = -1 EPERM (Operation not permitted)\n",
                 b"[0.024s][error][os] Syscall: RISCV_FLUSH_ICACHE not available; error='Operation not permitted' (errno=EPERM)\n"):
        result = run(real_index, line)
        assert result.causes[0].id == "seccomp-profile-denies-newer-syscall", line
    # ENOSYS is a kernel or emulator without the call: no filter.
    missing = run(real_index, b"statx(AT_FDCWD, \"/x\", 0, STATX_ALL, 0x7ffc) = -1 ENOSYS (Function not implemented)\n")
    assert "seccomp-profile-denies-newer-syscall" not in {c.id for c in missing.causes if c.explained}
    # Firefox's SIGSYS handler, and journald's record with its prefix cut.
    for line in (b"Sandbox: seccomp sandbox violation: pid 4007, syscall 302, args 0 3 0 1 3 1.  Killing process.\n",
                 b"SECCOMP auid=4294967295 uid=0 gid=0 pid=409 comm=\"(date)\" sig=31 arch=c000003e syscall=41 code=0x0\n"):
        assert run(real_index, line).causes[0].id == "seccomp-allowlist-kills-syscall", line


def test_an_owner_refused_with_einval_is_an_id_the_user_namespace_does_not_map(real_index):
    # chown(2) answers EINVAL for an owner that is not mapped: an image's file beyond the subordinate range.
    line = b"failed to register layer: ApplyLayer exit status 1 stdout:  stderr: lchown /run/fail2ban: invalid argument\n"
    result = run(real_index, line)
    assert {"errno": "EINVAL", "object": "owner"} in failures(result)
    assert result.causes[0].id == "subid-ranges-missing"
    # EPERM is a capability or a file system's refusal (NFS root squash): no namespace failure.
    refused = run(real_index, b"chown: changing ownership of '/ftp': Operation not permitted\n")
    assert failures(refused) == [] and refused.verdict == "no-failure"


def test_a_kernel_without_seccomp_is_named_from_the_runtimes_words_and_the_probe(real_index):
    # A runtime that says seccomp is missing; bwrap's prctl EINVAL, which an old kernel refusing a
    # flag also gives, leans on the probe's missing Seccomp: line.
    said = run(real_index, b"failed to generate seccomp spec opts: seccomp is not supported\n")
    assert {"errno": "EOPNOTSUPP", "object": "seccomp"} in failures(said)
    assert said.verdict == "cause" and said.causes[0].id == "kernel-without-seccomp"
    line = b"bwrap: prctl(PR_SET_SECCOMP): Invalid argument\n"
    probe = run(real_index, line, {"seccomp.mode": "unknown:no-field"})
    assert probe.causes[0].id == "kernel-without-seccomp"
    filtered = run(real_index, line, {"seccomp.mode": "2"})
    assert "kernel-without-seccomp" not in {c.id for c in filtered.causes[:1]}


PTRACE_CAUSES = {"yama-ptrace-scope-blocks-tracer", "container-blocks-ptrace"}


def test_a_refused_ptrace_is_yama_or_the_container_and_the_facts_decide(real_index):
    # Sandboxes built on ptrace and tracers, each in its own words; EPERM there is Yama's
    # ptrace_scope or a container's filter or capabilities, and the line alone cannot tell which.
    for line in (b"panic: unable to initialize systrap source: unable to attach: operation not permitted\n",
                 b" * ISE:_do_ptrace: ptrace(PTRACE_TRACEME, ..., 0x0, 0x0): Operation not permitted\n",
                 b"proot error: ptrace(TRACEME): Operation not permitted\n",
                 b"Unable to attach to pid 208134: Operation not permitted\n",
                 # the same access check, made for reading another process's memory (profilers)
                 b"Error: process_vm_readv failed: Operation not permitted (os error 1)\n",
                 # a tracer that says in words that ptrace was refused
                 b"The `ptrace` system call appears to be disabled.\n"):
        result = run(real_index, line)
        assert any(f["errno"] == "EPERM" and f.get("syscall") == "ptrace" for f in failures(result)), line
        assert {c.id for c in result.causes[:2]} == PTRACE_CAUSES, line
    # Yama's usual level 1 refuses only an attach (or reading a process that is not a child); a tracer
    # refused for its own child, or in words that name no attach, is more often a filter's refusal.
    attach = run(real_index, b"Unable to attach to pid 208134: Operation not permitted\n").causes
    assert attach[0].id == "yama-ptrace-scope-blocks-tracer"
    # gdb says its attach failed on one line and gives the errno on a later one: the attach stays
    # a sign of Yama (each line read alone, so that their order does not matter).
    gdb = (b"Attaching to process 5291\n"
           b"Could not attach to process.  If your uid matches the uid of the target\n"
           b"process, check the setting of /proc/sys/kernel/yama/ptrace_scope, or try\n"
           b"again as the root user.  For more details, see /etc/sysctl.d/10-ptrace.conf\n"
           b"ptrace: Operation not permitted.\n")
    attached = run(real_index, gdb)
    assert {"errno": "EUNKNOWN", "syscall": "ptrace", "object": "ptrace_attach"} in failures(attached)
    assert {c.id for c in attached.causes[:2]} == PTRACE_CAUSES
    assert attached.causes[0].probability == attached.causes[1].probability
    for line in (b"warning: ptrace: Operation not permitted\n", b"The `ptrace` system call appears to be disabled.\n"):
        first, second = run(real_index, line).causes[:2]
        assert first.id == "container-blocks-ptrace" and first.probability > 2 * second.probability, line
    line = b"proot error: ptrace(TRACEME): Operation not permitted\n"
    hardened = run(real_index, line + b"kernel.yama.ptrace_scope = 3\n")
    assert hardened.facts["sysctl.kernel.yama.ptrace_scope"] == "3"
    assert hardened.verdict == "cause" and hardened.causes[0].id == "yama-ptrace-scope-blocks-tracer"
    in_docker = run(real_index, line + b"$ docker run --rm -it ubuntu:16.04 udocker run c7\n")
    assert in_docker.verdict == "cause" and in_docker.causes[0].id == "container-blocks-ptrace"
    # A kernel without Yama, or level 0, rules Yama out for certain.
    absent = run(real_index, line, {"sysctl.kernel.yama.ptrace_scope": "unknown:absent"})
    assert "yama-ptrace-scope-blocks-tracer" in {r.id for r in absent.ruled_out if r.certain}


def test_yamas_own_kernel_line_names_it_whatever_the_traced_command_says(real_index):
    record = (b'Oct 30 15:06:08 amnesia kernel: ptrace attach of "runsc-sandbox --rootless=true boot"[61502] '
              b'was attempted by "runsc-sandbox --rootless=true boot"[61477]\n')
    result = run(real_index, record)
    # The command line's "sandbox" is no namespace: the line is Yama's report, with its EPERM.
    assert {"errno": "EPERM", "object": "yama_report ptrace_attach", "syscall": "ptrace"} in failures(result)
    assert result.verdict == "cause" and result.causes[0].id == "yama-ptrace-scope-blocks-tracer"


def test_crashpads_attach_after_a_crash_is_no_failure(real_index):
    # Chromium's crash reporter attaches to a renderer after it crashed; refused inside Flatpak or
    # under Yama, it prints this line after whatever failed, never as its cause.
    for line in (b"[0908/003257.214738:ERROR:scoped_ptrace_attach.cc(27)] ptrace: Operation not permitted (1)\n",
                 b"[ERROR:third_party/crashpad/crashpad/util/linux/scoped_ptrace_attach.cc:27] ptrace: "
                 b"Operation not permitted (1)\n"):
        result = run(real_index, line)
        assert failures(result) == [] and result.verdict == "no-failure", line


def test_which_ptrace_request_was_refused_leans_to_yama_or_to_a_filter(real_index):
    # Yama's level 1 (the kernel's built-in default) refuses only an attach to a process that is not a descendant and lets
    # PTRACE_TRACEME through; a filter refuses every request (security/yama/yama_lsm.c).
    attach = run(real_index, b"Unable to attach to pid 4242: Operation not permitted\n")
    assert {"errno": "EPERM", "object": "ptrace_attach", "syscall": "ptrace"} in failures(attach)
    assert attach.causes[0].id == "yama-ptrace-scope-blocks-tracer"
    traceme = run(real_index, b"proot error: ptrace(TRACEME): Operation not permitted\n")
    assert traceme.causes[0].id == "container-blocks-ptrace"
    # "failed to attach:" with no ptrace word is as likely a container's attach: no ptrace cause.
    other = run(real_index, b"Error: failed to attach: Operation not permitted\n")
    assert not {c.id for c in other.causes if c.explained} & PTRACE_CAUSES


def test_wrapped_errors_in_a_libraries_own_words(real_index):
    # containers/storage's wrapping of chown's EINVAL, even with the wrapped error cut off.
    ids = run(real_index, b"potentially insufficient UIDs or GIDs available in user namespace (requested 0:42 for "
                          b"/etc/shadow): Check /etc/subuid and /etc/subgid\n")
    assert ids.causes[0].id == "subid-ranges-missing" and ids.verdict != "no-failure"
    # "the kernel does not support it" is ENOSYS in words (read here without bwrap's own symptom for it).
    cgroup = run(without_tool(real_index, "bwrap"),
                 b"bwrap: Cannot create new cgroup namespace because the kernel does not support it.\n")
    assert {"errno": "ENOSYS", "namespace": "cgroup"} in failures(cgroup)
    # GLib's spawn error naming the bwrap it could not find.
    glib = run(real_index, b"error: Failed to execute child process \xe2\x80\x9c/app/libexec/flatpak-bwrap\xe2\x80\x9d "
                           b"(No such file or directory)\n")
    assert {"errno": "ENOENT", "object": "bwrap_program"} in failures(glib)
    assert glib.causes[0].id == "bwrap-missing"


def test_a_propagation_change_refused_is_a_mount_refused(real_index):
    for line, obj in ((b"mount --make-shared /var/run/netns: Permission denied\n", "named_netns"),
                      (b"sandbox: BLOCKED -- making mount propagation private on / failed: errno 13 (Permission denied)\n",
                       "root_propagation")):
        found = failures(run(real_index, line))
        assert any(f.get("syscall") == "mount" and f.get("object") == obj and f["errno"] == "EACCES" for f in found), line


def test_a_program_saying_seccomp_is_not_in_the_kernel(real_index):
    line = (b"java.lang.UnsupportedOperationException: seccomp unavailable: CONFIG_SECCOMP not compiled into kernel, "
            b"CONFIG_SECCOMP and CONFIG_SECCOMP_FILTER are needed\n")
    result = run(real_index, line)
    assert {"errno": "EOPNOTSUPP", "object": "seccomp"} in failures(result)
    assert result.verdict == "cause" and result.causes[0].id == "kernel-without-seccomp"


def test_a_killing_signal_is_read_in_any_locale_of_the_errno_table(real_index):
    # glibc's strsignal texts, as a shell in that locale prints them (kb/errno.yaml, generated).
    for line, signal in ((b"`trap' para punto de parada/seguimiento (`core' generado)\n", "SIGTRAP"),
                         ("追踪与中断点陷阱 (核心已转储)\n".encode(), "SIGTRAP"),
                         (b"Trace/breakpoint trap (core dumped)\n", "SIGTRAP"),
                         (b"[1]    380823 trace trap (core dumped)  thorium-browser\n", "SIGTRAP"),
                         ("Llamada al sistema errónea (`core' generado)\n".encode(), "SIGSYS")):
        result = run(real_index, line)
        assert {"signal": signal} in [f["fields"] for f in result.features if f["kind"] == "signal"], line
    # SIGTRAP alone names no cause: Chromium's sandbox CHECKs raise it, and so do GLib's g_error()
    # and the GPU process's CHECKs.
    trap = run(real_index, b"Trace/breakpoint trap (core dumped)\n")
    assert trap.verdict == "not-sure"
    assert {c.id for c in trap.causes[:3]} == {"apparmor-userns-restricted", "userns-clone-sysctl-off",
                                               "chrome-sandbox-not-setuid"}


def test_a_signal_after_the_line_that_reports_its_failure_is_the_same_event(real_index):
    check = b"[94405:94405:0315/003925.389037:FATAL:sandbox/linux/services/credentials.cc:131] Check failed: . : Permission denied (13)\n"
    trap = b"/usr/bin/brave-browser: line 40: 94405 Trace/breakpoint trap      (core dumped) \"$HERE/brave\" \"$@\"\n"
    held = without_tool(real_index, "chromium")  # no symptom of Chromium's own: only features read
    alone = run(held, check)
    assert alone.verdict != "no-failure"
    both = run(held, check + trap)
    assert [(c.id, round(c.probability, 6)) for c in both.causes] == [(c.id, round(c.probability, 6)) for c in alone.causes]
    assert round(both.other, 6) == round(alone.other, 6)
    reordered = run(held, trap + check + trap)
    assert [(c.id, round(c.probability, 6)) for c in reordered.causes] == [(c.id, round(c.probability, 6)) for c in both.causes]


def test_sigsys_names_its_cause_beside_another_failure(real_index):
    # SIGSYS is no mere ending: only a seccomp filter sends it, so it counts next to an unrelated failure.
    kill = b"Sandbox: seccomp sandbox violation: pid 4007, syscall 302, args 0 3 0 1 3 1.  Killing process.\n"
    result = run(real_index, kill + b"mount: /mnt: permission denied.\n")
    assert result.causes[0].id == "seccomp-allowlist-kills-syscall"


def test_a_new_namespace_is_namespace_work_unlike_the_generic_word(real_index):
    held = without_tool(real_index, "bwrap")
    made = run(held, b"bwrap: Creating new namespace failed: Permission denied\n")
    assert any("new" in f.get("namespace", "").split() for f in failures(made))
    generic = run(held, b"Error: failed to get namespace: Permission denied\n")
    assert made.causes[0].probability > generic.causes[0].probability
    assert made.causes[0].id == "apparmor-userns-restricted"


def test_a_mount_refused_with_eacces_is_first_a_security_modules_mount_rule(real_index):
    # EACCES from mount(2) is a security module's answer: the mark of a container's AppArmor profile
    # and of SELinux, one failure among several under Ubuntu's restriction (whose mark is the map
    # writes). The line alone tells the two modules apart no better than a coin: not sure.
    mount = b"error mounting \"/var/lib/x\" to rootfs at \"/y\": mount /var/lib/x:/y, flags: 0x5000: permission denied\n"
    alone = run(real_index, mount)
    assert {"errno": "EACCES", "syscall": "mount"} in failures(alone)
    assert {c.id for c in alone.causes[:2]} == {"container-apparmor-blocks-mount", "selinux-denies-userns"}
    assert alone.verdict == "not-sure"
    docker = run(real_index, b"docker run --rm -it ubuntu bash\n" + mount)
    assert docker.causes[0].id == "container-apparmor-blocks-mount"
    maps = run(real_index, mount + b"newuidmap: write to uid_map failed: Permission denied\n")
    assert maps.causes[0].id == "apparmor-userns-restricted"


def test_the_generic_namespace_word_is_not_read_on_a_line_that_names_the_kind(real_index):
    # "any" is a namespace of no kind the line says: a network namespace that iproute2 could not
    # enter is no user namespace, and a cause that speaks of those only does not claim it.
    line = b"setting the network namespace \"test_ns\" failed: Function not implemented\n"
    result = run(real_index, line)
    assert all("any" not in f.get("namespace", "").split() for f in failures(result))
    assert "kernel-without-userns" not in {c.id for c in result.causes if c.explained}
    user = run(real_index, b"unshare(CLONE_NEWUSER) failed: Function not implemented\n")
    assert user.causes[0].id == "kernel-without-userns"


def test_apparmor_records_a_refused_pivot_root_as_pivotroot(real_index):
    # security/apparmor/include/audit.h: OP_PIVOTROOT "pivotroot"; a remount is logged as "mount".
    record = (b'audit: type=1400 audit(1714097921.411:1252): apparmor="DENIED" operation="pivotroot" '
              b'class="mount" profile="docker-default" name="/var/lib/docker/overlay2/x/merged/" pid=26921 '
              b'comm="runc:[2:INIT]" srcname="/var/lib/docker/overlay2/x/merged/"\n')
    refused = run(real_index, record)
    assert refused.verdict != "no-failure"
    assert refused.causes[0].id == "container-apparmor-blocks-mount"


def test_an_selinux_denial_to_the_namespace_tool_itself_speaks_for_selinux(real_index):
    def avc(comm: bytes) -> bytes:
        return (b"type=AVC msg=audit(03/07/24 14:44:11.816:3069) : avc:  denied  { nlmsg_write } for  pid=543746 "
                b"comm=" + comm + b" scontext=staff_u:staff_r:staff_t:s0-s0:c0.c1023 "
                b"tcontext=staff_u:staff_r:staff_t:s0-s0:c0.c1023 tclass=netlink_route_socket permissive=0\n")
    sandbox = run(real_index, avc(b"bwrap"))
    assert sandbox.verdict != "no-failure" and sandbox.causes[0].id == "selinux-denies-userns"
    # The same denial to another program is no namespace failure: its policy is not the sandbox's.
    assert run(real_index, avc(b"collectd")).verdict == "no-failure"


def test_id_mapped_mounts_are_read_however_they_are_spelt(real_index):
    for line in (b"Failed to set up ID mapped mounts: Invalid argument\n",
                 b"failed to create idmapped mount: invalid argument\n",
                 b"error: id-mapped mounts are not available: Invalid argument\n"):
        assert [(f["fields"]["errno"], f["fields"]["object"]) for f in run(real_index, line).features
                if f["kind"] == "failure"] == [("EINVAL", "idmapped_mount")], line
    # RHEL 9's kernel answers EPERM with the feature switched off: not sure, but it leads.
    eperm = run(real_index, b"Failed to set up ID mapped mounts: Operation not permitted\n")
    assert eperm.verdict == "not-sure" and eperm.causes[0].id == "kernel-too-old-for-feature"


def test_a_program_that_failed_to_fork_with_einval_used_clone_flags(real_index):
    def failures(line):
        return [f["fields"] for f in run(real_index, line).features if f["kind"] == "failure"]
    assert failures(b"Failed to fork: Invalid argument\n") == [{"errno": "EINVAL", "syscall": "fork"}]
    einval = run(real_index, b"Failed to fork: Invalid argument\n")
    assert einval.verdict == "not-sure"
    assert {c.id for c in einval.causes[:3]} >= {"kernel-without-userns", "rhel7-userns-disabled"}
    # Other errnos are the fork's own or an exec's after it: no cause claims them.
    for line in (b"tmux: failed to fork: Permission denied\n",
                 b"nginx: failed to fork worker process: Operation not permitted\n",
                 b"bash: fork: retry: Resource temporarily unavailable\n",
                 b"Failed to fork: Cannot allocate memory\n",
                 b'Unable to fork a new child process: Failed to execute child process "/usr/lib/x/WebKitNetworkProcess" '
                 b"(Permission denied)\n",
                 b"Error: failed to fork/exec /usr/local/bin/plugin: permission denied\n"):
        assert run(real_index, line).verdict == "no-failure", line


def test_new_namespace_beside_named_kinds_is_those_kinds(real_index):
    # Chromium's SUID helper; without Chromium's symptoms the line is read word by word.
    line = (b"Failed to move to new namespace: PID namespaces supported, Network namespace supported, "
            b"but failed: errno = Operation not permitted\n")
    assert [f["fields"] for f in run(without_tool(real_index, "chromium"), line).features if f["kind"] == "failure"] \
        == [{"errno": "EPERM", "namespace": "pid net"}]
    # With no kind named, "new" stays: namespace work of a kind the line does not say.
    assert [f["fields"] for f in run(real_index, b"worker: entering new namespace failed: Operation not permitted\n")
            .features if f["kind"] == "failure"] == [{"errno": "EPERM", "namespace": "new any"}]


def test_a_clock_read_refused_in_words_is_a_newer_call_refused(real_index):
    # 32-bit ARM under a filter older than the *_time64 calls: CPython's first clock read, and the
    # ppoll behind skalibs' iopause (s6), come back EPERM, which no kernel gives them.
    python = (b"Fatal Python error: pyinit_main: can't initialize time\n"
              b"Python runtime state: core initialized\n"
              b"PermissionError: [Errno 1] Operation not permitted\n")
    s6 = b"s6-svscan: warning: unable to iopause: Operation not permitted\n"
    for log in (python, s6):
        result = run(real_index, log)
        assert {"errno": "EPERM", "syscall": "newer_call"} in [f["fields"] for f in result.features], log
        assert result.causes[0].id == "seccomp-profile-denies-newer-syscall", log
    # The same words with no errno are no failure.
    assert run(real_index, b"Fatal Python error: pyinit_main: can't initialize time\n").verdict == "no-failure"


def test_mount_saying_it_cannot_mount_a_pseudo_filesystem_read_only_was_refused_with_eacces(real_index):
    # libmount's wording for EACCES or EROFS on a read-only mount; proc has no device to be
    # write-protected, so it is a security module's EACCES.
    line = b"mount: /chroot/domjudge/proc: cannot mount proc read-only.\n"
    assert [f["fields"] for f in run(real_index, line).features if f["kind"] == "failure"] \
        == [{"errno": "EACCES", "object": "proc", "syscall": "mount"}]
    # A block device may really be write-protected (EROFS): no errno is read.
    assert run(real_index, b"mount: /mnt: cannot mount /dev/sdb1 read-only.\n").verdict == "no-failure"


def test_a_path_looked_at_or_run_with_eperm_is_a_filter_older_than_the_image(real_index):
    # File permissions answer EACCES; ls or make meeting EPERM is a C library's newer call
    # (faccessat2, statx) refused by an old profile: moderate in a container, weak elsewhere.
    alone = run(real_index, b"make: /bin/sh: Operation not permitted\n")
    in_docker = run(real_index, b"$ docker run -ti --rm alpine:3.14.0\nls: cannot access '/tmp/': Operation not permitted\n")
    for result in (alone, in_docker):
        assert result.causes[0].id == "seccomp-profile-denies-newer-syscall"
    assert in_docker.causes[0].probability > alone.causes[0].probability
    # Alone it stays unsure (macOS says it too); in a container nothing else explains it.
    assert (alone.verdict, in_docker.verdict) == ("not-sure", "cause")
    # Other errnos are ordinary file errors, no failure even where the context names a release or a CI
    # that some cause's rules read with any errno; make's summary line is no path.
    for context in (b"", b'PRETTY_NAME="Ubuntu 24.04.1 LTS"\n', b"GITHUB_ACTIONS=true\n",
                    b"Linux h 3.10.0-1160.el7.x86_64 #1 SMP x86_64 GNU/Linux\n"):
        for line in (b"ls: cannot open directory '/root': Permission denied\n",
                     b"ls: cannot access 'foo': No such file or directory\n",
                     b"make: gcc: No such file or directory\n", b"make: *** [Makefile:3: all] Error 1\n",
                     b"cmake: foo: Operation not permitted\n"):
            assert run(real_index, context + line).verdict == "no-failure", context + line
    # With EPERM, the causes that read any errno next to a release leave it alone: no namespace is made.
    debian = run(real_index, b'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\n'
                              b"ls: cannot access '/tmp/': Operation not permitted\n")
    assert debian.causes[0].id == "seccomp-profile-denies-newer-syscall"


def test_an_oci_runtimes_own_refused_mount_is_not_placed_inside_the_container_it_starts(real_index):
    # crun and runc mount from the namespaces they were started in: a `podman run` line beside the
    # runtime's own EACCES does not make it a mount inside a container confined by AppArmor, while
    # the same errno from a program run in the container does.
    runtime = (b"$ podman run --userns keep-id --rm docker.io/alpine:latest uptime\n"
               b"Error: crun: make `/home/u/.local/share/containers/storage/overlay/abc/merged` private: "
               b"Permission denied: OCI permission denied\n")
    inside = (b"$ podman run --rm -it docker.io/alpine:latest sh\n"
              b"mount: mounting tmpfs on /mnt failed: Permission denied\n")
    runtime_result, inside_result = run(real_index, runtime), run(real_index, inside)
    failures = [f["fields"] for f in runtime_result.features if f["kind"] == "failure"]
    assert failures == [{"errno": "EACCES", "program": "oci_runtime", "syscall": "mount"}]
    assert inside_result.causes[0].id == "container-apparmor-blocks-mount"
    assert inside_result.causes[0].probability > 0.9
    assert runtime_result.causes[0].probability < inside_result.causes[0].probability - 0.3
    assert runtime_result.verdict == "not-sure"  # rootless Podman's containers run without AppArmor
    # runc's and Docker's wordings name the same program.
    for line in (b"OCI runtime create failed: runc create failed: unable to start container process: error during "
                 b"container init: error mounting \"proc\" to rootfs at \"/proc\": mount proc:/proc: permission denied\n",):
        assert {"program": "oci_runtime"}.items() <= run(real_index, line).features[0]["fields"].items()


def test_a_thread_that_could_not_start_said_without_an_errno_is_weak_evidence_of_an_old_filter(real_index):
    # glibc 2.34 starts threads with clone3, which profiles older than it refuse with EPERM; programs
    # that say so in words give no errno, and a limit on processes (EAGAIN) reads the same: weak.
    for line in (b"curl: (6) getaddrinfo() thread failed to start\n",
                 b"Error occurred during initialization of VM\nCannot create VM thread, Out of system resources.\n",
                 b"node[1]: ../src/node_platform.cc:68:Start(): Assertion `(0) == (uv_thread_create(t.get(), "
                 b"start_thread, this))' failed.\n"):
        result = run(real_index, line)
        assert [(f["kind"], f["fields"]) for f in result.features] == [("thread", {"errno": "EUNKNOWN"})], line
        assert result.causes[0].id == "seccomp-profile-denies-newer-syscall", line
        assert result.verdict == "not-sure", line
    # The errno, where the line has it, is read as before: EPERM is the filter's, EAGAIN a limit's,
    # in any of its forms, and an errno in words wins over the thread words.
    eperm = run(real_index, b"runtime/cgo: pthread_create failed: Operation not permitted\n")
    assert eperm.causes[0].id == "seccomp-profile-denies-newer-syscall"
    assert eperm.causes[0].probability > run(real_index, b"curl: (6) getaddrinfo() thread failed to start\n").causes[0].probability
    for line in (b"pthread_create failed: Resource temporarily unavailable\n",
                 b"Failed to create thread: Resource temporarily unavailable\n",
                 b"runtime: failed to create new OS thread (have 11 already; errno=11)\n",
                 b"[warning][os,thread] Failed to start thread - pthread_create failed (EAGAIN)\n",
                 b"#5  0x00007f3c in uv_thread_create () from /usr/lib/libuv.so.1\n"):
        assert run(real_index, line).verdict == "no-failure", line
    words = run(real_index, b"error: failed to create thread: not permitted by policy\n")
    assert [f["fields"] for f in words.features] == [{"errno": "EPERM"}]


def test_a_job_log_copied_from_githubs_web_page_is_a_github_actions_fact(real_index):
    # The page's line numbers are links to the job's step; pasted, they leave the job's URL in the line.
    line = (b"[2031:2031:0116/1[9](https://github.com/o/r/actions/runs/12816585634/job/35737869751#step:7:10)"
            b"5750.719457:FATAL:zygote_host_impl_linux.cc(126)] No usable sandbox!\n")
    assert run(real_index, line).facts.get("ci.provider") == "github-actions"
    assert run(real_index, b"https://github.com/o/r/actions/runs/1/job/2?pr=872#step:7:14\n").facts.get("ci.provider") \
        == "github-actions"
    # A repository's own page, an issue link, or a job named in prose is no job log.
    for other in (b"see https://github.com/o/r/issues/12 and https://github.com/o/r/actions\n",
                  b"https://github.com/o/r/blob/main/.github/workflows/ci.yml\n",
                  b"It passes in CI (https://github.com/o/r/actions/runs/1/job/2) but fails on my laptop\n"):
        assert "ci.provider" not in run(real_index, other).facts, other


def test_a_failure_that_makes_no_namespace_is_not_read_by_where_it_happened(real_index):
    # A release, a container or a CI says where a namespace failure happened; a newer call, a thread
    # or a path looked at makes no namespace, and only causes whose mechanism refuses that work too
    # (a filter older than the call, an emulator, an old kernel) read it by its errno or by where it
    # happened.
    copy = b'error: could not copy "/tmp/a" to "/tmp/b": Operation not permitted (os error 1) copy_file_range\n'
    for context, line in ((b'PRETTY_NAME="Ubuntu 24.04.1 LTS"\n', copy),
                          (b"$ docker run --rm -it rust:1.70 bash\n", copy),
                          (b'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\n', copy),
                          (b'PRETTY_NAME="Ubuntu 24.04.1 LTS"\n', b"runtime/cgo: pthread_create failed: Operation not permitted\n"),
                          (b'PRETTY_NAME="Ubuntu 24.04.1 LTS"\n', b"ls: cannot access '/tmp/': Operation not permitted\n")):
        result = run(real_index, context + line)
        assert result.causes[0].id == "seccomp-profile-denies-newer-syscall", context + line
        assert all(c.probability < 0.05 for c in result.causes
                   if c.id in ("apparmor-userns-restricted", "container-seccomp-blocks-userns", "userns-clone-sysctl-off")), context + line
    # The same places still speak for the namespace causes when a namespace could not be made.
    ubuntu = run(real_index, b'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nsandbox: clone(CLONE_NEWUSER) failed: Operation not permitted\n')
    assert ubuntu.causes[0].id == "apparmor-userns-restricted"
    # A path looked at is that whatever else its name holds; the generic word "sandbox" names no work.
    for context, line in ((b'PRETTY_NAME="Ubuntu 24.04.1 LTS"\n', b"make[2]: /usr/bin/bwrap: Operation not permitted\n"),
                          (b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n', b"ls: cannot access '/proc/1/ns/mnt': Operation not permitted\n"),
                          (b'PRETTY_NAME="Ubuntu 24.04.1 LTS"\n', b"sandbox: statx failed: Operation not permitted\n")):
        result = run(real_index, context + line)
        assert result.causes[0].id == "seccomp-profile-denies-newer-syscall", context + line
        assert all(c.probability < 0.05 for c in result.causes
                   if c.id in ("apparmor-userns-restricted", "userns-clone-sysctl-off")), context + line
    # A trap that ends the failed thread's program is no failure of its own (it counts only where
    # no other failure is reported, other work included).
    trap = run(real_index, b"$ docker run --rm alpine\n[FATAL:thread_posix.cc(100)] pthread_create failed: "
                           b"Operation not permitted\nTrace/breakpoint trap (core dumped)\n")
    assert (trap.verdict, trap.causes[0].id) == ("cause", "seccomp-profile-denies-newer-syscall")
    # Yama governs ptrace only: its level speaks for a refused ptrace, not for a thread.
    yama = b"kernel.yama.ptrace_scope = 2\n"
    assert run(real_index, yama + b"curl: (6) getaddrinfo() thread failed to start\n").causes[0].id \
        == "seccomp-profile-denies-newer-syscall"
    assert run(real_index, yama + b"strace: ptrace(PTRACE_TRACEME, ...): Operation not permitted\n").causes[0].id \
        == "yama-ptrace-scope-blocks-tracer"
    # A kernel too old for a later feature refuses a program's own seccomp flag as it would anything else.
    old = run(real_index, b"Linux h 3.16.0-4-amd64 #1 SMP Debian 3.16.7 x86_64 GNU/Linux\n"
                          b"seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC) failed: Function not implemented\n")
    assert old.causes[0].id == "kernel-too-old-for-feature"
    assert old.verdict == "cause"


def test_a_syscall_named_by_its_verb_and_a_pseudo_filesystem_mounted_read_only(real_index):
    # "unsharing" a namespace is unshare; unsharing a process's own state (CLONE_FS) makes no
    # namespace, and only a filter that refuses unshare whatever its flags refuses it.
    line = b"error: unsharing filesystem state in download thread: Operation not permitted\n"
    assert [f["fields"] for f in run(real_index, line).features] == [{"errno": "EPERM", "syscall": "unshare_state"}]
    ubuntu = run(real_index, b'PRETTY_NAME="Ubuntu 24.04.1 LTS"\n' + line)  # Ubuntu's restriction makes no CLONE_FS
    assert ubuntu.verdict == "not-sure"
    assert all(c.probability < 0.1 for c in ubuntu.causes if c.id == "apparmor-userns-restricted")
    assert [f["fields"] for f in run(real_index, b"Unsharing the mount namespace failed: Operation not permitted\n").features] \
        == [{"errno": "EPERM", "namespace": "mount", "syscall": "unshare"}]
    # devtmpfs, like proc and sysfs, has no device to be write-protected: libmount's words are EACCES.
    assert [f["fields"] for f in run(real_index, b"mount: /dev_: cannot mount devtmpfs read-only.\n").features] \
        == [{"errno": "EACCES", "syscall": "mount"}]


def test_a_program_refusing_root_is_a_hint_but_one_saying_it_runs_as_root_is_not(real_index):
    def topics(line: bytes) -> list[str]:
        return [f["fields"]["topic"] for f in run(real_index, line).features if f["kind"] == "mention"]
    # (Chromium's own line is a symptom; mentions are read from the lines no symptom explains.)
    assert "running_as_root" in topics(b"Error: running as root is not supported by this launcher\n")
    for line in (b"libbpf: permission error while running as root; try raising 'ulimit -l'? current value: 64.0 KiB\n",
                 b"The setuid sandbox is not running as root. Common causes:\n",
                 b"[C 11:38:09.160 NotebookApp] Running as root is not recommended. Use --allow-root to bypass.\n"):
        assert "running_as_root" not in topics(line), line
    # libbpf's root hint no longer names Chromium's cause for a BPF map refused in a pod.
    tracee = run(real_index, b"libbpf: map 'sys_32_to_64_map': failed to create: Operation not permitted(-1)\n"
                             b"libbpf: permission error while running as root; try raising 'ulimit -l'? current value: 64.0 KiB\n")
    assert all(c.id != "chrome-running-as-root" or c.probability < 0.05 for c in tracee.causes)


def test_a_namespace_joined_in_words_is_setns(real_index):
    line = b"WARN py_spy::python_spy] Failed to set namespace: EINVAL: Invalid argument\n"
    assert [f["fields"] for f in run(real_index, line).features] == [{"errno": "EINVAL", "namespace": "any", "syscall": "setns"}]
    # setns's EINVAL: a multithreaded caller (or qemu-user, which joins with threads of its own).
    causes = run(real_index, line).causes
    multithreaded = next(c for c in causes if c.id == "multithreaded-process")
    assert multithreaded.probability == max(c.probability for c in causes)


def test_other_work_is_read_only_where_a_rule_names_it(real_index):
    # A path's name holds no call: only the rules that name the path object read it.
    for line in (b"$ docker run --rm -it alpine sh\nls: cannot access '/usr/bin/unshare': Operation not permitted\n",
                 b"make: /usr/bin/mount: Operation not permitted\n"):
        result = run(real_index, line)
        assert result.causes[0].id == "seccomp-profile-denies-newer-syscall", line
        assert all(c.probability < 0.05 for c in result.causes
                   if c.id in ("container-seccomp-blocks-userns", "container-no-cap-sys-admin")), line
    # A runtime's folder of namespace files beside a real unshare is still namespace work.
    netns = run(real_index, b'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nError: failed to create rootless netns: unshare network '
                            b"namespace for /run/user/1000/netns/rootless-netns-7b2a: operation not permitted\n")
    assert (netns.verdict, netns.causes[0].id) == ("cause", "apparmor-userns-restricted")
    # A limit on memory or processes is no cause's refusal, whatever the call and wherever it happened.
    for line in (b"Linux h 3.10.0-1160.el7.x86_64 #1 SMP x86_64 GNU/Linux\nmyapp.service: Failed to set up mount "
                 b"namespacing: /run/systemd/unit-root/proc: Cannot allocate memory\n",
                 b'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nnewuidmap: write to uid_map failed: Cannot allocate memory\n',
                 b"$ docker run --rm -it x\nmyapp.service: Failed to set up mount namespacing: /proc: Resource temporarily unavailable\n"):
        assert run(real_index, line).verdict == "no-failure", line
    # Yama answers EPERM only: ptrace's ENOSYS (an emulator, gVisor) is not its refusal.
    assert run(real_index, b"kernel.yama.ptrace_scope = 2\nptrace: Function not implemented\n").verdict != "cause"
    # unshare of a process's own state: Docker's filter refuses it, Podman's allows it, and nothing
    # but a filter refuses it at all.
    line = b"error: unsharing filesystem state in download thread: Operation not permitted\n"
    docker = run(real_index, b"$ docker run --rm -it nixos/nix\n" + line)
    assert (docker.verdict, docker.causes[0].id) == ("cause", "container-seccomp-blocks-userns")
    for context in (b"$ podman run --rm -it nixos/nix\n", b""):
        assert run(real_index, context + line).verdict == "not-sure", context
    # kubectl's namespace is no setns; a program refusing root is no Chromium.
    kubectl = run(real_index, b'error: unable to set namespace "kube-system": permission denied\n')
    assert all(f["fields"].get("syscall") != "setns" for f in kubectl.features)
    assert run(real_index, b"Error: refusing to run as root\n").verdict == "no-failure"


def test_enosys_for_a_newer_call_is_decided_by_whether_the_kernel_has_the_call(real_index):
    # clone3 came with Linux 5.3, openat2 with 5.6: ENOSYS on a kernel that has the call is a filter's
    # answer, on an older one the kernel's own. Without the release, both stay possible.
    failure = b"Error: failed to run clone3: ENOSYS: Function not implemented\n"
    newer = run(real_index, b"Linux version 5.15.0-47-generic (buildd@lcy02) #51-Ubuntu SMP\n" + failure)
    older = run(real_index, b"Linux version 4.15.0-20-generic (buildd@lgw01) #21-Ubuntu SMP\n" + failure)
    alone = run(real_index, failure)
    assert (newer.verdict, newer.causes[0].id) == ("cause", "seccomp-profile-denies-newer-syscall")
    assert (older.verdict, older.causes[0].id) == ("cause", "kernel-too-old-for-feature")
    assert alone.verdict == "not-sure"
    assert {c.id for c in alone.causes[:2]} == {"seccomp-profile-denies-newer-syscall", "kernel-too-old-for-feature"}
    openat2 = b"openat2 beneath root: Function not implemented (os error 38)\n"
    for release, cause in ((b"5.2.21", "kernel-too-old-for-feature"), (b"5.3.0-19-generic", "seccomp-profile-denies-newer-syscall"),
                           (b"5.10-1-amd64", "seccomp-profile-denies-newer-syscall")):
        assert run(real_index, b"Linux version %s (x@y) #1 SMP\n" % release + failure).causes[0].id == cause, release
    for release, cause in ((b"5.5.19", "kernel-too-old-for-feature"), (b"5.6.0", "seccomp-profile-denies-newer-syscall"),
                           (b"5.4.0-150-generic", "kernel-too-old-for-feature")):
        assert run(real_index, b"Linux version %s (x@y) #1 SMP\n" % release + openat2).causes[0].id == cause, release
    # A traced call answered ENOSYS is how glibc and runc probe before they fall back: no failure.
    trace = (b"Linux version 6.5.0-14-generic (x@y) #14-Ubuntu SMP\n"
             b"clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=0x7f, stack_size=0x9000}, 88) = -1 ENOSYS (Function not implemented)\n"
             b"clone(child_stack=0x7f, flags=CLONE_VM|CLONE_VFORK|SIGCHLD) = 13\n")
    assert run(real_index, trace).verdict == "no-failure"


def test_a_container_profiles_ptrace_denial_names_the_container_profile_not_its_filter(real_index):
    record = (b'audit: type=1400 audit(1593780613.624:163): apparmor="DENIED" operation="ptrace" profile="%s" '
              b'pid=10951 comm="cat" requested_mask="read" denied_mask="read" peer="unconfined"\n')
    result = run(real_index, record % b"docker-default")
    assert (result.verdict, result.causes[0].id) == ("cause", "container-apparmor-blocks-ptrace")
    assert {"apparmor": "DENIED", "operation": "ptrace", "profile": "docker-default", "peer": "unconfined",
            "comm": "cat", "requested_mask": "read"} in [f["fields"] for f in result.features if f["kind"] == "apparmor"]
    # A snap's or a program's own profile is not the container runtime's.
    assert run(real_index, record % b"snap.spotify.spotify").causes[0].id != "container-apparmor-blocks-ptrace"


def test_a_file_system_namespace_is_the_mount_namespace(real_index):
    line = b"ERROR  : Could not virtualize file system namespace: Operation not permitted\n"
    assert {"errno": "EPERM", "namespace": "mount"} in failures(run(real_index, line))
    # HDFS and NFS speak of a file system namespace that is no kernel namespace.
    hdfs = b"ERROR namenode.FSNamesystem: Failed to load FSImage file system namespace: Permission denied\n"
    assert run(real_index, hdfs).verdict != "cause"


def test_a_seccomp_record_pasted_without_the_enriched_separator_and_systemds_sigsys(real_index):
    # auditd's enriched format follows code= with an invisible separator and "AUID=..."; pastes lose it.
    record = (b'type=SECCOMP msg=audit(1730231818.492:264): auid=4294967295 uid=61876 pid=1814 comm="earlyoom" '
              b'exe="/usr/bin/earlyoom" sig=31 arch=c000003e syscall=448 compat=0 ip=0x7f4b8f30713d '
              b'code=0x80000000%sAUID="unset" UID="unknown(61876)"\n')
    for separator in (b"", b"\x1d"):
        result = run(real_index, record % separator)
        assert [f["fields"]["action"] for f in result.features if f["kind"] == "seccomp"] == ["kill_process"]
        assert result.causes[0].id == "seccomp-allowlist-kills-syscall"
    # The kernel prints code= unpadded, and the A of AUID is a hex digit: the value ends at AUID=.
    for code, action in ((b"0x30000", "trap"), (b"0x50001", "errno"), (b"0x0", "kill_thread")):
        trapped = run(real_index, record.replace(b"0x80000000%s", code))
        assert [f["fields"]["action"] for f in trapped.features if f["kind"] == "seccomp"] == [action], code
    unit = run(real_index, b"systemd[1]: earlyoom.service: Main process exited, code=killed, status=31/SYS\n")
    assert (unit.verdict, unit.causes[0].id) == ("cause", "seccomp-allowlist-kills-syscall")
    assert run(real_index, b"systemd[1]: x.service: Main process exited, code=killed, status=9/KILL\n").verdict == "no-failure"
    assert run(real_index, b"probe status=0/sys/fs/cgroup/unified ok\n").verdict == "no-failure"


def test_a_container_profile_denying_ptrace_within_itself_is_old_profile_noise(real_index):
    # Since October 2015 moby's profile lets processes under it trace one another; a denial with the
    # container's own profile as peer is an old profile's noise (ps, monitoring agents), not a cause.
    record = (b'audit(1440060187.486:16258): apparmor="DENIED" operation="ptrace" profile="docker-default" '
              b'pid=11461 comm="sigar_port" requested_mask="trace" denied_mask="trace" peer="docker-default"\n')
    result = run(real_index, record)
    assert result.verdict != "cause"
    hint = [e for c in result.causes if c.id == "container-apparmor-blocks-ptrace" for e in c.evidence]
    assert [e.code for e in hint if e.type == "feature"] == ["feature-hint"]
    # The traced side's record (readby) names the tracee's profile, not the tracer's: a hint too,
    # in the kernel's record (requested_mask=), in ausearch's (requested=) and in aa-log's.
    traced = record.replace(b'"trace"', b'"readby"').replace(b'peer="docker-default"', b'peer="unconfined"')
    assert run(real_index, traced).verdict != "cause"
    assert run(real_index, traced.replace(b"requested_mask=", b"requested=")).verdict != "cause"
    assert run(real_index, b"DENIED  docker-default ptrace comm=ps requested=readby denied=readby peer=unconfined\n").verdict != "cause"


def test_an_error_chains_errno_completes_the_link_above_it_as_one_event(real_index):
    # anyhow and eyre number a chain's links; the last may be the errno alone, numbered, with Rust's
    # "(os error N)", or as the nix crate prints it. The link above, failed without an errno, is the
    # same event: one failure with the errno, not two.
    link = b"Error: failed to create container\nCaused by:\n    0: failed to unshare user namespace\n"
    for errno_line in (b"    1: EPERM: Operation not permitted\n", b"    1: Operation not permitted (os error 1)\n",
                       b"    1: Operation not permitted\n"):
        assert failures(run(real_index, link + errno_line)) == [
            {"errno": "EPERM", "namespace": "user", "syscall": "unshare"}], errno_line
    single = b"Error: failed to unshare user namespace\n\nCaused by:\n    EPERM: Operation not permitted\n"
    assert failures(run(real_index, single)) == [{"errno": "EPERM", "namespace": "user", "syscall": "unshare"}]
    # Farther than three lines, the errno is another event's: the link stays without one.
    far = b"Error: failed to unshare user namespace\na\nb\nc\nd\n    1: Operation not permitted\n"
    assert failures(run(real_index, far)) == [{"errno": "EUNKNOWN", "namespace": "user", "syscall": "unshare"}]


def test_an_error_chain_counts_once_however_often_its_link_is_seen_and_in_whichever_input(real_index):
    link, errno = b"    0: failed to unshare user namespace\n", b"    1: Operation not permitted\n"

    def diagnosed(*inputs: bytes):
        scan = Scan()
        for n, text in enumerate(inputs):
            Scanner(real_index).feed(scan, f"input{n}", [text])
        result = model.diagnose(real_index, scan, {}, [])
        return result.verdict, [(c.id, round(c.probability, 9)) for c in result.causes]

    once = diagnosed(link + errno)
    assert diagnosed(link + link + errno) == once
    assert diagnosed(link + errno + link + errno) == once
    # The same failure without its errno in another input is the same event, before or after it.
    assert diagnosed(link, link + errno) == diagnosed(link + errno, link) == once


def test_a_chain_links_errno_alone_is_no_traceback_exception_line(real_index):
    # Only a link that failed without an errno takes the errno of the line below it: not any line
    # with call words (a command that was run, a mount that was shown).
    for log in (b"Running unshare --user --map-root-user true\n2: Operation not permitted\n",
                b"mount --bind /proc /mnt/proc\nEPERM: Operation not permitted\n"):
        assert failures(run(real_index, log)) == [], log


def test_openat2_is_work_that_makes_no_namespace(real_index):
    # A release that explains a namespace refusal (RHEL 7, Ubuntu 24.04) says nothing of openat2.
    el7 = run(real_index, b"Linux version 3.10.0-1160.el7.x86_64 (mockbuild@x) #1 SMP\n"
                          b"openat2 beneath root: Function not implemented (os error 38)\n")
    assert (el7.verdict, el7.causes[0].id) == ("cause", "kernel-too-old-for-feature")
    assert "rhel7-userns-disabled" not in {c.id for c in el7.causes if c.explained}
    noble = run(real_index, b"PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nopenat2 /proc: Operation not permitted\n")
    assert "apparmor-userns-restricted" not in {c.id for c in noble.causes if c.explained}


def test_a_named_network_namespace_file_refused_with_eacces_is_an_ordinary_user_in_roots_directory(real_index):
    user = run(real_index, b"ERRO[0005] error creating network namespace for container 2c81: "
                           b"open /var/run/netns/cni-551e8223: permission denied\n")
    assert user.causes[0].id == "non-user-namespace-without-privilege"
    # A mount there refused with EACCES is a security module's mount rule, not the user's.
    for line in (b"mount --make-shared /run/netns failed: Permission denied\n",
                 b"Bind /proc/self/ns/net -> /run/netns/foo failed: Permission denied\n",
                 b"mount --bind /proc/self/ns/net /run/netns/foo failed: Permission denied\n"):
        assert run(real_index, line).causes[0].id != "non-user-namespace-without-privilege", line
    # socat's "Bind ADDRESS -> ADDRESS failed" is a port, not iproute2's bind mount of a namespace file.
    socat = run(real_index, b"socat: Bind 127.0.0.1:443 -> backend failed: Permission denied\n")
    assert not any("mount" in f.get("syscall", "") for f in failures(socat))


def test_a_programs_own_seccomp_filter_that_could_not_be_installed_said_without_an_errno(real_index):
    for line in (b"500 OOPS: prctl PR_SET_SECCOMP failed\n",
                 b"qemu-system-x86_64: -sandbox on,obsolete=deny: failed to install seccomp syscall filter in the kernel\n"):
        result = run(real_index, line)
        assert failures(result) == [{"errno": "EUNKNOWN", "object": "seccomp"}], line
        assert result.verdict == "not-sure"
        assert {c.id for c in result.causes[:2]} == {"kernel-too-old-for-feature", "kernel-without-seccomp"}, line
    # A profile file that could not be read is no filter that could not be installed.
    for line in (b"failed to load seccomp profile: json: cannot unmarshal string into Go value\n",
                 b"sshd: could not initialize seccomp sandbox, falling back\n"):
        assert {"errno": "EUNKNOWN", "object": "seccomp"} not in failures(run(real_index, line)), line


def test_a_missing_filter_mode_in_words_and_a_newer_calls_enosys(real_index):
    # "doesn't support SECCOMP_MODE_FILTER": the kernel has no filter mode. Not a later flag or an
    # emulator's own limit, said with more words after it.
    mode = run(real_index, b"prctl04.c:162: TCONF: kernel doesn't support SECCOMP_MODE_FILTER\n")
    assert (mode.verdict, mode.causes[0].id) == ("cause", "kernel-without-seccomp")
    for line in (b"WARN: kernel does not support seccomp user notification, installing seccomp filter without it\n",
                 b"gvisor: the platform does not support SECCOMP_MODE_FILTER with TSYNC; falling back\n",
                 b"qemu-x86_64: does not support seccomp filters under emulation; continuing\n"):
        assert run(real_index, line).verdict != "cause", line
    # A program reporting a newer call's ENOSYS is a failure; strace's trace of the same is a probe.
    said = run(real_index, b"tst_fd.c:144: TBROK: pidfd_open(): ENOSYS (38)\n")
    assert {c.id for c in said.causes[:2]} == {"seccomp-profile-denies-newer-syscall", "kernel-too-old-for-feature"}
    traced = run(real_index, b"pidfd_open(1234, 0) = -1 ENOSYS (Function not implemented)\n")
    assert traced.verdict == "no-failure"


def test_a_newer_calls_enosys_on_rhel_7_is_the_old_kernel_not_its_user_namespace_switch(real_index):
    result = run(real_index, b"Linux version 3.10.0-1160.el7.x86_64 (mockbuild@x) #1 SMP\n"
                             b"Error: failed to run clone3: ENOSYS: Function not implemented\n")
    assert (result.verdict, result.causes[0].id) == ("cause", "kernel-too-old-for-feature")


def test_a_setting_refused_because_user_namespaces_are_on_is_a_conflict_not_a_missing_feature(real_index):
    # Read without Docker's own symptoms, as a program the KB has no line for would be.
    bare = without_tool(real_index, "docker")
    for line in (b"API error (400): privileged mode is incompatible with user namespaces.  You must run the container "
                 b"in the host namespace when running privileged mode\n",
                 b"Error response from daemon: cannot share the host's network namespace when user namespaces are enabled\n"):
        result = run(bare, line)
        assert [f["errno"] for f in failures(result)] == ["ECONFLICT"], line
        assert result.causes[0].id == "docker-userns-remap-conflict" and result.verdict == "cause"
    # User namespaces said to be off are the opposite case.
    for off in (b"Error: user namespaces are not enabled in /proc/sys/user/max_user_namespaces\n",
                b"Error: rootless mode only works when user namespaces are enabled\n",
                b"WARNING: Shared folders not supported with user namespaces\n"):
        assert "ECONFLICT" not in [f["errno"] for f in failures(run(bare, off))], off


def test_chromiums_user_namespace_source_file_names_the_namespace_in_any_embedder(real_index):
    bare = without_tool(real_index, "chromium")  # as for a CEF or QtWebEngine program the KB does not know
    for line in (b"[380823:380823:0725/094215.817196:FATAL:credentials.cc(127)] Check failed: . : Permission denied (13)\n",
                 b"[1:1:0101/000000.000000:FATAL:sandbox/linux/services/credentials.cc:127] Check failed: . : Permission denied (13)\n",
                 b"[FATAL:credentials.cc(127)] Check failed: . : Permission denied (13)\n"):
        assert failures(run(bare, line)) == [{"errno": "EACCES", "namespace": "user"}], line
    # Its own test lets EINVAL through as "no user namespace": an EINVAL check there is another clone's
    # (musl refusing CLONE_SETTLS), no namespace refused.
    musl = b"[1:1:0602/123036.757296:FATAL:sandbox/linux/services/credentials.cc:115] Check failed: . : Invalid argument (22)\n"
    assert all(f.get("namespace") != "user" for f in failures(run(bare, musl)))
    # gRPC has a credentials.cc too, logged in its own form.
    grpc = b"E0101 00:00:00.000 grpc/src/core/lib/security/credentials/credentials.cc:123] Permission denied (13)\n"
    assert failures(run(bare, grpc)) == []


def test_a_containers_first_exec_refused_with_eperm_is_a_profile_transition_not_a_namespace(real_index):
    result = run(real_index, b"trek  | exec /usr/bin/dumb-init: operation not permitted\n")
    assert failures(result) == [{"errno": "EPERM", "syscall": "exec"}]
    assert result.causes[0].id == "apparmor-program-profile-denies" and result.verdict == "not-sure"
    # Go's fork/exec is the clone before it; a file that may not be executed is EACCES, no refusal here.
    assert "exec" not in failures(run(real_index, b"fork/exec /proc/self/exe: operation not permitted\n"))[0]["syscall"].split()
    # A file that may not be executed answers EACCES: read, but no cause claims it.
    denied = run(real_index, b"exec /entrypoint.sh: permission denied\n")
    assert failures(denied) == [{"errno": "EACCES", "syscall": "exec"}] and denied.verdict == "no-failure"


def test_systemds_capabilities_step_refused_with_einval_is_an_old_kernel(real_index):
    result = run(real_index, b"doh-server.service: Failed at step CAPABILITIES spawning /usr/local/bin/doh-server: Invalid argument\n")
    assert failures(result) == [{"errno": "EINVAL", "syscall": "capset"}]
    assert result.causes[0].id == "kernel-too-old-for-feature"


def test_a_programs_own_words_for_a_trapped_syscall_are_sigsys(real_index):
    result = run(real_index, b"Attempted banned syscall number [1073741864] see doc/Seccomp.md for more information\n")
    assert [f["fields"] for f in result.features if f["kind"] == "signal"] == [{"signal": "SIGSYS"}]
    assert result.causes[0].id == "seccomp-allowlist-kills-syscall"
    for alone in (b"Disallowed Syscall\n", b"judge: prohibited syscall 42 (execve)\n"):
        assert [f["fields"] for f in run(real_index, alone).features] == [{"signal": "SIGSYS"}], alone
    # A count of them in a profile is no trap.
    assert not run(real_index, b"seccomp: policy loaded, 42 disallowed syscalls\n").features


def test_gvisors_failed_attach_is_ptrace_and_a_seccomp_step_named_by_its_noun_is_the_filter(real_index):
    attach = run(real_index, b"panic: unable to attach: operation not permitted\n")
    assert {"errno": "EPERM", "syscall": "ptrace", "object": "ptrace_attach"} in failures(attach)
    assert attach.causes[0].id == "yama-ptrace-scope-blocks-tracer"
    install = run(real_index, b"sandlock child: seccomp install: Invalid argument (os error 22)\n")
    assert failures(install) == [{"errno": "EINVAL", "object": "seccomp"}]
    assert install.causes[0].id in ("kernel-too-old-for-feature", "kernel-without-seccomp")


def test_a_runtimes_container_sysctl_refused_with_eacces_is_read_without_runcs_own_symptom(real_index):
    bare = without_tool(real_index, "runc")
    line = (b"OCI runtime create failed: runc create failed: unable to start container process: error during container "
            b"init: open sysctl net.ipv4.ip_unprivileged_port_start file: reopen fd 8: permission denied: unknown\n")
    result = run(bare, line)
    assert failures(result) == [{"errno": "EACCES", "object": "sysctl_file", "program": "oci_runtime"}]
    assert result.causes[0].id == "lxc-apparmor-blocks-runc-procfs"
    # A user's own sysctl write is no runtime's.
    assert not failures(run(bare, b"sysctl: permission denied on key 'net.ipv4.ip_forward'\n"))


def test_a_setuid_sandbox_saying_it_is_not_setuid_hints_at_its_lost_privilege(real_index):
    bare = without_tool(real_index, "firejail")
    said = run(bare, b"Error: cannot switch euid to root\nError: the sandbox is not setuid root\n")
    assert {"topic": "helper_privilege"} in [f["fields"] for f in said.features if f["kind"] == "mention"]
    assert said.causes[0].id == "sandbox-helper-lacks-privilege"
    for other in (b"bwrap: Unexpected capabilities but not setuid, old file caps config?\n",
                  b"Error: /usr/bin/newuidmap is not setuid root\n"):
        said = run(without_tool(real_index, "bwrap"), other)
        assert {"topic": "helper_privilege"} not in [f["fields"] for f in said.features if f["kind"] == "mention"], other


def test_a_program_asking_to_enable_user_namespaces_says_they_are_off(real_index):
    line = (b"[981631:981631:1001/124303.671622:FATAL:zygote_host_impl_linux.cc(116)] No usable sandbox! "
            b"You probably need to enable user namespaces in your kernel.\n")
    assert {"errno": "EDISABLED", "namespace": "user"} in failures(run(without_tool(real_index, "chromium"), line))
    assert not failures(run(real_index, b"Note: you do not have to enable user namespaces for this mode\n"))


def test_chromiums_pointer_to_its_suid_sandbox_documentation_names_no_helper(real_index):
    line = (b"[10176:10176:0416/115636.608753:FATAL:zygote_host_impl_linux.cc(116)] No usable sandbox! Update your kernel "
            b"or see https://chromium.googlesource.com/chromium/src/+/master/docs/linux_suid_sandbox_development.md for "
            b"more information on developing with the SUID sandbox. If you want to live dangerously and need an immediate "
            b"workaround, you can try using --no-sandbox.\n")
    result = run(without_tool(real_index, "chromium"), line)
    assert {"topic": "setuid_helper"} not in [f["fields"] for f in result.features if f["kind"] == "mention"]
    assert result.verdict != "cause"


def test_nerdctls_default_profile_is_a_containers_profile(real_index):
    record = (b'audit: type=1400 audit(1713909792.064:262): apparmor="DENIED" operation="mount" class="mount" '
              b'info="failed flags match" error=-13 profile="nerdctl-default" name="/sys/fs/cgroup/" pid=13483 '
              b'comm="mount" fstype="cgroup2" srcname="cgroup2"\n')
    assert run(real_index, record).causes[0].id == "container-apparmor-blocks-mount"


def test_a_signal_refused_with_eacces_is_a_security_modules_refusal(real_index):
    bare = without_tool(real_index, "runc")
    for line in (b"2024/01/30 14:20:00 [alert] 198#198: kill(18, 1) failed (13: Permission denied)\n",
                 b"unknown error after kill: runc did not terminate successfully: exit status 1: "
                 b"unable to signal init: permission denied\n"):
        result = run(bare, line)
        assert {"errno": "EACCES", "syscall": "signal"} in failures(result), line
        assert result.causes[0].id == "apparmor-program-profile-denies", line
    # The kernel's own check answers EPERM (another user's process): no security module's rule.
    result = run(bare, b"kill(4242, 15) failed (1: Operation not permitted)\n")
    assert {"errno": "EPERM", "syscall": "signal"} in failures(result)
    assert result.verdict == "no-failure"
    # An OOM killer's report is no signal refused.
    assert not failures(run(bare, b"Out of memory: Killed process 4242 (chrome)\n"))
    # The record of a container's profile refusing its runtime's signal; not a daemon's profile
    # refusing an unconfined peer's, a routine line of a journal.
    record = (b'audit: type=1400 audit(1713909792.064:262): apparmor="DENIED" operation="signal" class="signal" '
              b'profile="nerdctl-default" pid=13483 comm="runc" requested_mask="receive" denied_mask="receive" '
              b'signal=quit peer="runc"\n')
    assert run(bare, record).causes[0].id == "apparmor-program-profile-denies"
    noise = record.replace(b'profile="nerdctl-default"', b'profile="/usr/sbin/cupsd"').replace(b'peer="runc"', b'peer="unconfined"')
    assert run(bare, noise).verdict == "no-failure"
    for peer in (b"/usr/bin/runc", b"/usr/sbin/runc", b"/usr/bin/crun", b"snap.docker.dockerd", b"containerd-shim-runc-v2"):
        assert run(bare, record.replace(b'peer="runc"', b'peer="' + peer + b'"')).causes[0].id == "apparmor-program-profile-denies", peer
    assert run(bare, b'oci runtime error: signaling init process caused "permission denied"\n').causes[0].id \
        == "apparmor-program-profile-denies"
    # zsh's and busybox's kill builtins say it their way.
    for line in (b"kill: kill 4242 failed: permission denied\n", b"kill: can't kill pid 4242: Permission denied\n"):
        assert {"errno": "EACCES", "syscall": "signal"} in failures(run(bare, line)), line
    # A clause after another call's failure says what was then not done: no signal was refused.
    for after in (b'[alert] open() "/run/nginx.pid" failed (13: Permission denied); cannot signal the old master\n',
                  b"x failed;  cannot signal pid 5: Permission denied\n"):
        assert not any(f.get("syscall") == "signal" for f in failures(run(bare, after))), after
    # ... but a quoted or bracketed message still is one.
    for quoted in (b'time="2024-01-01T00:00:00Z" level=error msg="unable to signal init: permission denied"\n',
                   b'{"level":"error","msg":"failed to signal process: permission denied"}\n',
                   b"crun: (unable to signal init): Permission denied\n"):
        assert any(f.get("syscall") == "signal" for f in failures(run(bare, quoted))), quoted


def test_a_missing_uid_map_file_is_a_kernel_without_user_namespaces(real_index):
    result = run(real_index, b"error opening file `/proc/self/uid_map`: No such file or directory\n")
    assert result.causes[0].id == "kernel-without-userns"
    # ... but not with confidence: the process named may be gone, or never was.
    gone = run(real_index, b'Error: reading ID mappings from "/proc/0/uid_map": no such file or directory\n')
    assert gone.verdict == "not-sure"
    # "No such process" is a process gone (ESRCH), not a file missing.
    assert run(real_index, b"write /proc/1234/uid_map: no such process\n").verdict == "no-failure"
    # A map helper that could not be run is no missing map file.
    helper = (b'[rootlesskit:parent] error: failed to setup UID/GID map: newuidmap 2191 [0 501 1 1 524288 1073741824] '
              b'failed: : exec: "newuidmap": executable file not found in $PATH\n')
    assert run(real_index, helper).causes[0].id != "kernel-without-userns"


def test_a_map_the_kernel_refuses_as_invalid_is_the_ranges_not_the_helper(real_index):
    chain = (b"[rootlesskit:parent] error: failed to setup UID/GID map:\n"
             b"newuidmap 3326 [0 222586300 1 1 524288 1073741824] failed:\n"
             b"newuidmap: write to uid_map failed: Invalid argument:\n")
    assert run(without_tool(real_index, "rootlesskit"), chain).causes[0].id == "subid-ranges-missing"
    refused = b"newuidmap: write to uid_map failed: Operation not permitted\n"
    assert run(real_index, refused).causes[0].id == "newuidmap-unavailable"


def test_a_program_saying_its_own_filter_caught_a_call_is_sigsys(real_index):
    for line in (b"[anonymous-instance:ERROR:src/vmm/src/signal_handler.rs:37] Shutting down VM after intercepting a bad syscall (39)\n",
                 b'ERROR: The syscall "linkat" (syscall number 265) is not allowed by the syscall sandbox in thread "main".\n'):
        result = run(real_index, line)
        assert {"signal": "SIGSYS"} in [f["fields"] for f in result.features if f["kind"] == "signal"], line
        assert result.causes[0].id == "seccomp-allowlist-kills-syscall", line
    # Filters that answer an errno say "not allowed" too; a bad argument is no call caught.
    for line in (b"the io_uring_setup syscall is not allowed by the default seccomp whitelist\n",
                 b"clone3 syscall is not allowed by the Flatpak sandbox; falling back to clone\n",
                 b"we intercepted a bad syscall argument in the test harness\n"):
        said = run(real_index, line)
        assert {"signal": "SIGSYS"} not in [f["fields"] for f in said.features if f["kind"] == "signal"], line


def test_a_snaps_profile_refusing_a_capability_of_its_own_work_is_no_user_namespace(real_index):
    own = (b'apparmor="DENIED" operation="capable" profile="snap.microk8s.daemon-apiserver-kicker" pid=23955 '
           b'comm="ifconfig" capability=12  capname="net_admin"\n')
    assert run(real_index, own).verdict != "cause"
    sandbox = (b'apparmor="DENIED" operation="capable" profile="snap.steam.steam" pid=4242 comm="bwrap" '
               b'capability=21  capname="sys_admin"\n')
    assert run(real_index, sandbox).causes[0].id == "snap-confinement-blocks-userns"


def test_snap_confines_own_profile_refusing_its_setup_but_not_its_capability_probes(real_index):
    refused = (b'[ 3312.151969] audit: type=1400 audit(1644571146.193:127): apparmor="DENIED" operation="sendmsg" '
               b'profile="/usr/lib/snapd/snap-confine" pid=11138 comm="snap-confine" laddr=10.0.0.5 lport=895 '
               b'faddr=10.0.0.4 fport=2049 family="inet" sock_type="stream" protocol=6 requested_mask="send" denied_mask="send"\n')
    assert run(real_index, refused).causes[0].id == "apparmor-program-profile-denies"
    probe = (b'audit: type=1400 audit(1644571146.193:128): apparmor="DENIED" operation="capable" class="cap" '
             b'profile="/usr/lib/snapd/snap-confine" pid=11138 comm="snap-confine" capability=38  capname="perfmon"\n')
    assert run(real_index, probe).verdict == "no-failure"
    inherited = (b'audit: type=1400 audit(1644571146.193:129): apparmor="DENIED" operation="file_inherit" '
                 b'profile="/snap/core/7917/usr/lib/snapd/snap-confine" pid=11138 comm="snap-confine" family="unix" '
                 b'sock_type="stream" protocol=0 requested_mask="send receive" denied_mask="send receive" addr=none\n')
    assert run(real_index, inherited).verdict == "no-failure"
    hat = refused.replace(b'profile="/usr/lib/snapd/snap-confine"',
                          b'profile="/usr/lib/snapd/snap-confine//mount-namespace-capture-helper"')
    assert run(real_index, hat).causes[0].id == "apparmor-program-profile-denies"


def test_a_record_a_profile_in_complain_mode_allowed_is_no_refusal(real_index):
    # A devmode snap or a profile in complain mode logs what it would refuse as ALLOWED; nothing was
    # refused, so the record names no cause that rests on a refusal. The same record DENIED does.
    for denied in (b'apparmor="DENIED" operation="capable" class="cap" profile="snap.steam.steam" pid=4242 '
                   b'comm="bwrap" capability=21  capname="sys_admin"\n',
                   b'apparmor="DENIED" operation="capable" class="cap" profile="unpriv_bwrap" pid=4242 '
                   b'comm="chrome" capability=21  capname="sys_admin"\n',
                   b'apparmor="DENIED" operation="mount" class="mount" info="failed flags match" error=-13 '
                   b'profile="docker-default" name="/proc/" pid=4242 comm="runc:[2:INIT]" fstype="proc"\n'):
        assert run(real_index, denied).verdict == "cause"
        allowed = denied.replace(b'apparmor="DENIED"', b'apparmor="ALLOWED"')
        assert run(real_index, allowed).verdict != "cause"


def test_fusermount_refused_its_mount_as_root_is_a_security_modules_rule(real_index):
    # fusermount3 checks the mount point itself, then calls mount(2) as root: EACCES there is a
    # profile's rule (AppArmor's fusermount3 profile), EPERM a missing capability.
    result = run(real_index, b"fusermount3: mount failed: Permission denied\n")
    assert result.causes[0].id == "apparmor-program-profile-denies"
    assert run(real_index, b"fusermount: mount failed: Operation not permitted\n").causes[0].id != "apparmor-program-profile-denies"
    # Its own checks of the mount point are no mount refused.
    denied = run(real_index, b"fusermount3: failed to access mountpoint /mnt/x: Permission denied\n")
    assert denied.verdict != "cause"


def test_a_profile_named_by_a_path_refusing_a_mount_is_the_programs_own(real_index):
    # A profile named by a path is attached to that program by its path: not one a container was
    # started with, which has a name (docker-default, or an operator's own).
    record = (b'apparmor="DENIED" operation="mount" info="failed flags match" error=-13 profile="/usr/sbin/mytool" '
              b'name="/" pid=17284 comm="mytool" flags="rw, rslave"\n')
    line = b"mytool: Permission denied - Failed to make / rslave\n"
    assert run(real_index, line + record).causes[0].id == "apparmor-program-profile-denies"
    named = record.replace(b'profile="/usr/sbin/mytool"', b'profile="ci-runner-jobs"')
    assert run(real_index, line + named).causes[0].id == "container-apparmor-blocks-mount"


def test_the_setuid_helper_not_root_names_no_new_privs_among_its_causes(real_index):
    # Chromium's helper lists PR_SET_NO_NEW_PRIVS among its own "Common causes"; the fact that a
    # parent set it puts that cause next to the helper's mode, the usual one.
    line = b"The setuid sandbox is not running as root. Common causes:\n"
    alone = [c.id for c in run(real_index, line).causes]
    assert "sandbox-helper-lacks-privilege" in alone[:8]
    told = [c.id for c in run(real_index, line, {"process.no_new_privs": "1"}).causes]
    assert told[:2] == ["chrome-sandbox-not-setuid", "sandbox-helper-lacks-privilege"]


def test_setroubleshoots_summary_of_a_denial_is_read_as_the_denial(real_index):
    # Fedora's journal carries setroubleshoot's summary where the AVC record itself is not pasted.
    line = (b"setroubleshoot[2231]: SELinux is preventing /usr/bin/bwrap from create access on the "
            b"user_namespace Unknown. For complete SELinux messages run: sealert -l 0b6a\n")
    assert run(real_index, line).causes[0].id == "selinux-denies-userns"
    capability = b"SELinux is preventing /usr/bin/bwrap from using the sys_admin capability.\n"
    assert run(real_index, capability).causes[0].id == "selinux-denies-userns"
    # The same capability refused to a daemon in the initial namespace is no sandbox's.
    daemon = b"SELinux is preventing /usr/sbin/httpd from using the sys_admin capability.\n"
    assert run(real_index, daemon).verdict != "cause"
    # A web server refused a file: no namespace work.
    other = b"SELinux is preventing /usr/sbin/httpd from 'read, write' accesses on the file /var/www/x.\n"
    assert run(real_index, other).verdict == "no-failure"


def test_a_killed_namespace_call_is_an_allow_lists_not_a_containers_filter(real_index):
    # Container runtimes' filters and RestrictNamespaces= answer with an errno; a filter that kills
    # (systemd's SystemCallFilter=, a program's own list) left the call out of its list.
    record = (b'audit[5095]: SECCOMP auid=4294967295 uid=0 gid=0 ses=4294967295 pid=5095 comm="importer" '
              b'exe="/usr/lib/importer" sig=31 arch=c000003e syscall=165 compat=0 ip=0x7fe9376d687a code=0x0\n')
    assert run(real_index, record).causes[0].id == "seccomp-allowlist-kills-syscall"
    errno = record.replace(b"sig=31", b"sig=0").replace(b"code=0x0", b"code=0x50000")
    assert run(real_index, errno).causes[0].id == "container-seccomp-blocks-userns"
    # A record cut before its code=: SIGSYS (31) is logged only for a kill.
    assert run(real_index, record.replace(b" code=0x0", b"")).causes[0].id == "seccomp-allowlist-kills-syscall"
    # A filter in log mode (or one that allows, traces or hands the call on) refused nothing.
    for code in (b"code=0x7ffc0000", b"code=0x7fff0000", b"code=0x7fc00000"):
        logged = errno.replace(b"code=0x50000", code)
        assert run(real_index, logged).verdict != "cause", code


def test_strace_names_a_call_newer_than_itself_by_its_number(real_index):
    # strace older than a call prints syscall_0x1b7 (faccessat2, 439) or syscall_435 (clone3): the
    # numbers from 424 on are the same on every architecture.
    newer = b"syscall_0x1b7(0xffffff9c, 0x7fff83594860, 0, 0x100) = -1 EPERM (Operation not permitted)\n"
    assert {"errno": "EPERM", "syscall": "newer_call"} in failures(run(real_index, newer))
    assert run(real_index, newer).causes[0].id == "seccomp-profile-denies-newer-syscall"
    # clone3 by number: an strace that cannot name it cannot show its flags (glibc's threads use it).
    assert {"errno": "EPERM", "syscall": "newer_call"} in failures(run(real_index, b"syscall_435(0x7ffc466b4c60, 0x58) = -1 (errno 1)\n"))
    # io_uring_setup (425) refused is its own switch (kernel.io_uring_disabled), no newer call.
    assert failures(run(real_index, b"syscall_0x1a9(0x8, 0x7ffd) = -1 EPERM (Operation not permitted)\n")) == []


def test_switching_to_a_namespace_is_joining_it(real_index):
    line = b'Error switching to ns /proc/6648/task/6651/ns/net: operation not permitted\n'
    assert {"errno": "EPERM", "namespace": "net", "object": "ns_file", "syscall": "setns"} in failures(run(real_index, line))
    # Switching back is restoring the original namespace: setns too, already read as such.
    back = b"failed to switch back to the original network namespace: invalid argument\n"
    assert any(f.get("syscall") == "setns" for f in failures(run(real_index, back)))


def test_a_program_that_needs_the_initial_user_namespace_is_nested(real_index):
    line = (b"ERROR Installing to filesystem: /proc/1 is owned by 65534, not zero; this command must be run "
            b"in the root user namespace (e.g. not rootless podman)\n")
    assert run(real_index, line).causes[0].id == "nested-userns-no-capability"
    assert run(real_index, b"fatal: this tool cannot run inside a user namespace\n").causes[0].id == "nested-userns-no-capability"
    # A feature the program does without there, or one the kernel does not offer there, is another matter.
    for other in (b"Warning: rootless mode, quota cannot be used inside a user namespace\n",
                  b"ERROR: zfs: this feature cannot be used in a user namespace\n",
                  b"Error: setting sysctl net.core.somaxconn is not allowed in a user namespace\n",
                  b"Error: overlay is not supported in a user namespace on this kernel\n"):
        assert not any(f["fields"].get("topic") == "in_userns" for f in run(real_index, other).features), other


def test_a_message_wrapped_by_hand_after_a_word_no_sentence_ends_with_is_read_whole(real_index):
    # Short of a terminal's width and not indented: the last word ("not") says the line goes on.
    wrapped = (b"FATAL:sandbox/linux/suid/client/setuid_sandbox_host.cc:166\n"
               b"The SUID sandbox helper binary was found, but is not\nconfigured correctly.\n")
    assert "chrome-suid-helper-misconfigured" in {s["id"] for s in run(real_index, wrapped).symptoms}
    # A next line that is a message of its own is not joined, whatever the line above left open: a
    # path-named program's message, a prefixed line, a list item, a capitalised line.
    for apart in (b"Creating user namespace with unshare for\n/bin/sh: 1: ./run.sh: Permission denied\n",
                  b"| Entering the build user namespace for\n| cp: cannot create regular file '/out/x': Permission denied\n",
                  b"3. unshare --user --map-root-user A\n4. cat /tmp/x gives Permission denied\n",
                  b"2. Run the container with --userns=keep-id and\n3. touch /data/x fails with EACCES\n",
                  b"Now creating a new user namespace for the\nPermission denied (publickey).\n"):
        assert run(real_index, apart).verdict == "no-failure", apart


def test_a_sandbox_that_could_not_be_made_is_namespace_work_whatever_its_adjective(real_index):
    for line in (b"Error: Bubblewrap is installed but cannot create a rootless sandbox.\n",
                 b"error: failed to set up an unprivileged sandbox\n"):
        assert {"errno": "EUNKNOWN", "namespace": "any"} in failures(run(real_index, line)), line
    # A seccomp sandbox is a confinement of its own, no namespace.
    assert failures(run(real_index, b"error: could not start the seccomp sandbox\n")) == []


def test_chromiums_single_thread_check_failing_is_an_emulators_threads(real_index):
    line = b"[1227/190634.136081:FATAL:zygote_main_linux.cc(161)] Check failed: sandbox::ThreadHelpers::IsSingleThreaded().\n"
    assert run(real_index, line).causes[0].id == "qemu-user-emulation"


def test_a_rhel_or_centos_release_of_two_digits_is_read(real_index):
    for line, release in ((b"Welcome to Red Hat Enterprise Linux 10.1 (Coughlan)!\n", ("rhel", "10")),
                          (b"CentOS Stream 10\n", ("centos", "10")),
                          (b"Red Hat Enterprise Linux Server release 7.6 (Maipo)\n", ("rhel", "7"))):
        facts = run(real_index, line).facts
        assert (facts.get("os.id"), facts.get("os.version_id")) == release, line


def test_a_sandboxs_own_report_of_a_trapped_call_by_name_and_any_time64_call(real_index):
    # Tracker's extractor names the call its SIGSYS handler caught.
    assert run(real_index, b'Disallowed syscall "get_mempolicy" caught in sandbox\n').causes[0].id == \
        "seccomp-allowlist-kills-syscall"
    # Every *_time64 call came with Linux 5.1 for 32-bit programs: refused with EPERM, a filter older than it.
    line = b"sched_rr_get_interval_time64(0, 0xffbbd4a0) = -1 EPERM (Operation not permitted)\n"
    assert {"errno": "EPERM", "syscall": "newer_call"} in failures(run(real_index, line))
