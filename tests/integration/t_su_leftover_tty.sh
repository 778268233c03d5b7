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

# steal USER [SU-OPTIONS]: root's shell on a pty runs `su - USER`; USER
# leaves grab behind; back in root's shell, root types a secret. Prints
# what the leftover got.
steal() {
	local u=$1; shift
	local leave="$T/bin/grab /home/$u/stolen"
	local settle=0 # the setuid sleep is running (exec'd) before she exits
	[ "${GRAB:-}" = suid ] && leave="setsid /srv/suidsleep 1001 >/dev/null 2>\\&1" settle=1
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
	[ "${GRAB:-}" = suid ] && pgrep -f "suidsleep 1001" >/dev/null && echo "setuid leftover still running"
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
output_lacks "su --pty: the leftover holds the session's own pty, not root's" TOPSECRET steal alice --pty
ok "the leftover was ended at close (syslog)" nsj_syslog_grep 'user=alice service=su.*still held the terminal'
