# shellcheck shell=bash
# The cron tests' shared part (sourced after functions.sh, inside the
# sandbox; the real Debian cron daemon opens a PAM session per job):
#   cron_private          a private spool, /etc/cron.d and /etc/crontab: the
#                         host's jobs do not run here, ours never reach the host
#   cron_job USER LINE    USER's crontab is the one job LINE (no "%" in it:
#                         cron makes that a newline)
#   cron_start            the daemon, logging every job (-L 15), killed at exit
#   cron_wait SECS FILE...  until every FILE is non-empty: cron starts jobs on
#                         the minute (and a loaded machine may miss one);
#                         status 1 after SECS

cron_private() {
	mount -t tmpfs -o mode=0755 nsjtest-cron /var/spool/cron
	install -d -m 1730 -o root -g crontab /var/spool/cron/crontabs
	mount -t tmpfs -o mode=0755 nsjtest-crond /etc/cron.d
	printf 'SHELL=/bin/sh\nPATH=/usr/bin:/bin\n' >"$T/crontab"
	mount --bind "$T/crontab" /etc/crontab
}

cron_job() {
	printf '%s\n' "$2" >"/var/spool/cron/crontabs/$1"
	chown "$1:crontab" "/var/spool/cron/crontabs/$1"
	chmod 0600 "/var/spool/cron/crontabs/$1"
}

cron_start() {
	nsj_require cron -L 15
	# shellcheck disable=SC2016 # read when the test exits
	nsj_at_exit 'kill $(cat /run/crond.pid)'
}

cron_wait() {
	local f all secs=$1
	shift
	for _ in $(seq $((secs * 2))); do
		all=1
		for f in "$@"; do [ -s "$f" ] || all=0; done
		[ "$all" = 1 ] && return 0
		sleep 0.5
	done
	return 1
}
