# shellcheck shell=bash
# Shared harness of the integration and escape tests. Sourced by every
# tests/{integration,escape}/t_*.sh, which run as root inside the sandbox made
# by tests/lib/run-sandboxed.sh (private mount, PID and network namespaces,
# fresh /tmp and /run): nothing done here is visible on the host.
#
#   nsj_setup                 test users, homes, PAM stacks, syslog listener
#   nsj_config <<EOF          writes $T/nsjail.conf (root:root 0644)
#   nsj_dropin NAME <<EOF     writes $T/nsjail.d/NAME (include_dir drop-in)
#   ok / fails / status_is / output_is / output_contains / output_lacks /
#   skip / pass / fail / nsj_require
#   as_user USER CMD          real su(1) through the "su" PAM stack
#   pam_rc USER [SERVICE]     pamtester open+close: success|ignore|session_err|error:...
#   nsj_syslog_grep PATTERN   what the module logged (syslog(3) -> /dev/log)
#   nsj_sshd_start / nsj_ssh USER CMD / nsj_sshd_stop
#   nsj_sshd_wait PORT PIDFILE LOG  until another sshd listens
#
# Output is TAP-like ("ok N - desc", "not ok N - desc", "# diagnostics") and
# ends with "N passed, N failed, N skipped"; the exit status is non-zero when
# anything failed or nothing was tested.

