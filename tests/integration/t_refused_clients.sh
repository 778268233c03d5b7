#!/bin/bash
# A refused session tells its user only where PAM_TTY names a terminal (su
# or login on a tty). sshd opens the session before the client asks for a
# pty or a command (PAM_TTY is "ssh") and writes the conversation's text
# into the channel: sftp, scp and rsync would read it as protocol. So over
# ssh nobody is told, and the non-interactive clients fail cleanly. With
# pam_motd moved after the module, made "requisite", a refusal also ends
# the stack before pam_motd queues the motd (sshd prints it the same way).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
MSG="your session could not be set up; the administrator has the details"
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "broken"; users = [ "alice" ]; inaccessible = [ "/srv/nope" ]; },
  { name = "fine"; users = [ "bob" ]; inaccessible = [ "/srv/secret" ]; }
);
EOF2
mkdir -p /srv/secret
nsj_require nsj_sshd_start
O="$(nsj_ssh_opts alice) -P $NSJ_SSH_PORT"
_sftp() { echo 'ls /' | sftp $O -b - alice@127.0.0.1; }
_scp() { scp $O alice@127.0.0.1:/etc/hostname "$T/copy"; }
_scp_legacy() { scp -O $O alice@127.0.0.1:/etc/hostname "$T/copy"; }
_rsync() { rsync -e "ssh $(nsj_ssh_opts alice) -p $NSJ_SSH_PORT" alice@127.0.0.1:/etc/hostname "$T/copy"; }
_ssh_tty() { nsj_ssh alice 'echo ran' -tt </dev/null; }

output_contains "sftp: fails cleanly (Connection closed)" "Connection closed" _sftp
ok "sftp: no protocol garbage" sh -c "! { echo 'ls /' | sftp $O -b - alice@127.0.0.1 2>&1 | grep -q 'message too long'; }"
output_contains "scp: fails cleanly (Connection closed)" "Connection closed" _scp
ok "scp -O (legacy protocol): nothing in the channel" sh -c "! scp -O $O alice@127.0.0.1:/etc/hostname $T/copy 2>&1 | grep -q 'your session'"
ok "rsync: no protocol mismatch" sh -c "! { $(declare -f _rsync nsj_ssh_opts); T=$T NSJ_SSH_PORT=$NSJ_SSH_PORT _rsync 2>&1 | grep -q 'protocol version mismatch'; }"
status_is "ssh -tt: refused (254)" 254 _ssh_tty
output_lacks "ssh -tt: the text is not written (no terminal known at session open)" "$MSG" sh -c "$(declare -f _ssh_tty nsj_ssh nsj_ssh_opts); T=$T NSJ_SSH_PORT=$NSJ_SSH_PORT _ssh_tty; true"

# su on a terminal is told; su without one is not (su says it failed).
output_contains "su on a tty: told" "$MSG" script -qec "su -s /bin/sh alice -c true" /dev/null
output_lacks "su without a tty: not told" "$MSG" sh -c "su -s /bin/sh alice -c true 2>&1; true"
output_contains "su without a tty: su's own refusal" "cannot open session" sh -c "su -s /bin/sh alice -c true 2>&1; true"

# The stock Debian stack queues the motd (pam_motd) before the module runs:
# sshd prints it after a refusal too, into sftp's channel. With the module
# "requisite" and pam_motd after it, a refusal ends the stack first.
echo "MOTD-LINE of the test" >"$T/motd"
mount --bind "$T/motd" /etc/motd
sed -i 's/^# \(.*pam_motd\.so.*\)/\1/' /etc/pam.d/sshd
_ssh_tty_out() { nsj_ssh alice 'echo ran' -tt </dev/null 2>&1; true; }
output_contains "module last, pam_motd before it: the motd is printed after a refusal" "MOTD-LINE" _ssh_tty_out
output_contains "... and garbles sftp" "message too long" _sftp
# pam_nsjail(8), PLACEMENT: the pam_motd lines moved after the module,
# which becomes requisite; every other module stays before it.
{ grep -v 'pam_nsjail\|pam_motd' /etc/pam.d/sshd; nsj_pam_line requisite; grep 'pam_motd' /etc/pam.d/sshd; } >"$T/sshd.pam"
cat "$T/sshd.pam" >/etc/pam.d/sshd
output_contains "... nsjailctl doors notes the lines after the module" "module not last: pam_motd.so" "$NSJ_BUILD/nsjailctl" doors
output_lacks "pam_motd after the module (requisite): no motd after a refusal" "MOTD-LINE" _ssh_tty_out
output_contains "... sftp fails cleanly" "Connection closed" _sftp
output_is "... bob's session still opens, jailed" "rc=2" sh -c "$(declare -f nsj_ssh nsj_ssh_opts); T=$T NSJ_SSH_PORT=$NSJ_SSH_PORT nsj_ssh bob 'ls /srv/secret 2>/dev/null; echo rc=\$?'"
_bob_login() { printf 'exit\n' | ssh $(nsj_ssh_opts bob) -p "$NSJ_SSH_PORT" -tt bob@127.0.0.1 2>&1; true; }
output_contains "... bob's login shell sees the motd (read in the jail)" "MOTD-LINE" _bob_login
