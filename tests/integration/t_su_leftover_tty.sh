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
# grabnd: the same, made non-dumpable first (its /proc/PID shows it as
# root's; so would a setuid program's).
sed 's/^import os, signal, sys, time$/import ctypes, os, signal, sys, time\nctypes.CDLL(None).prctl(4, 0, 0, 0, 0)/' \
	"$T/bin/grab" >"$T/bin/grabnd"
chmod 0755 "$T/bin/grabnd"

# steal USER [SU-OPTIONS]: root's shell on a pty runs `su - USER`; USER
# leaves grab behind; back in root's shell, root types a secret. Prints
# what the leftover got.
steal() {
	local u=$1; shift
	rm -f "/home/$u/stolen"
	cat >"$T/steal.exp" <<EOF2
set timeout 10
spawn env PS1=ROOT# sh
expect "ROOT#"
send "su $* - $u\r"
expect "\\\\$ "
send "$T/bin/${GRAB:-grab} /home/$u/stolen &\r"
expect "\\\\$ "
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
	pkill -u "$u" -f "${GRAB:-grab}"
	return 0
}
# (the control first: the leftover of an unjailed su does read it)
output_contains "control: unjailed carol's leftover reads what root types next" TOPSECRET steal carol
output_lacks "jailed su - alice: her leftover never reads what root types next" TOPSECRET steal alice
output_lacks "shared jail: the same" TOPSECRET steal bob
GRAB=grabnd output_contains "control: the non-dumpable leftover of an unjailed su reads it" TOPSECRET steal carol
GRAB=grabnd output_lacks "a non-dumpable leftover (root's in /proc) is ended too" TOPSECRET steal alice
output_lacks "su --pty: the leftover holds the session's own pty, not root's" TOPSECRET steal alice --pty
ok "the leftover was ended at close (syslog)" nsj_syslog_grep 'user=alice service=su.*still held the terminal'
