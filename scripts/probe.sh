#!/bin/sh
# nskb probe: prints the facts that tell apart the causes of a user-namespace or sandbox failure.
#
# Run it where the failure happens (inside the container, the chroot, the CI job), as the same
# user. POSIX sh (dash, bash, busybox ash). Read-only: it writes no file, needs no root and no
# Python. Every external command is bounded in time. The only thing it changes is short-lived
# namespaces of its own (the active test), which vanish when the test command exits.
#
# Output: the line "# nskb-probe/1", then one key=value per line. A value that could not be read
# is unknown:<reason>, never empty. Every key is documented in kb/facts.yaml.
#
#   sh probe.sh
#   kb-probe --format markdown --redact     (the packaged copy, formatted for a bug report)

set -u
set -f # no pathname expansion anywhere
# Parse every command's output in the C locale: unshare translates its messages and strerror.
LC_ALL=C
export LC_ALL
unset LANGUAGE CDPATH 2>/dev/null || :
IFS='
 	'
PATH="${PATH:-/usr/local/bin:/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin" # getcap lives in sbin
export PATH

LIMIT=2 # seconds allowed to each external command

printf '# nskb-probe/1\n'

CR=$(printf '\r')
emit() { # emit KEY VALUE: one output line; an empty value becomes unknown:empty
	_v=$2
	case $_v in *'
'*) _v=${_v%%'
'*} ;;
	esac
	_v=${_v%"$CR"}
	[ -n "$_v" ] || _v=unknown:empty
	printf '%s=%s\n' "$1" "$_v"
}

have() { command -v "$1" >/dev/null 2>&1; }

# --- bounded execution ------------------------------------------------------------------------

TMODE=background
if have timeout; then
	if timeout 5 true >/dev/null 2>&1; then
		TMODE=timeout
	elif timeout -t 5 true >/dev/null 2>&1; then
		TMODE=timeout-t # busybox before 1.30
	fi
fi

# bounded CMD [ARG...]: run CMD for at most $LIMIT seconds; status 124 when it was stopped.
bounded() {
	case $TMODE in
	timeout | timeout-t)
		if [ "$TMODE" = timeout ]; then
			timeout "$LIMIT" "$@"
		else
			timeout -t "$LIMIT" "$@"
		fi
		_br=$?
		# GNU timeout says 124; busybox timeout passes on the signal status of the killed command.
		[ "$_br" = 143 ] && _br=124
		return "$_br"
		;;
	esac
	# An asynchronous command gets /dev/null as stdin unless it is redirected explicitly.
	{ "$@" <&3 3<&- & } 3<&0
	_bp=$!
	(
		_bs=
		trap 'if [ -n "$_bs" ]; then kill "$_bs" 2>/dev/null; fi; exit 0' TERM
		sleep "$LIMIT" &
		_bs=$!
		wait "$_bs"
		kill -9 "$_bp" 2>/dev/null
	) >/dev/null 2>&1 </dev/null &
	_bk=$!
	wait "$_bp"
	_br=$?
	if kill "$_bk" 2>/dev/null; then
		wait "$_bk" 2>/dev/null
		return "$_br"
	fi
	wait "$_bk" 2>/dev/null
	return 124
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

# fail_reason STATUS STDERR: unknown:<reason> for a command that failed.
fail_reason() {
	if [ "$1" = 124 ]; then
		echo unknown:timeout
		return
	fi
	_e=$(errno_of "$2")
	if [ -n "$_e" ]; then echo "unknown:$_e"; else echo "unknown:exit-$1"; fi
}

# --- reading files ----------------------------------------------------------------------------

# read_line FILE: R = the first line of FILE; status 1 and R=unknown:<reason> when unreadable.
read_line() {
	if [ ! -e "$1" ]; then
		R=unknown:absent
		return 1
	fi
	if [ ! -r "$1" ]; then
		R=unknown:EACCES
		return 1
	fi
	R=
	if { IFS= read -r R || [ -n "$R" ]; } 2>/dev/null <"$1"; then
		return 0
	fi
	# open or read failed (or the file is empty): ask cat for the errno.
	_err=$(bounded cat "$1" 2>&1 >/dev/null)
	_rc=$?
	if [ "$_rc" = 0 ]; then
		R=unknown:empty
	else
		R=$(fail_reason "$_rc" "$_err")
	fi
	return 1
}