NSJ_SRC=${NSJ_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
NSJ_BUILD=${NSJ_BUILD:-$NSJ_SRC/build}
NSJ_TEST_NAME=${NSJ_TEST_NAME:-$(basename "$0" .sh)}
# The module line of every test stack; NSJ_PAM_MODULE=pam_permit.so checks
# the harness itself without the product.
NSJ_PAM_MODULE=${NSJ_PAM_MODULE:-$NSJ_BUILD/pam_nsjail.so}
NSJ_HELPER=${NSJ_HELPER:-$NSJ_BUILD/nsjail-helper}
NSJ_PAM_DEBUG=${NSJ_PAM_DEBUG-1}
# An ASan+UBSan build (-DNSJAIL_SANITIZE=ON, read from its CMakeCache, or
# NSJ_SANITIZE=1): see _nsj_sanitize_setup.
if [ -z "${NSJ_SANITIZE:-}" ]; then
	NSJ_SANITIZE=0
	grep -qs '^NSJAIL_SANITIZE:BOOL=ON$' "$NSJ_BUILD/CMakeCache.txt" && NSJ_SANITIZE=1
fi
export NSJ_PASSWORD=${NSJ_PASSWORD:-nsjTest-pw1}
# name uid primary-group-name primary-gid supplementary-groups
NSJ_USERS=${NSJ_USERS:-"alice:2001:alice:2001:
carol:2002:carol:2002:contractors
bob:2003:bob:2003:
dave:2004:sftponly:2100:
erin:2005:erin:2005:"}
NSJ_GROUPS=${NSJ_GROUPS-"contractors:2101 sftponly:2100"}

# Assertions run commands that are meant to fail.
set +e +o pipefail
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

_nsj_pass=0
_nsj_fail=0
_nsj_skip=0
_nsj_n=0
_nsj_cleanups=()
T=

if [ "$(id -u)" -ne 0 ]; then
	echo "# $NSJ_TEST_NAME: SKIP: needs root" >&2
	exit 77
fi
if [ -z "${NSJ_WORK:-}" ] && [ -z "${NSJ_ALLOW_UNSANDBOXED:-}" ]; then
	# Refuse to bind-mount over /etc on the real host by accident.
	echo "# $NSJ_TEST_NAME: run me through tests/lib/run-sandboxed.sh" >&2
	exit 2
fi

# ---------------------------------------------------------------- results

_nsj_diag() { sed 's/^/#   /'; }

pass() {
	_nsj_n=$((_nsj_n + 1)); _nsj_pass=$((_nsj_pass + 1))
	echo "ok $_nsj_n - $1"
}

fail() {
	_nsj_n=$((_nsj_n + 1)); _nsj_fail=$((_nsj_fail + 1))
	echo "not ok $_nsj_n - $1"
	shift
	if [ $# -gt 0 ]; then printf '%s\n' "$@" | _nsj_diag; fi
}

skip() {
	_nsj_n=$((_nsj_n + 1)); _nsj_skip=$((_nsj_skip + 1))
	echo "ok $_nsj_n - $1 # SKIP ${2:-}"
}

# Runs CMD..., leaving stdout in $T/out, stderr in $T/err, status in $NSJ_RC.
_nsj_run() {
	local out=${T:-/tmp}/out err=${T:-/tmp}/err
	"$@" >"$out" 2>"$err" </dev/null
	NSJ_RC=$?
	NSJ_OUT=$(cat "$out")
	NSJ_ERR=$(cat "$err")
}

_nsj_show() {
	echo "command: $*"
	echo "status:  $NSJ_RC"
	[ -n "$NSJ_OUT" ] && { echo "stdout:"; printf '%s\n' "$NSJ_OUT" | sed 's/^/  /'; }
	[ -n "$NSJ_ERR" ] && { echo "stderr:"; printf '%s\n' "$NSJ_ERR" | sed 's/^/  /'; }
	return 0
}

# ok "desc" CMD...: passes when CMD exits 0.
ok() {
	local desc=$1; shift
	_nsj_run "$@"
	if [ "$NSJ_RC" -eq 0 ]; then pass "$desc"
	else fail "$desc" "$(_nsj_show "$@")"; fi
}

# fails "desc" CMD...: passes when CMD exits non-zero.
fails() {
	local desc=$1; shift
	_nsj_run "$@"
	if [ "$NSJ_RC" -ne 0 ]; then pass "$desc"
	else fail "$desc" "expected a failure" "$(_nsj_show "$@")"; fi
}

# output_is "desc" EXPECTED CMD...: CMD's stdout equals EXPECTED (trailing
# newlines ignored) and CMD exits 0.
output_is() {
	local desc=$1 want=$2; shift 2
	_nsj_run "$@"
	if [ "$NSJ_RC" -eq 0 ] && [ "$NSJ_OUT" = "$want" ]; then pass "$desc"
	else fail "$desc" "expected stdout: $want" "$(_nsj_show "$@")"; fi
}

# output_contains "desc" TEXT CMD...: stdout+stderr of CMD contains TEXT
# (a fixed string), whatever CMD's status.
output_contains() {
	local desc=$1 want=$2; shift 2
	_nsj_run "$@"
	if grep -qF -- "$want" "$T/out" "$T/err"; then pass "$desc"
	else fail "$desc" "expected output containing: $want" "$(_nsj_show "$@")"; fi
}

# output_lacks "desc" TEXT CMD...: CMD exits 0 and its stdout+stderr do not
# contain TEXT.
output_lacks() {
	local desc=$1 bad=$2; shift 2
	_nsj_run "$@"
	if [ "$NSJ_RC" -eq 0 ] && ! grep -qF -- "$bad" "$T/out" "$T/err"; then pass "$desc"
	else fail "$desc" "expected status 0 and no: $bad" "$(_nsj_show "$@")"; fi
}

# status_is "desc" N CMD...: CMD exits with status N.
status_is() {
	local desc=$1 want=$2; shift 2
	_nsj_run "$@"
	if [ "$NSJ_RC" -eq "$want" ]; then pass "$desc"
	else fail "$desc" "expected status $want" "$(_nsj_show "$@")"; fi
}

# nsj_require CMD...: stops the test (as a failure) when a precondition of the
# harness does not hold; later assertions would only mislead.
nsj_require() {
	_nsj_run "$@"
	if [ "$NSJ_RC" -ne 0 ]; then
		fail "harness precondition: $*" "$(_nsj_show "$@")"
		exit 1
	fi
}

_nsj_finish() {
	local rc=$? i
	trap - EXIT
	for ((i = ${#_nsj_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_nsj_cleanups[$i]}" >/dev/null 2>&1 || true
	done
	_nsj_sanitize_check
	if [ "$_nsj_fail" -gt 0 ] && [ -n "$T" ] && [ -s "$T/syslog" ]; then
		echo "# last syslog lines:"
		tail -n 25 "$T/syslog" | _nsj_diag
	fi
	if [ "$_nsj_fail" -gt 0 ] && [ -n "$T" ] && [ -s "$T/sshd.log" ]; then
		echo "# last sshd log lines:"
		tail -n 25 "$T/sshd.log" | _nsj_diag
	fi
	echo "1..$_nsj_n"
	echo "# $NSJ_TEST_NAME: $_nsj_pass passed, $_nsj_fail failed, $_nsj_skip skipped"
	if [ "$_nsj_fail" -gt 0 ]; then exit 1; fi
	if [ "$rc" -ne 0 ]; then echo "# exited early with status $rc"; exit "$rc"; fi
	if [ "$_nsj_pass" -eq 0 ]; then
		if [ "$_nsj_skip" -gt 0 ]; then exit 77; fi
		echo "# no test ran"; exit 1
	fi
	exit 0
}
trap _nsj_finish EXIT
trap 'exit 130' INT TERM

nsj_at_exit() { _nsj_cleanups+=("$1"); }

# ---------------------------------------------------------------- setup

_nsj_hash() {
	openssl passwd -6 -salt nsjtestsalt "$1"
}

# Test users: copies of passwd/group/shadow with the users appended,
# bind-mounted over /etc; homes on a tmpfs /home; fixtures on a tmpfs /srv.
_nsj_users() {
	local hash line name uid gname gid sup g gn gg members
	hash=$(_nsj_hash "$NSJ_PASSWORD") || return 1
	mkdir -p "$T/etc"
	cp -p /etc/passwd /etc/group /etc/shadow "$T/etc/"
	[ -e /etc/gshadow ] && cp -p /etc/gshadow "$T/etc/"
	while IFS=: read -r name uid gname gid sup; do
		[ -n "$name" ] || continue
		echo "$name:x:$uid:$gid:nsjail test user $name:/home/$name:/bin/bash" >>"$T/etc/passwd"
		echo "$name:$hash:19000:0:99999:7:::" >>"$T/etc/shadow"
		if [ "$gname" = "$name" ]; then
			echo "$name:x:$gid:" >>"$T/etc/group"
			[ -e "$T/etc/gshadow" ] && echo "$name:!::" >>"$T/etc/gshadow"
		fi
	done <<<"$NSJ_USERS"
	for g in $NSJ_GROUPS; do
		gn=${g%%:*}; gg=${g##*:}
		members=$(while IFS=: read -r name uid gname gid sup; do
			case ",$sup," in *",$gn,"*) printf '%s,' "$name" ;; esac
		done <<<"$NSJ_USERS")
		echo "$gn:x:$gg:${members%,}" >>"$T/etc/group"
		[ -e "$T/etc/gshadow" ] && echo "$gn:!::${members%,}" >>"$T/etc/gshadow"
	done
	for f in passwd group shadow gshadow; do
		[ -e "$T/etc/$f" ] || continue
		mount --bind "$T/etc/$f" "/etc/$f" || return 1
	done
	mount -t tmpfs -o mode=0755 nsjtest-home /home || return 1
	mount -t tmpfs -o mode=0755 nsjtest-srv /srv || return 1
	while IFS=: read -r name uid gname gid sup; do
		[ -n "$name" ] || continue
		mkdir -m 0755 "/home/$name"
		echo "home of $name" >"/home/$name/.marker-$name"
		chown -R "$uid:$gid" "/home/$name"
	done <<<"$NSJ_USERS"
}

# The PAM line under test, e.g. "session required /b/pam_nsjail.so config=..";
# NSJ_PAM_ARGS (set before nsj_setup) is appended, e.g. "exempt=erin,@ops".
nsj_pam_line() {
	local ctl=${1:-required}
	if [ "$(basename "$NSJ_PAM_MODULE")" = pam_nsjail.so ]; then
		echo "session $ctl $NSJ_PAM_MODULE config=$T/nsjail.conf helper=$NSJ_HELPER${NSJ_PAM_DEBUG:+ debug}${NSJ_PAM_ARGS:+ $NSJ_PAM_ARGS}"
	else
		echo "session $ctl $NSJ_PAM_MODULE"
	fi
}

# A copy of /etc/pam.d bind-mounted over it: the distribution's stacks with
# the module appended LAST (as the README tells administrators), and
# "nsjtest" for pamtester, which tells PAM_IGNORE from PAM_SUCCESS.
_nsj_pam() {
	local svc f
	cp -a /etc/pam.d "$T/pam.d" || return 1
	for svc in su su-l runuser runuser-l sshd login cron sudo sudo-i; do
		f=$T/pam.d/$svc
		# sudo's stacks only where sudo is installed (a test dependency).
		case $svc in sudo|sudo-i) [ -e "$f" ] || continue ;; esac
		if [ ! -e "$f" ]; then
			case $svc in
			su|runuser) printf 'auth sufficient pam_rootok.so\n@include common-account\nsession required pam_unix.so\n' >"$f" ;;
			*) printf '@include common-auth\n@include common-account\n@include common-session\n' >"$f" ;;
			esac
		fi
		# su-l and runuser-l take their session stack from su/runuser
		# (and a sudo-i may `@include sudo`): appending there too would
		# run the module twice.
		if grep -Eq '^[[:space:]]*(session[[:space:]]+(include|substack)[[:space:]]|@include[[:space:]]+(su|sudo|runuser)[[:space:]]*$)' "$f"; then
			continue
		fi
		{ echo; echo "# pam_nsjail test: last among session modules"; nsj_pam_line; } >>"$f"
	done
	# pam_motd runs update-motd.d as root at every ssh login and prints a
	# banner into every remote command's stderr: noise for the tests.
	sed -i 's/^\([^#].*pam_motd\.so\)/# \1/' "$T/pam.d/sshd"
	cat >"$T/bin/pam-mark" <<EOF
#!/bin/sh
echo "\$1" >"$T/pam-mark"
EOF
	chmod 0755 "$T/bin/pam-mark"
	cat >"$T/pam.d/nsjtest" <<EOF
# pamtester stack of the pam_nsjail tests. The module's PAM_IGNORE runs
# pam-mark (in the caller's namespace); PAM_SUCCESS skips it; an error ends
# the stack with the module's return value.
auth required pam_permit.so
account required pam_permit.so
session required pam_unix.so
$(nsj_pam_line "[success=1 ignore=ignore default=die]")
session optional pam_exec.so type=open_session quiet $T/bin/pam-mark ignore
EOF
	mount --bind "$T/pam.d" /etc/pam.d
}

# ---------------------------------------------------------------- sanitizers

# Under NSJ_SANITIZE=1 the module (built with ASan) is loaded into su, sshd,
# pamtester, login and cron, which are not: the ASan runtime must come first
# in their link order, so wrappers preload it into those programs only
# (preloading it everywhere deadlocks some, e.g. logger): in $T/sanitizer/bin,
# first in PATH, and for sshd, which tests start by its absolute path, bound
# over /usr/sbin/sshd in the sandbox (sshd never runs inside a jail).
# su and runuser get it through the dynamic loader (--preload), so it does
# not reach the commands they run.
# A program started another way still works, with weaker checks
# (verify_asan_link_order=0). Leak detection is off for those programs
# (their allocations are not ours) but on for our own: nsjailctl and the
# tests' C callers (ASan reads $T/sanitizer/opts/%b, %b = the program's
# name), the unit tests (run by ctest, not here) and the helper (started
# with an empty environment: ASan's defaults). Every report of a program
# with the options above lands in $T/sanitizer/log and fails the test in
# _nsj_finish; the helper's stderr is /dev/null, so a helper's sanitizer
# error shows as a failed session.
_nsj_sanitize_setup() {
	local cc rt prog real ld
	cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$NSJ_BUILD/CMakeCache.txt" 2>/dev/null)
	cc=${cc:-cc}
	case $("$cc" --version 2>/dev/null | head -n 1) in
	*clang*) rt=$("$cc" -print-file-name="libclang_rt.asan-$(uname -m).so") ;;
	*) rt=$("$cc" -print-file-name=libasan.so) ;;
	esac
	rt=$(readlink -f "$rt")
	[ -e "$rt" ] || { echo "no ASan runtime found for $cc" >&2; return 1; }
	NSJ_SANITIZE_CC=$cc
	mkdir -p -m 0755 "$T/sanitizer/opts" "$T/sanitizer/bin" "$T/sanitizer/real"
	mkdir -p -m 0777 "$T/sanitizer/log" # jailed users' processes report too
	echo detect_leaks=1 >"$T/sanitizer/opts/nsjailctl"
	export ASAN_OPTIONS="detect_leaks=0:verify_asan_link_order=0:log_path=$T/sanitizer/log/asan:include_if_exists=$T/sanitizer/opts/%b"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$T/sanitizer/log/ubsan"
	# libcrypt too: ASan's crypt() interceptor binds the real crypt when the
	# runtime starts; pam_unix brings libcrypt in later (dlopen), and login's
	# password check would then call a NULL pointer.
	NSJ_SANITIZE_PRELOAD="$rt libcrypt.so.1"
	for prog in su runuser login pamtester cron sshd expect; do
		real=$(command -v "$prog") || continue
		if [ "$prog" = sshd ]; then
			: >"$T/sanitizer/real/sshd"
			mount --bind "$real" "$T/sanitizer/real/sshd" || return 1
		fi
		if [ "$prog" = sshd ]; then
			printf '#!/bin/sh\nexport LD_PRELOAD="%s"\nexec %s "$@"\n' "$NSJ_SANITIZE_PRELOAD" \
				"$T/sanitizer/real/sshd" >"$T/sanitizer/sshd"
			chmod 0755 "$T/sanitizer/sshd"
			mount --bind "$T/sanitizer/sshd" "$real" || return 1
			continue
		fi
		case $prog in
		su|runuser)
			# They hand their environment to the user's command: preload
			# through the dynamic loader instead, so LD_PRELOAD is not in
			# it (procps' ps deadlocks with the ASan runtime preloaded).
			ld=$(ldd "$real" | awk '$1 ~ /\/ld-linux/ { print $1; exit }')
			[ -x "$ld" ] || { echo "no dynamic loader found for $real" >&2; return 1; }
			printf '#!/bin/sh\nexec %s --preload "%s" %s "$@"\n' "$ld" \
				"$NSJ_SANITIZE_PRELOAD" "$real" >"$T/sanitizer/bin/$prog" ;;
		*)
			printf '#!/bin/sh\nexport LD_PRELOAD="%s"\nexec %s "$@"\n' \
				"$NSJ_SANITIZE_PRELOAD" "$real" >"$T/sanitizer/bin/$prog" ;;
		esac
		chmod 0755 "$T/sanitizer/bin/$prog"
	done
	export PATH="$T/sanitizer/bin:$PATH"
}

