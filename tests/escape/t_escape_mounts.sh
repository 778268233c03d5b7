#!/bin/bash
# Escape class 1 (SPEC §8): unmount, move or remount the jail's mounts, as
# the user and from a user namespace of hers (unshare -Urm, -Urmpf); mount a
# fresh proc/sysfs to see past a hidden path. The jail's mounts must arrive
# locked in any namespace the user makes: umount/move EINVAL, clearing a
# read-only, nosuid flag EPERM, a non-recursive bind of a tree with a hidden
# path under it EINVAL.
. "$NSJ_SRC/tests/escape/escape.sh"
. "$NSJ_SRC/tests/lib/jails.sh"
esc_setup
mkdir -p /srv/secret /srv/ro
echo "top secret" >/srv/secret/data
echo "read only" >/srv/ro/file
chmod -R a+rX /srv
chmod 0777 /srv/ro/file # only the jail makes it read-only
nsj_config_hide_and_root 'inaccessible = [ "/srv/secret" ]; read_only = [ "/srv/ro" ];' \
	'{ name = "hide-proc-sys"; users = [ "carol" ]; inaccessible = [ "/proc/cmdline", "/sys/kernel" ]; },'

# --- controls: the jail is in place, the probe works where it may ------------
fails "alice cannot read the hidden file (jail active)" as_user alice 'cat /srv/secret/data'
output_is "bob (unjailed) reads it" "top secret" as_user bob 'cat /srv/secret/data'
output_contains "alice cannot write the read-only path (jail active)" "Read-only file system" as_user alice 'echo x >>/srv/ro/file'
ok "bob (unjailed) can write it" as_user bob 'echo x >>/srv/ro/file'
output_is "control: in her own user namespace, alice unmounts a mount she made" "ok" \
	as_user alice "unshare -Urm sh -c 'mkdir -p /tmp/ctl && mount -t tmpfs x /tmp/ctl && $P umount /tmp/ctl'"
output_is "control: ... and makes her own read-only mount writable again" "ok" \
	as_user alice "unshare -Urm sh -c 'mkdir -p /tmp/ctl && mount -t tmpfs -o ro x /tmp/ctl && $P remount-bind-rw /tmp/ctl'"
output_is "control: ... and bind-mounts a tree without locked children" "ok" \
	as_user alice "unshare -Urm sh -c 'mkdir -p /tmp/ctl /tmp/ctl2 && $P bind /tmp/ctl /tmp/ctl2'"

# --- as the user, in the jail ------------------------------------------------
refused "umount of the hidden path: EPERM" EPERM as_user alice "$P umount /srv/secret"
refused "umount -l of the hidden path: EPERM" EPERM as_user alice "$P umount-l /srv/secret"
refused "umount of the jail's /home tmpfs: EPERM" EPERM as_user alice "$P umount /home"
refused "mount --move of the hidden path: EPERM" EPERM as_user alice "$P move /srv/secret /tmp"
refused "remount rw of the read-only path: EPERM" EPERM as_user alice "$P remount-rw /srv/ro"
refused "remount,bind,rw of the read-only path: EPERM" EPERM as_user alice "$P remount-bind-rw /srv/ro"
refused "mount_setattr clearing read-only: EPERM" EPERM as_user alice "$P setattr-rw /srv/ro"

# --- from unshare -Urm: the mounts arrive locked -----------------------------
U="unshare -Urm"
refused "unshare -Urm: umount of the hidden path: EINVAL (locked)" EINVAL as_user alice "$U $P umount /srv/secret"
refused "unshare -Urm: umount -l of the hidden path: EINVAL" EINVAL as_user alice "$U $P umount-l /srv/secret"
refused "unshare -Urm: umount of the /home tmpfs: EINVAL" EINVAL as_user alice "$U $P umount /home"
refused "unshare -Urm: mount --move of the hidden path: EINVAL" EINVAL \
	as_user alice "$U sh -c 'mkdir -p /tmp/m && $P move /srv/secret /tmp/m'"
refused "unshare -Urm: remount rw of the read-only path: EPERM" EPERM as_user alice "$U $P remount-rw /srv/ro"
refused "unshare -Urm: remount,bind,rw of the read-only path: EPERM" EPERM as_user alice "$U $P remount-bind-rw /srv/ro"
refused "unshare -Urm: mount_setattr clearing read-only: EPERM" EPERM as_user alice "$U $P setattr-rw /srv/ro"
refused "unshare -Urm: non-recursive bind of / (hidden path below): EINVAL" EINVAL \
	as_user alice "$U sh -c 'mkdir -p /tmp/m && $P bind / /tmp/m'"
refused "unshare -Urm: non-recursive bind of /srv: EINVAL" EINVAL \
	as_user alice "$U sh -c 'mkdir -p /tmp/m && $P bind /srv /tmp/m'"
refused "unshare -Urm: open_tree(OPEN_TREE_CLONE) of / without AT_RECURSIVE: EINVAL" EINVAL \
	as_user alice "$U $P open-tree /"
