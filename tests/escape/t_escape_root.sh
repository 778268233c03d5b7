#!/bin/bash
# Escape class 3 (SPEC §8): leave a root jail (tmpfs root and on-disk root),
# through su and through sshd: ".." above /, the chroot double escape (as the
# user, and as "root" of her own user namespace), /proc/self/root,
# /proc/1/root, /proc/PID/root and /cwd of root's and other users'
# processes outside, ptrace of them, and fds inherited from the caller or the
# helper.
#
# Known residual risk (SPEC §8, README "Security"): the jail shares the PID
# namespace, so the user's OWN processes outside any PAM stack remain
# reachable through /proc/PID/root; this test attacks other users' and
# root's processes only.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
mkdir -p /srv/secret /srv/bobdir
echo "top secret" >/srv/secret/data
chmod -R a+rX /srv
chown bob /srv/bobdir
mkdir -m 0755 /srv/jails
nsj_make_root /srv/jails/dave
mkdir -m 0755 /srv/jails/dave/home/dave
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "tmpfs-root";
    users = [ "erin" ];
    root = "tmpfs";
    bind_ro = [ "/usr" ];
    bind = [ "/home/%u" ];
  },
  {
    name = "disk-root";
    users = [ "dave" ];
    root = "/srv/jails/%u";
    bind_ro = [ "/usr" ];
    bind = [ "/home/%u" ];
  }
);
EOF2

# Processes outside every jail: root's (cwd in the secret dir) and bob's.
(cd /srv/secret && exec sleep 300) &
ROOTPID=$!
nsj_at_exit "kill $ROOTPID"
setpriv --reuid bob --regid bob --clear-groups sh -c 'cd /srv/bobdir && exec sleep 300' &
BOBPID=$!
nsj_at_exit "kill $BOBPID"
for _ in $(seq 200); do
	[ "$(readlink /proc/$ROOTPID/cwd)" = /srv/secret ] && [ "$(readlink /proc/$BOBPID/cwd)" = /srv/bobdir ] && break
	sleep 0.05
done
output_is "control: bob reads his own process's cwd from outside" /srv/bobdir \
	setpriv --reuid bob --regid bob --clear-groups readlink /proc/$BOBPID/cwd
output_is "control: root chroots (the probe works)" ok "$P" chroot /
nsj_require nsj_sshd_start

# The jail root's entries as the host's "/" would never list them: a tmpfs
# root and /srv/jails/dave have no srv, var or boot.
host_only() { grep -E '^entry: (srv|var|boot|root)$'; }