# Fails the test when any sanitizer report was written.
_nsj_sanitize_check() {
	local f
	[ "$NSJ_SANITIZE" = 1 ] && [ -n "$T" ] && [ -d "$T/sanitizer/log" ] || return 0
	for f in "$T"/sanitizer/log/*; do
		[ -s "$f" ] || continue
		fail "no sanitizer report (${f##*/})" "$(head -n 60 "$f")"
	done
}

nsj_setup() {
	local base=${NSJ_WORK:-}
	if [ -z "$base" ]; then base=$(mktemp -d /tmp/nsjtest.XXXXXX) || exit 1; fi
	T=$base
	export T
	chmod 0755 "$T"
	mkdir -p "$T/bin" "$T/nsjail.d"
	chmod 0755 "$T/nsjail.d"
	nsj_require _nsj_users
	[ "$NSJ_SANITIZE" = 1 ] && nsj_require _nsj_sanitize_setup
	nsj_require _nsj_pam
	nsj_config <<<'version = 1;'
	nsj_syslog_start || echo "# warning: no syslog listener; syslog checks will fail"
	if [ "$(basename "$NSJ_PAM_MODULE")" = pam_nsjail.so ]; then
		[ -e "$NSJ_PAM_MODULE" ] || echo "# warning: $NSJ_PAM_MODULE not built"
		[ -e "$NSJ_HELPER" ] || echo "# warning: $NSJ_HELPER not built"
	fi
	cd "$T" || exit 1
}

