#!/bin/bash
# Escape class 8 (SPEC §8): /proc, /sys and /dev of a root jail (tmpfs root
# and on-disk root) must not expose the host: a fresh procfs (root's
# environ, /proc/kcore unreadable), a read-only /sys that stays read-only, a
# /dev with only the minimal nodes (no disks, /dev/mem, /dev/kmsg), whose
# only node of its own is ptmx, the host's devpts instance (so that a
# login's pty has a name no other login has: utmp keys entries by it) with
# no way into a pty of anybody else's, and a private /dev/shm.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
mkdir -m 0755 /srv/jails
nsj_make_root /srv/jails/dave
mkdir -m 0755 /srv/jails/dave/home/dave
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "tmpfs-root"; users = [ "erin" ]; root = "tmpfs"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; },
  { name = "disk-root"; users = [ "dave" ]; root = "/srv/jails/%u"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; }
);
EOF2
# The host holds a pty and a shared-memory file while the sessions run.
/usr/bin/python3 -c 'import os, pty, time; m, s = pty.openpty(); print(os.ttyname(s), flush=True); time.sleep(300)' \
	>"$T/hostpty" 2>/dev/null &
nsj_at_exit "kill $!"
for _ in $(seq 100); do [ -s "$T/hostpty" ] && break; sleep 0.05; done
HOSTPTY=$(cat "$T/hostpty")
echo "host shm" >/dev/shm/esc-host-shm
nsj_at_exit "rm -f /dev/shm/esc-host-shm"
ok "control: the host has a pty open ($HOSTPTY)" test -c "$HOSTPTY"
host_pts_dev=$(stat -c %d /dev/pts/ptmx)
MINIMAL="fd full null ptmx pts random shm stderr stdin stdout tty urandom zero"
output_contains "control: the host's /dev has more than the minimal set" "extra:" \
	sh -c "ls -A /dev | grep -vxF -e '${MINIMAL// /' -e '}' | sed 's/^/extra: /'"
nsj_require nsj_sshd_start

for who in erin:su dave:su erin:ssh; do
	user=${who%:*} via=${who#*:}
	if [ "$via" = ssh ]; then run() { nsj_ssh "$user" "$1"; }; else run() { as_user "$user" "$1"; }; fi
	t="$user ($via)"
	EP=$(esc_probe_for "$user")

	# /proc
	output_is "$t: /proc is a procfs of its own, nothing mounted over or under it" "proc" \
		run 'echo $(findmnt -rn -o TARGET,FSTYPE | grep "^/proc" | cut -d" " -f2)'
	ok "$t: control: her own environ is readable" run 'cat /proc/self/environ >/dev/null'
	fails "$t: /proc/1/environ unreadable (not even listed: hidepid)" run 'cat /proc/1/environ'
	if [ -e /proc/kcore ]; then
		output_contains "$t: /proc/kcore unreadable" "Permission denied" run 'head -c 1 /proc/kcore'
	fi
	fails "$t: /proc/sys is not writable" run 'echo 1 >/proc/sys/kernel/sysrq'
	fails "$t: /proc/sysrq-trigger is not writable" run 'echo h >/proc/sysrq-trigger'

	# /sys
	output_contains "$t: /sys is read-only" "Read-only file system" run 'touch /sys/x'
	output_contains "$t: /sys mount options say ro" "ro" run 'findmnt -no OPTIONS /sys | cut -d, -f1'
	refused "$t: unshare -Urm: remount,bind,rw of /sys: EPERM" EPERM run "unshare -Urm $EP remount-bind-rw /sys"
	fails "$t: /sys/kernel is not writable" run 'echo 1 >/sys/kernel/profiling'

	# /dev
	output_is "$t: /dev holds only the minimal nodes" "$MINIMAL" run 'echo $(ls -A /dev)'
	for n in sda vda nvme0n1 mem kmem kmsg port; do
		output_is "$t: no /dev/$n" absent run "test -e /dev/$n || echo absent"
	done
	output_contains "$t: /dev is read-only" "Read-only file system" run 'touch /dev/x'
	fails "$t: unshare -Ur: mknod in /dev fails" run 'unshare -Ur mknod /dev/sda b 8 0'
	ok "$t: control: /dev/null works" run 'echo x >/dev/null'
	output_is "$t: /dev/urandom works" 8 run 'head -c 8 /dev/urandom | wc -c'

	# devpts and shm
	output_is "$t: /dev/pts is a devpts" devpts run 'findmnt -no FSTYPE /dev/pts'
	output_is "$t: ... the host's instance (unique pty names)" "$host_pts_dev" \
		run 'stat -c %d /dev/pts/ptmx'
	output_is "$t: ... mounted nosuid and noexec" "noexec nosuid" \
		run 'echo $(findmnt -no OPTIONS /dev/pts | tr , "\n" | grep -xE "nosuid|noexec" | sort)'
	output_contains "$t: the host's pty $HOSTPTY (root's) cannot be opened" "Permission denied" \
		run "exec 3<>$HOSTPTY"
	output_is "$t: /dev's only node of its own is ptmx (5:2), mode 0666" "/dev/ptmx 5:2 666" \
		run 'find /dev -xdev \( -type c -o -type b \) -exec stat -c "%n %t:%T %a" {} +'
	output_is "$t: a pty of her own works (script)" "/dev/pts/" \
		run 'script -qc tty /dev/null | tr -d "\r" | sed "s/[0-9]*\$//"'
	output_is "$t: /dev/shm is private" absent run 'test -e /dev/shm/esc-host-shm || echo absent'
done

# A pty session over ssh: its pty comes from the host's instance, under a
# name no other login has.
O=$(nsj_ssh_opts erin)
output_is "ssh -tt erin: a pty of the host's devpts" "/dev/pts/" \
	sh -c "ssh $O -p $NSJ_SSH_PORT -tt erin@127.0.0.1 tty | tr -d '\r\0' | sed 's/[0-9]*\$//'"
output_is "ssh -tt erin: her pty is in the host's devpts instance" "$host_pts_dev" \
	sh -c "ssh $O -p $NSJ_SSH_PORT -tt erin@127.0.0.1 'stat -c %d \$(tty)' | tr -d '\r'"
