#!/bin/bash
# Every util-linux door: su, su -, su --pty, runuser, runuser -l and login on
# a pty land in the jail; the waiting parent, which runs inside the jail after
# the module returns, still closes the session and returns the status.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "own-home"; users = [ "alice" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ]; },
  { name = "tmpfs-root"; users = [ "erin" ]; root = "tmpfs"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; }
);
EOF2

for u in alice erin; do
	output_is "su $u" $u su -s /bin/sh $u -c 'ls -A /home'
	output_is "su - $u" $u su - $u -c 'ls -A /home'
	output_is "su --pty $u: a pty" "/dev/pts/" sh -c "script -qec \"su --pty $u -c tty\" /dev/null | tr -d '\r\0' | sed 's/\^@//g' | sed 's/[0-9]*\$//'"
	output_is "su --pty $u: jailed" $u sh -c "script -qec \"su --pty $u -c 'ls -A /home'\" /dev/null | tr -d '\r\0' | sed 's/\^@//g'"
	output_is "runuser $u" $u runuser -u $u -- ls -A /home
	output_is "runuser -l $u" $u runuser -l $u -c 'ls -A /home'
	status_is "su $u: the exit status comes back through the jailed parent" 42 su -s /bin/sh $u -c 'exit 42'
done
syslog_contains "su's session was closed (pam_unix, from inside the jail)" "su.*session closed for user erin"
output_is "bob is unjailed" "alice bob carol dave erin" su -s /bin/sh bob -c 'echo $(ls /home)'

# login(1) on a pty: password prompt answered by expect.
if command -v expect >/dev/null; then
	cat >"$T/login.exp" <<'EOF2'
set timeout 20
spawn /bin/login alice
expect "Password: " { send "$env(NSJ_PASSWORD)\r" }
expect "$ " { send "echo HOMES=\$(ls -A /home) TTY=\$(tty)\r" }
expect -re {HOMES=([a-z ]*) TTY=(/dev/pts/)} { puts "\nRESULT $expect_out(1,string) TTY=$expect_out(2,string)" }
send "exit\r"
expect eof
EOF2
	output_contains "login alice on a pty: jailed" "RESULT alice TTY=/dev/pts/" expect -f "$T/login.exp"
else
	skip "login on a pty" "expect is not installed"
fi