# nsj_config <<EOF: the configuration under test, root-owned and 0644.
nsj_config() {
	cat >"$T/nsjail.conf"
	chown root:root "$T/nsjail.conf"
	chmod 0644 "$T/nsjail.conf"
}

# nsj_dropin NAME <<EOF: a drop-in in $T/nsjail.d (use it as include_dir).
nsj_dropin() {
	cat >"$T/nsjail.d/$1"
	chown root:root "$T/nsjail.d/$1"
	chmod 0644 "$T/nsjail.d/$1"
}

# nsj_make_root DIR: an empty root-owned jail root an administrator would
# make: mount points and the merged-/usr links of the host, nothing else.
nsj_make_root() {
	local d=$1 l
	mkdir -p -m 0755 "$d"
	(cd "$d" && mkdir -m 0755 proc sys dev etc usr home && mkdir -m 1777 tmp) || return 1
	for l in bin sbin lib lib32 lib64 libx32; do
		if [ -L "/$l" ]; then ln -s "$(readlink "/$l")" "$d/$l"; fi
	done
	chown -R root:root "$d"
}

# ---------------------------------------------------------------- sessions

# as_user USER CMD: CMD run by /bin/sh as USER through the real su(1) and
# the "su" PAM stack.
# nsj_prog PID: the name of the program PID runs; under the sanitizer's
# loader wrapper (su, runuser) the program ld.so was asked to run.
nsj_prog() {
	local comm
	comm=$(cat "/proc/$1/comm") || return 1
	case $comm in
	ld-linux*) basename "$(tr '\0' '\n' <"/proc/$1/cmdline" | sed -n 4p)" ;;
	*) echo "$comm" ;;
	esac
}

