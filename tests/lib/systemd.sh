# shellcheck shell=bash
# systemd (the distribution's, Debian 12: 252) booted as PID 1 in a
# throw-away sandbox inside a test's own sandbox, with the project's module
# in its PAM stacks. Sourced by tests/integration/t_systemd_*.sh after
# functions.sh and nsj_setup (its users, PAM stacks and $T are copied in).
#
#   sd_boot            build the sandbox's root, boot, wait until running;
#                      stopped (nothing left: processes, mounts, cgroup) at exit
#   sd CMD...          CMD as root inside the sandbox (nsenter, host cgroup
#                      moved into the sandbox's tree first)
#   sd_su USER CMD     CMD by USER's shell through the real `su -l` (su-l stack,
#                      pam_systemd: a logind session)
#   sd_ssh USER CMD    CMD over ssh to ssh.service (the sandbox's sshd, the
#                      test's sshd_config) as USER, public-key login
#   sd_stop            poweroff, wait, remove the cgroup subtree
#   sd_stopped         sd_stop, then nothing of the sandbox is left
#   sd_login_bg, sd_scope, sd_in_scope, sd_gone, sd_in, sd_manager,
#   sd_as_manager, sd_journal_has, sd_journal_err, sd_journal_cursor: see
#   each below
#   sd_check_common JAIL CMD  the checks both systemd tests end with (below)
#
# Design (from the recipe proven on these machines): a private cgroup2
# subtree $SD_CG of the host's unified hierarchy; unshare PID, mount, UTS,
# IPC and network namespaces; stage1 (PID 1 there) moves into $SD_CG and
# unshares a cgroup namespace rooted at it; stage2 builds a root on a tmpfs
# (/usr read-only, /etc /var /root overlays whose upper dirs are on a tmpfs,
# the test's /home and /srv, fresh /run /tmp /dev /proc, /sys read-only, a
# fresh cgroup2), pivots and execs systemd. Nothing reaches the host: the
# overlays' writes vanish, and the host root is not in the sandbox.
# Limits: no cpu/memory/pids controllers (bound to cgroup v1 here), no udev.

SD_LIB=${SD_LIB:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}

# Units that touch the kernel's or the host's state, hardware, or are host
# services the tests do not use.
SD_MASK="getty.target console-getty.service getty@.service serial-getty@.service
container-getty@.service systemd-udevd.service systemd-udevd-control.socket
systemd-udevd-kernel.socket systemd-udev-trigger.service
systemd-udev-settle.service udev.service systemd-sysctl.service procps.service
systemd-modules-load.service kmod-static-nodes.service systemd-binfmt.service
proc-sys-fs-binfmt_misc.automount proc-sys-fs-binfmt_misc.mount
systemd-timesyncd.service hwclock.service systemd-pstore.service
systemd-random-seed.service systemd-remount-fs.service
systemd-hwdb-update.service systemd-firstboot.service
systemd-machine-id-commit.service systemd-journald-audit.socket
modprobe@.service sys-kernel-debug.mount sys-kernel-tracing.mount
sys-kernel-config.mount sys-fs-fuse-connections.mount dev-hugepages.mount
postgresql.service exim4.service xpra.service rsync.service nscd.service
nslcd.service slapd.service x11-common.service e2scrub_reap.service
networking.service apt-daily.timer apt-daily-upgrade.timer
dpkg-db-backup.timer e2scrub_all.timer exim4-base.timer fstrim.timer
man-db.timer logrotate.timer systemd-networkd.service
systemd-networkd-wait-online.service"

# The sandbox's PID 1 (a host pid of our namespace).
_sd_pid1() { cat "$SD_W/pid1"; }

# The first cgroup2 mount of the host: /sys/fs/cgroup/unified on a hybrid
# layout, /sys/fs/cgroup on a unified one.
_sd_cgroot() {
	local d
	for d in /sys/fs/cgroup/unified /sys/fs/cgroup; do
		[ "$(stat -f -c %T "$d" 2>/dev/null)" = cgroup2fs ] && { echo "$d"; return 0; }
	done
	return 1
}

