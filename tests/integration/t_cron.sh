#!/bin/bash
# cron: with pam_nsjail in /etc/pam.d/cron, a jailed user's job runs in the
# jail (the real Debian cron daemon, which opens a PAM session per job). cron
# starts jobs on the minute, so this test waits up to ~70 s.
. "$NSJ_SRC/tests/lib/functions.sh"
. "$NSJ_SRC/tests/lib/cron.sh"
nsj_setup
command -v cron >/dev/null || { skip "cron job runs jailed" "cron is not installed"; exit 0; }
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "own-home"; users = [ "alice" ]; services = [ "cron" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ]; } );
EOF2

# A private spool, /etc/cron.d and /etc/crontab: the host's jobs must not run
# here and ours must not land on the host.
cron_private
for u in alice bob; do cron_job $u "* * * * * ls -A /home >/home/$u/cron.out 2>&1"; done
cron_start

cron_wait 75 /home/alice/cron.out /home/bob/cron.out
output_is "alice's cron job ran in her jail" alice cat /home/alice/cron.out
output_is "bob's cron job ran unjailed" "alice bob carol dave erin" sh -c 'echo $(cat /home/bob/cron.out)'
syslog_contains "the module logged the cron session" "pam_nsjail\(cron:session\).*user=alice"
output_is "cron itself kept its mount namespace" "$(readlink /proc/self/ns/mnt)" readlink "/proc/$(cat /run/crond.pid)/ns/mnt"
