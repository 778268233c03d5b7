#!/bin/bash
# The module enabled the Debian way, by the real pam-auth-update with the
# project's profile (conf/pam-configs/nsjail): the line lands at the end of
# common-session and common-session-noninteractive, which Debian's sshd and
# cron files follow with pam_limits and pam_env. Those still work in a
# hidden-path jail (the host's /etc); in a root jail they read the jail's
# /etc, where /etc/security/limits.conf is missing, so the required pam_limits
# refuses the sshd session (closed, never opened unjailed) unless the jail
# binds /etc/security in or the service file carries the explicit last line
# (README: "Per service"). runuser's stack does not include common-session:
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
{ cat /etc/security/limits.conf; echo "alice hard nofile 777"; echo "erin hard nofile 778"; } >"$T/limits.conf"
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

# root jail: su (common-session is su's last session line) works; sshd's
# pam_limits then reads the jail's /etc and fails: refused, never unjailed.
output_is "profile, root jail: su - works (common-session is last in su)" erin su - erin -c 'ls -A /home'
nsj_syslog_mark
_nsj_run nsj_ssh erin 'echo OPENED; cat /srv/host-only'
if [ "$NSJ_RC" -ne 0 ] && ! grep -q -e OPENED -e secret "$T/out"; then pass "profile, root jail: sshd refuses the session (pam_limits after the module), never opens it unjailed"
else fail "profile, root jail: sshd refuses the session (pam_limits after the module), never opens it unjailed" "$(_nsj_show ssh erin)"; fi
syslog_contains "... because pam_limits cannot read the jail's /etc/security/limits.conf" "pam_limits\(sshd:session\): cannot read settings from /etc/security/limits.conf"

# Either fix: bind /etc/security into the root jail ...
conf '"/usr", "/etc/security"'
output_is "profile, root jail with bind_ro /etc/security: sshd works, jailed" "erin:jailed" nsj_ssh erin 'echo "$(ls -A /home):$(test -e /srv/host-only && echo host || echo jailed)"'
output_is "... and pam_limits read the bound limits.conf" 778 nsj_ssh erin 'ulimit -Hn'
# ... or, for root jails, the explicit line last in each service file
# INSTEAD of the profile (with both, common-session's copy still runs first).
conf '"/usr"'
{ echo "# pam_nsjail: last among session modules"; nsj_pam_line; } >>/etc/pam.d/sshd
fails "profile AND an explicit line: still refused (the profile's copy runs before pam_limits)" nsj_ssh erin true
ok "pam-auth-update --disable nsjail" pam-auth-update --disable nsjail
ok "... the module is gone from common-session" sh -c '! grep -q pam_nsjail /etc/pam.d/common-session /etc/pam.d/common-session-noninteractive'
output_is "explicit last line in sshd only: root jail works, jailed" "erin:jailed" nsj_ssh erin 'echo "$(ls -A /home):$(test -e /srv/host-only && echo host || echo jailed)"'
output_is "... and pam_limits (before the module now) applied" 778 nsj_ssh erin 'ulimit -Hn'
