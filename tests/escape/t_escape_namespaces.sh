#!/bin/bash
# restrict_namespaces = true: a jailed session makes no namespace of any
# kind and enters none. Most public kernel exploits of recent years start
# with an unprivileged user namespace; a namespace the user makes is also
# one `nsjailctl status`/`stop` no longer see into. Every door is tried
# (tests/helpers/nsprobe.c): unshare, clone with CLONE_NEWUSER, clone3
# (ENOSYS: libc falls back to clone), setns into a user namespace of her
# own made outside the jail, and unshare/clone/setns through the i386 ABI
# (int $0x80) and x32; plus util-linux unshare -Urm / -Urn and python3
# (ctypes). Through su and sshd (shell, exec, sftp), in a hidden-path jail,
# a tmpfs-root jail and a shared jail (built, then joined); cron in
# t_isolation_cron.sh. Ordinary
# programs still run: fork, a threaded C program, bash, python3 threads.
# Controls: erin's jail without the key and unjailed bob, where every
# attempt works.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
nsj_require esc_cc "$T/bin/nsprobe" nsprobe.c -static -pthread
mkdir -p /srv/secret && echo "top secret" >/srv/secret/data
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "rns"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; restrict_namespaces = true; },
  { name = "rns-root"; users = [ "carol" ]; root = "tmpfs"; bind_ro = [ "/usr" ];
    bind = [ "/home/%u" ]; restrict_namespaces = true; },
  { name = "rns-shared"; users = [ "dave" ]; inaccessible = [ "/srv/secret" ]; shared = true;
    restrict_namespaces = true; },
  { name = "plain"; users = [ "erin" ]; inaccessible = [ "/srv/secret" ]; }
);
EOF2

# A user namespace of each user's own, made outside any jail (no PAM): the
# setns target. Its owner may enter it, unless the filter says no.
# (A copy of sleep by another name: esc_session looks for the user's sleep.)
cp /bin/sleep "$T/bin/nsholder"
declare -A USERNS holder
for u in alice carol dave erin bob; do
	install -m 0755 -o root -g root "$T/bin/nsprobe" "/home/$u/nsprobe"
	setpriv --reuid="$u" --regid="$(id -g "$u")" --clear-groups unshare -U "$T/bin/nsholder" 600 &
	nsj_at_exit "kill $!"
	USERNS[$u]=/home/$u/userns
	holder[$u]=$!
done
sleep 0.3
# The namespace by a name in her home, which every jail here shows: a
# shared jail is a PID namespace of its own, where /proc/PID of a process
# outside does not exist.
for u in alice carol dave erin bob; do
	touch "/home/$u/userns"
	nsj_require mount --bind "/proc/${holder[$u]}/ns/user" "/home/$u/userns"
done

# Every attempt, one line each; PYNS is python3's unshare (ctypes).
PYNS='import ctypes, os; r = ctypes.CDLL(None, use_errno=True).unshare(0x10000000); print("python3 unshare: " + ("ok" if r == 0 else os.strerror(ctypes.get_errno())))'
PYTHREADS='import threading; t = threading.Thread(target=print, args=("python3 threads: ok",)); t.start(); t.join()'
attempts() { # USER: the commands her shell runs
	local p=/home/$1/nsprobe
	echo "for m in unshare clone clone3 clone3-user i386 i386-clone x32 fork threads; do $p \$m; done;" \
		"$p setns ${USERNS[$1]}; $p i386-setns ${USERNS[$1]};" \
		"unshare -Urm true 2>/dev/null && echo 'unshare -Urm: ok' || echo 'unshare -Urm: failed';" \
		"unshare -Urn true 2>/dev/null && echo 'unshare -Urn: ok' || echo 'unshare -Urn: failed';" \
		"python3 -c '$PYNS'; python3 -c '$PYTHREADS';" \
		"bash -c 'echo bash \$(echo ok | cat)'"
}
restricted() { # WHO FILE: every attempt failed, every ordinary program ran
	local f=$2
	for m in unshare clone setns i386 i386-clone i386-setns; do
		ok "$1: $m fails with EPERM" grep -qx "nsprobe $m: EPERM" "$f"
	done
	ok "$1: clone3 fails with ENOSYS (libc falls back to clone)" grep -qx "nsprobe clone3: ENOSYS" "$f"
	ok "$1: clone3 with CLONE_NEWUSER fails with ENOSYS" grep -qx "nsprobe clone3-user: ENOSYS" "$f"
	ok "$1: x32 unshare fails (EPERM; ENOSYS on a kernel without x32)" grep -Eqx "nsprobe x32: (EPERM|ENOSYS)" "$f"
	ok "$1: unshare -Urm fails" grep -qx "unshare -Urm: failed" "$f"
	ok "$1: unshare -Urn fails" grep -qx "unshare -Urn: failed" "$f"
	ok "$1: python3's unshare fails with EPERM" grep -qx "python3 unshare: Operation not permitted" "$f"
	ok "$1: fork works" grep -qx "nsprobe fork: ok" "$f"
	ok "$1: a threaded C program works" grep -qx "nsprobe threads: ok" "$f"
	ok "$1: python3 threads work" grep -qx "python3 threads: ok" "$f"
	ok "$1: bash (a pipe, a command substitution) works" grep -qx "bash ok" "$f"
}
unrestricted() {
	local f=$2
	for m in unshare clone clone3 clone3-user i386 i386-clone setns i386-setns fork threads; do
		ok "control: $1: $m works" grep -qx "nsprobe $m: ok" "$f"
	done
	ok "control: $1: unshare -Urm works" grep -qx "unshare -Urm: ok" "$f"
	ok "control: $1: python3's unshare works" grep -qx "python3 unshare: ok" "$f"
}
run_su() { _nsj_run as_user "$1" "$(attempts "$1")"; cp "$T/out" "$T/su.$1"; sed "s/^/#   su $1: /" "$T/su.$1"; }