# --- /proc availability -----------------------------------------------------------------------

PROC=yes
[ -r /proc/self/status ] || PROC=no

proc_line() { # like read_line, but unknown:absent for every /proc file when /proc is missing
	if [ "$PROC" = no ]; then
		R=unknown:absent
		return 1
	fi
	read_line "$1"
}

# --- system -----------------------------------------------------------------------------------

os_id=unknown:absent
os_version=unknown:absent
for f in /etc/os-release /usr/lib/os-release; do
	[ -r "$f" ] || continue
	while IFS= read -r l || [ -n "$l" ]; do
		case $l in
		ID=*) os_id=${l#ID=} ;;
		VERSION_ID=*) os_version=${l#VERSION_ID=} ;;
		esac
	done <"$f"
	break
done
strip_quotes() {
	_q=${1%"$CR"}
	_q=${_q#\"}
	_q=${_q%\"}
	_q=${_q#\'}
	_q=${_q%\'}
	echo "$_q"
}
os_id=$(strip_quotes "$os_id")
os_version=$(strip_quotes "$os_version")
emit os.id "$os_id"
emit os.version_id "$os_version"

if have uname; then
	k=$(bounded uname -r 2>/dev/null) || k=$(fail_reason $? "")
	a=$(bounded uname -m 2>/dev/null) || a=$(fail_reason $? "")
else
	k=unknown:no-uname
	a=unknown:no-uname
fi
KREL=$k
emit kernel.release "$k"
emit kernel.arch "$a"

# sysctl files answer a read at a non-zero offset with EOF, and the read builtin of dash and
# busybox reads one byte at a time: read them with one grep call instead.
SYSCTLS="/proc/sys/kernel/unprivileged_userns_clone"
for n in user mnt pid net ipc uts cgroup time; do
	SYSCTLS="$SYSCTLS /proc/sys/user/max_${n}_namespaces"
done
SYSCTLS="$SYSCTLS /proc/sys/kernel/apparmor_restrict_unprivileged_userns"
SYSCTLS="$SYSCTLS /proc/sys/kernel/apparmor_restrict_unprivileged_unconfined"
SYSCTL_OUT=
if [ "$PROC" = yes ] && have grep; then
	set --
	for f in $SYSCTLS; do [ -r "$f" ] && set -- "$@" "$f"; done
	[ $# -gt 0 ] && SYSCTL_OUT=$(bounded grep -H '' "$@" 2>/dev/null)
fi
sysctl() { # sysctl FILE: R = its value, or unknown:<reason>
	if [ "$PROC" = no ] || [ ! -e "$1" ]; then
		R=unknown:absent
		return
	fi
	_oldifs=$IFS
	IFS='
'
	for _l in $SYSCTL_OUT; do
		case $_l in
		"$1:"*)
			R=${_l#"$1:"}
			IFS=$_oldifs
			return
			;;
		esac
	done
	IFS=$_oldifs
	if [ ! -r "$1" ]; then
		R=unknown:EACCES
		return
	fi
	_out=$(bounded cat "$1" 2>&1)
	_rc=$?
	if [ "$_rc" = 0 ]; then R=${_out:-unknown:empty}; else R=$(fail_reason "$_rc" "$_out"); fi
}
for f in $SYSCTLS; do
	sysctl "$f"
	case $f in
	/proc/sys/kernel/*) k=kernel.${f#/proc/sys/kernel/} ;;
	*) k=user.${f#/proc/sys/user/} ;;
	esac
	emit "sysctl.$k" "$R"
done
read_line /sys/module/user_namespace/parameters/enable
emit module.user_namespace.enable "$R"

if [ "$PROC" = no ]; then
	v=unknown:absent
elif [ -e /proc/self/ns/user ]; then
	v=yes
else
	v=no
fi
emit userns.supported "$v"

# --- the process ------------------------------------------------------------------------------

uid=unknown:absent
gid=unknown:absent
nnp=unknown:absent
sc_mode=unknown:absent
sc_filters=unknown:absent
cap_eff=
cap_bnd=
if [ "$PROC" = yes ]; then
	nnp=unknown:no-field
	sc_mode=unknown:no-field
	sc_filters=unknown:no-field # Seccomp_filters appeared in Linux 5.9
	while read -r f1 f2 f3 _; do
		case $f1 in
		Uid:) uid=$f3 ;; # effective
		Gid:) gid=$f3 ;;
		NoNewPrivs:) nnp=$f2 ;;
		Seccomp:) sc_mode=$f2 ;;
		Seccomp_filters:) sc_filters=$f2 ;;
		CapEff:) cap_eff=$f2 ;;
		CapBnd:) cap_bnd=$f2 ;;
		esac
	done </proc/self/status
fi
case $uid in unknown:*) uid=$(bounded id -u 2>/dev/null) || uid=unknown:no-id ;; esac
case $gid in unknown:*) gid=$(bounded id -g 2>/dev/null) || gid=unknown:no-id ;; esac
UID_NOW=$uid
emit process.uid "$uid"
emit process.gid "$gid"

if proc_line /proc/self/uid_map; then
	v=yes
	{
		read -r m1 m2 m3 _ || :
		if read -r _ _; then
			v=yes
		elif [ "$m1 $m2 $m3" = "0 0 4294967295" ]; then
			v=no
		fi
	} </proc/self/uid_map
else
	v=$R
fi
emit process.in_userns "$v"
emit process.no_new_privs "$nnp"
emit seccomp.mode "$sc_mode"
emit seccomp.filters "$sc_filters"

cap_bit() { # cap_bit HEX BIT: yes/no, or unknown:absent
	case $1 in
	'') echo unknown:absent ;;
	*[!0-9a-fA-F]*) echo unknown:unparsed ;;
	*)
		_h=00000000$1
		_h=${_h#"${_h%????????}"} # the low 32 bits are enough for bits 7 and 21
		if [ $((0x$_h >> $2 & 1)) = 1 ]; then echo yes; else echo no; fi
		;;
	esac
}
emit cap.sys_admin.effective "$(cap_bit "$cap_eff" 21)"
emit cap.sys_admin.bounding "$(cap_bit "$cap_bnd" 21)"
emit cap.setuid.effective "$(cap_bit "$cap_eff" 7)"
emit cap.setuid.bounding "$(cap_bit "$cap_bnd" 7)"

# --- LSMs -------------------------------------------------------------------------------------

aa_enabled=no
if read_line /sys/module/apparmor/parameters/enabled; then
	case $R in Y*) aa_enabled=yes ;; esac
elif [ -d /sys/kernel/security/apparmor ]; then
	aa_enabled=yes
fi
emit apparmor.enabled "$aa_enabled"

se_mode=disabled
if read_line /sys/fs/selinux/enforce; then
	case $R in 1) se_mode=enforcing ;; 0) se_mode=permissive ;; *) se_mode=unknown:unparsed ;; esac
elif [ "$R" != unknown:absent ]; then
	se_mode=$R
fi

# The label of this process: /proc/self/attr/<lsm>/current where the kernel has it (stacked
# LSMs), else /proc/self/attr/current, which belongs to whichever LSM is the major one.
aa_profile=none
aa_mode=none
if [ "$aa_enabled" = yes ]; then
	if [ -e /proc/self/attr/apparmor/current ]; then
		proc_line /proc/self/attr/apparmor/current
	else
		proc_line /proc/self/attr/current
	fi
	case $R in
	unknown:*)
		aa_profile=$R
		aa_mode=$R
		;;
	*' ('*')')
		aa_profile=${R% (*}
		aa_mode=${R##* (}
		aa_mode=${aa_mode%)}
		;;
	*)
		aa_profile=$R
		aa_mode=unconfined
		;;
	esac
fi
emit apparmor.profile "$aa_profile"
emit apparmor.mode "$aa_mode"

se_ctx=none
if [ "$PROC" = no ]; then
	se_ctx=unknown:absent
elif [ -e /proc/self/attr/selinux/current ]; then
	read_line /proc/self/attr/selinux/current && se_ctx=$R
elif [ "$aa_enabled" = no ] && [ -e /proc/self/attr/current ]; then
	read_line /proc/self/attr/current && se_ctx=$R
fi
case $se_ctx in
*:*:*)
	# A container often hides selinuxfs while SELinux still labels the process.
	[ "$se_mode" = disabled ] && se_mode=unknown:no-selinuxfs
	;;
unknown:absent) ;;
unknown:*)
	case $se_mode in disabled) se_ctx=none ;; esac
	;;
*)
	case $se_mode in enforcing | permissive) ;; *) se_ctx=none ;; esac
	;;
esac
emit selinux.mode "$se_mode"
emit selinux.context "$se_ctx"

# --- container --------------------------------------------------------------------------------

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

CG_SELF=
if [ "$PROC" = yes ] && [ -r /proc/self/cgroup ]; then
	while IFS= read -r l; do CG_SELF="$CG_SELF $l"; done </proc/self/cgroup
fi
CG_ONE=
if [ "$PROC" = yes ] && [ -r /proc/1/cgroup ]; then
	while IFS= read -r l; do CG_ONE="$CG_ONE $l"; done 2>/dev/null </proc/1/cgroup
fi

rt=
sig=
set_rt() {
	if [ -z "$rt" ]; then
		rt=$1
		sig=$2
	fi
}
[ -e /.flatpak-info ] && set_rt flatpak /.flatpak-info
case $CG_SELF$CG_ONE in *kubepods*) set_rt kubernetes cgroup:kubepods ;; esac
[ -n "${KUBERNETES_SERVICE_HOST:-}" ] && set_rt kubernetes env:KUBERNETES_SERVICE_HOST
[ -d /var/run/secrets/kubernetes.io ] && set_rt kubernetes /var/run/secrets/kubernetes.io
[ -e /run/.containerenv ] && set_rt podman /run/.containerenv
[ -e /.dockerenv ] && set_rt docker /.dockerenv
case $KREL in *[Mm]icrosoft*) set_rt wsl kernel.release:microsoft ;; esac
[ -n "${WSL_DISTRO_NAME:-}" ] && set_rt wsl env:WSL_DISTRO_NAME
[ -e /proc/sys/fs/binfmt_misc/WSLInterop ] && set_rt wsl /proc/sys/fs/binfmt_misc/WSLInterop
[ -n "${SNAP_NAME:-}" ] && set_rt snap env:SNAP_NAME
case $CG_SELF in */snap.*) set_rt snap cgroup:snap ;; esac
[ -e /dev/lxd/sock ] && set_rt lxc /dev/lxd/sock
if [ -z "$rt" ] && read_line /run/systemd/container; then
	set_rt "$(runtime_of "$R")" "/run/systemd/container:$R"
fi
if [ -z "$rt" ] && read_line /run/host/container-manager; then
	set_rt "$(runtime_of "$R")" "/run/host/container-manager:$R"
fi
if [ -z "$rt" ] && [ "$PROC" = yes ] && [ -r /proc/1/environ ] && have tr; then
	envs=$(bounded tr '\0' '\n' 2>/dev/null </proc/1/environ) || envs=
	for l in $envs; do
		case $l in container=?*) set_rt "$(runtime_of "${l#container=}")" "/proc/1/environ:$l" ;; esac
	done
fi
if [ -z "$rt" ]; then
	case $CG_SELF$CG_ONE in
	*/docker/* | */docker-*.scope*) set_rt docker cgroup:docker ;;
	*libpod*) set_rt podman cgroup:libpod ;;
	*/lxc/* | *lxc.payload*) set_rt lxc cgroup:lxc ;;
	*cri-containerd* | */containerd/*) set_rt containerd cgroup:containerd ;;
	*/machine.slice/machine-*) set_rt systemd-nspawn cgroup:machine.slice ;;
	esac
fi
if [ -z "$rt" ] && have systemd-detect-virt; then
	v=$(bounded systemd-detect-virt --container 2>/dev/null)
	case $v in '' | none) ;; *) set_rt "$(runtime_of "$v")" "systemd-detect-virt:$v" ;; esac