# Why systemd cannot boot here, or nothing: the Debian packages (systemd,
# dbus, dbus-user-session, libpam-systemd, openssh-server, cron; all in
# scripts/deps.sh), a cgroup2 hierarchy, overlayfs.
sd_missing() {
	local f
	for f in /lib/systemd/systemd /lib/systemd/systemd-logind /usr/bin/systemd-run \
		/usr/bin/dbus-daemon /usr/lib/systemd/user/dbus.socket /usr/sbin/sshd \
		/usr/sbin/cron /usr/bin/nsenter /usr/bin/setpriv; do
		[ -e "$f" ] || { echo "no $f (install the packages of scripts/deps.sh)"; return; }
	done
	compgen -G "/usr/lib/*/security/pam_systemd.so" >/dev/null ||
		compgen -G "/lib/*/security/pam_systemd.so" >/dev/null ||
		{ echo "no pam_systemd.so (package libpam-systemd)"; return; }
	_sd_cgroot >/dev/null || { echo "no cgroup2 hierarchy mounted on the host"; return; }
	grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
		{ echo "no overlay file system in the kernel"; return; }
}

# sd CMD...: CMD as root in all the sandbox's namespaces. The shell moves
# itself into the sandbox's cgroup subtree first, so the sandbox's systemd
# can move it (or a PAM session it starts) into scopes: cgroup2 moves need
# a common ancestor inside the mover's cgroup namespace.
sd() {
	local p
	p=$(_sd_pid1)
	(echo 0 >"$SD_CG/cgroup.procs" &&
		exec nsenter -t "$p" -m -p -u -i -n -C -- env -i \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			TERM=dumb HOME=/root LANG=C.UTF-8 LC_ALL=C ${SD_SAN_ENV:-} "$@")
}

# sd_su USER CMD: CMD by USER's shell through `su -l` in the sandbox.
sd_su() { sd su -l "$1" -c "$2"; }

# sd_ssh USER CMD: CMD over ssh to ssh.service in the sandbox.
sd_ssh() {
	# shellcheck disable=SC2046 # word splitting of the options is wanted
	sd ssh $(nsj_ssh_opts "$1") -p 22 "$1@127.0.0.1" "$2"
}

