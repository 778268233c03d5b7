#!/bin/bash
# scope_ipc = true: Landlock scoping (ABI 6) of the session. A root
# service's abstract unix socket (python3 listening as root on
# "\0nsjtest-root") and one of the user's own unjailed processes answer
# unjailed bob and erin's jail without the key, but not the scoped jail
# (EPERM); a listener made inside the scoped
# session answers a client inside it. A signal from the scoped session to
# a process of the same uid outside it fails with EPERM; signals inside
# work. Through su and sshd, in a hidden-path jail and a tmpfs-root jail.
# Two logins of one shared scoped jail are scoped apart (each login is a
# Landlock domain of its own). A kernel without Landlock ABI 6 (simulated
# by tests/helpers/nolandlock.c: the ABI query fails, as on a kernel booted
# without Landlock, or answers 5, as Linux 6.10) refuses the session, with
# the reason logged.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
cc -std=gnu11 -O1 -Wall -Wextra -o "$T/bin/nolandlock" "$NSJ_SRC/tests/helpers/nolandlock.c" ||
	{ fail "harness: building nolandlock"; exit 1; }
mkdir -p /srv/secret
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "scoped"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; scope_ipc = true; },
  { name = "scoped-root"; users = [ "carol" ]; root = "tmpfs"; bind_ro = [ "/usr" ];
    bind = [ "/home/%u" ]; scope_ipc = true; },
  { name = "scoped-shared"; users = [ "dave" ]; inaccessible = [ "/srv/secret" ]; shared = true;
    scope_ipc = true; },
  { name = "plain"; users = [ "erin" ]; inaccessible = [ "/srv/secret" ]; }
);
EOF2

# The root service: answers HOST-ABS on "\0nsjtest-root" (and a TCP port).
python3 "$NSJ_SRC/tests/lib/netprobe.py" serve 7104 nsjtest-root >/dev/null 2>&1 &
nsj_at_exit "kill $!"
# Each user's own process outside any jail (no PAM): the signal target.
cp /bin/sleep "$T/bin/nsholder"
declare -A OUTSIDE
for u in alice carol dave erin bob; do
	install -m 0644 -o root -g root "$NSJ_SRC/tests/lib/netprobe.py" "/home/$u/netprobe.py"
	setpriv --reuid="$u" --regid="$(id -g "$u")" --clear-groups "$T/bin/nsholder" 600 &
	OUTSIDE[$u]=$!
	nsj_at_exit "kill $!"
	# ... and her own service outside: an abstract socket of her uid.
	setpriv --reuid="$u" --regid="$(id -g "$u")" --clear-groups \
		python3 "$NSJ_SRC/tests/lib/netprobe.py" serve 0 "nsjtest-own-$u" >/dev/null 2>&1 &
	nsj_at_exit "kill $!"
done
for _ in $(seq 50); do [ "$(python3 "$NSJ_SRC/tests/lib/netprobe.py" abs nsjtest-root)" = HOST-ABS ] && break; sleep 0.1; done

# What the session does, one line each.
KILL='import os, sys, signal
try:
    os.kill(int(sys.argv[1]), signal.SIGCONT); print(sys.argv[2] + ": ok")
except OSError as e:
    print(sys.argv[2] + ": " + os.strerror(e.errno))'
attempts() { # USER
	local np=/home/$1/netprobe.py
	echo "echo \"root socket: \$(python3 $np abs nsjtest-root)\";" \
		"python3 -c '$KILL' ${OUTSIDE[$1]} 'signal outside';" \
		"python3 $np serve 0 nsjtest-in-$1-\$\$ >/dev/null 2>&1 & p=\$!; sleep 0.5;" \
		"echo \"inside socket: \$(python3 $np abs nsjtest-in-$1-\$\$)\";" \
		"python3 -c '$KILL' \$p 'signal inside'; kill \$p && echo 'kill inside: ok';" \
		"echo \"own socket: \$(python3 $np abs nsjtest-own-$1)\""
}
scoped() { # WHO FILE
	output_is "$1: the root service's abstract socket: EPERM" "root socket: EPERM" sed -n 1p "$2"
	output_is "$1: a signal to her own process outside the jail: EPERM" "signal outside: Operation not permitted" sed -n 2p "$2"
	output_is "$1: a listener inside answers a client inside" "inside socket: HOST-ABS" sed -n 3p "$2"
	output_is "$1: a signal inside works" "signal inside: ok" sed -n 4p "$2"
	output_is "$1: kill inside works" "kill inside: ok" sed -n 5p "$2"
	output_is "$1: her own unjailed process's abstract socket: EPERM" "own socket: EPERM" sed -n 6p "$2"
}
unscoped() {
	output_is "control: $1: the root service's abstract socket answers" "root socket: HOST-ABS" sed -n 1p "$2"
	output_is "control: $1: a signal to her own process outside works" "signal outside: ok" sed -n 2p "$2"
	output_is "control: $1: a listener inside answers" "inside socket: HOST-ABS" sed -n 3p "$2"
	output_is "control: $1: her own unjailed process's abstract socket answers" "own socket: HOST-ABS" sed -n 6p "$2"
}
session() { # HOW USER
	case $1 in
	su) _nsj_run as_user "$2" "$(attempts "$2")" ;;
	ssh) _nsj_run nsj_ssh "$2" "$(attempts "$2")" ;;
	esac
	cp "$T/out" "$T/$1.$2"
	sed "s/^/#   $1 $2: /" "$T/$1.$2"
}

