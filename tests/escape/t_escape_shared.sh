#!/bin/bash
# shared = true never joins a namespace the helper did not build for this
# user, jail and policy: a user-made namespace (unshare -Urm, then waiting)
# named by a forged registry entry, an entry naming a dead pid, or one
# naming a root process that is not the keeper, are all detected; the login
# gets the real jail (a fresh one) or is refused, never the other namespace.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "sh"; users = [ "alice" ]; private_tmp = true; shared = true; } );
EOF2
REG=/run/nsjail/shared
nsj_require nsj_sshd_start

# The real jail first: its registry entry is what we forge.
as_user alice 'echo real >/tmp/mark; sleep 60 </dev/null >/dev/null 2>&1 &' >/dev/null
entry=$(ls "$REG" 2>/dev/null | grep '^2001-' | head -1)
nsj_require test -n "$entry"
output_is "the real jail is shared" real as_user alice 'cat /tmp/mark'

# alice's own namespace: a user+mount namespace with a marker in /tmp.
setpriv --reuid=2001 --regid=2001 --clear-groups unshare -Urm --fork sh -c \
	'mount -t tmpfs x /tmp && echo evil >/tmp/mark && exec sleep 1000' &
nsj_at_exit "pkill -f 'sleep 1000'"
sleep 0.5
evil=$(pgrep -u 2001 -fx 'sleep 1000')
nsj_require test -n "$evil"
mnt=$(stat -Lc '%d:%i' /proc/$evil/ns/mnt)

forge() { # forge PID MNT: the entry names PID (and the ns identity MNT)
	sed -i -e "s/^pid=.*/pid=$1/" -e "s/^mnt=.*/mnt=$2/" "$REG/$entry"
}
cp "$REG/$entry" "$T/entry.orig"

# Each forged entry is tried by su and by sshd (the entry is forged again
# before each: a login that finds it stale replaces it).
try() { # try DESC PID MNT PATTERN CHECK: neither su nor ssh outputs PATTERN
	forge "$2" "$3"
	output_lacks "$1 (su)" "$4" as_user alice "$5"
	forge "$2" "$3"
	output_lacks "$1 (ssh)" "$4" nsj_ssh alice "$5"
}
try_is() { # try_is DESC PID MNT EXPECTED CHECK: su and ssh both output EXPECTED
	forge "$2" "$3"
	output_is "$1 (su)" "$4" as_user alice "$5"
	forge "$2" "$3"
	output_is "$1 (ssh)" "$4" nsj_ssh alice "$5"
}
look='cat /tmp/mark 2>/dev/null; echo done'
try "entry -> alice's unshare process: never joined" "$evil" "$mnt" evil "$look"
try "entry -> alice's process, the real ns identity: never joined" "$evil" "$(grep '^mnt=' "$T/entry.orig" | cut -d= -f2)" evil "$look"
sleep 300 & rootp=$!
nsj_at_exit "kill $rootp"
echo host >/tmp/hostmark
try "entry -> a root process that is not the keeper: never joined" "$rootp" "$(stat -Lc '%d:%i' /proc/$rootp/ns/mnt)" real "$look"
try_is "entry -> root process: the login is still jailed (private /tmp)" "$rootp" "$(stat -Lc '%d:%i' /proc/$rootp/ns/mnt)" absent 'test -e /tmp/hostmark && echo host || echo absent'
sh -c 'exit 0' & dead=$!; wait $dead
try "entry -> a dead pid: never joined" "$dead" "$mnt" evil "$look"
try_is "entry -> dead pid: the login gets a jail (not the host's /tmp)" "$dead" "$mnt" absent 'test -e /tmp/hostmark && echo host || echo absent'
ok "the stale entry was replaced by a live keeper's" sh -c "p=\$(sed -n 's/^pid=//p' $REG/$entry); test \"\$(cat /proc/\$p/comm)\" = nsjail-keeper"
