#!/bin/bash
# The real module with a configuration that names no jail: every session is
# PAM_IGNORE, nobody's view changes, and sshd with the module in its stack
# keeps serving logins (the harness smoke test against the product).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
# no jails: installing the module changes no login
version = 1;
EOF2

output_is "alice is not jailed (PAM_IGNORE)" ignore pam_rc alice
output_is "bob is not jailed (PAM_IGNORE)" ignore pam_rc bob
output_is "root is not jailed (PAM_IGNORE)" ignore pam_rc root
output_is "su alice works" alice as_user alice 'id -un'
output_is "alice sees every home" "alice bob carol dave erin" as_user alice 'echo $(ls /home)'
output_is "su - erin works" /home/erin su - erin -c pwd
output_is "runuser works" carol runuser -u carol -- id -un
output_is "bob's session stays in the caller's mount namespace" "$(readlink /proc/self/ns/mnt)" \
	as_user bob 'readlink /proc/self/ns/mnt'

nsj_require nsj_sshd_start
output_is "ssh bob (module in sshd's stack, no jail)" bob nsj_ssh bob 'id -un'
output_is "ssh alice sees every home" "alice bob carol dave erin" nsj_ssh alice 'echo $(ls /home)'
ok "sftp works for dave" sh -c "echo 'ls /' | sftp $(nsj_ssh_opts dave) -P $NSJ_SSH_PORT -b - dave@127.0.0.1"
ok "no error from the module in syslog" sh -c "! grep -E 'pam_nsjail.*(error|fail)' '$T/syslog'"