nsj_require nsj_sshd_start
for how in su ssh; do
	for u in bob erin; do
		session $how $u
		unscoped "$how $u" "$T/$how.$u"
	done
	for u in alice carol; do
		session $how $u
		scoped "$how $u" "$T/$how.$u"
	done
done
ok "control: bob is not jailed" nsj_syslog_grep "user=bob service=su: not jailed"
output_contains "explain alice: the plan says scope_ipc" "isolation: scope_ipc" \
	"$NSJ_BUILD/nsjailctl" explain -c "$T/nsjail.conf" -s su alice
CTL=("$NSJ_BUILD/nsjailctl" run -c "$T/nsjail.conf" --helper "$NSJ_HELPER")
output_is "nsjailctl run alice: the root service's socket: EPERM" EPERM "${CTL[@]}" alice -- python3 /home/alice/netprobe.py abs nsjtest-root
output_is "control: nsjailctl run erin: it answers" HOST-ABS "${CTL[@]}" erin -- python3 /home/erin/netprobe.py abs nsjtest-root

# --- a shared jail: each login is a domain of its own ------------------------------
timeout 120 su -s /bin/sh dave -c "exec $T/bin/nsholder 120" </dev/null >/dev/null 2>&1 &
nsj_at_exit "kill $!"
for _ in $(seq 100); do first=$(pgrep -u dave -n -x nsholder) && [ "$first" != "${OUTSIDE[dave]}" ] && break; sleep 0.05; done
# A shared jail is a PID namespace of its own: the first login's process
# by the pid the second login sees (the last NSpid).
inner=$(awk '/^NSpid:/ { print $NF }' "/proc/$first/status")
nsj_syslog_mark
output_is "shared: a second login joins dave's jail, and cannot signal the first login's process" \
	"first login: Operation not permitted" as_user dave "python3 -c '$KILL' $inner 'first login'"
ok "shared: ... it did join" nsj_syslog_grep "user=dave .*shared=joined"

# --- no Landlock ABI 6: the session is refused, with the reason ---------------------------
NOLL=$T/bin/nolandlock
output_is "control: without the key, erin logs in under nolandlock" IN "$NOLL" su -s /bin/sh erin -c 'echo IN'
nsj_syslog_mark
output_is "no ABI 6: alice's su session is refused" "" "$NOLL" sh -c "su -s /bin/sh alice -c 'echo IN' 2>/dev/null; true"
ok "no ABI 6: the log says why" nsj_syslog_grep "user=alice service=su jail=scoped: scope_ipc: Landlock is disabled on this kernel"
output_contains "no ABI 6: pamtester: the session cannot be opened" "Cannot make/remove an entry for the specified session" \
	"$NOLL" pamtester -v nsjtest alice open_session close_session
fails "no ABI 6: nsjailctl run refuses too" "$NOLL" "${CTL[@]}" alice -- true
# An older kernel: the ABI query answers 5 (Linux 6.10-6.11).
nsj_syslog_mark
output_is "ABI 5: alice's su session is refused" "" "$NOLL" --abi 5 sh -c "su -s /bin/sh alice -c 'echo IN' 2>/dev/null; true"
ok "ABI 5: the log says why" nsj_syslog_grep "user=alice service=su jail=scoped: scope_ipc: needs Landlock ABI 6 \(Linux 6.12\), this kernel has ABI 5"
output_is "control: ABI 6 answered the same way: alice logs in, scoped" "EPERM" \
	"$NOLL" --abi 6 su -s /bin/sh alice -c "python3 /home/alice/netprobe.py abs nsjtest-root"