# sd_login_bg USER [CMD]: a login through `su -l` left running in the
# background (CMD, default `exec sleep 600`); prints the host pid (seen
# from the sandbox's root) of USER's process named after CMD's first word
# once it runs; fails after 10 s.
sd_login_bg() {
	local user=$1 cmd=${2:-exec sleep 600} name pid
	name=${cmd#exec }
	name=${name%% *}
	(sd su -l "$user" -c "$cmd" </dev/null >/dev/null 2>&1 &)
	for _ in $(seq 200); do
		pid=$(sd pgrep -n -u "$user" -x "$name")
		[ -n "$pid" ] && { echo "$pid"; return 0; }
		sleep 0.05
	done
	return 1
}

# sd_scope PID: the logind session whose scope holds PID ("c3"), from its
# cgroup; nothing when PID is in no session scope.
sd_scope() {
	sd cat "/proc/$1/cgroup" | sed -n 's|^0::.*/session-\(.*\)\.scope$|\1|p'
}

# sd_in_scope PID: PID is in a logind session's scope; when not, prints
# its cgroup and what pam_systemd and logind logged (why the login got no
# session).
sd_in_scope() {
	[ -n "$1" ] && [ -n "$(sd_scope "$1")" ] && return 0
	sd cat "/proc/$1/cgroup"
	sd journalctl -q -b --no-pager -n 40 -t su -t systemd-logind -t systemd
	return 1
}

# sd_gone PID...: every PID has ended, within 10 s; fails without a PID.
sd_gone() {
	local p
	[ $# -gt 0 ] || return 2
	for p; do [ -n "$p" ] || return 2; done
	sd sh -c 'for i in $(seq 200); do
		alive=0; for p; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ $alive = 0 ] && exit 0; sleep 0.05; done
	echo "still running:"; for p; do ps -o pid=,user=,stat=,args= -p "$p"; cat /proc/$p/cgroup 2>/dev/null; done
	loginctl list-sessions --no-legend; journalctl -q -n 25 --no-pager; exit 1' sd "$@"
}

# sd_in PID CMD: CMD by root's sh in the mount namespace of PID (what that
# process sees); fails without a PID.
sd_in() {
	[ -n "$1" ] || { echo "sd_in: no pid" >&2; return 2; }
	sd nsenter -t "$1" -m -- sh -c "$2"
}

# sd_manager USER: the main pid of USER's user manager once it runs
# (user@UID.service active), within 10 s.
sd_manager() {
	local u
	u=$(id -u "$1") || return 1
	sd timeout 10 sh -c "until systemctl -q is-active user@$u.service; do sleep 0.05; done" ||
		return 1
	sd systemctl show -P MainPID "user@$u.service"
}

# sd_as_manager USER CMD: CMD run by USER's user manager as a transient
# service (systemd-run --user --wait --pipe), asked from outside any
# session (no PAM): what the manager's own jail shows.
sd_as_manager() {
	local u
	u=$(id -u "$1") || return 1
	sd setpriv --reuid="$u" --regid="$(id -g "$1")" --init-groups \
		env XDG_RUNTIME_DIR="/run/user/$u" \
		systemd-run --user --quiet --wait --pipe --collect -- sh -c "$2"
}

# sd_journal_err [CURSOR]: what the sandbox's journal holds at priority
# err or worse (since CURSOR, from sd_journal_cursor); empty when nothing
# failed.
sd_journal_err() {
	sd journalctl -q -b -p err --no-pager ${1:+--after-cursor="$1"}
}

# sd_journal_has TEXT: the journal of this boot has a message containing
# TEXT (a fixed string), within 15 s (journald reads its sockets
# asynchronously, slowly under load); prints the last messages when not.
sd_journal_has() {
	for _ in $(seq 300); do
		sd journalctl -q -b -o cat --no-pager | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	sd journalctl -q -b --no-pager -n 30
	return 1
}

# sd_journal_cursor: the journal's position now.
sd_journal_cursor() {
	sd journalctl -q -n 1 --show-cursor --no-pager | sed -n 's/^-- cursor: //p'
}

# The configuration the sandbox gets from the test, prepared in $SD_W/etc
# and copied over the sandbox's overlay /etc by stage 2: the test users,
# the test's PAM stacks (the module last), the module also last in a copy
# of the vendor systemd-user stack, an sshd_config for ssh.service with the
# test's keys, the masks, short unit timeouts.
_sd_prepare() {
	local E=$SD_W/etc u f
	mkdir -p "$E/systemd/system" "$E/systemd/system.conf.d" "$E/ssh" "$E/cron.d"
	for f in passwd group shadow gshadow; do
		[ -e "$T/etc/$f" ] && cp -p "$T/etc/$f" "$E/$f"
	done
	cp -a "$T/pam.d" "$E/pam.d"
	# A file in /etc/pam.d replaces the vendor one whole: copy it, append.
	{ cat /usr/lib/pam.d/systemd-user; echo; echo "# pam_nsjail test: last among session modules"; nsj_pam_line; } \
		>"$E/pam.d/systemd-user"
	for u in $SD_MASK; do ln -sf /dev/null "$E/systemd/system/$u"; done
	# /tmp is a fresh tmpfs: no boot-time clean of it (systemd-tmpfiles
	# raced units making their private dirs there: "rm_rf(/tmp): Directory
	# not empty" at err).
	mkdir -p "$E/tmpfiles.d"
	ln -sf /dev/null "$E/tmpfiles.d/tmp.conf"
	: >"$E/fstab"
	echo nsjtest-systemd >"$E/hostname"
	: >"$E/crontab"
	# Fast units: a hung start or stop must not make the test slow.
	printf '[Manager]\nDefaultTimeoutStopSec=5s\nDefaultTimeoutStartSec=20s\n' \
		>"$E/systemd/system.conf.d/nsjtest.conf"
	# logind tears a user down (runtime dir, slice, manager) when her last
	# session ends: at once when her manager is not running, else
	# UserStopDelaySec (10 s) later. A login meanwhile races with it:
	# pam_systemd finds no runtime dir (2 of 10 quick re-logins here), and
	# once in CI the login ran in no session at all. No teardown on a
	# timer, then: the tests end users explicitly (terminate-user,
	# systemctl stop).
	mkdir -p "$E/systemd/logind.conf.d"
	printf '[Login]\nUserStopDelaySec=infinity\n' >"$E/systemd/logind.conf.d/nsjtest.conf"
	[ "$NSJ_SANITIZE" = 1 ] && _sd_sanitize "$E"
	# ssh.service with the test's host key and authorized keys.
	mkdir -p "$T/ssh" "$T/keys" && chmod 0755 "$T/ssh" "$T/keys"
	[ -e "$T/ssh/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/host_ed25519" || return 1
	for u in root $(cut -d: -f1 <<<"$NSJ_USERS"); do
		[ -e "$T/ssh/id_$u" ] || ssh-keygen -q -t ed25519 -N '' -C "$u@nsjtest" -f "$T/ssh/id_$u" || return 1
		install -m 0644 -o root -g root "$T/ssh/id_$u.pub" "$T/keys/$u"
	done
	cat >"$E/ssh/sshd_config" <<EOF
Port 22
ListenAddress 127.0.0.1
HostKey $T/ssh/host_ed25519
UsePAM yes
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile $T/keys/%u
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
EOF
}

# An ASan build (functions.sh's _nsj_sanitize_setup ran): the module is
# loaded into programs that are not built with ASan; the runtime must be
# there first. PID 1 runs with it preloaded, so its children that open PAM
# sessions (user@.service's) have it; ssh.service and cron.service get it
# in their environment; `sd` puts the harness's su wrapper first in PATH.
# Every report lands in $T/sanitizer/log and fails the test (functions.sh).
_sd_sanitize() {
	local E=$1 u pre=${NSJ_SANITIZE_PRELOAD%% *}
	SD_PID1_ENV="LD_PRELOAD=$pre ASAN_OPTIONS=$ASAN_OPTIONS UBSAN_OPTIONS=$UBSAN_OPTIONS"
	SD_SAN_ENV="PATH=$T/sanitizer/bin:/usr/sbin:/usr/bin:/sbin:/bin ASAN_OPTIONS=$ASAN_OPTIONS UBSAN_OPTIONS=$UBSAN_OPTIONS"
	export SD_PID1_ENV SD_SAN_ENV
	for u in ssh cron; do
		mkdir -p "$E/systemd/system/$u.service.d"
		printf '[Service]\nEnvironment="LD_PRELOAD=%s" "ASAN_OPTIONS=%s" "UBSAN_OPTIONS=%s"\n' \
			"$NSJ_SANITIZE_PRELOAD" "$ASAN_OPTIONS" "$UBSAN_OPTIONS" \
			>"$E/systemd/system/$u.service.d/nsjtest-asan.conf"
	done
}

# Stage 2's part of the configuration, on the sandbox's root R.
_sd_configure() {
	local R=$1
	# Whole directories replaced: the host's own entries must not mix in.
	rm -rf "$R/etc/pam.d" "$R/etc/ssh/sshd_config.d" "$R/etc/cron.d" \
		"$R/var/spool/cron/crontabs"
	# The services the host enabled (a mail or FTP server installed for
	# another test, a database) are not the sandbox's: it starts only the
	# ones the tests use, so a host package never degrades the boot.
	rm -rf "$R/etc/systemd/system/multi-user.target.wants"
	mkdir -p "$R/etc/systemd/system/multi-user.target.wants"
	for u in ssh.service cron.service; do
		ln -s "/lib/systemd/system/$u" "$R/etc/systemd/system/multi-user.target.wants/$u"
	done
	cp -a "$SD_W/etc/." "$R/etc/" || return 1
	# cron: no job of the host's (its crontabs are in the overlay's lower).
	mkdir -p "$R/var/spool/cron/crontabs" && chmod 0730 "$R/var/spool/cron/crontabs"
	chgrp crontab "$R/var/spool/cron/crontabs" 2>/dev/null
	return 0
}

# Stage 2: PID 1 of the new PID namespace, in its own cgroup namespace:
# builds the root and execs systemd.
_sd_stage2() {
	local R=$SD_W/root d l n b
	mount -t tmpfs -o mode=0755 sdroot "$R" || return 1
	mkdir -p "$R"/{usr,etc,var,home,root,run,tmp,proc,sys,dev,.ovl,oldroot,srv,opt,mnt,media}
	for l in bin sbin lib lib64 lib32 libx32; do
		[ -L "/$l" ] && ln -s "$(readlink "/$l")" "$R/$l"
	done
	mount --bind /usr "$R/usr" && mount -o remount,bind,ro,nodev "$R/usr" || return 1
	mount -t tmpfs -o mode=0700 sdovl "$R/.ovl" || return 1
	for d in etc var root; do
		mkdir -p "$R/.ovl/$d/u" "$R/.ovl/$d/w"
		mount -t overlay "sd-$d" -o "lowerdir=/$d,upperdir=$R/.ovl/$d/u,workdir=$R/.ovl/$d/w" \
			"$R/$d" || return 1
	done
	# The test's own throw-away /home and /srv (tmpfs of its sandbox).
	mount --rbind /home "$R/home" && mount --rbind /srv "$R/srv" || return 1
	mount -t tmpfs -o mode=0755,nosuid,nodev sdrun "$R/run" || return 1
	mount -t tmpfs -o mode=1777,nosuid,nodev sdtmp "$R/tmp" || return 1
	# The test's work dir and the tree under test, at their own paths.
	for b in "$T" "$NSJ_SRC" "$NSJ_BUILD"; do
		mkdir -p "$R$b" && mount --bind "$b" "$R$b" || return 1
	done
	mount -t tmpfs -o mode=0755,nosuid sddev "$R/dev" || return 1
	for n in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9" "tty 5 0"; do
		# shellcheck disable=SC2086 # "name major minor"
		set -- $n
		mknod -m 0666 "$R/dev/$1" c "$2" "$3"
	done
	mkdir -p "$R/dev/pts" "$R/dev/shm"
	mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5,nosuid,noexec sddevpts "$R/dev/pts" || return 1
	ln -s pts/ptmx "$R/dev/ptmx"
	mount -t tmpfs -o mode=1777,nosuid,nodev sdshm "$R/dev/shm"
	ln -s /proc/self/fd "$R/dev/fd"
	ln -s /proc/self/fd/0 "$R/dev/stdin"
	ln -s /proc/self/fd/1 "$R/dev/stdout"
	ln -s /proc/self/fd/2 "$R/dev/stderr"
	touch "$R/dev/console" && mount --bind "$SD_W/console.log" "$R/dev/console"
	mount -t proc -o nosuid,nodev,noexec sdproc "$R/proc" || return 1
	for n in sys sysrq-trigger; do
		[ -e "$R/proc/$n" ] || continue
		mount --bind "$R/proc/$n" "$R/proc/$n" && mount -o remount,bind,ro "$R/proc/$n"
	done
	mount --bind /sys "$R/sys" && mount -o remount,bind,ro,nosuid,nodev,noexec "$R/sys" || return 1
	mount -t cgroup2 -o nosuid,nodev,noexec sdcgroup "$R/sys/fs/cgroup" || return 1
	_sd_configure "$R" || return 1
	cd "$R" && pivot_root . oldroot && umount -l /oldroot && rmdir /oldroot || return 1
	# shellcheck disable=SC2086 # SD_PID1_ENV: words "NAME=value"
	exec env -i container=nsjtest PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb LANG=C.UTF-8 \
		${SD_PID1_ENV:-} /lib/systemd/systemd --unit=multi-user.target --show-status=false
}

# sd_boot: boots the sandbox; one test line: passes when systemd reaches
# "running" (the boot time in its name), fails and ends the test otherwise
# (the stage log, failed units or journal as diagnostics); skips (exit 77,
# the test counts as skipped, not passed) only when something systemd needs
# is missing here, saying what.
sd_boot() {
	local why
	why=$(sd_missing)
	if [ -n "$why" ]; then
		skip "systemd as PID 1 in a sandbox" "cannot boot here: $why"
		exit 77
	fi
	if _sd_boot >"$T/sd-boot.log" 2>&1; then
		pass "systemd boots as PID 1 in a sandbox (running after ${SD_BOOT_MS} ms)"
		return 0
	fi
	fail "systemd boots as PID 1 in a sandbox (state: ${SD_STATE:-none})" "$(cat "$T/sd-boot.log")"
	exit 1
}

_sd_boot() {
	local c cgroot t0
	t0=$(date +%s%N)
	SD_W=$T/sd
	mkdir -p "$SD_W/root"
	: >"$SD_W/console.log"
	cgroot=$(_sd_cgroot)
	SD_CG=$cgroot/nsjtest-$NSJ_TEST_NAME-$$-$RANDOM
	export SD_W SD_CG T NSJ_SRC NSJ_BUILD
	_sd_prepare || return 1
	mkdir "$SD_CG" || return 1
	nsj_at_exit sd_stop
	# --propagation private: nothing mounted there reaches the test's tree.
	setsid unshare --pid --fork --mount --propagation private --uts --ipc --net \
		--mount-proc bash "$SD_LIB/systemd.sh" stage1 </dev/null >"$SD_W/stage.log" 2>&1 &
	SD_UNSHARE=$!
	echo "$SD_UNSHARE" >"$SD_W/unshare.pid"
	for _ in $(seq 100); do
		c=$(cat "/proc/$SD_UNSHARE/task/$SD_UNSHARE/children" 2>/dev/null)
		[ -n "$c" ] && break
		sleep 0.05
	done
	echo "${c// /}" >"$SD_W/pid1"
	for _ in $(seq 600); do
		if [ -z "$c" ] || [ ! -d "/proc/$(_sd_pid1)" ]; then
			echo "the sandbox died while booting; its stage log:"
			cat "$SD_W/stage.log"
			return 1
		fi
		sd test -S /run/systemd/private 2>/dev/null && break
		sleep 0.05
	done
	SD_STATE=$(sd timeout 60 systemctl is-system-running --wait 2>/dev/null)
	SD_BOOT_MS=$((($(date +%s%N) - t0) / 1000000))
	if [ "$NSJ_SANITIZE" = 1 ] && ! sd grep -q asan /proc/1/maps; then
		echo "an ASan build, but PID 1 runs without the ASan runtime"
		return 1
	fi
	case $SD_STATE in
	running) return 0 ;;
	degraded) echo "failed units:"; sd systemctl --failed --no-legend ;;
	*) echo "stage log:"; cat "$SD_W/stage.log"; echo "journal:"; sd journalctl -b --no-pager -n 40 ;;
	esac
	return 1
}

