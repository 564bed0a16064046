#!/bin/sh
# nskb probe: prints the facts that tell apart the causes of a user-namespace or sandbox failure.
#
# Run it where the failure happens (inside the container, the chroot, the CI job), as the same
# user. POSIX sh (dash, bash, busybox ash). Read-only: it writes no file, needs no root and no
# Python, and works without /dev, /proc or /sys. The only thing it changes is short-lived
# namespaces of its own (the active test), which vanish when the test command exits.
#
# Output: the line "# nskb-probe/1", one key=value per line, and "# nskb-probe/1 end" when it
# finished. A value that could not be read is unknown:<reason>, never empty: unknown:absent means
# "looked, and it is not there"; unknown:no-proc and unknown:no-sys mean "could not look".
# Every key is documented in kb/facts.yaml.
#
# Time: each external command may take 2 s (LIMIT) and none starts once 4 s (BUDGET) have
# passed, so the probe ends within about 6 s whatever PATH holds (8 s at most on a busy
# machine; bench/probe measures it); a fact that had no time left says unknown:time-budget. A `sleep` that does not return would make every bound fail, so then
# no external command runs at all and those facts say unknown:no-timer.
#
# Run through sudo or pkexec as root, the active test runs as the user who called sudo
# (userns.test_uid says which user the userns.* facts are about).
#
#   sh probe.sh
#   kb-probe --format markdown --redact     (the packaged copy, formatted for a bug report)

set -u
set -f # no pathname expansion anywhere
# Parse every command's output in the C locale: unshare translates its messages and strerror.
LC_ALL=C
export LC_ALL
# No redirection on a special builtin (unset, export, :): if it fails, a POSIX shell exits.
# Nothing here touches /dev/null, which may be missing or a plain file: unwanted output is
# captured and dropped, or the descriptor is closed (2>&-).
unset LANGUAGE CDPATH
IFS='
 	'
PATH="${PATH:-/usr/local/bin:/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin" # getcap lives in sbin
export PATH

LIMIT=2  # seconds allowed to each external command
BUDGET=4 # seconds after which no external command starts
NL='
'
CR=$(printf '\r')

# === output ===================================================================================

emit() { # emit KEY VALUE: one output line; an empty value becomes unknown:empty
	_v=${2%%"$NL"*}
	_v=${_v%"$CR"}
	[ -n "$_v" ] || _v=unknown:empty
	printf '%s=%s\n' "$1" "$_v"
}

# === commands, each bounded in time ===========================================================
# Set once by main before any fact is read, and only read afterwards:
#   PROBE_SLEEP     a sleep that returns (empty: no timer, so no external command may run)
#   PROBE_WATCHDOG  pid of a sleep of BUDGET seconds; once it is gone, no command starts

