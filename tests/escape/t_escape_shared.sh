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

forge "$evil" "$mnt"
output_lacks "entry -> alice's unshare process: never joined" evil as_user alice 'cat /tmp/mark 2>/dev/null; echo done'
forge "$evil" "$(grep '^mnt=' "$T/entry.orig" | cut -d= -f2)"
output_lacks "entry -> alice's process, the real ns identity: never joined" evil as_user alice 'cat /tmp/mark 2>/dev/null; echo done'
sleep 300 & rootp=$!
nsj_at_exit "kill $rootp"
forge "$rootp" "$(stat -Lc '%d:%i' /proc/$rootp/ns/mnt)"
echo host >/tmp/hostmark
output_lacks "entry -> a root process that is not the keeper: never joined" real as_user alice 'cat /tmp/mark 2>/dev/null; echo done'
output_is "entry -> root process: the login is still jailed (private /tmp)" absent as_user alice 'test -e /tmp/hostmark && echo host || echo absent'
sh -c 'exit 0' & dead=$!; wait $dead
forge "$dead" "$mnt"
output_lacks "entry -> a dead pid: never joined" evil as_user alice 'cat /tmp/mark 2>/dev/null; echo done'
output_is "entry -> dead pid: the login gets a jail (not the host's /tmp)" absent as_user alice 'test -e /tmp/hostmark && echo host || echo absent'
ok "the stale entry was replaced by a live keeper's" sh -c "p=\$(sed -n 's/^pid=//p' $REG/$entry); test \"\$(cat /proc/\$p/comm)\" = nsjail-keeper"