# sd_stop: poweroff (SIGRTMIN+4 to a container's PID 1), wait for the
# sandbox to end, then remove the cgroup subtree bottom-up.
sd_stop() {
	local p u
	if [ -s "${SD_W:-/nonexistent}/pid1" ]; then
		p=$(_sd_pid1)
		u=$(cat "$SD_W/unshare.pid")
		if [ -n "$p" ] && [ -d "/proc/$p" ]; then
			# Poweroff takes a second here, ten and more under CI's load.
			kill -s RTMIN+4 "$p" 2>/dev/null
			for _ in $(seq 600); do [ -d "/proc/$u" ] || break; sleep 0.05; done
			if [ -d "/proc/$u" ]; then
				echo "# sandbox poweroff timed out: SIGKILL to its PID 1"
				kill -9 "$p" 2>/dev/null
				for _ in $(seq 200); do [ -d "/proc/$u" ] || break; sleep 0.05; done
			fi
		fi
		: >"$SD_W/pid1"
	fi
	# A cgroup emptied a moment ago can still be busy: retry, 10 s at most.
	for _ in $(seq 200); do
		[ -n "${SD_CG:-}" ] && [ -d "$SD_CG" ] || return 0
		find "$SD_CG" -depth -type d -exec rmdir {} \; 2>/dev/null
		sleep 0.05
	done
	echo "# warning: $SD_CG still exists"
	return 1
}