path_of() { # path_of NAME: absolute path of the command NAME, or nothing
	_p=$(command -v "$1" 2>&-) || _p=
	case $_p in /*) echo "$_p" ;; esac
}

find_sleep() { # the path of a sleep that returns, or nothing
	_s=$(path_of sleep)
	[ -n "$_s" ] || return 0
	{ "$_s" 0 <&- >&- & } 2>&-
	_p=$!
	# No command can be trusted yet: wait 1.5 s by the kernel's clock (/proc/uptime, read by a
	# builtin), or without /proc a fixed number of turns (0.3 s in dash, 1.5 s in bash).
	_end=
	_t=$(uptime_cs) && _end=$((_t + 150))
	_n=0
	while kill -0 "$_p" 2>&-; do
		_n=$((_n + 1))
		if [ -n "$_end" ]; then
			[ $((_n % 64)) != 0 ] || [ "$(uptime_cs)" -lt "$_end" ] || _n=-1
		elif [ "$_n" -gt 80000 ]; then
			_n=-1
		fi
		if [ "$_n" = -1 ]; then
			kill -9 "$_p" 2>&-
			wait "$_p" 2>&- # (the shell would report the killed job)
			return 0
		fi
	done
	wait "$_p" && echo "$_s"
}

uptime_cs() { # seconds since boot in hundredths, from /proc/uptime; status 1 without it
	[ -f /proc/uptime ] || return 1
	_u=
	read -r _u _ 2>&- </proc/uptime || return 1
	case $_u in *[0-9].[0-9][0-9]) ;; *) return 1 ;; esac
	_u=${_u%.*}${_u#*.}
	case $_u in *[!0-9]*) return 1 ;; esac
	while :; do # a leading zero would make the number octal
		case $_u in 0?*) _u=${_u#0} ;; *) break ;; esac
	done
	echo "$_u"
}

start_watchdog() { # start_watchdog SLEEP: pid of a sleep of BUDGET seconds that nobody waits for
	# Started from a subshell that ends at once, so that init reaps it and `kill -0` sees it go.
	{ "$1" "$BUDGET" <&- >&- & } 2>&-
	echo "$!"
}

# bounded CMD [ARG...]: run CMD (stdin closed) for at most LIMIT seconds. Status 124 when it
# was stopped, 125 when it was not started (no timer, or the time budget is spent).
bounded() {
	[ -n "$PROBE_SLEEP" ] || return 125
	kill -0 "$PROBE_WATCHDOG" 2>&- || return 125
	"$@" <&- &
	_bp=$!
	(
		_bs=
		trap 'if [ -n "$_bs" ]; then kill "$_bs" 2>&-; fi; exit 0' TERM
		"$PROBE_SLEEP" "$LIMIT" <&- &
		_bs=$!
		wait "$_bs"
		trap '' TERM # from here on the command is killed, whatever happens to it meanwhile
		kill -9 "$_bp" 2>&-
		exit 3 # the time ran out
	) <&- >&- 2>&- &
	_bk=$!
	wait "$_bp" 2>&-
	_br=$?
	# The killer's own status says whether it fired: a finished killer may still be unreaped,
	# so whether `kill` reaches it tells nothing in every shell.
	kill "$_bk" 2>&-
	wait "$_bk"
	if [ $? = 3 ] && [ "$_br" != 0 ]; then return 124; fi
	return "$_br"
}

not_started() { # why bounded returned 125: no-timer, time-budget, or (a command's own 125) exit-125
	if [ -z "$PROBE_SLEEP" ]; then
		echo no-timer
	elif ! kill -0 "$PROBE_WATCHDOG" 2>&-; then
		echo time-budget
	else
		echo exit-125
	fi
}

# errno_of TEXT: the errno name carried by a C-locale error message, or nothing.
errno_of() {
	case $1 in
	*'(ENOSPC)'*) echo ENOSPC ;;
	*'does not support user namespaces'*) echo EINVAL ;;
	*'No permissions to creat'*) echo EPERM ;;
	*'Operation not permitted'*) echo EPERM ;;
	*'Permission denied'*) echo EACCES ;;
	*'No space left on device'*) echo ENOSPC ;;
	*'Invalid argument'*) echo EINVAL ;;
	*'Too many users'*) echo EUSERS ;;
	*'Function not implemented'*) echo ENOSYS ;;
	*'No such file or directory'*) echo ENOENT ;;
	*'Read-only file system'*) echo EROFS ;;
	*'No such device or address'*) echo ENXIO ;;
	*'No such device'*) echo ENODEV ;;
	*'Device or resource busy'*) echo EBUSY ;;
	*'Not a directory'*) echo ENOTDIR ;;
	*'Cannot allocate memory'*) echo ENOMEM ;;
	*'Resource temporarily unavailable'*) echo EAGAIN ;;
	*'Bad address'*) echo EFAULT ;;
	esac
}

# fail_reason STATUS OUTPUT: unknown:<reason> for a command that failed.
fail_reason() {
	case $1 in
	124) echo unknown:timeout ;;
	125) echo "unknown:$(not_started)" ;;
	*)
		_e=$(errno_of "$2")
		if [ -n "$_e" ]; then echo "unknown:$_e"; else echo "unknown:exit-$1"; fi
		;;
	esac
}

# run_value CMD...: the first line CMD prints, or unknown:<reason> when it fails.
run_value() {
	_o=$(bounded "$@" 2>&1)
	_r=$?
	if [ "$_r" = 0 ]; then echo "${_o%%"$NL"*}"; else fail_reason "$_r" "$_o"; fi
}

# === reading files ============================================================================

# read_line FILE: the first line of FILE; status 1 and unknown:<reason> when it cannot be read.
read_line() {
	if [ ! -e "$1" ]; then
		echo unknown:absent
		return 1
	fi
	if [ ! -f "$1" ]; then # a FIFO would block
		echo unknown:not-a-file
		return 1
	fi
	if [ ! -r "$1" ]; then
		echo unknown:EACCES
		return 1
	fi
	_l=
	if { IFS= read -r _l || [ -n "$_l" ]; } 2>&- <"$1"; then
		printf '%s\n' "$_l"
		return 0
	fi
	# open or read failed (or the file is empty): ask cat for the errno.
	_o=$(bounded cat "$1" 2>&1)
	_r=$?
	if [ "$_r" = 0 ]; then echo unknown:empty; else fail_reason "$_r" "$_o"; fi
	return 1
}

# read_all FILE: the whole of a small /proc file. One cat, because bash re-seeks after every
# read builtin and a seek in a /proc seq file restarts it (quadratic in the line count); the
# read builtin only when no command may run.
read_all() {
	_o=$(bounded cat "$1" 2>&1)
	_r=$?
	if [ "$_r" = 0 ]; then
		printf '%s\n' "$_o"
	elif [ "$_r" = 125 ] && [ -r "$1" ]; then
		while IFS= read -r _l || [ -n "$_l" ]; do printf '%s\n' "$_l"; done 2>&- <"$1"
	else
		return 1
	fi
}

proc_state() { # yes when a procfs is mounted at /proc, else no
	if [ -r /proc/self/status ]; then echo yes; else echo no; fi
}

sys_state() { # yes when a sysfs is mounted at /sys, else no
	if [ -d /sys/kernel ] || [ -d /sys/module ]; then echo yes; else echo no; fi
}

# === the system ===============================================================================

facts_os() (
	id=unknown:absent
	version=unknown:absent
	for f in /etc/os-release /usr/lib/os-release; do
		if [ ! -f "$f" ] || [ ! -r "$f" ]; then continue; fi
		while IFS= read -r l || [ -n "$l" ]; do
			case $l in
			ID=*) id=${l#ID=} ;;
			VERSION_ID=*) version=${l#VERSION_ID=} ;;
			esac
		done 2>&- <"$f"
		break
	done
	emit os.id "$(strip_quotes "$id")"
	emit os.version_id "$(strip_quotes "$version")"
)

strip_quotes() {
	_q=${1%"$CR"}
	_q=${_q#\"}
	_q=${_q%\"}
	_q=${_q#\'}
	_q=${_q%\'}
	echo "$_q"
}

kernel_release() { run_value uname -r; }

facts_kernel() ( # facts_kernel RELEASE
	emit kernel.release "$1"
	emit kernel.arch "$(run_value uname -m)"
)

facts_sysctls() ( # facts_sysctls PROC SYS
	proc=$1
	sys=$2
	files=/proc/sys/kernel/unprivileged_userns_clone
	for n in user mnt pid net ipc uts cgroup time; do
		files="$files /proc/sys/user/max_${n}_namespaces"
	done
	files="$files /proc/sys/kernel/apparmor_restrict_unprivileged_userns"
	files="$files /proc/sys/kernel/apparmor_restrict_unprivileged_unconfined"
	files="$files /proc/sys/kernel/yama/ptrace_scope"
	# Sysctl files answer a read at a non-zero offset with EOF, and the read builtin of dash and
	# busybox reads one byte at a time: read them all with one grep call instead.
	out=
	status=0
	if [ "$proc" = yes ]; then
		set --
		for f in $files; do [ -r "$f" ] && set -- "$@" "$f"; done
		if [ $# -gt 0 ]; then
			out=$(bounded grep -H '' "$@" 2>&1)
			status=$?
		fi
	fi
	for f in $files; do
		case $f in
		/proc/sys/kernel/yama/*) key=sysctl.kernel.yama.${f#/proc/sys/kernel/yama/} ;;
		/proc/sys/kernel/*) key=sysctl.kernel.${f#/proc/sys/kernel/} ;;
		*) key=sysctl.user.${f#/proc/sys/user/} ;;
		esac
		emit "$key" "$(sysctl_value "$proc" "$f" "$status" "$out")"
	done
	if [ "$sys" = yes ]; then
		emit module.user_namespace.enable "$(read_line /sys/module/user_namespace/parameters/enable)"
	else
		emit module.user_namespace.enable unknown:no-sys
	fi
	if [ "$proc" = no ]; then
		emit userns.supported unknown:no-proc
	elif [ -e /proc/self/ns/user ]; then
		emit userns.supported yes
	else
		emit userns.supported no
	fi
)

sysctl_value() { # sysctl_value PROC FILE GREP_STATUS GREP_OUTPUT
	if [ "$1" = no ]; then
		echo unknown:no-proc
		return
	fi
	if [ ! -e "$2" ]; then
		echo unknown:absent # /proc is there and the kernel has no such switch
		return
	fi
	_oldifs=$IFS
	IFS=$NL
	for _l in $4; do
		case $_l in "$2:"*)
			IFS=$_oldifs
			echo "${_l#"$2:"}"
			return
			;;
		esac
	done
	IFS=$_oldifs
	if [ ! -r "$2" ]; then
		echo unknown:EACCES
	elif [ "$3" = 124 ] || [ "$3" = 125 ]; then
		fail_reason "$3" ""
	else
		_o=$(bounded cat "$2" 2>&1)
		_r=$?
		if [ "$_r" = 0 ]; then echo "${_o:-unknown:empty}"; else fail_reason "$_r" "$_o"; fi
	fi
}

# === the process and its users ================================================================

effective_uid() { # effective_uid PROC
	if [ "$1" = yes ]; then
		while read -r _f1 _ _f3 _; do
			case $_f1 in Uid:)
				echo "$_f3"
				return
				;;
			esac
		done 2>&- </proc/self/status
	fi
	run_value id -u
}

facts_process() ( # facts_process PROC UID
	proc=$1
	uid=$2
	gid=unknown:no-proc
	nnp=unknown:no-proc
	sc_mode=unknown:no-proc
	sc_filters=unknown:no-proc
	cap_eff=unknown:no-proc
	cap_bnd=unknown:no-proc
	if [ "$proc" = yes ]; then
		nnp=unknown:no-field
		sc_mode=unknown:no-field
		sc_filters=unknown:no-field # Seccomp_filters appeared in Linux 5.9
		cap_eff=unknown:no-field
		cap_bnd=unknown:no-field
		while read -r f1 f2 f3 _; do
			case $f1 in
			Gid:) gid=$f3 ;; # effective
			NoNewPrivs:) nnp=$f2 ;;
			Seccomp:) sc_mode=$f2 ;;
			Seccomp_filters:) sc_filters=$f2 ;;
			CapEff:) cap_eff=$f2 ;;
			CapBnd:) cap_bnd=$f2 ;;
			esac
		done 2>&- </proc/self/status
	fi
	case $gid in unknown:*) gid=$(run_value id -g) ;; esac
	emit process.uid "$uid"
	emit process.gid "$gid"
	emit process.invoking_uid "$(invoking_uid)"
	emit process.in_userns "$(in_userns "$proc")"
	emit process.no_new_privs "$nnp"
	emit seccomp.mode "$sc_mode"
	emit seccomp.filters "$sc_filters"
	emit cap.sys_admin.effective "$(cap_bit "$cap_eff" 21)"
	emit cap.sys_admin.bounding "$(cap_bit "$cap_bnd" 21)"
	emit cap.setuid.effective "$(cap_bit "$cap_eff" 7)"
	emit cap.setuid.bounding "$(cap_bit "$cap_bnd" 7)"
	emit cap.sys_ptrace.effective "$(cap_bit "$cap_eff" 19)"
	emit cap.sys_ptrace.bounding "$(cap_bit "$cap_bnd" 19)"
)

invoking_uid() { # the uid of the user who called sudo or pkexec, or none
	for _v in "${SUDO_UID:-}" "${PKEXEC_UID:-}"; do
		case $_v in '' | *[!0-9]*) ;; *)
			echo "$_v"
			return
			;;
		esac
	done
	echo none
}

in_userns() { # in_userns PROC: yes / no (uid_map is not the identity of all ids) / unknown
	[ "$1" = yes ] || {
		echo unknown:no-proc
		return
	}
	if ! _m=$(read_line /proc/self/uid_map); then
		echo "$_m"
		return
	fi
	{
		read -r _m1 _m2 _m3 _ || :
		if read -r _ _; then
			echo yes
		elif [ "$_m1 $_m2 $_m3" = "0 0 4294967295" ]; then
			echo no
		else
			echo yes
		fi
	} 2>&- </proc/self/uid_map
}

cap_bit() { # cap_bit HEX BIT: yes/no, or the unknown:<reason> given instead of HEX
	case $1 in
	unknown:*) echo "$1" ;;
	'' | *[!0-9a-fA-F]*) echo unknown:unparsed ;;
	*)
		_h=00000000$1
		_h=${_h#"${_h%????????}"} # the low 32 bits are enough for bits 7 and 21
		if [ $((0x$_h >> $2 & 1)) = 1 ]; then echo yes; else echo no; fi
		;;
	esac
}

# === LSMs =====================================================================================

facts_lsm() ( # facts_lsm PROC SYS
	proc=$1
	sys=$2
	if [ "$sys" = no ]; then
		aa=unknown:no-sys
	elif enabled=$(read_line /sys/module/apparmor/parameters/enabled); then
		case $enabled in Y*) aa=yes ;; *) aa=no ;; esac
	elif [ -d /sys/kernel/security/apparmor ]; then
		aa=yes
	else
		aa=no
	fi
	emit apparmor.enabled "$aa"

	# The label of this process: /proc/self/attr/<lsm>/current where the kernel has it (stacked
	# LSMs), else /proc/self/attr/current, which belongs to whichever LSM is the major one.
	case $aa in
	no) label=none ;;
	unknown:*) label=$aa ;;
	*)
		if [ "$proc" = no ]; then
			label=unknown:no-proc
		elif [ -e /proc/self/attr/apparmor/current ]; then
			label=$(read_line /proc/self/attr/apparmor/current)
		else
			label=$(read_line /proc/self/attr/current)
		fi
		;;
	esac
	case $label in
	none | unknown:*)
		emit apparmor.profile "$label"
		emit apparmor.mode "$label"
		;;
	*' ('*')')
		mode=${label##* (}
		emit apparmor.profile "${label% (*}"
		emit apparmor.mode "${mode%)}"
		;;
	*)
		emit apparmor.profile "$label"
		emit apparmor.mode unconfined
		;;
	esac

	if [ "$sys" = no ]; then
		se_mode=unknown:no-sys
	else
		enforce=$(read_line /sys/fs/selinux/enforce)
		case $enforce in
		1) se_mode=enforcing ;;
		0) se_mode=permissive ;;
		unknown:absent) se_mode=disabled ;;
		unknown:*) se_mode=$enforce ;;
		*) se_mode=unknown:unparsed ;;
		esac
	fi
	se_ctx=none
	if [ "$proc" = no ]; then
		se_ctx=unknown:no-proc
	elif [ -e /proc/self/attr/selinux/current ]; then
		se_ctx=$(read_line /proc/self/attr/selinux/current) || se_ctx=none
	elif [ "$aa" != yes ] && [ -e /proc/self/attr/current ]; then
		se_ctx=$(read_line /proc/self/attr/current) || se_ctx=none
	fi
	case $se_ctx in
	*:*:*)
		# A container often hides selinuxfs while SELinux still labels the process.
		[ "$se_mode" = disabled ] && se_mode=unknown:no-selinuxfs
		;;
	unknown:*) ;;
	*)
		case $se_mode in enforcing | permissive) ;; *) se_ctx=none ;; esac
		;;
	esac
	emit selinux.mode "$se_mode"
	emit selinux.context "$se_ctx"
)

# === container ================================================================================

facts_container() ( # facts_container PROC KERNEL_RELEASE
	found=$(container_of "$1" "$2")
	if [ -n "$found" ]; then
		emit container.runtime "${found%%"$NL"*}"
		emit container.signal "${found#*"$NL"}"
	elif [ "$1" = yes ]; then
		emit container.runtime none
		emit container.signal none
	else
		emit container.runtime unknown:no-proc # the cgroup and pid 1 markers are in /proc
		emit container.signal none
	fi
)

container_of() ( # container_of PROC KERNEL_RELEASE: RUNTIME and SIGNAL lines of the first marker found
	proc=$1
	cg_self=
	cg_one=
	if [ "$proc" = yes ]; then
		cg_self=$(read_all /proc/self/cgroup | tr_lines)
		cg_one=$(read_all /proc/1/cgroup | tr_lines)
	fi
	found() {
		printf '%s\n%s\n' "$1" "$2"
		exit 0
	}
	[ -e /.flatpak-info ] && found flatpak /.flatpak-info
	case $cg_self$cg_one in *kubepods*) found kubernetes cgroup:kubepods ;; esac
	[ -n "${KUBERNETES_SERVICE_HOST:-}" ] && found kubernetes env:KUBERNETES_SERVICE_HOST
	[ -d /var/run/secrets/kubernetes.io ] && found kubernetes /var/run/secrets/kubernetes.io
	[ -e /run/.containerenv ] && found podman /run/.containerenv
	[ -e /.dockerenv ] && found docker /.dockerenv
	case $2 in *[Mm]icrosoft*) found wsl kernel.release:microsoft ;; esac
	[ -n "${WSL_DISTRO_NAME:-}" ] && found wsl env:WSL_DISTRO_NAME
	[ -e /proc/sys/fs/binfmt_misc/WSLInterop ] && found wsl /proc/sys/fs/binfmt_misc/WSLInterop
	[ -n "${SNAP_NAME:-}" ] && found snap env:SNAP_NAME
	case $cg_self in */snap.*) found snap cgroup:snap ;; esac
	[ -e /dev/lxd/sock ] && found lxc /dev/lxd/sock
	for f in /run/systemd/container /run/host/container-manager; do
		if v=$(read_line "$f"); then found "$(runtime_of "$v")" "$f:$v"; fi
	done
	if [ "$proc" = yes ] && [ -r /proc/1/environ ]; then
		# cat -v shows the NUL separators as ^@, which a shell variable can hold.
		envs=$(bounded cat -v /proc/1/environ 2>&-) || envs=
		oldifs=$IFS
		IFS=^
		for l in $envs; do
			l=${l#@}
			case $l in container=?*) found "$(runtime_of "${l#container=}")" "/proc/1/environ:$l" ;; esac
		done
		IFS=$oldifs
	fi
	case $cg_self$cg_one in
	*/docker/* | */docker-*.scope*) found docker cgroup:docker ;;
	*libpod*) found podman cgroup:libpod ;;
	*/lxc/* | *lxc.payload*) found lxc cgroup:lxc ;;
	*cri-containerd* | */containerd/*) found containerd cgroup:containerd ;;
	*/machine.slice/machine-*) found systemd-nspawn cgroup:machine.slice ;;
	esac
	if [ -n "$(path_of systemd-detect-virt)" ]; then
		v=$(bounded systemd-detect-virt --container 2>&-)
		case $v in '' | none) ;; *) found "$(runtime_of "$v")" "systemd-detect-virt:$v" ;; esac
	fi
)