# --- su -------------------------------------------------------------------
for u in bob erin; do
	run_su $u
	unrestricted "su $u" "$T/su.$u"
done
ok "control: bob is not jailed" nsj_syslog_grep "user=bob service=su: not jailed"
for u in alice carol dave; do
	nsj_syslog_mark
	run_su $u
	ok "su $u: the session was jailed" nsj_syslog_grep "user=$u service=su rhost=- tty=[^ ]+ jail=rns"
	restricted "su $u" "$T/su.$u"
done
# A shared jail joined: dave's first login stays, the second joins it.
esc_session dave
nsj_syslog_mark
run_su dave
ok "su dave: the second login joined the live shared jail" nsj_syslog_grep "user=dave .*shared=joined"
restricted "su dave (joined)" "$T/su.dave"
esc_end_session

# --- sshd: shell on a pty, exec, sftp ---------------------------------------------
nsj_require nsj_sshd_start
for u in alice carol dave erin; do
	_nsj_run nsj_ssh "$u" "$(attempts "$u")"
	cp "$T/out" "$T/ssh.$u"
	case $u in erin) unrestricted "ssh $u" "$T/ssh.$u" ;; *) restricted "ssh $u" "$T/ssh.$u" ;; esac
done
ssh_tt() { nsj_ssh "$1" "$2" -tt </dev/null | tr -d '\r'; }
for u in alice carol; do
	output_is "ssh -tt $u: unshare from a pty shell fails with EPERM" "nsprobe unshare: EPERM" \
		ssh_tt "$u" "/home/$u/nsprobe unshare"
done
# sftp (internal-sftp: no shell, no exec): the session's process, sshd's
# child as the user, carries the namespace filter next to the terminal's.
sftp_filters() { # USER: Seccomp_filters of her sftp session's process
	local pid n bg
	rm -f "$T/sftp.in"; mkfifo "$T/sftp.in"
	timeout 60 sftp $(nsj_ssh_opts "$1") -P "$NSJ_SSH_PORT" -b "$T/sftp.in" "$1@127.0.0.1" >"$T/sftp.out" 2>&1 &
	bg=$!
	exec 7>"$T/sftp.in"
	echo "ls -a /home/$1" >&7
	for _ in $(seq 100); do grep -q "marker-$1" "$T/sftp.out" && break; sleep 0.05; done
	pid=$(pgrep -u "$1" -n -x sshd)
	n=$(sed -n 's/^Seccomp_filters:[[:space:]]*//p' "/proc/$pid/status")
	exec 7>&-
	wait "$bg"
	grep -q "marker-$1" "$T/sftp.out" && echo "$n"
}
output_is "sftp alice: the session works, under both filters (terminal, namespaces)" 2 sftp_filters alice
output_is "control: sftp erin: under the terminal filter only" 1 sftp_filters erin

# --- nsjailctl run ------------------------------------------------------------------
CTL=("$NSJ_BUILD/nsjailctl" run -c "$T/nsjail.conf" --helper "$NSJ_HELPER")
output_contains "nsjailctl run alice: unshare fails with EPERM" "nsprobe unshare: EPERM" "${CTL[@]}" alice -- /home/alice/nsprobe unshare
output_contains "nsjailctl run carol: setns fails with EPERM" "nsprobe setns: EPERM" "${CTL[@]}" carol -- /home/carol/nsprobe setns "${USERNS[carol]}"
output_is "control: nsjailctl run erin: unshare works" "nsprobe unshare: ok" "${CTL[@]}" erin -- /home/erin/nsprobe unshare
output_contains "explain alice: the plan says restrict_namespaces" "isolation: restrict_namespaces" \
	"$NSJ_BUILD/nsjailctl" explain -c "$T/nsjail.conf" -s su alice