# sd_stopped: stops the sandbox; succeeds when nothing is left: its
# processes (the unshare that holds its PID namespace) and cgroup subtree.
sd_stopped() {
	local u
	u=$(cat "$SD_W/unshare.pid")
	sd_stop && [ ! -e "$SD_CG" ] && [ ! -d "/proc/$u" ]
}

# Run as a program: the stages inside the new namespaces.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -u
	case ${1:-} in
	stage1)
		# PID 1 of the new PID namespace, still in the host's cgroup
		# namespace: into the private subtree, then a cgroup namespace
		# rooted at it for systemd.
		echo 0 >"$SD_CG/cgroup.procs" || exit 1
		exec unshare --cgroup bash "$0" stage2 ;;
	stage2)
		_sd_stage2
		echo "stage2 failed" >&2
		exit 1 ;;
	*) echo "usage: sourced by a test; stage1|stage2 internally" >&2; exit 2 ;;
	esac
fi

# sd_check_common PIDS-JAIL CMD: what every systemd test checks after its
# own jails: no failed unit and nothing at priority err; terminate-user
# ends alice's jailed login and her manager; carol, in PIDS-JAIL (a
# private_pids jail), logs in inside a session scope and a PID namespace of
# her own, gets no user manager (the module refuses it, saying why, so
# `systemd-run --user CMD` has no bus to reach), and terminate-session and
# terminate-user end her logins.
sd_check_common() {
	local jail=$1 cmd=$2 pid mgr sess
	# nothing failed
	output_is "no failed unit" "" sd systemctl --failed --no-legend
	output_is "nothing at priority err in the journal" "" sd_journal_err

	# terminate-user ends every process of the user, the manager too
	pid=$(sd_login_bg alice)
	mgr=$(sd_manager alice)
	ok "a second login of alice runs, with her manager" test -n "$pid" -a -n "$mgr"
	ok "... in a session scope" sd_in_scope "$pid"
	ok "loginctl terminate-user alice" sd loginctl terminate-user alice
	ok "her jailed login and her manager have ended" sd_gone "$pid" "$mgr"
	fails "no process of alice's is left" sd pgrep -u alice

	# private_pids: the login works, the user manager is refused
	pid=$(sd_login_bg carol)
	sess=$(sd_scope "$pid")
	ok "private_pids: the jailed process is in a session scope ($sess)" test -n "$sess"
	output_is "private_pids: the session has a PID namespace of its own" yes \
		sd sh -c "[ -n '$pid' ] && [ \$(readlink /proc/$pid/ns/pid) != \$(readlink /proc/1/ns/pid) ] && echo yes"
	ok "private_pids: the module refuses the user manager, saying why" \
		sd_journal_has "pam_nsjail(systemd-user:session): user=carol service=systemd-user jail=$jail: private_pids:"
	fails "private_pids: no user manager of carol's runs (never unjailed)" \
		sd systemctl -q is-active user@2002.service
	output_contains "private_pids: systemd-run --user has no manager to reach" "Failed to connect to bus" \
		sd_su carol "systemd-run --user --quiet --wait --pipe --collect $cmd"
	ok "private_pids: loginctl terminate-session $sess" sd loginctl terminate-session "$sess"
	ok "private_pids: the jailed process has ended" sd_gone "$pid"
	pid=$(sd_login_bg carol)
	ok "private_pids: a second login is in a session scope too" sd_in_scope "$pid"
	ok "private_pids: loginctl terminate-user carol" sd loginctl terminate-user carol
	ok "private_pids: the jailed process has ended" sd_gone "$pid"
	fails "private_pids: no process of carol's is left" sd pgrep -u carol
}