tr_lines() { # join stdin's lines with spaces (a builtin stand-in for tr)
	while IFS= read -r _l || [ -n "$_l" ]; do printf ' %s' "$_l"; done
}

runtime_of() { # runtime_of NAME: map a container= / manager name to a container.runtime value
	case $1 in
	docker) echo docker ;;
	podman) echo podman ;;
	lxc | lxc-libvirt) echo lxc ;;
	systemd-nspawn) echo systemd-nspawn ;;
	wsl) echo wsl ;;
	flatpak) echo flatpak ;;
	containerd) echo containerd ;;
	*) echo other ;;
	esac
}

# === mounts: chroot and masked /proc ==========================================================

facts_chroot() ( # facts_chroot PROC
	if [ "$1" = no ]; then
		set -- unknown:no-proc none none
	else
		# shellcheck disable=SC2046 # words without spaces, split on purpose
		set -- $(chroot_verdict)
	fi
	emit chroot "$1"
	emit chroot.signal "$2"
	emit chroot.checked "$3"
)

# chroot_verdict: "VALUE SIGNAL CHECKED" (CHECKED: the signals that were read, comma-separated).
chroot_verdict() (
	if ! mi=$(read_all /proc/self/mountinfo) || [ -z "$mi" ]; then
		echo unknown:unreadable-mountinfo none none
		return
	fi
	# shellcheck disable=SC2046 # words without spaces, split on purpose
	set -- $(root_mount "$mi")
	if [ $# -eq 0 ]; then
		# Our root is not the root of any mount: chroot into a plain directory.
		echo yes mountinfo mountinfo
		return
	fi
	root_id=$1
	root_field=$2
	checked=mountinfo
	# Our root is a mount. Walk up the ancestors (pid 1 included): one in our mount namespace
	# that sees that mount elsewhere than at / means we are chrooted onto a mount point. The
	# topmost one in our namespace seeing it at / (pid 1, or one whose parent lives in another
	# mount namespace) means we are not.
	p=$PPID
	n=0
	top_sees_root=no # the last ancestor in our namespace saw our root mount at /
	top_is_top=no    # ... and it is pid 1, or its parent is in another mount namespace
	while [ "$n" -lt 64 ] && [ "$p" -gt 0 ] 2>&-; do
		n=$((n + 1))
		if ami=$(read_all "/proc/$p/mountinfo") && [ -n "$ami" ]; then
			mp=$(mount_point_of "$ami" "$root_id")
			if [ -n "$mp" ]; then
				checked=$(add_word "$checked" ancestor-mountinfo)
				if [ "$mp" != / ]; then
					echo yes ancestor-mountinfo "$checked"
					return
				fi
				top_sees_root=yes
				top_is_top=no
				[ "$p" = 1 ] && top_is_top=yes
			elif [ "$top_sees_root" = yes ]; then
				top_is_top=yes # left our mount namespace
				break
			fi
		fi
		[ "$p" = 1 ] && break
		p=$(parent_of "$p")
	done
	if [ "$top_sees_root" = yes ] && [ "$top_is_top" = yes ]; then
		echo no none "$checked"
		return
	fi
	# Needs ptrace access to pid 1 (root, or the same user in a container).
	ns_self=$(bounded stat -L -c %i /proc/self/ns/mnt 2>&-) || ns_self=
	ns_one=$(bounded stat -L -c %i /proc/1/ns/mnt 2>&-) || ns_one=
	if [ -n "$ns_one" ] && [ "$ns_self" = "$ns_one" ]; then
		r1=$(bounded stat -L -c %d:%i /proc/1/root/ 2>&-) || r1=
		r0=$(bounded stat -L -c %d:%i / 2>&-) || r0=
		if [ -n "$r1" ] && [ -n "$r0" ]; then
			checked=$(add_word "$checked" proc1-root)
			if [ "$r1" != "$r0" ]; then echo yes proc1-root "$checked"; else echo no none "$checked"; fi
			return
		fi
	fi
	if [ -n "$(path_of systemd-detect-virt)" ]; then
		err=$(bounded systemd-detect-virt --chroot 2>&1)
		rc=$?
		if [ -z "$err" ] && { [ "$rc" = 0 ] || [ "$rc" = 1 ]; }; then
			checked=$(add_word "$checked" systemd-detect-virt)
			if [ "$rc" = 0 ]; then echo yes systemd-detect-virt "$checked"; else echo no none "$checked"; fi
			return
		fi
	fi
	# Only our own mount table: a mount at / whose root is a whole filesystem is the usual
	# non-chroot case; a bind of a subdirectory could be a container or a chroot.
	if [ "$root_field" = / ]; then echo no none "$checked"; else echo unknown:unverified none "$checked"; fi
)

add_word() { # add_word LIST WORD: LIST with WORD appended (comma-separated), once
	case ",$1," in *",$2,"*) echo "$1" ;; *) echo "${1:+$1,}$2" ;; esac
}