as_user() {
	su -s /bin/sh "$1" -c "$2"
}

# pam_rc USER [SERVICE]: open and close a session with pamtester; prints
# success (the module joined a jail), ignore (PAM_IGNORE), session_err
# (PAM_SESSION_ERR) or error:MESSAGE. Exit status 0 unless pamtester is
# missing. Only the "nsjtest" service can tell ignore from success; for
# other services a successful session prints "ok".
pam_rc() {
	local user=$1 svc=${2:-nsjtest} out rc
	rm -f "$T/pam-mark"
	out=$(pamtester -v "$svc" "$user" open_session close_session 2>&1 </dev/null)
	rc=$?
	if [ $rc -eq 0 ]; then
		if [ "$svc" != nsjtest ]; then echo ok
		elif [ -e "$T/pam-mark" ]; then echo ignore
		else echo success; fi
	elif grep -q "Cannot make/remove an entry for the specified session" <<<"$out"; then
		echo session_err
	else
		echo "error:$(tail -n 1 <<<"$out")"
	fi
}

# A mount table without the per-open-fd noise: what tests compare.
nsj_mounts() { cat "/proc/${1:-self}/mountinfo"; }

# ---------------------------------------------------------------- syslog

# A tiny syslog on /dev/log: the sandbox's /dev becomes a tmpfs holding
# copies of the host's device nodes and binds of its directories (pts, shm),
# plus a datagram socket read by a python3 listener into $T/syslog.
nsj_syslog_start() {
	local py e name
	py=$(command -v /usr/bin/python3 python3 | head -n 1)
	[ -n "$py" ] || return 1
	if [ ! -S /dev/log ]; then
		mkdir -p "$T/olddev"
		mount --rbind /dev "$T/olddev" || return 1
		mount -t tmpfs -o mode=0755,size=4m nsjtest-dev /dev || return 1
		for e in "$T"/olddev/* "$T"/olddev/.[!.]*; do
			[ -e "$e" ] || [ -L "$e" ] || continue
			name=${e##*/}
			if [ -d "$e" ] && [ ! -L "$e" ]; then
				mkdir "/dev/$name" && mount --rbind "$e" "/dev/$name"
			else
				cp -a "$e" "/dev/$name"
			fi
		done
		umount -l "$T/olddev"
	fi
	rm -f /dev/log
	: >"$T/syslog"
	"$py" -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
