#!/bin/bash
# private_network = true: the session gets a network namespace of its own
# with only loopback, up. Through real su and a real sshd, hidden-path and
# tmpfs-root jails, with bob (unjailed) as the control: a TCP service of
# the host on 127.0.0.1 and an abstract Unix socket (@name) answer bob and
# not the jailed user; /proc/net lists bob's but not the jail's; loopback
# works inside; the ssh connection itself, a pty shell, sftp, scp and rsync
# work; ssh -L forwarding to the host's service fails; with private_pids
# the session's init is in the same network namespace.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<EOF2
version = 1;
jails = (
  { name = "net"; users = [ "alice" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ];
    private_network = true; },
  { name = "net-root"; users = [ "erin" ]; root = "tmpfs"; bind_ro = [ "/usr", "$T" ];
    bind = [ "/home/%u" ]; private_network = true; },
  { name = "net-pids"; users = [ "carol" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ];
    private_network = true; private_pids = true; }
);
EOF2
install -m 0644 "$NSJ_SRC/tests/lib/netprobe.py" "$T/netprobe.py"
PORT=7101
ABS=nsjtest-abs-$$
python3 "$T/netprobe.py" serve $PORT "$ABS" >/dev/null 2>&1 &
nsj_at_exit "kill $!"
for _ in $(seq 50); do grep -q "@$ABS" /proc/net/unix && break; sleep 0.1; done
nsj_require grep -q "@$ABS" /proc/net/unix
probe() { echo "python3 $T/netprobe.py $*"; }

# --- su -----------------------------------------------------------------
output_is "su bob (control): the host's TCP service answers" HOST-TCP as_user bob "$(probe tcp 127.0.0.1:$PORT)"
output_is "su bob (control): the host's abstract socket answers" HOST-ABS as_user bob "$(probe abs "$ABS")"
output_is "su bob (control): /proc/net/unix lists it" 1 as_user bob "grep -c @$ABS /proc/net/unix; true"
for u in alice erin carol; do
	output_is "su $u: the session opens" success pam_rc $u
	output_is "su $u: the host's TCP service is out of reach" ECONNREFUSED as_user $u "$(probe tcp 127.0.0.1:$PORT)"
	output_is "su $u: the host's abstract socket is out of reach" ECONNREFUSED as_user $u "$(probe abs "$ABS")"
	output_is "su $u: /proc/net/unix does not list it" 0 as_user $u "grep -c @$ABS /proc/net/unix; true"
	output_is "su $u: loopback works inside (bind and connect 127.0.0.1)" LOOPBACK-OK as_user $u "$(probe loopback)"
	output_is "su $u: the only interface is lo" lo as_user $u 'echo $(sed -n "3,\$s/:.*//p" /proc/self/net/dev)'
done
output_is "su erin (tmpfs root): its own sysfs lists only lo" lo as_user erin 'echo $(ls /sys/class/net)'
# With private_pids, /proc shows no process outside the session: no
# /proc/PID/net of the host's network namespace either.
setpriv --reuid=2002 --regid=2002 --clear-groups sleep 1009 & carol_out=$!
nsj_at_exit "kill $carol_out"
output_is "su carol (private_pids): no /proc/PID/net of her process outside" absent as_user carol "test -e /proc/$carol_out/net/unix || echo absent"
syslog_contains "the module logged the jail" "user=alice service=su rhost=[^ ]* tty=[^ ]* jail=net "

# nsjailctl: explain names the option; run builds exactly that jail.
NSJ=("$NSJ_BUILD/nsjailctl")
output_contains "explain alice: the plan says private_network" "isolation: private_network (loopback only)" "${NSJ[@]}" explain -c "$T/nsjail.conf" -s su alice
output_contains "check: private_network without private_pids warns about /proc/PID/net" \
	"jail 'net': private_network without private_pids: /proc/PID/net of processes outside the jail still lists the host's sockets" \
	sh -c "'$NSJ_BUILD/nsjailctl' check -c '$T/nsjail.conf' 2>&1"
output_lacks "check: not for the jail with private_pids" "jail 'net-pids': private_network" sh -c "'$NSJ_BUILD/nsjailctl' check -c '$T/nsjail.conf' 2>&1"
output_lacks "explain bob: not jailed, no isolation" "isolation:" "${NSJ[@]}" explain -c "$T/nsjail.conf" -s su bob
for u in alice erin carol; do
	output_is "nsjailctl run $u: the host's TCP service is out of reach" ECONNREFUSED "${NSJ[@]}" run -c "$T/nsjail.conf" --helper "$NSJ_HELPER" -s su $u -- python3 "$T/netprobe.py" tcp 127.0.0.1:$PORT
	output_is "nsjailctl run $u: loopback works inside" LOOPBACK-OK "${NSJ[@]}" run -c "$T/nsjail.conf" --helper "$NSJ_HELPER" -s su $u -- python3 "$T/netprobe.py" loopback
done