fails "unshare -Urm: a recursive bind of / still hides it" \
	as_user alice "$U sh -c 'mkdir -p /tmp/m && mount --rbind / /tmp/m && cat /tmp/m/srv/secret/data'"
fails "unshare -Urm: after every attempt the file is still hidden" \
	as_user alice "$U sh -c '$P umount-l /srv/secret; $P umount /srv/secret; mount --make-rprivate /; $P umount /srv/secret; cat /srv/secret/data'"
output_contains "unshare -Urm: the read-only path stays read-only" "Read-only file system" \
	as_user alice "$U sh -c '$P remount-bind-rw /srv/ro; echo x >>/srv/ro/file'"

# --- from unshare -Urmpf --mount-proc ----------------------------------------
U="unshare -Urmpf --mount-proc"
output_is "unshare -Urmpf: in a new PID namespace (control)" 1 as_user alice "$U sh -c 'echo \$\$'"
refused "unshare -Urmpf: umount of the hidden path: EINVAL" EINVAL as_user alice "$U $P umount /srv/secret"
refused "unshare -Urmpf: umount -l of the hidden path: EINVAL" EINVAL as_user alice "$U $P umount-l /srv/secret"
refused "unshare -Urmpf: remount,bind,rw of the read-only path: EPERM" EPERM as_user alice "$U $P remount-bind-rw /srv/ro"
refused "unshare -Urmpf: remount rw of the read-only path: EPERM" EPERM as_user alice "$U $P remount-rw /srv/ro"
fails "unshare -Urmpf: the hidden file stays hidden" as_user alice "$U sh -c '$P umount-l /srv/secret; cat /srv/secret/data'"

# --- a fresh proc or sysfs does not see past a hidden path -------------------
output_is "carol: /proc/cmdline is hidden (mode 0)" "0" as_user carol 'stat -c %a /proc/cmdline'
ok "bob reads /proc/cmdline (control)" as_user bob 'cat /proc/cmdline'
ok "bob lists /sys/kernel (control)" as_user bob 'ls /sys/kernel'
fails "carol cannot list /sys/kernel" as_user carol 'ls /sys/kernel'
output_is "control: alice (nothing hidden in /proc) mounts a fresh proc in unshare -Urmpf" ok \
	as_user alice "unshare -Urmpf sh -c 'mkdir -p /tmp/p && mount -t proc proc /tmp/p && test -r /tmp/p/cmdline && echo ok'"
fails "carol: a fresh proc in unshare -Urmpf does not show /proc/cmdline" \
	as_user carol "unshare -Urmpf sh -c 'mkdir -p /tmp/p; mount -t proc proc /tmp/p; cat /tmp/p/cmdline'"
output_contains "carol: ... the kernel refuses the mount (proc not fully visible)" "ermission denied" \
	as_user carol "unshare -Urmpf sh -c 'mkdir -p /tmp/p; mount -t proc proc /tmp/p'"
fails "carol: unshare --mount-proc cannot replace the jail's /proc" \
	as_user carol "unshare -Urmpf --mount-proc cat /proc/cmdline"
output_is "control: alice mounts a fresh sysfs in unshare -Urmpfn" ok \
	as_user alice "unshare -Urmpfn sh -c 'mkdir -p /tmp/s && mount -t sysfs sysfs /tmp/s && test -d /tmp/s/kernel && echo ok'"
fails "carol: a fresh sysfs in unshare -Urmpfn does not show /sys/kernel" \
	as_user carol "unshare -Urmpfn sh -c 'mkdir -p /tmp/s; mount -t sysfs sysfs /tmp/s; ls /tmp/s/kernel'"
fails "carol: the hidden /proc/cmdline stays hidden after umount attempts in unshare -Urm" \
	as_user carol "unshare -Urm sh -c '$P umount-l /proc/cmdline; cat /proc/cmdline'"

# --- a root jail --------------------------------------------------------------
EP=$(esc_probe_for erin)
output_is "erin's root is a tmpfs (jail active)" tmpfs as_user erin 'findmnt -no FSTYPE /'
refused "erin: umount of /usr: EPERM" EPERM as_user erin "$EP umount /usr"
refused "erin: unshare -Urm: umount of /usr: EINVAL" EINVAL as_user erin "unshare -Urm $EP umount /usr"
refused "erin: unshare -Urm: umount of /proc: EINVAL" EINVAL as_user erin "unshare -Urm $EP umount-l /proc"
refused "erin: unshare -Urm: remount,bind,rw of /usr: EPERM" EPERM as_user erin "unshare -Urm $EP remount-bind-rw /usr"
refused "erin: unshare -Urm: umount of / : EINVAL" EINVAL as_user erin "unshare -Urm $EP umount-l /"
refused "erin: unshare -Urmpf: umount of /usr: EINVAL" EINVAL as_user erin "unshare -Urmpf $EP umount /usr"
output_is "erin: /srv of the host is nowhere in her tree" absent as_user erin 'test -e /srv/secret || echo absent'