fi
if [ -z "$rt" ]; then
	if [ "$PROC" = yes ]; then rt=none; else rt=unknown:absent; fi
	sig=none
fi
emit container.runtime "$rt"
emit container.signal "$sig"

# --- mounts: chroot and masked /proc ----------------------------------------------------------

# Mount tables are read with one cat each: bash re-seeks after every read builtin, and a seek
# in a /proc seq file restarts it, which makes a while-read loop quadratic in the mount count.
mountinfo_of() { # mountinfo_of PID: MI = that process's mountinfo text; status 1 if unreadable
	MI=$(bounded cat "/proc/$1/mountinfo" 2>/dev/null) && [ -n "$MI" ]
}

# root_mount TEXT: M_ID / M_ROOT = mount id and root field of the topmost mount at "/" (empty if
# none).
root_mount() {
	M_ID=
	M_ROOT=
	_text=$1
	_oldifs=$IFS
	IFS='
'
	for _l in $_text; do
		IFS=' '
		# shellcheck disable=SC2086 # split the mountinfo fields on purpose
		set -- $_l
		if [ "${5:-}" = / ]; then
			M_ID=$1
			M_ROOT=$4
		fi
	done
	IFS=$_oldifs
}

# mount_point_of TEXT ID: the mount point of mount ID in TEXT, or nothing. Mount ids are unique
# across all mount namespaces, so finding our id means sharing our mount namespace.
mount_point_of() {
	_text=$1
	_id=$2
	_oldifs=$IFS
	IFS='
'
	for _l in $_text; do
		case $_l in
		"$_id "*)
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

