#!/bin/bash
# private_pids with the real Debian cron daemon (a PAM session per job): the
# job runs in the session's PID namespace, sees no host process, and its
# init is gone once the job is. cron starts jobs on the minute, so this test
# waits up to ~75 s.
. "$NSJ_SRC/tests/lib/functions.sh"
. "$NSJ_SRC/tests/lib/cron.sh"
nsj_setup
command -v cron >/dev/null || { skip "cron job in a private PID namespace" "cron is not installed"; exit 0; }
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "pids"; users = [ "alice" ]; services = [ "cron" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ]; private_pids = true; } );
EOF2
sleep 1001 & root_pid=$!
nsj_at_exit "kill $root_pid"

cron_private
cron_job alice "* * * * * { cat /proc/1/comm; ps -e -o comm=; kill -0 $root_pid; } >/home/alice/cron.tmp 2>&1; mv /home/alice/cron.tmp /home/alice/cron.out"
cron_start

cron_wait 75 /home/alice/cron.out
output_is "the job's PID 1 is the session's init" nsjail-init sed -n 1p /home/alice/cron.out
output_lacks "the job's ps -e shows no host process" sleep cat /home/alice/cron.out
output_contains "the job cannot signal a host process (ESRCH)" "No such process" cat /home/alice/cron.out
syslog_contains "the module logged the cron session" "pam_nsjail\(cron:session\).*user=alice service=cron rhost=- tty=cron jail=pids"
ok "after the job, its init is gone" sh -c 'for i in $(seq 50); do pgrep -f "^nsjail-helper" >/dev/null || exit 0; sleep 0.1; done; exit 1'
