#!/bin/bash
# cron: with pam_nsjail in /etc/pam.d/cron, a jailed user's job runs in the
# jail (the real Debian cron daemon, which opens a PAM session per job). cron
# starts jobs on the minute, so this test waits up to ~70 s.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
command -v cron >/dev/null || { skip "cron job runs jailed" "cron is not installed"; exit 0; }
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "own-home"; users = [ "alice" ]; services = [ "cron" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ]; } );
EOF2

# A private spool, /etc/cron.d and /etc/crontab: the host's jobs must not run
# here and ours must not land on the host.
mount -t tmpfs -o mode=0755 nsjtest-cron /var/spool/cron
install -d -m 1730 -o root -g crontab /var/spool/cron/crontabs
mount -t tmpfs -o mode=0755 nsjtest-crond /etc/cron.d
printf 'SHELL=/bin/sh\nPATH=/usr/bin:/bin\n' >"$T/crontab"
mount --bind "$T/crontab" /etc/crontab
job='* * * * * ls -A /home >/home/%s/cron.out 2>&1'
for u in alice bob; do
	printf "$job\n" $u >/var/spool/cron/crontabs/$u
	chown $u:crontab /var/spool/cron/crontabs/$u
	chmod 0600 /var/spool/cron/crontabs/$u
done
nsj_require cron -L 15
nsj_at_exit 'kill $(cat /run/crond.pid)'

for _ in $(seq 150); do
	[ -s /home/alice/cron.out ] && [ -s /home/bob/cron.out ] && break
	sleep 0.5
done
output_is "alice's cron job ran in her jail" alice cat /home/alice/cron.out
output_is "bob's cron job ran unjailed" "alice bob carol dave erin" sh -c 'echo $(cat /home/bob/cron.out)'
syslog_contains "the module logged the cron session" "pam_nsjail\(cron:session\).*user=alice"
output_is "cron itself kept its mount namespace" "$(readlink /proc/self/ns/mnt)" readlink "/proc/$(cat /run/crond.pid)/ns/mnt"