chroot=
chroot_sig=none
checked=
check() {
	case ",$checked," in *",$1,"*) ;; *) checked="${checked:+$checked,}$1" ;; esac
}
SELF_MI=
if [ "$PROC" = no ]; then
	chroot=unknown:absent
elif ! mountinfo_of self; then
	chroot=unknown:unreadable-mountinfo
else
	SELF_MI=$MI
	root_mount "$SELF_MI"
	SELF_ROOT_ID=$M_ID
	SELF_ROOT_FIELD=$M_ROOT
	check mountinfo
	if [ -z "$SELF_ROOT_ID" ]; then
		# Our root is not the root of any mount: chroot into a plain directory.
		chroot=yes
		chroot_sig=mountinfo
	else
		# Our root is a mount. Walk up the ancestors (pid 1 included): one in our mount namespace
		# that sees that mount elsewhere than at / means we are chrooted onto a mount point. The
		# topmost one in our namespace seeing it at / (pid 1, or one whose parent lives in another
		# mount namespace) means we are not.
		p=$PPID
		n=0
		top_sees_root=no # the last ancestor in our namespace saw our root mount at /
		top_is_top=no    # ... and it is pid 1, or its parent is in another mount namespace
		while [ "$n" -lt 64 ] && [ "$p" -gt 0 ] 2>/dev/null; do
			n=$((n + 1))
			if mountinfo_of "$p"; then
				mp=$(mount_point_of "$MI" "$SELF_ROOT_ID")
				if [ -n "$mp" ]; then
					check ancestor-mountinfo
					if [ "$mp" != / ]; then
						chroot=yes
						chroot_sig=ancestor-mountinfo
						break
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
			pp=
			if read_line "/proc/$p/stat"; then
				s=${R##*) }
				# shellcheck disable=SC2086 # split the stat fields on purpose
				set -- $s
				pp=${2:-}
			fi
			case $pp in '' | *[!0-9]*) pp=1 ;; esac
			[ "$pp" = 0 ] && pp=1
			p=$pp
		done
		if [ -z "$chroot" ] && [ "$top_sees_root" = yes ] && [ "$top_is_top" = yes ]; then
			chroot=no
		fi
		if [ -z "$chroot" ] && have stat; then
			# Needs ptrace access to pid 1 (root, or the same user in a container).
			ns_self=$(bounded stat -L -c %i /proc/self/ns/mnt 2>/dev/null) || ns_self=
			ns_one=$(bounded stat -L -c %i /proc/1/ns/mnt 2>/dev/null) || ns_one=
			if [ -n "$ns_one" ] && [ "$ns_self" = "$ns_one" ]; then
				r1=$(bounded stat -L -c %d:%i /proc/1/root/ 2>/dev/null) || r1=
				r0=$(bounded stat -L -c %d:%i / 2>/dev/null) || r0=
				if [ -n "$r1" ] && [ -n "$r0" ]; then
					check proc1-root
					if [ "$r1" != "$r0" ]; then
						chroot=yes
						chroot_sig=proc1-root
					else
						chroot=no
					fi
				fi
			fi
		fi
		if [ -z "$chroot" ] && have systemd-detect-virt; then
			err=$(bounded systemd-detect-virt --chroot 2>&1 >/dev/null)
			rc=$?
			if [ -z "$err" ] && { [ "$rc" = 0 ] || [ "$rc" = 1 ]; }; then
				check systemd-detect-virt
				if [ "$rc" = 0 ]; then
					chroot=yes
					chroot_sig=systemd-detect-virt
				else
					chroot=no
				fi
			fi
		fi
		if [ -z "$chroot" ]; then
			# Only our own mount table: a mount at / whose root is a whole filesystem is the usual
			# non-chroot case; a bind of a subdirectory could be a container or a chroot.
			if [ "$SELF_ROOT_FIELD" = / ]; then chroot=no; else chroot=unknown:unverified; fi
		fi
	fi