os.chmod("/dev/log", 0o666)
out = open(sys.argv[1], "ab", buffering=0)
while True:
    d = s.recv(65536)
    out.write(d.rstrip(b"\0\n") + b"\n")
' "$T/syslog" </dev/null >/dev/null 2>&1 &
	NSJ_SYSLOG_PID=$!
	nsj_at_exit "kill $NSJ_SYSLOG_PID"
	for _ in $(seq 50); do [ -S /dev/log ] && return 0; sleep 0.05; done
	return 1
}

# nsj_syslog_grep PATTERN: lines of the syslog matching the extended regex
# (waits up to 4 s for datagrams still in flight); status as grep's.
nsj_syslog_grep() {
	local i
	for i in $(seq 40); do
		grep -E -- "$1" "$T/syslog" && return 0
		sleep 0.1
	done
	return 1
}

# syslog_contains "desc" REGEX
syslog_contains() {
	if nsj_syslog_grep "$2" >/dev/null; then pass "$1"
	else fail "$1" "no syslog line matches: $2" "syslog:" "$(tail -n 15 "$T/syslog")"; fi
}

# nsj_syslog_mark: forget what was logged so far.
nsj_syslog_mark() { : >"$T/syslog"; }

# ---------------------------------------------------------------- sshd

# nsj_sshd_start: a real /usr/sbin/sshd on 127.0.0.1:$NSJ_SSH_PORT with its
# own host key and config, public-key logins for root and every test user
# (keys in $T/ssh/id_USER, authorized in $T/keys/USER), passwords too.
nsj_sshd_start() {
	local name i
	mkdir -p -m 0755 "$T/ssh" "$T/keys"
	[ -d /run/sshd ] || { mkdir -p /run/sshd 2>/dev/null || return 1; }
	ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/host_ed25519" || return 1
	for name in root $(cut -d: -f1 <<<"$NSJ_USERS"); do
		[ -e "$T/ssh/id_$name" ] || ssh-keygen -q -t ed25519 -N '' -C "$name@nsjtest" -f "$T/ssh/id_$name" || return 1
		install -m 0644 -o root -g root "$T/ssh/id_$name.pub" "$T/keys/$name"
	done
	for i in $(seq 20); do
		NSJ_SSH_PORT=$((22000 + RANDOM % 20000))
		cat >"$T/ssh/sshd_config" <<EOF
Port $NSJ_SSH_PORT
ListenAddress 127.0.0.1
HostKey $T/ssh/host_ed25519
PidFile $T/ssh/sshd.pid
UsePAM yes
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
AuthorizedKeysFile $T/keys/%u
PermitRootLogin prohibit-password
StrictModes yes
Subsystem sftp internal-sftp
LogLevel VERBOSE
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
AcceptEnv LANG LC_*
# t_load: 32 logins at once (the default 10:30:100 drops some).
MaxStartups 128
EOF
		: >"$T/sshd.log"
		# sshd by PATH: under NSJ_SANITIZE, the wrapper that preloads ASan.
		if "$(command -v sshd || echo /usr/sbin/sshd)" -f "$T/ssh/sshd_config" -E "$T/sshd.log" &&
			nsj_sshd_wait "$NSJ_SSH_PORT" "$T/ssh/sshd.pid" "$T/sshd.log"; then
			NSJ_SSHD_PID=$(cat "$T/ssh/sshd.pid")
			nsj_at_exit nsj_sshd_stop
			return 0
		fi
		grep -q "Address already in use" "$T/sshd.log" || { cat "$T/sshd.log" >&2; return 1; }
	done
	return 1
}