# With private_pids the session's init is in the session's network
# namespace too (the helper makes it before forking the init).
su -s /bin/sh carol -c 'exec sleep 1007' &
for _ in $(seq 50); do pgrep -fx "sleep 1007" >/dev/null && break; sleep 0.1; done
sp=$(pgrep -fx "sleep 1007"); init=$(pgrep -x nsjail-init | head -n 1)
output_is "carol (private_pids): her init is in her network namespace" same \
	sh -c "[ -n '$init' ] && [ \"\$(readlink /proc/$init/ns/net)\" = \"\$(readlink /proc/$sp/ns/net)\" ] && echo same"
output_is "carol (private_pids): which is not the host's" other \
	sh -c "[ \"\$(readlink /proc/$sp/ns/net)\" != \"\$(readlink /proc/self/ns/net)\" ] && echo other"
kill "$sp" 2>/dev/null

# --- sshd ----------------------------------------------------------------
nsj_require nsj_sshd_start
P=$NSJ_SSH_PORT
O=$(nsj_ssh_opts alice)
output_is "ssh bob (control): the host's TCP service answers" HOST-TCP nsj_ssh bob "$(probe tcp 127.0.0.1:$PORT)"
output_is "ssh bob (control): the host's abstract socket answers" HOST-ABS nsj_ssh bob "$(probe abs "$ABS")"
for u in alice erin; do
	output_is "ssh $u: the host's TCP service is out of reach" ECONNREFUSED nsj_ssh $u "$(probe tcp 127.0.0.1:$PORT)"
	output_is "ssh $u: the host's abstract socket is out of reach" ECONNREFUSED nsj_ssh $u "$(probe abs "$ABS")"
	output_is "ssh $u: /proc/net/unix does not list it" 0 nsj_ssh $u "grep -c @$ABS /proc/net/unix; true"
	output_is "ssh $u: loopback works inside" LOOPBACK-OK nsj_ssh $u "$(probe loopback)"
	output_contains "ssh $u: a pty shell over the connection" "TTY=/dev/pts/" nsj_ssh $u 'echo TTY=$(tty)' -tt
done
echo "from the host" >"$T/upload.txt"
chmod 0644 "$T/upload.txt"
output_contains "sftp alice: listing her home" ".marker-alice" sh -c "echo 'ls -a /home/alice' | sftp $O -P $P -b - alice@127.0.0.1"
ok "sftp alice: upload" sh -c "echo 'put $T/upload.txt /home/alice/up.txt' | sftp $O -P $P -b - alice@127.0.0.1"
output_is "sftp alice: the upload reached her home" "from the host" cat /home/alice/up.txt
ok "scp from alice" scp $O -P $P alice@127.0.0.1:/home/alice/.marker-alice "$T/scp-down.txt"
ok "scp to alice" scp $O -P $P "$T/upload.txt" alice@127.0.0.1:/home/alice/scp-up.txt
output_is "scp alice: the upload reached her home" "from the host" cat /home/alice/scp-up.txt
if command -v rsync >/dev/null; then
	ok "rsync over ssh from alice" rsync -e "ssh $O -p $P" alice@127.0.0.1:/home/alice/.marker-alice "$T/rsync-down.txt"
else
	skip "rsync over ssh" "rsync is not installed"
fi

# ssh -L: sshd connects to the target from the session's network
# namespace (the connection's sshd child is forked by the jailed monitor).
# Every step bounded: a hang here must fail one check, not the whole test.
ask() { timeout 15 python3 "$T/netprobe.py" tcp "127.0.0.1:$1" || echo TIMEOUT; }
forward() {
	local pid out
	# shellcheck disable=SC2046 # word splitting of the options is wanted
	ssh $(nsj_ssh_opts "$1") -p "$P" -N -o ExitOnForwardFailure=yes -L "127.0.0.1:$2:127.0.0.1:$PORT" "$1@127.0.0.1" </dev/null >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 50); do [ "$(ask "$2")" != ECONNREFUSED ] && break; sleep 0.1; done
	out=$(ask "$2")
	# KILL: a client waiting on a stuck server only flags a TERM and waits on.
	kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
	echo "$out"
}
output_is "ssh -L bob (control): the forward reaches the host's service" HOST-TCP forward bob 6101
output_is "ssh -L alice: the forward fails (closed at once)" closed forward alice 6102
output_is "ssh -L erin: the forward fails (closed at once)" closed forward erin 6103

# ssh -R: sshd's listener is made by the session's sshd process, in the
# jail: the host cannot reach it (bob's, the control, is on the host's).
rforward() {
	local pid out
	# shellcheck disable=SC2046 # word splitting of the options is wanted
	ssh $(nsj_ssh_opts "$1") -p "$P" -N -o ExitOnForwardFailure=yes -R "127.0.0.1:$2:127.0.0.1:$PORT" "$1@127.0.0.1" </dev/null >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 30); do [ "$(ask "$2")" != ECONNREFUSED ] && break; sleep 0.1; done
	out=$(ask "$2")
	# KILL: a client waiting on a stuck server only flags a TERM and waits on.
	kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
	echo "$out"
}
output_is "ssh -R bob (control): the host reaches the remote forward" HOST-TCP rforward bob 6201
output_is "ssh -R alice: the listener is in the jail, the host cannot reach it" ECONNREFUSED rforward alice 6202