fi
emit chroot "$chroot"
emit chroot.signal "$chroot_sig"
emit chroot.checked "${checked:-none}"

unit=unknown:absent
if [ "$PROC" = yes ] && [ -r /proc/self/cgroup ]; then
	cg=
	while IFS= read -r l; do
		case $l in
		*:name=systemd:*) cg=${l#*:name=systemd:} ;;
		0::*) [ -n "$cg" ] || cg=${l#0::} ;;
		esac
	done </proc/self/cgroup
	unit=none
	oldifs=$IFS
	IFS=/
	for c in $cg; do
		case $c in *.service | *.scope) unit=$c ;; esac
	done
	IFS=$oldifs
fi
emit systemd.unit "$unit"

masked=unknown:absent
masked_paths=unknown:absent
sysro=unknown:absent
if [ "$PROC" = yes ] && [ -z "$SELF_MI" ]; then
	masked=$chroot
	masked_paths=$chroot
	sysro=$chroot
fi
if [ -n "$SELF_MI" ]; then
	masked_paths=
	proc_opts=
	sys_opts=
	oldifs=$IFS
	IFS='
'
	for l in $SELF_MI; do
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
		/proc/*)
			case ",$masked_paths," in
			*",$mp,"*) ;;
			*) masked_paths="${masked_paths:+$masked_paths,}$mp" ;;
			esac
			;;
		esac
	done
	IFS=$oldifs
	if [ -n "$masked_paths" ]; then masked=yes; else masked=no masked_paths=none; fi
	opts=${sys_opts:-$proc_opts}
	if [ -z "$opts" ]; then
		sysro=unknown:no-proc-mount
	else
		case ",$opts," in *,ro,*) sysro=yes ;; *) sysro=no ;; esac
	fi
fi
emit proc.masked "$masked"
emit proc.masked.paths "$masked_paths"
emit proc.sys_readonly "$sysro"

# --- helpers: bwrap, newuidmap, subordinate ids -----------------------------------------------

BWRAP=$(command -v bwrap 2>/dev/null) || BWRAP=
case $BWRAP in /*) ;; *) BWRAP= ;; esac
NEWUIDMAP=$(command -v newuidmap 2>/dev/null) || NEWUIDMAP=
case $NEWUIDMAP in /*) ;; *) NEWUIDMAP= ;; esac
NEWGIDMAP=$(command -v newgidmap 2>/dev/null) || NEWGIDMAP=
case $NEWGIDMAP in /*) ;; *) NEWGIDMAP= ;; esac

# File capabilities of all three helpers with one getcap call.
CAPS=
CAPS_OK=no
set --
for f in "$BWRAP" "$NEWUIDMAP" "$NEWGIDMAP"; do [ -n "$f" ] && set -- "$@" "$f"; done
if [ $# -gt 0 ] && have getcap; then
	CAPS=$(bounded getcap "$@" 2>/dev/null) && CAPS_OK=yes
fi
caps_of() { # caps_of PATH: the capability text getcap printed for PATH, or nothing
	_c=
	_oldifs=$IFS
	IFS='
'
	for _l in $CAPS; do
		case $_l in
		"$1 = "*) _c=${_l#"$1 = "} ;;
		"$1 "*) _c=${_l#"$1 "} ;;
		esac
	done
	IFS=$_oldifs
	echo "$_c"
}
owner_of() { # owner_of PATH: numeric owner uid
	# shellcheck disable=SC2046 # split ls -ln on purpose
	set -- $(bounded ls -lnL "$1" 2>/dev/null)
	echo "${3:-}"
}

if [ -n "$BWRAP" ]; then
	emit bwrap.path "$BWRAP"
	out=$(bounded "$BWRAP" --version 2>/dev/null)
	rc=$?
	if [ "$rc" = 0 ]; then
		v=${out##* }
	else
		v=$(fail_reason "$rc" "")
	fi
	emit bwrap.version "$v"
	if [ -u "$BWRAP" ]; then emit bwrap.setuid yes; else emit bwrap.setuid no; fi
	if [ "$CAPS_OK" = yes ]; then
		v=$(caps_of "$BWRAP")
		emit bwrap.caps "${v:-none}"
	else
		emit bwrap.caps unknown:no-getcap
	fi
else
	emit bwrap.path unknown:absent
	emit bwrap.version unknown:absent
	emit bwrap.setuid unknown:absent
	emit bwrap.caps unknown:absent
fi

helper_facts() { # helper_facts NAME PATH CAPNAME
	if [ -z "$2" ]; then
		emit "$1.present" no
		emit "$1.privileged" unknown:absent
		return
	fi
	emit "$1.present" yes
	_p=no
	if [ -u "$2" ] && [ "$(owner_of "$2")" = 0 ]; then
		_p=yes
	elif [ "$CAPS_OK" = yes ]; then
		case $(caps_of "$2") in *"$3"*) _p=yes ;; esac
	else
		_p=unknown:no-getcap
	fi
	emit "$1.privileged" "$_p"
}
helper_facts newuidmap "$NEWUIDMAP" cap_setuid
helper_facts newgidmap "$NEWGIDMAP" cap_setgid

UNAME=
case $UID_NOW in
unknown:*) ;;
*) UNAME=$(bounded id -un 2>/dev/null) || UNAME= ;;
esac
subid_count() { # subid_count FILE: ids granted to this user (by name or uid) in FILE
	if [ ! -e "$1" ]; then
		echo 0
		return
	fi
	if [ ! -r "$1" ]; then
		echo unknown:EACCES
		return
	fi
	_n=0
	while IFS=: read -r _who _start _count _ || [ -n "$_who" ]; do
		case $_count in '' | *[!0-9]*) continue ;; esac
		if [ "$_who" = "$UID_NOW" ] || { [ -n "$UNAME" ] && [ "$_who" = "$UNAME" ]; }; then
			_n=$((_n + _count))
		fi
	done <"$1"
	echo "$_n"
}
emit subuid.count "$(subid_count /etc/subuid)"
emit subgid.count "$(subid_count /etc/subgid)"

# --- active test: create a user namespace, write its maps, mount a fresh procfs ---------------

TRUE_BIN=
for f in /bin/true /usr/bin/true; do
	if [ -x "$f" ]; then
		TRUE_BIN=$f
		break
	fi
done
[ -n "$TRUE_BIN" ] || TRUE_BIN=$(command -v true)
case $TRUE_BIN in /*) ;; *) TRUE_BIN= ;; esac

step() { # step CMD...: S = ok, the errno name, unknown:<reason>
	_err=$(bounded "$@" 2>&1 >/dev/null)
	_rc=$?
	if [ "$_rc" = 0 ]; then
		S=ok
	elif [ "$_rc" = 124 ]; then
		S=unknown:timeout
	else
		S=$(errno_of "$_err")
		[ -n "$S" ] || S=unknown:exit-$_rc
	fi
}

create=unknown:no-tool
mapw=skipped
procm=skipped
if [ -z "$TRUE_BIN" ]; then
	tool=none
	create=unknown:no-true
elif have unshare; then
	tool=unshare
	step unshare -U "$TRUE_BIN"
	create=$S
	if [ "$create" = ok ]; then
		step unshare -U -r "$TRUE_BIN"
		mapw=$S
	fi
	if [ "$mapw" = ok ]; then
		step unshare -U -r -m -p -f --mount-proc "$TRUE_BIN"
		procm=$S
	fi
elif [ -n "$BWRAP" ]; then
	tool=bwrap
	step "$BWRAP" --unshare-user --unshare-pid --dev-bind / / --proc /proc "$TRUE_BIN"
	case $S in
	ok)
		create=ok
		mapw=ok
		procm=ok
		;;
	*)
		case $_err in
		*'Creating new namespace'* | *'No permissions to creat'*) create=$S ;;
		*'uid map'* | *'gid map'* | *setgroups*)
			create=ok
			mapw=$S
			;;
		*"Can't mount proc"* | *'make / slave'* | *'mount tmpfs'* | *pivot_root*)
			create=ok
			mapw=ok
			procm=$S
			;;
		*) create=unknown:bwrap-exit-$_rc ;;
		esac
		;;
	esac
else
	tool=none
fi
emit userns.tool "$tool"
emit userns.create "$create"
emit userns.map_write "$mapw"
emit userns.proc_mount "$procm"
exit 0