# nsj_sshd_wait PORT PIDFILE LOG: sshd forks into the background BEFORE it
# binds its port, so its exit says nothing (a connection right after it was
# refused under load). Waits, 20 s at most, until the pid file is written
# (sshd does it once bound) and 127.0.0.1:PORT listens; fails at once when
# the log has a fatal error ("Cannot bind any address").
nsj_sshd_wait() {
	local re
	re=$(printf '^ *[0-9]+: 0100007F:%04X [0-9A-F]{8}:[0-9A-F]{4} 0A ' "$1")
	for _ in $(seq 400); do
		[ -s "$2" ] && grep -qE "$re" /proc/net/tcp && return 0
		grep -qs "fatal:" "$3" && return 1
		sleep 0.05
	done
	return 1
}

nsj_sshd_stop() {
	[ -n "${NSJ_SSHD_PID:-}" ] && kill "$NSJ_SSHD_PID" 2>/dev/null
	NSJ_SSHD_PID=
	return 0
}

# Common options of ssh, scp and sftp against the test sshd.
nsj_ssh_opts() {
	echo "-F /dev/null -i $T/ssh/id_$1 -o IdentitiesOnly=yes -o StrictHostKeyChecking=no" \
		"-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=60"
}

# nsj_ssh USER CMD [SSH-OPTION...]: CMD run by USER's shell over ssh.
nsj_ssh() {
	local user=$1 cmd=$2; shift 2
	# shellcheck disable=SC2046 # word splitting of the options is wanted
	ssh $(nsj_ssh_opts "$user") -p "$NSJ_SSH_PORT" "$@" "$user@127.0.0.1" "$cmd"
}

# "var" when the host has a login record file (utmp, wtmp, lastlog): every
# jail binds them (compile_records), so a root jail without a var of its
# own gets /var in its tmpfs "/" for their mount points.
nsj_record_var() {
	if [ -e /var/run/utmp ] || [ -e /var/log/wtmp ] || [ -e /var/log/lastlog ]; then
		echo var
	fi
}
