#!/bin/bash
# Escape class 2 (SPEC §8): mount propagation in either direction, with the
# sandbox's "/" rshared as on a systemd host. While a jailed session lives,
# the host mounts under a hidden path, under a visible one, on the hidden
# path itself and over its parent: what is hidden must stay hidden. Mounts
# made inside the jail (by root, through nsenter: anything the session could
# do) never reach the host, and the callers' tables (the test shell's, sshd's
# listener's) do not change.
. "$NSJ_SRC/tests/escape/escape.sh"
. "$NSJ_SRC/tests/lib/jails.sh"
esc_setup
nsj_require mount --make-rshared /
output_is "the sandbox's / is shared (as under systemd)" shared sh -c "findmnt -no PROPAGATION / | cut -d, -f1"
mkdir -p /srv/secret /srv/visible /srv/ro /srv/parent/secret
echo "top secret" >/srv/secret/data
echo "top secret" >/srv/parent/secret/data
chmod -R a+rwX /srv
chmod 0755 /srv /srv/secret /srv/parent /srv/parent/secret
nsj_config_hide_and_root 'inaccessible = [ "/srv/secret", "/srv/parent/secret" ]; read_only = [ "/srv/ro" ];'

before=$(nsj_mounts)
esc_session alice
S=$ESC_PID
# in_jail CMD: CMD run by alice, in the namespace of the live session.
in_jail() { nsenter -t "$S" -m -S 2001 -G 2001 sh -c "$1"; }
# as_root_in_jail CMD: the same namespace, as root (sees past mode 0000).
as_root_in_jail() { nsenter -t "$S" -m sh -c "$1"; }

ok "the session has its own mount namespace" test "$(readlink /proc/$S/ns/mnt)" != "$(readlink /proc/self/ns/mnt)"
output_is "the jail's / is private: nothing goes out, nothing comes in" "private" \
	as_root_in_jail 'findmnt -no PROPAGATION /'
fails "the hidden path is hidden in the session (control)" in_jail 'cat /srv/secret/data'
output_is "the caller's table is unchanged while the session lives" "$before" nsj_mounts

# --- host -> jail --------------------------------------------------------------
mkdir -p /srv/visible/sub /srv/secret/sub /srv/ro/sub
nsj_require mount -t tmpfs -o mode=0777 esc-visible /srv/visible/sub
nsj_require mount -t tmpfs -o mode=0777 esc-under-hidden /srv/secret/sub
echo "arrived" >/srv/visible/sub/f
echo "leaked" >/srv/secret/sub/f
output_is "control: the host sees its new mount under a visible dir" "arrived" cat /srv/visible/sub/f
fails "a host mount under a visible dir does not arrive in the jail (private)" in_jail 'cat /srv/visible/sub/f'
fails "a host mount under the hidden dir: unreadable for alice" in_jail 'cat /srv/secret/sub/f'
output_is "a host mount under the hidden dir: not even root in the jail sees it" "" as_root_in_jail 'ls -A /srv/secret'
nsj_require mount -t tmpfs -o mode=0777 esc-on-hidden /srv/secret
echo "leaked" >/srv/secret/g
output_is "a host mount on the hidden dir itself: the jail still shows the empty node" "0" \
	as_root_in_jail 'echo $(stat -c %a /srv/secret) $(ls -A /srv/secret)'
fails "a host mount on the hidden dir itself: alice reads nothing" in_jail 'cat /srv/secret/g'

# A new file system over the parent of a hidden path (an admin's or an
# automounter's mount on /srv/parent): the jail's node for
# /srv/parent/secret is left below it. Expected to hold like the cases above.
mkdir -p "$T/newparent/secret"
echo "top secret" >"$T/newparent/secret/data"
chmod -R a+rX "$T/newparent"
nsj_require mount --bind "$T/newparent" /srv/parent
output_is "control: the host sees its new /srv/parent/secret/data" "top secret" cat /srv/parent/secret/data
fails "a host mount over the parent of a hidden path: the hidden path stays hidden" \
	in_jail 'cat /srv/parent/secret/data'

# A new mount under a read-only path arrives writable unless the jail keeps
# read_only on what arrives later.
nsj_require mount -t tmpfs -o mode=0777 esc-under-ro /srv/ro/sub
ok "control: the host writes to its new mount under /srv/ro" touch /srv/ro/sub/host-wrote
output_contains "a host mount under a read-only path: read-only in the jail" "Read-only file system" \
	in_jail 'touch /srv/ro/sub/jail-wrote'

# --- jail -> host --------------------------------------------------------------
after_host=$(nsj_mounts)
ok "root mounts a tmpfs inside the jail (on a visible path)" as_root_in_jail 'mount -t tmpfs esc-jailmade /srv/visible/sub'
ok "root mounts a tmpfs inside the jail (on a hidden path)" as_root_in_jail 'mount -t tmpfs esc-jailmade2 /srv/secret'
ok "root mounts over / inside the jail" as_root_in_jail 'mkdir -p /tmp/esc && mount -t tmpfs esc-jailmade3 /tmp/esc'
output_is "control: the jail sees its mount" "esc-jailmade" as_root_in_jail 'findmnt -no SOURCE /srv/visible/sub | tail -n 1'
output_lacks "none of the jail's mounts appear in the host's table" "esc-jailmade" nsj_mounts
output_is "the host's table is what it was before the jail mounted" "$after_host" nsj_mounts
esc_end_session
ok "the session is over" sh -c "! kill -0 $S 2>/dev/null"

# --- root jail ------------------------------------------------------------------
esc_session erin
S=$ESC_PID
mkdir -p /srv/visible/late
nsj_require mount -t tmpfs esc-late /srv/visible/late
output_is "a host mount does not appear in a tmpfs-root jail" absent \
	nsenter -t "$S" -m sh -c 'test -e /srv || echo absent'
output_lacks "the root jail's table has no esc-late" "esc-late" cat "/proc/$S/mountinfo"
esc_end_session

# --- the callers: su's and sshd's tables --------------------------------------
nsj_require nsj_sshd_start
sshd_before=$(cat "/proc/$NSJ_SSHD_PID/mountinfo")
mine_before=$(nsj_mounts)
fails "ssh alice: the hidden path is hidden" nsj_ssh alice 'cat /srv/secret/data'
esc_session alice ssh
S=$ESC_PID
ok "ssh alice: root mounts inside her ssh session's jail" nsenter -t "$S" -m mount -t tmpfs esc-sshjail /srv/visible/sub
output_is "sshd's listener table is unchanged" "$sshd_before" cat "/proc/$NSJ_SSHD_PID/mountinfo"
output_is "the test shell's table is unchanged" "$mine_before" nsj_mounts
output_lacks "nothing of the ssh session's jail reached the host" "esc-sshjail" nsj_mounts
esc_end_session
output_is "sshd's listener table is unchanged after the session" "$sshd_before" cat "/proc/$NSJ_SSHD_PID/mountinfo"
