#!/bin/bash
# Every process that entered a shared jail stays within reach of `nsjailctl
# status` and `stop` and is counted by the keeper, whatever namespaces it
# makes later (a shared jail is always its own PID namespace: a process
# cannot leave one), also after the helper is replaced on disk (as dpkg
# does, by rename). Through real su and sshd.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "sh"; users = [ "alice", "bob" ]; private_tmp = true; shared = true; } );
EOF2
NSJ=$NSJ_BUILD/nsjailctl
nsj_require nsj_sshd_start

gone() { # gone PATTERN: no process matching, within 5 s
	local i
	for i in $(seq 50); do
		pgrep -f -- "$1" >/dev/null || return 0
		sleep 0.1
	done
	pgrep -af -- "$1"
	return 1
}
keepers() { pgrep -cx nsjail-keeper; }
status() { "$NSJ" status --helper "$1"; }

# --- nested namespaces: su and ssh each leave one ------------------------
ok "su: a process in a nested user+mount namespace, detached" \
	as_user alice 'setsid unshare -Urm sleep 1001 </dev/null >/dev/null 2>&1 & echo'
ok "ssh: another one" nsj_ssh alice 'setsid unshare -Urm sleep 1002 </dev/null >/dev/null 2>&1 & echo'
sleep 2.5 # two keeper ticks: every login has left
ok "only the nested processes are left" sh -c 'pgrep -f "sleep 100[12]" >/dev/null && ! pgrep -u alice -x sh >/dev/null'
output_is "the keeper still counts them: it lives" 1 keepers
output_contains "status lists the jail while only they are left" "alice" status "$NSJ_HELPER"
output_is "status counts both" 2 sh -c "'$NSJ' status --helper '$NSJ_HELPER' | awk '\$1 == \"alice\" { print \$3 }'"
output_contains "stop alice reports it stopped" "stopped alice/sh" "$NSJ" stop --helper "$NSJ_HELPER" alice
ok "stop: the su-made nested process is gone" gone "sleep 1001"
ok "stop: the ssh-made nested process is gone" gone "sleep 1002"
ok "stop: no keeper is left" sh -c 'for i in $(seq 50); do pgrep -x nsjail-keeper >/dev/null || exit 0; sleep 0.1; done; exit 1'

# --- a survivor of an older policy is out of reach of the next login ------
mkdir -p -m 0755 /srv/later && echo later-secret >/srv/later/x && chmod 0644 /srv/later/x
as_user alice 'setsid unshare -Urm sleep 1005 </dev/null >/dev/null 2>&1 & echo' >/dev/null
sleep 1.5
sed -i 's|shared = true; }|shared = true; inaccessible = [ "/srv/later" ]; }|' "$T/nsjail.conf"
nsj_require grep -q later "$T/nsjail.conf"
output_is "policy tightened: the next login cannot read /srv/later" hidden as_user alice 'cat /srv/later/x 2>/dev/null || echo hidden'
output_is "... nor through /proc/PID/root of the old jail's survivor" none \
	as_user alice 'cat /proc/[0-9]*/root/srv/later/x 2>/dev/null || echo none'
"$NSJ" stop --helper "$NSJ_HELPER" alice >/dev/null
ok "stop: the survivor is gone" gone "sleep 1005"

# --- the helper replaced on disk while a jail is live ---------------------
# A copy of the helper the PAM stacks use, replaced as dpkg does.
H=$T/libexec/nsjail-helper
mkdir -p -m 0755 "$T/libexec" && cp "$NSJ_HELPER" "$H" && chmod 0755 "$H"
sed -i "s|helper=$NSJ_HELPER|helper=$H|" "$T"/pam.d/*
nsj_require grep -q "helper=$H" /etc/pam.d/su
as_user alice 'echo v1 >/tmp/ver; sleep 1003 </dev/null >/dev/null 2>&1 & echo' >/dev/null
output_is "before the upgrade: status lists the jail" 1 sh -c "'$NSJ' status --helper '$H' | grep -c '^alice '"
# bob's entry as the previous version wrote it: without the keeper's
# executable (then the keeper's exe link, "HELPER (deleted)", proves it).
as_user bob 'sleep 1004 </dev/null >/dev/null 2>&1 & echo' >/dev/null
sed -i '/^exe=/d' /run/nsjail/shared/2003-*
nsj_require sh -c '! grep -q ^exe= /run/nsjail/shared/2003-*'
cp "$H" "$H.new" && mv "$H.new" "$H"
output_is "after the upgrade: status still lists it" 1 sh -c "'$NSJ' status --helper '$H' | grep -c '^alice '"
output_contains "... as of the old version" "old version" status "$H"
output_is "after the upgrade: a login gets a fresh jail, not the old one" absent as_user alice 'test -e /tmp/ver && cat /tmp/ver || echo absent'
output_is "... and status lists both" 2 sh -c "'$NSJ' status --helper '$H' | grep -c '^alice '"
output_contains "stop ends the old one too" "stopped alice/sh" "$NSJ" stop --helper "$H" alice
ok "stop: the old jail's process is gone" gone "sleep 1003"
output_is "stop: nothing is listed" 0 sh -c "'$NSJ' status --helper '$H' | grep -c '^alice ' || true"
output_contains "an entry of the previous version (no exe=) is listed after the upgrade" "bob " status "$H"
output_contains "... and stopped" "stopped bob/sh" "$NSJ" stop --helper "$H" bob
ok "stop: its process is gone" gone "sleep 1004"
