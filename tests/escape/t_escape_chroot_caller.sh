#!/bin/bash
# A PAM caller inside a chroot (a service that opens sessions from one):
# setns into the jail resets the caller's root to the namespace's root,
# outside the chroot, where a jail built on the chroot's paths does not
# apply. The module must refuse such a session, never land it on the real
# root. The chroot here is a recursive bind of "/" with a marker that
# exists only inside it (a tmpfs on its /mnt).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "hide"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2
mkdir -p /srv/secret && echo top-secret >/srv/secret/x
C=$T/croot
mkdir -p "$C"
nsj_require mount --rbind / "$C"
nsj_require mount --make-rprivate "$C"
nsj_require mount -t tmpfs -o mode=0755 nsjtest-chroot "$C/mnt"
echo inside >"$C/mnt/chroot-marker"
nsj_require test ! -e /mnt/chroot-marker

# shellcheck disable=SC2016 # expanded in the session
probe='test -e /mnt/chroot-marker && echo IN-CHROOT || echo ON-THE-REAL-ROOT'
output_is "control: bob (unjailed) su inside the chroot stays in it" IN-CHROOT \
	chroot "$C" su -s /bin/sh bob -c "$probe"
nsj_syslog_mark
output_lacks "alice (jailed) su inside the chroot never lands on the real root" ON-THE-REAL-ROOT \
	sh -c "chroot '$C' su -s /bin/sh alice -c '$probe' 2>&1; true"
output_contains "... her session is refused" "cannot open session" \
	chroot "$C" su -s /bin/sh alice -c "$probe"
syslog_contains "... and the log says why" "pam_nsjail.*user=alice .*chroot"
# refused before the helper runs: no jail was built for it (the module
# logs "mounts=" once a jail is built, before it joins)
fails "... and refused before anything was built" nsj_syslog_grep "pam_nsjail.*user=alice .*mounts="
output_lacks "nsjailctl run alice inside the chroot never lands on the real root" ON-THE-REAL-ROOT \
	sh -c "chroot '$C' '$NSJ_BUILD/nsjailctl' run -c '$T/nsjail.conf' --helper '$NSJ_HELPER' alice -- /bin/sh -c '$probe' 2>&1; true"
output_is "control: alice's jail outside a chroot works" top-secret-hidden \
	as_user alice 'cat /srv/secret/x 2>/dev/null || echo top-secret-hidden'

# shared = true: a login from inside the chroot that would JOIN alice's
# live shared jail (no helper run, no build) is refused just the same.
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "hide"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; shared = true; } );
EOF2
as_user alice 'sleep 120 </dev/null >/dev/null 2>&1 &' >/dev/null
nsj_at_exit "pkill -u alice -x sleep"
output_is "shared: alice's jail is live (one keeper)" 1 pgrep -cx nsjail-keeper
output_lacks "shared: alice su inside the chroot never lands on the real root (joining)" ON-THE-REAL-ROOT \
	sh -c "chroot '$C' su -s /bin/sh alice -c '$probe' 2>&1; true"
output_contains "shared: ... her session is refused" "cannot open session" \
	chroot "$C" su -s /bin/sh alice -c "$probe"
output_is "shared: control: alice outside the chroot joins her jail" top-secret-hidden \
	as_user alice 'cat /srv/secret/x 2>/dev/null || echo top-secret-hidden'
