#!/bin/bash
# The caller's mount table is the same before, during and after a jailed
# session: nothing the helper mounts shows up outside the jail, for a
# hidden-path jail and a root jail. t_mounts_rshared.sh runs this again with
# the sandbox's "/" made rshared first, as on a systemd host.
. "$NSJ_SRC/tests/lib/functions.sh"
. "$NSJ_SRC/tests/lib/jails.sh"
nsj_setup
if [ -n "${NSJ_MAKE_RSHARED:-}" ]; then
	nsj_require mount --make-rshared /
	output_is "the sandbox's / is shared (as under systemd)" shared sh -c "findmnt -no PROPAGATION / | cut -d, -f1"
fi
mkdir -p /srv/secret && touch /srv/secret/f && chmod -R a+rX /srv
nsj_config_hide_and_root 'inaccessible = [ "/srv/secret" ]; read_only = [ "/" ];
    read_write = [ "/home/%u" ]; private_tmp = true;'

before=$(nsj_mounts)
ns=$(readlink /proc/self/ns/mnt)
output_is "alice's jail is active (control)" alice as_user alice 'ls -A /home'
output_is "mount table unchanged after su alice" "$before" nsj_mounts
output_is "pamtester: alice jailed" success pam_rc alice
output_is "mount table unchanged after pamtester (caller joined and closed)" "$before" nsj_mounts
output_is "erin's tmpfs root is active (control)" tmpfs as_user erin 'findmnt -no FSTYPE /'
output_is "mount table unchanged after su erin" "$before" nsj_mounts

# A session that stays open while we look from outside.
for user in alice erin; do
	as_user $user 'exec sleep 120' >"$T/$user.sleep.out" 2>&1 &
	bg=$!
	pid=
	for _ in $(seq 100); do
		pid=$(pgrep -u $user -x sleep | head -n 1)
		[ -n "$pid" ] && break
		sleep 0.05
	done
	if [ -z "$pid" ]; then
		fail "$user's jailed sleep started" "$(cat "$T/$user.sleep.out")"
		continue
	fi
	su_pid=$(ps -o ppid= -p "$pid" | tr -d ' ')
	output_is "$user's session running: the sleep's parent is su" su nsj_prog "$su_pid"
	output_is "$user's session running: caller's mount table unchanged" "$before" nsj_mounts
	ok "$user's session running: it has its own mount namespace" \
		test "$(readlink /proc/$pid/ns/mnt)" != "$ns"
	ok "$user's session running: the waiting su parent is in the jail too" \
		test "$(readlink /proc/$su_pid/ns/mnt 2>/dev/null)" = "$(readlink /proc/$pid/ns/mnt)"
	ok "$user's session running: its mount table differs from the caller's" \
		test "$(cat /proc/$pid/mountinfo)" != "$before"
	output_is "$user's session running: the caller still sees every home" \
		"alice bob carol dave erin" sh -c 'echo $(ls /home)'
	kill "$pid" 2>/dev/null
	wait "$bg" 2>/dev/null
	output_is "$user's session over: mount table unchanged" "$before" nsj_mounts
done
output_is "the caller's mount namespace is the same" "$ns" readlink /proc/self/ns/mnt
