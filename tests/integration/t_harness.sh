#!/bin/bash
# The harness itself, without the product: test users, real su, pamtester's
# result mapping, the syslog listener and a real sshd, with pam_permit (and
# pam_debug) standing where pam_nsjail.so goes. If this fails, every other
# result is meaningless.
export NSJ_PAM_MODULE=pam_permit.so
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup

output_is "alice exists with her groups" "uid=2001(alice) gid=2001(alice) groups=2001(alice)" id alice
output_is "carol is in contractors (supplementary)" "carol contractors" id -Gn carol
output_is "dave's primary group is sftponly" "sftponly" id -gn dave
output_is "su to alice runs as alice" "alice" as_user alice 'id -un'
output_is "alice's home is hers" "alice 755" as_user alice 'stat -c "%U %a" "$HOME"'
output_is "bob sees every test home" "alice bob carol dave erin" as_user bob 'echo $(ls /home)'
output_is "su -l lands in the home" "/home/erin" su -l erin -c pwd
output_is "runuser works" "carol" runuser -u carol -- id -un
output_is "the password hash verifies" "ok" sh -c '[ "$(getent shadow alice | cut -d: -f2)" = "$(openssl passwd -6 -salt nsjtestsalt "$NSJ_PASSWORD")" ] && echo ok'
output_is "pam_rc maps PAM_SUCCESS" success pam_rc alice
output_is "pam_rc on another service" ok pam_rc alice su

# pam_debug returns what it is told: check the mapping of pam_rc.
cp "$T/pam.d/nsjtest" "$T/nsjtest.orig"
sed -i 's/pam_permit\.so$/pam_debug.so open_session=ignore/' "$T/pam.d/nsjtest"
output_is "pam_rc maps PAM_IGNORE" ignore pam_rc alice
sed -i 's/open_session=ignore/open_session=session_err/' "$T/pam.d/nsjtest"
output_is "pam_rc maps PAM_SESSION_ERR" session_err pam_rc alice
sed 's/\[success=1 ignore=ignore default=die\] pam_permit\.so$/required pam_deny.so/' "$T/nsjtest.orig" >"$T/pam.d/su"
fails "su fails when the session stack fails" as_user alice true
cp "$T/nsjtest.orig" "$T/pam.d/nsjtest"

ok "logger reaches the syslog listener" logger -t nsjtest "hello from $NSJ_TEST_NAME"
syslog_contains "the line is in \$T/syslog" "nsjtest.*hello from"
output_is "ptys work in the sandbox's /dev" "/dev/pts/" sh -c "script -qec tty /dev/null | tr -d '\r\0' | sed 's/\^@//g; s/[0-9]*\$//'"

nsj_require nsj_sshd_start
pass "sshd started on 127.0.0.1:$NSJ_SSH_PORT"
output_is "ssh as bob (public key)" "bob" nsj_ssh bob 'id -un'
output_is "ssh as alice runs her shell in her home" "alice /home/alice" nsj_ssh alice 'echo $(id -un) $PWD'
output_is "ssh with a password (sshpass)" "erin" sshpass -p "$NSJ_PASSWORD" ssh -F /dev/null \
	-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
	-o PubkeyAuthentication=no -p "$NSJ_SSH_PORT" erin@127.0.0.1 'id -un'
output_is "ssh -tt gets a pty" "/dev/pts/" sh -c "ssh $(nsj_ssh_opts carol) -p $NSJ_SSH_PORT -tt carol@127.0.0.1 tty | tr -d '\r\0' | sed 's/\^@//g; s/[0-9]*\$//'"
ok "sftp works" sh -c "echo 'ls /home' | sftp $(nsj_ssh_opts dave) -P $NSJ_SSH_PORT -b - dave@127.0.0.1"
ok "sshd logged the logins" grep -q "Accepted publickey for bob" "$T/sshd.log"
