#!/bin/bash
# private_network, private_ipc, no_new_privileges, restrict_namespaces and
# scope_ipc with the real Debian cron daemon (a PAM session per job, opened
# and closed by cron's job child): the job reaches no host TCP service,
# lists no host SysV segment, a setuid program does not elevate in it, it
# makes no user namespace and cannot signal alice's own process outside. cron starts jobs on the
# minute, so this test waits up to ~75 s. The controls are in
# t_private_network.sh, t_private_ipc.sh, t_no_new_privs.sh,
# escape/t_escape_namespaces.sh and t_scope_ipc.sh.
if [ -z "${NSJ_OWN_IPC:-}" ]; then
	NSJ_OWN_IPC=1 exec unshare --ipc -- /bin/bash "$0" "$@"
fi
. "$NSJ_SRC/tests/lib/functions.sh"
. "$NSJ_SRC/tests/lib/cron.sh"
nsj_setup
command -v cron >/dev/null || { skip "cron job in an isolated jail" "cron is not installed"; exit 0; }
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "iso"; users = [ "alice" ]; services = [ "cron" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ];
            private_network = true; private_ipc = true; no_new_privileges = true;
            restrict_namespaces = true; scope_ipc = true; } );
EOF2
install -m 0644 "$NSJ_SRC/tests/lib/netprobe.py" "$T/netprobe.py"
python3 "$T/netprobe.py" serve 7102 "nsjtest-abs-$$" >/dev/null 2>&1 &
nsj_at_exit "kill $!"
install -d -m 0755 "$T/suid" && cp /usr/bin/id "$T/suid/id" && chmod 4755 "$T/suid/id"
key=$(ipcmk -M 4096 | sed -n 's/^Shared memory id: //p')
key=$(ipcs -m | awk -v id="$key" '$2 == id { print $1 }')
nsj_require test -n "$key"
# alice's own process outside any jail: the job's signal target.
setpriv --reuid=alice --regid="$(id -g alice)" --clear-groups sleep 600 &
outside=$!
nsj_at_exit "kill $outside"
for _ in $(seq 50); do [ "$(python3 "$T/netprobe.py" tcp 127.0.0.1:7102)" = HOST-TCP ] && break; sleep 0.1; done

cron_private
cron_job alice "* * * * * { python3 $T/netprobe.py tcp 127.0.0.1:7102; echo segments=\$(ipcs -m | grep -c $key); $T/suid/id -u; unshare -Ur true 2>/dev/null && echo userns=ok || echo userns=EPERM; kill -CONT $outside 2>/dev/null && echo signal=ok || echo signal=EPERM; } >/home/alice/cron.tmp 2>&1; mv /home/alice/cron.tmp /home/alice/cron.out"
cron_start

cron_wait 75 /home/alice/cron.out
output_is "the job cannot reach the host's TCP service" ECONNREFUSED sed -n 1p /home/alice/cron.out
output_is "the job lists no host SysV segment" segments=0 sed -n 2p /home/alice/cron.out
output_is "the setuid id runs as alice in the job" "$(id -u alice)" sed -n 3p /home/alice/cron.out
output_is "the job makes no user namespace (unshare -Ur fails)" userns=EPERM sed -n 4p /home/alice/cron.out
output_is "the job cannot signal alice's own process outside" signal=EPERM sed -n 5p /home/alice/cron.out
syslog_contains "the module logged the cron session" "pam_nsjail\(cron:session\).*user=alice service=cron rhost=[^ ]* tty=[^ ]* jail=iso"
for _ in $(seq 30); do grep -qE "cron:session.*session closed for user alice" "$T/syslog" && break; sleep 0.1; done
syslog_contains "cron closed the job's session" "cron:session\).*session closed for user alice"