parent_of() { # parent_of PID: its parent pid (1 when unknown)
	_pp=
	if _s=$(read_line "/proc/$1/stat"); then
		_s=${_s##*) }
		# shellcheck disable=SC2086 # split the stat fields on purpose
		set -- $_s
		_pp=${2:-}
	fi
	case $_pp in '' | *[!0-9]* | 0) _pp=1 ;; esac
	echo "$_pp"
}

# root_mount TEXT: "ID ROOT", the mount id and root field of the topmost mount at "/", or nothing.
root_mount() {
	_found=
	_oldifs=$IFS
	IFS=$NL
	for _l in $1; do
		IFS=' '
		# shellcheck disable=SC2086 # split the mountinfo fields on purpose
		set -- $_l
		[ "${5:-}" = / ] && _found="$1 $4"
	done
	IFS=$_oldifs
	[ -z "$_found" ] || echo "$_found"
}

# mount_point_of TEXT ID: the mount point of mount ID in TEXT, or nothing. Mount ids are unique
# across all mount namespaces, so finding our id means sharing our mount namespace.
mount_point_of() {
	_oldifs=$IFS
	IFS=$NL
	for _l in $1; do
		case $_l in "$2 "*)
			IFS=' '
			# shellcheck disable=SC2086 # split the mountinfo fields on purpose
			set -- $_l
			IFS=$_oldifs
			echo "${5:-}"
			return
			;;
		esac
	done
	IFS=$_oldifs
}