for who in erin:su dave:su erin:ssh; do
	user=${who%:*} via=${who#*:}
	# over ssh (about a second per command) the main attacks only
	su_only() { [ "$via" = su ]; }
	EP=$(esc_probe_for "$user")
	if [ "$via" = ssh ]; then run() { nsj_ssh "$user" "$1"; }; else run() { as_user "$user" "$1"; }; fi
	t="$user ($via)"
	output_lacks "$t: in a root jail, no /srv (control)" "srv" run 'ls /'
	fails "$t: the secret is not reachable by path" run 'cat /srv/secret/data'

	# ".." at /
	output_is "$t: cd .. at / stays at /" "/" run 'cd / && cd ../../.. && pwd -P'
	run "$EP updir" >"$T/updir" 2>&1
	ok "$t: chdir(\"..\") x256 ends at the jail's root" \
		test "$(sed -n 's/^dot: //p' "$T/updir")" = "$(sed -n 's/^root: //p' "$T/updir")"
	fails "$t: ... which lists no host-only entry" host_only <"$T/updir"
	output_is "$t: /proc/self/root is /" "/" run 'readlink /proc/self/root'
	su_only && output_is "$t: /proc/self/root/.. lists the jail's root" "$(run 'echo $(ls -A /)')" run 'echo $(ls -A /proc/self/root/..)'

	# chroot double escape
	su_only && refused "$t: chroot as the user: EPERM" EPERM run "$EP chroot /tmp"
	refused "$t: the double escape as the user: EPERM" EPERM run "$EP chroot-escape /tmp/esc-c"
	run "unshare -Ur $EP chroot-escape /tmp/esc-c" >"$T/chroot" 2>&1
	output_contains "$t: unshare -Ur: the double escape runs (CAP_SYS_CHROOT in her namespace)" "dot:" cat "$T/chroot"
	ok "$t: unshare -Ur: ... and lands on the jail's root" \
		test "$(sed -n 's/^dot: //p' "$T/chroot")" = "$(sed -n 's/^root: //p' "$T/chroot")"
	fails "$t: unshare -Ur: ... with no host-only entry" host_only <"$T/chroot"
	su_only && fails "$t: unshare -Urm: the old root is not mounted anywhere to climb back to" \
		run "unshare -Urm sh -c 'findmnt -rn -o TARGET | grep -x /srv'"

	# /proc/PID/{root,cwd} of processes outside
	# The PID namespace is shared, but /proc is hidepid=invisible: other
	# users' processes are not even listed.
	fails "$t: root's process outside is not listed in /proc (hidepid=invisible)" run "test -d /proc/$ROOTPID"
	refused "$t: /proc/1/root (the sandbox's init, root): ENOENT" ENOENT run "$EP stat /proc/1/root/"
	su_only && refused "$t: /proc/1/cwd: ENOENT" ENOENT run "$EP stat /proc/1/cwd/"
	refused "$t: /proc/ROOTPID/root of root's sleep: ENOENT" ENOENT run "$EP stat /proc/$ROOTPID/root/"
	refused "$t: /proc/ROOTPID/cwd (in the secret dir): ENOENT" ENOENT run "$EP stat /proc/$ROOTPID/cwd/"
	su_only && fails "$t: reading the secret through root's cwd fails" run "cat /proc/$ROOTPID/cwd/data"
	refused "$t: /proc/BOBPID/root of another user's process: ENOENT" ENOENT run "$EP stat /proc/$BOBPID/root/"
	su_only && refused "$t: /proc/BOBPID/cwd: ENOENT" ENOENT run "$EP stat /proc/$BOBPID/cwd/"
	refused "$t: ptrace of root's process: EPERM" EPERM run "$EP ptrace $ROOTPID"
	su_only && refused "$t: ptrace of bob's process: EPERM" EPERM run "$EP ptrace $BOBPID"
	su_only && output_is "$t: control: ptrace of her own jailed process works" ok \
		run "sleep 30 & p=\$!; $EP ptrace \$p; kill \$p"

	# fds: nothing of the caller or the helper
	run "$EP fdwalk" >"$T/fdwalk" 2>&1
	root_id=$(sed -n 's/^root: //p' "$T/fdwalk")
	output_is "$t: every directory fd the session holds climbs only to the jail's root" "" \
		sh -c "grep '^fd ' '$T/fdwalk' | grep -v ': $root_id\$'; true"
	# The same probe run unjailed by bob the same way: the module must add
	# nothing (no helper socket, no namespace or directory fd).
	run "exec $EP fds" | sed 's/\[[0-9]*\]/[]/' | sort >"$T/fds" 2>&1
	if [ "$via" = ssh ]; then
		nsj_ssh bob "exec $P fds" | sed 's/\[[0-9]*\]/[]/' | sort >"$T/fds.bob"
	else
		as_user bob "exec $P fds" | sed 's/\[[0-9]*\]/[]/' | sort >"$T/fds.bob"
	fi
	output_is "$t: the jailed shell holds exactly the fds an unjailed one does" "$(cat "$T/fds.bob")" cat "$T/fds"
	su_only && output_lacks "$t: no socket among them" "socket:" cat "$T/fds"
	output_lacks "$t: no directory among them" "/srv" cat "$T/fds"
	if su_only; then output_lacks "$t: no namespace fd among them" "mnt:" cat "$T/fds"; fi
done
# The user's own processes outside the jail (/proc/PID/root, ptrace) are
# reachable without private_pids (SPEC §8 residual risk); with it they
# cannot be named: attacked in tests/integration/t_private_pids.sh.
