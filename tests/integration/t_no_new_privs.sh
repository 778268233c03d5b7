#!/bin/bash
# no_new_privileges = true: PR_SET_NO_NEW_PRIVS on the session, so setuid
# programs do not elevate. A setuid-root copy of id(1) prints euid 0 for
# bob (unjailed, the control) and the user's own uid in the jail, through
# su, runuser, login, sshd (shell and sftp), hidden-path and tmpfs-root
# jails; sudo fails with its own message. Every door still opens and closes
# its session normally: the module sets the flag in the caller (su's,
# runuser's and login's parent, sshd's monitor), which waits and closes the
# session as root without exec'ing anything that needs privileges.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
install -d -m 0755 -o root -g root "$T/suid"
cp /usr/bin/id "$T/suid/id"
chown root:root "$T/suid/id"
chmod 4755 "$T/suid/id"
nsj_require sh -c "! findmnt -no OPTIONS -T '$T/suid' | grep -qw nosuid"
nsj_config <<EOF2
version = 1;
jails = (
  { name = "nnp"; users = [ "alice" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ];
    no_new_privileges = true; },
  { name = "nnp-root"; users = [ "erin" ]; root = "tmpfs"; bind_ro = [ "/usr", "$T/suid" ];
    bind = [ "/home/%u" ]; no_new_privileges = true; },
  { name = "plain"; users = [ "carol" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ]; }
);
EOF2
ID=$T/suid/id

# --- su, runuser -----------------------------------------------------------
output_is "su bob (control): the setuid id runs as root" 0 as_user bob "$ID -u"
output_is "su carol (a jail without the key): the setuid id runs as root" 0 as_user carol "$ID -u"
output_is "su bob (control): NoNewPrivs 0" 0 as_user bob "sed -n 's/^NoNewPrivs:[[:space:]]*//p' /proc/self/status"
for u in alice erin; do
	uid=$(id -u $u)
	output_is "su $u: the session opens and closes (pamtester)" success pam_rc $u
	output_is "su $u: the setuid id runs as $u" "$uid" as_user $u "$ID -u"
	output_is "su $u: NoNewPrivs 1" 1 as_user $u "sed -n 's/^NoNewPrivs:[[:space:]]*//p' /proc/self/status"
	status_is "su $u: the exit status comes back through su's parent" 42 as_user $u 'exit 42'
done
nsj_syslog_mark
as_user alice true
syslog_contains "su: alice's session was closed (pam_unix, by su's parent)" "su.*session closed for user alice"
output_contains "su alice: sudo fails with its own message" "\"no new privileges\" flag is set" as_user alice 'sudo -n true 2>&1'
output_lacks "su bob (control): sudo runs as root (its own refusal)" "no new privileges" as_user bob 'sudo -n true 2>&1; true'
output_is "runuser -u alice: the setuid id runs as alice" "$(id -u alice)" runuser -u alice -- "$ID" -u
output_is "runuser -l alice: the setuid id runs as alice" "$(id -u alice)" runuser -l alice -c "$ID -u"
nsj_syslog_mark
runuser -u alice -- true
syslog_contains "runuser: alice's session was closed" "runuser.*session closed for user alice"

# nsjailctl: explain names the option; run builds exactly that jail.
NSJ=("$NSJ_BUILD/nsjailctl")
output_contains "explain alice: the plan says no_new_privileges" "isolation: no_new_privileges" "${NSJ[@]}" explain -c "$T/nsjail.conf" -s su alice
for u in alice erin; do
	output_is "nsjailctl run $u: the setuid id runs as $u" "$(id -u $u)" "${NSJ[@]}" run -c "$T/nsjail.conf" --helper "$NSJ_HELPER" -s su $u -- "$ID" -u
done
output_is "nsjailctl run carol (no key): the setuid id runs as root" 0 "${NSJ[@]}" run -c "$T/nsjail.conf" --helper "$NSJ_HELPER" -s su carol -- "$ID" -u

# --- login ---------------------------------------------------------------
if command -v expect >/dev/null; then
	cat >"$T/login.exp" <<EOF2
set timeout 20
spawn /bin/login alice
expect "Password: " { send "\$env(NSJ_PASSWORD)\r" }
expect "\$ " { send "echo EUID=\\\$($ID -u) NNP=\\\$(sed -n 's/^NoNewPrivs:\[\[:space:\]\]*//p' /proc/self/status)\r" }
expect -re {EUID=([0-9]+) NNP=([01])} { puts "\nRESULT \$expect_out(1,string) \$expect_out(2,string)" }
send "exit\r"
expect eof
EOF2
	nsj_syslog_mark
	output_contains "login alice on a pty: the setuid id runs as alice" "RESULT $(id -u alice) 1" expect -f "$T/login.exp"
	syslog_contains "login: alice's session was closed" "login.*session closed for user alice"
else
	skip "login on a pty" "expect is not installed"
fi

# --- sshd ----------------------------------------------------------------
nsj_require nsj_sshd_start
P=$NSJ_SSH_PORT
O=$(nsj_ssh_opts alice)
output_is "ssh bob (control): the setuid id runs as root" 0 nsj_ssh bob "$ID -u"
nsj_syslog_mark
for u in alice erin; do
	output_is "ssh $u: the setuid id runs as $u" "$(id -u $u)" nsj_ssh $u "$ID -u"
	output_contains "ssh $u: a pty shell" "TTY=/dev/pts/" nsj_ssh $u 'echo TTY=$(tty)' -tt
done
output_contains "sftp alice: listing her home" ".marker-alice" sh -c "echo 'ls -a /home/alice' | sftp $O -P $P -b - alice@127.0.0.1"
ok "scp from alice" scp $O -P $P alice@127.0.0.1:/home/alice/.marker-alice "$T/scp-down.txt"
for _ in $(seq 30); do grep -q "sshd.*session closed for user erin" "$T/syslog" && break; sleep 0.1; done
syslog_contains "sshd: alice's sessions were closed (by the monitor)" "sshd.*session closed for user alice"