facts_systemd_unit() ( # facts_systemd_unit PROC
	if [ "$1" = no ]; then
		emit systemd.unit unknown:no-proc
		return
	fi
	if ! cgroups=$(read_all /proc/self/cgroup); then
		emit systemd.unit "$(read_line /proc/self/cgroup)"
		return
	fi
	cg=
	oldifs=$IFS
	IFS=$NL
	for l in $cgroups; do
		case $l in
		*:name=systemd:*) cg=${l#*:name=systemd:} ;;
		0::*) [ -n "$cg" ] || cg=${l#0::} ;;
		esac
	done
	unit=none
	IFS=/
	for c in $cg; do
		case $c in *.service | *.scope) unit=$c ;; esac
	done
	IFS=$oldifs
	emit systemd.unit "$unit"
)

facts_proc_mounts() ( # facts_proc_mounts PROC
	if [ "$1" = no ]; then
		set -- unknown:no-proc unknown:no-proc unknown:no-proc
	elif ! mi=$(read_all /proc/self/mountinfo) || [ -z "$mi" ]; then
		set -- unknown:unreadable-mountinfo unknown:unreadable-mountinfo unknown:unreadable-mountinfo
	else
		# shellcheck disable=SC2046 # words without spaces, split on purpose
		set -- $(proc_mounts_of "$mi")
	fi
	emit proc.masked "$1"
	emit proc.masked.paths "$2"
	emit proc.sys_readonly "$3"
	if [ -n "${mi:-}" ]; then
		# shellcheck disable=SC2046 # words without spaces, split on purpose
		set -- $(root_mount_of "$mi")
	fi
	emit mount.root_fstype "$1"
	emit mount.root_propagation "$2"
)

