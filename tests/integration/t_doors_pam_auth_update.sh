#!/bin/bash
# The module enabled the Debian way, by the real pam-auth-update with the
# project's profile (conf/pam-configs/nsjail): the line lands at the end of
# common-session and common-session-noninteractive, which Debian's sshd and
# cron files follow with pam_limits and pam_env. Those still work in a
# hidden-path jail (the host's /etc); in a root jail they read the jail's
# synthesized /etc, which carries their files (limits.conf, limits.d,
# pam_env.conf, environment, default/locale): the stock Debian sshd stack
# opens root jails of both kinds. runuser's stack does not include common-session:
# the profile does not cover it. Runs on copies of the PAM state.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
command -v pam-auth-update >/dev/null || { skip "pam-auth-update profile" "pam-auth-update is not installed"; exit 0; }
for d in /var/lib/pam /var/cache/debconf /usr/share/pam-configs; do
	mkdir -p "$T/pamstate$d"
	cp -a "$d/." "$T/pamstate$d/"
	mount --bind "$T/pamstate$d" "$d"
done
# The harness appended the module to each service file: take it out again,
# so that only the profile places it.
for f in /etc/pam.d/*; do sed -i '/^# pam_nsjail test: last among session modules$/,$d' "$f"; done
line=$(nsj_pam_line)
sed "s|^\([[:space:]]*required[[:space:]]*\)pam_nsjail.so.*|\1${line#session required }|" \
	"$NSJ_SRC/conf/pam-configs/nsjail" >/usr/share/pam-configs/nsjail
export DEBIAN_FRONTEND=noninteractive
nsj_require pam-auth-update --enable nsjail
nsj_require grep -q "$NSJ_PAM_MODULE" /etc/pam.d/common-session
output_is "no service file names the module: only the profile placed it" "" sh -c "grep -l pam_nsjail /etc/pam.d/* | grep -v -e common-session -e nsjtest; true"
echo "secret of the host" >/srv/host-only
# A limit pam_limits sets for the test users: shows it ran (a copy, bound).
{ cat /etc/security/limits.conf; echo "alice hard nofile 777"; echo "erin hard nofile 778"; echo "dave hard nofile 779"; } >"$T/limits.conf"
mount --bind "$T/limits.conf" /etc/security/limits.conf

conf() { # ROOT-JAIL-BIND_RO
	nsj_config <<EOF2
version = 1;
jails = (
  { name = "hidden"; users = [ "alice" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ]; },
  { name = "root"; users = [ "erin" ]; root = "tmpfs"; bind_ro = [ $1 ]; bind = [ "/home/%u" ]; }
);
EOF2
}
conf '"/usr"'
nsj_require nsj_sshd_start

# hidden-path jail: every door, pam_limits and pam_env after the module.
output_is "profile, hidden-path jail: ssh command jailed" alice nsj_ssh alice 'ls -A /home'
output_is "profile, hidden-path jail: pam_limits after the module still applied" 777 nsj_ssh alice 'ulimit -Hn'
output_is "profile, hidden-path jail: ssh -tt jailed" alice sh -c "ssh $(nsj_ssh_opts alice) -p $NSJ_SSH_PORT -tt alice@127.0.0.1 'ls -A /home' | tr -d '\r\0' | sed 's/\^@//g'"
output_is "profile, hidden-path jail: su jailed" alice su -s /bin/sh alice -c 'ls -A /home'
output_is "profile, hidden-path jail: su - jailed" alice su - alice -c 'ls -A /home'
output_is "profile: runuser is NOT covered (Debian's runuser has no common-session; add the line to /etc/pam.d/runuser)" \
	"alice bob carol dave erin" runuser -u alice -- sh -c 'echo $(ls /home)'

# Root jails, both kinds, under the stock sshd stack (pam_motd, pam_mail,
# pam_limits, pam_env twice after common-session; the harness's copy has
# pam_motd commented out: put it back): the modules after ours run in the
# jail and read its synthesized /etc, which carries their files.
sed -i 's/^# \([^#].*pam_motd\.so\)/\1/' /etc/pam.d/sshd
output_is "the stock stack: after common-session come pam_motd x2, pam_mail, pam_limits, pam_env x2" \
	"pam_motd.so pam_motd.so pam_mail.so pam_limits.so pam_env.so pam_env.so" \
	sh -c "sed -n '/^@include common-session/,\$p' /etc/pam.d/sshd | grep -v 'session *\\[' | awk '\$1 == \"session\" { print \$3 }' | xargs"
mkdir -m 0755 /srv/sftp /srv/sftp/dave /srv/sftp/dave/upload
chown dave /srv/sftp/dave/upload
nsj_config <<EOF2
version = 1;
jails = (
  { name = "root"; users = [ "erin" ]; root = "tmpfs"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; },
  { name = "dir"; users = [ "dave" ]; root = "/srv/sftp/%u"; bind_ro = [ "/usr" ]; }
);
EOF2
output_is "profile, root jail: su - works (common-session is last in su)" erin su - erin -c 'ls -A /home'
for u in erin dave; do
	output_is "profile, stock sshd stack, $u's root jail: ssh opens, jailed" "jailed" nsj_ssh $u 'test -e /srv/host-only && echo host || echo jailed'
	output_is "... pam_limits after the module read the jail's limits.conf (the host's piece)" "$([ $u = erin ] && echo 778 || echo 779)" nsj_ssh $u 'ulimit -Hn'
	output_is "... ssh -tt too" "jailed" sh -c "ssh $(nsj_ssh_opts $u) -p $NSJ_SSH_PORT -tt $u@127.0.0.1 'test -e /srv/host-only && echo host || echo jailed' | tr -d '\r\0' | sed 's/\^@//g' | tail -n 1"
done
ok "pam-auth-update --disable nsjail" pam-auth-update --disable nsjail
ok "... the module is gone from common-session" sh -c '! grep -q pam_nsjail /etc/pam.d/common-session /etc/pam.d/common-session-noninteractive'
