#!/bin/bash
# After `su - USER` returns to root's shell, a process USER left behind
# holding root's terminal could read what root types next. For a jailed
# target the module ends, when the session closes, the target's processes
# that still hold the caller's terminal. Control: `su --pty` (util-linux)
# gives the session a pty of its own, so nothing of it holds root's
# terminal. Through real su on a pty (expect).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "plain"; users = [ "alice" ]; private_tmp = true; },
  { name = "sh"; users = [ "bob" ]; private_tmp = true; shared = true; }
);
EOF2
nsj_require command -v expect

# grab FILE: what a leftover does: after 2 s it makes its process group
# the terminal's foreground (su without --pty leaves the user's shell in
# root's terminal session) and copies what is typed into FILE.
cat >"$T/bin/grab" <<'EOF2'
#!/usr/bin/python3
import os, signal, sys, time
for s in (signal.SIGTTOU, signal.SIGTTIN, signal.SIGHUP):
    signal.signal(s, signal.SIG_IGN)
time.sleep(2)
try:
    os.setpgid(0, 0)
    os.tcsetpgrp(0, os.getpgrp())
except OSError:
    pass
with open(sys.argv[1], "ab", 0) as f:
    while True:
        try:
            d = os.read(0, 100)
        except OSError:
            break
        if not d:
            break
        f.write(d)
EOF2
chmod 0755 "$T/bin/grab"
# A setuid program left behind runs as root (/proc/PID is root's) but is
# hers (her real uid): a setuid sleep in a session of its own, with root's
# terminal on its stdin. It reads nothing (no race with root's shell for
# what is typed): whether it still runs after the close is what is asserted.
cp /bin/sleep /srv/suidsleep && chmod 4755 /srv/suidsleep
# devttyhold: opens /dev/tty (the device 5:0: the controlling terminal at
# open time, root's), then leaves the terminal's session (setsid) with
# nothing else of it open. Its fd shows as /dev/tty in /proc/PID/fd, not
# as root's terminal, but reads and writes that terminal.
cat >"$T/bin/devttyhold" <<'EOF2'
#!/usr/bin/python3
import os, time
fd = os.open("/dev/tty", os.O_RDWR)
if os.fork():
    os._exit(0)
os.setsid()
null = os.open("/dev/null", os.O_RDWR)
for i in (0, 1, 2):
    os.dup2(null, i)
time.sleep(600)
EOF2
chmod 0755 "$T/bin/devttyhold"
# devttyother PIDFILE: the same on a terminal of its own (a pty whose
# master its parent keeps open): /dev/tty that is not root's terminal.
cat >"$T/bin/devttyother" <<'EOF2'
#!/usr/bin/python3
import fcntl, os, pty, signal, sys, termios, time
# (its session leader's exit hangs up the pty's foreground group: us)
signal.signal(signal.SIGHUP, signal.SIG_IGN)
m, s = pty.openpty()
if os.fork() == 0:
    os.setsid()
    fcntl.ioctl(s, termios.TIOCSCTTY, 0)
    fd = os.open("/dev/tty", os.O_RDWR)
    if os.fork():
        os._exit(0)
    os.setsid()
    null = os.open("/dev/null", os.O_RDWR)
    for i in (0, 1, 2):
        os.dup2(null, i)
    os.close(s)
    os.close(m)
    with open(sys.argv[1], "w") as f:
        f.write(str(os.getpid()))
    time.sleep(600)
os.close(s)
time.sleep(600)
EOF2
chmod 0755 "$T/bin/devttyother"

# steal USER [SU-OPTIONS]: root's shell on a pty runs `su - USER`; USER
# leaves grab behind; back in root's shell, root types a secret. Prints
# what the leftover got.
steal() {
	local u=$1; shift
	local leave="$T/bin/grab /home/$u/stolen"
	local settle=0 # the setuid sleep is running (exec'd) before she exits
	[ "${GRAB:-}" = suid ] && leave="setsid /srv/suidsleep 1001 >/dev/null 2>\\&1" settle=1
	[ "${GRAB:-}" = suidtty ] &&
		leave="setsid /srv/suidsleep 1001 </dev/tty >/dev/null 2>\\&1" settle=1
	[ "${GRAB:-}" = devtty ] && leave="$T/bin/devttyhold 1001" settle=1
	rm -f "/home/$u/stolen"
	cat >"$T/steal.exp" <<EOF2
set timeout 10
spawn env PS1=ROOT# sh
expect "ROOT#"
send "su $* - $u\r"
expect "\\\\$ "
send "$leave &\r"
expect "\\\\$ "
sleep $settle
send "exit\r"
expect "ROOT#"
sleep 3
set timeout 2
send "TOPSECRET-one\r"
expect "ROOT#"
send "TOPSECRET-two\r"
expect "ROOT#"
send "exit\r"
expect eof
EOF2
	expect -f "$T/steal.exp" >"$T/steal.log" 2>&1
	sleep 0.5
	cat "/home/$u/stolen" 2>/dev/null
	case "${GRAB:-}" in suid*) pgrep -f "suidsleep 1001" >/dev/null && echo "setuid leftover still running";; esac
	[ "${GRAB:-}" = devtty ] && pgrep -f "devttyhold 1001" >/dev/null && echo "devtty leftover still running"
	pkill -f "devttyhold 1001"
	pkill -u "$u" -f grab
	pkill -f "suidsleep 1001"
	return 0
}
# (the control first: the leftover of an unjailed su does read it)
output_contains "control: unjailed carol's leftover reads what root types next" TOPSECRET steal carol
output_lacks "jailed su - alice: her leftover never reads what root types next" TOPSECRET steal alice
output_lacks "shared jail: the same" TOPSECRET steal bob
GRAB=suid output_contains "control: an unjailed su's setuid leftover keeps root's terminal" "still running" steal carol
GRAB=suid output_lacks "a setuid leftover (root's in /proc, her real uid) is ended too" "still running" steal alice
# A leftover that opened /dev/tty, then left the terminal's session: its fd
# is root's terminal all the same.
GRAB=devtty output_contains "control: an unjailed su's leftover keeps root's terminal through /dev/tty" "still running" steal carol
# (and a process of hers outside the jail, holding a terminal of its own
# through /dev/tty, is left alone: the terminal behind /dev/tty is told)
setpriv --reuid="$(id -u alice)" --regid="$(id -g alice)" --clear-groups \
	"$T/bin/devttyother" /home/alice/other.pid </dev/null >"$T/other.log" 2>&1 &
for _ in $(seq 50); do [ -s /home/alice/other.pid ] && break; sleep 0.2; done
GRAB=devtty output_lacks "a leftover holding root's terminal through /dev/tty after setsid is ended" "still running" steal alice
ok "her process holding another terminal through /dev/tty is left alone" kill -0 "$(cat /home/alice/other.pid "$T/other.log")"
kill "$(cat /home/alice/other.pid)" $! 2>/dev/null
GRAB=devtty output_lacks "shared jail (own PID namespace): the same" "still running" steal bob
GRAB=suidtty output_lacks "a setuid leftover in its own session with /dev/tty on its stdin is ended" "still running" steal alice
output_lacks "su --pty: the leftover holds the session's own pty, not root's" TOPSECRET steal alice --pty
ok "the leftover was ended at close (syslog)" nsj_syslog_grep 'user=alice service=su.*still held the terminal'