root_mount_of() ( # root_mount_of MOUNTINFO: "FSTYPE PROPAGATION" of the mount on / (the last one)
	fstype=unknown:no-root-mount
	propagation=unknown:no-root-mount
	IFS=$NL
	for l in $1; do
		IFS=' '
		# shellcheck disable=SC2086 # split the mountinfo fields on purpose
		set -- $l
		if [ "${5:-}" != / ] || [ $# -lt 7 ]; then continue; fi
		shift 6
		# Optional fields up to "-" (proc(5)): shared:N, master:N, propagate_from:N, unbindable.
		propagation=private
		while [ $# -gt 0 ] && [ "$1" != - ]; do
			case $1 in
			shared:*) propagation=shared ;;
			master:*) [ "$propagation" = shared ] || propagation=slave ;;
			unbindable) [ "$propagation" != private ] || propagation=unbindable ;;
			esac
			shift
		done
		fstype=${2:-unknown:empty}
	done
	echo "$fstype" "$propagation"
)

proc_mounts_of() ( # proc_mounts_of MOUNTINFO: "MASKED PATHS SYS_READONLY"
	paths=
	proc_opts=
	sys_opts=
	IFS=$NL
	for l in $1; do
		IFS=' '
		# shellcheck disable=SC2086 # split the mountinfo fields on purpose
		set -- $l
		mp=${5:-}
		case $mp in
		/proc) proc_opts=${6:-} ;;
		/proc/sys) sys_opts=${6:-} ;;
		esac
		case $mp in
		/proc/sys/fs/binfmt_misc | /proc/fs/nfsd) ;; # permanently empty mount points: harmless
		/proc/*) paths=$(add_word "$paths" "$mp") ;;
		esac
	done
	opts=${sys_opts:-$proc_opts}
	if [ -z "$opts" ]; then
		ro=unknown:no-proc-mount
	else
		case ",$opts," in *,ro,*) ro=yes ;; *) ro=no ;; esac
	fi
	if [ -n "$paths" ]; then echo yes "$paths" "$ro"; else echo no none "$ro"; fi
)

# === helpers: bwrap, newuidmap, subordinate ids ===============================================

facts_helpers() (
	bwrap=$(path_of bwrap)
	newuidmap=$(path_of newuidmap)
	newgidmap=$(path_of newgidmap)
	# File capabilities of all three helpers with one getcap call.
	set --
	for f in "$bwrap" "$newuidmap" "$newgidmap"; do [ -n "$f" ] && set -- "$@" "$f"; done
	caps=unknown:no-getcap
	if [ $# -gt 0 ] && [ -n "$(path_of getcap)" ]; then
		caps=$(bounded getcap "$@" 2>&-) || caps=$(fail_reason $? "")
	fi
	if [ -n "$bwrap" ]; then
		emit bwrap.path "$bwrap"
		v=$(run_value "$bwrap" --version)
		emit bwrap.version "${v##* }"
		if [ -u "$bwrap" ]; then emit bwrap.setuid yes; else emit bwrap.setuid no; fi
		case $caps in
		unknown:*) emit bwrap.caps "$caps" ;;
		*)
			v=$(caps_of "$caps" "$bwrap")
			emit bwrap.caps "${v:-none}"
			;;
		esac
	else
		emit bwrap.path unknown:absent
		emit bwrap.version unknown:absent
		emit bwrap.setuid unknown:absent
		emit bwrap.caps unknown:absent
	fi
	helper_facts newuidmap "$newuidmap" cap_setuid "$caps"
	helper_facts newgidmap "$newgidmap" cap_setgid "$caps"
)

caps_of() { # caps_of GETCAP_OUTPUT PATH: the capability text getcap printed for PATH, or nothing
	_c=
	_oldifs=$IFS
	IFS=$NL
	for _l in $1; do
		case $_l in
		"$2 = "*) _c=${_l#"$2 = "} ;;
		"$2 "*) _c=${_l#"$2 "} ;;
		esac
	done
	IFS=$_oldifs
	echo "$_c"
}

owner_of() { # owner_of PATH: numeric owner uid
	# shellcheck disable=SC2046 # split ls -ln on purpose
	set -- $(bounded ls -lnL "$1" 2>&-)
	echo "${3:-}"
}

helper_facts() { # helper_facts NAME PATH CAPNAME GETCAP_OUTPUT
	if [ -z "$2" ]; then
		emit "$1.present" no
		emit "$1.privileged" unknown:absent
		return
	fi
	emit "$1.present" yes
	_priv=no
	if [ -u "$2" ] && [ "$(owner_of "$2")" = 0 ]; then
		_priv=yes
	else
		case $4 in
		unknown:*) _priv=$4 ;;
		*) case $(caps_of "$4" "$2") in *"$3"*) _priv=yes ;; esac ;;
		esac
	fi
	emit "$1.privileged" "$_priv"
}

facts_subids() ( # facts_subids UID
	uid=$1
	name=
	case $uid in unknown:*) ;; *) name=$(bounded id -un 2>&-) || name= ;; esac
	emit subuid.count "$(subid_count /etc/subuid "$uid" "$name")"
	emit subgid.count "$(subid_count /etc/subgid "$uid" "$name")"
)

subid_count() { # subid_count FILE UID NAME: ids granted to this user (by name or uid) in FILE
	if [ ! -e "$1" ]; then
		echo 0
		return
	fi
	if [ ! -f "$1" ] || [ ! -r "$1" ]; then
		echo unknown:EACCES
		return
	fi
	_n=0
	while IFS=: read -r _who _start _count _ || [ -n "$_who" ]; do
		case $_count in '' | *[!0-9]*) continue ;; esac
		if [ "$_who" = "$2" ] || { [ -n "$3" ] && [ "$_who" = "$3" ]; }; then
			_n=$((_n + _count))
		fi
	done 2>&- <"$1"
	echo "$_n"
}

# === active test: create a user namespace, write its maps, mount a fresh procfs ===============

# test_user EFFECTIVE_UID: "UID GID" of the user the active test should run as, when that is
# not us: the user who called sudo or pkexec, when we are root and setpriv can switch to them.
test_user() {
	[ "$1" = 0 ] || return 0
	_u=$(invoking_uid)
	case $_u in none | 0) return 0 ;; esac
	_g=${SUDO_GID:-}
	case $_g in '' | *[!0-9]*) _g=$(primary_gid "$_u") ;; esac
	[ -n "$(path_of setpriv)" ] || return 0
	bounded setpriv --reuid="$_u" --regid="$_g" --clear-groups -- "$(true_bin)" 2>&- || return 0
	echo "$_u $_g"
}

primary_gid() { # primary_gid UID: the group of UID in /etc/passwd, else the number UID itself
	if [ -f /etc/passwd ] && [ -r /etc/passwd ]; then
		while IFS=: read -r _ _ _pu _pg _ || [ -n "$_pu" ]; do
			if [ "$_pu" = "$1" ]; then
				case $_pg in '' | *[!0-9]*) ;; *)
					echo "$_pg"
					return
					;;
				esac
			fi
		done 2>&- </etc/passwd
	fi
	echo "$1"
}

true_bin() { # the path of true (the active test's harmless payload), or nothing
	for _t in /bin/true /usr/bin/true; do
		if [ -x "$_t" ]; then
			echo "$_t"
			return
		fi
	done
	path_of true
}

# step_result STATUS STDERR: ok, the errno name, or unknown:<reason>
step_result() {
	case $1 in
	0) echo ok ;;
	124 | 125) fail_reason "$1" "" ;;
	*)
		_e=$(errno_of "$2")
		echo "${_e:-unknown:exit-$1}"
		;;
	esac
}

facts_active_test() ( # facts_active_test PROC UID
	proc=$1
	true_bin=$(true_bin)
	as=
	test_uid=$2
	# shellcheck disable=SC2046 # words without spaces, split on purpose
	set -- $(test_user "$2")
	if [ $# -eq 2 ]; then
		as="setpriv --reuid=$1 --regid=$2 --clear-groups --"
		test_uid=$1
	fi
	create=unknown:no-tool
	mapw=skipped
	procm=skipped
	bwrap=$(path_of bwrap)
	if [ -z "$true_bin" ]; then
		tool=none
		create=unknown:no-true
	elif [ -n "$(path_of unshare)" ]; then
		tool=unshare
		# shellcheck disable=SC2086 # $as is empty or words to split
		err=$(bounded $as unshare -U "$true_bin" 2>&1)
		create=$(step_result $? "$err")
		if [ "$create" = ok ] && [ "$proc" = no ]; then
			mapw=unknown:no-proc # the maps are files in /proc
			procm=unknown:no-proc
		elif [ "$create" = ok ]; then
			# shellcheck disable=SC2086
			err=$(bounded $as unshare -U -r "$true_bin" 2>&1)
			mapw=$(step_result $? "$err")
		fi
		if [ "$mapw" = ok ]; then
			# shellcheck disable=SC2086
			err=$(bounded $as unshare -U -r -m -p -f --mount-proc "$true_bin" 2>&1)
			procm=$(step_result $? "$err")
		fi
	elif [ -n "$bwrap" ]; then
		tool=bwrap
		# shellcheck disable=SC2086
		err=$(bounded $as "$bwrap" --unshare-user --unshare-pid --dev-bind / / --proc /proc "$true_bin" 2>&1)
		rc=$?
		s=$(step_result "$rc" "$err")
		case $s in
		ok)
			create=ok
			mapw=ok
			procm=ok
			;;
		unknown:timeout | unknown:time-budget | unknown:no-timer) create=$s ;;
		*)
			case $err in
			*'Creating new namespace'* | *'No permissions to creat'*) create=$s ;;
			*'uid map'* | *'gid map'* | *setgroups*)
				create=ok
				mapw=$s
				;;
			*"Can't mount proc"* | *'make / slave'* | *'mount tmpfs'* | *pivot_root*)
				create=ok
				mapw=ok
				procm=$s
				;;
			*) create=unknown:bwrap-exit-$rc ;;
			esac
			;;
		esac
	else
		tool=none
	fi
	emit userns.tool "$tool"
	emit userns.test_uid "$test_uid"
	emit userns.create "$create"
	emit userns.map_write "$mapw"
	emit userns.proc_mount "$procm"
)

# === the shell ================================================================================

can_background() { # status 0 when this shell can start an asynchronous command
	# dash and busybox ash open /dev/null for every asynchronous command and give up without it.
	{ : <&- >&- & } 2>&-
	wait "$!" 2>&-
}

# switch_shell: without /dev/null, run this file again under bash, which needs none; never
# twice, and only a bash at a fixed place (PATH may hold anything).
switch_shell() {
	[ -z "${NSKB_PROBE_SWITCHED:-}" ] && [ -f "$0" ] && [ -r "$0" ] || return 0
	for _b in /bin/bash /usr/bin/bash; do
		if [ -x "$_b" ]; then
			NSKB_PROBE_SWITCHED=1
			export NSKB_PROBE_SWITCHED
			exec "$_b" --posix "$0"
		fi
	done
}

# === main =====================================================================================

main() {
	can_background || switch_shell
	printf '# nskb-probe/1\n'
	PROBE_SLEEP=$(find_sleep)
	PROBE_WATCHDOG=
	[ -z "$PROBE_SLEEP" ] || PROBE_WATCHDOG=$(start_watchdog "$PROBE_SLEEP")
	proc=$(proc_state)
	sys=$(sys_state)
	release=$(kernel_release)
	uid=$(effective_uid "$proc")

	facts_os
	facts_kernel "$release"
	facts_sysctls "$proc" "$sys"
	facts_process "$proc" "$uid"
	facts_lsm "$proc" "$sys"
	facts_container "$proc" "$release"
	facts_chroot "$proc"
	facts_systemd_unit "$proc"
	facts_proc_mounts "$proc"
	facts_helpers
	facts_subids "$uid"
	facts_active_test "$proc" "$uid"

	[ -z "$PROBE_WATCHDOG" ] || kill "$PROBE_WATCHDOG" 2>&-
	printf '# nskb-probe/1 end\n'
}

main
exit 0
