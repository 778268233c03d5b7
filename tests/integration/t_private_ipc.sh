#!/bin/bash
# private_ipc = true: the session gets an IPC namespace of its own (SysV
# IPC, POSIX message queues) and its own mqueue on /dev/mqueue. Through real
# su and a real sshd, hidden-path and tmpfs-root jails, with bob (unjailed)
# as the control: a SysV segment of the host (ipcmk -M) and a host message
# queue are listed for bob and not for the jailed user; a queue the jailed
# user makes never reaches the host.
#
# The sandbox shares the machine's IPC namespace: this test takes one of its
# own first, and a /dev/mqueue of it on a private copy of /dev (the machine
# may have no /dev/mqueue, and the sandbox must not add one to its devtmpfs).
if [ -z "${NSJ_OWN_IPC:-}" ]; then
	NSJ_OWN_IPC=1 exec unshare --ipc -- /bin/bash "$0" "$@"
fi
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
if ! findmnt -n -t mqueue /dev/mqueue >/dev/null 2>&1; then
	mkdir "$T/dev.host"
	nsj_require mount --rbind /dev "$T/dev.host"
	nsj_require mount -t tmpfs -o mode=0755 nsjtest-dev /dev
	for f in "$T"/dev.host/* "$T"/dev.host/.[!.]*; do
		[ -e "$f" ] || [ -L "$f" ] || continue
		n=/dev/$(basename "$f")
		# ptmx through the devpts instance (a bind of the node would not find it).
		if [ "$n" = /dev/ptmx ]; then ln -s pts/ptmx "$n"
		elif [ -L "$f" ]; then cp -P "$f" "$n"
		elif [ -d "$f" ]; then mkdir "$n" && mount --rbind "$f" "$n"
		else touch "$n" && mount --bind "$f" "$n"; fi
	done
	mkdir -m 0755 /dev/mqueue
fi
nsj_require mount -t mqueue nsjtest-mqueue /dev/mqueue
nsj_config <<EOF2
version = 1;
jails = (
  { name = "ipc"; users = [ "alice" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ];
    private_ipc = true; },
  { name = "ipc-root"; users = [ "erin" ]; root = "tmpfs"; bind_ro = [ "/usr" ];
    bind = [ "/home/%u" ]; private_ipc = true; }
);
EOF2
# The host's SysV segment and message queue.
id=$(ipcmk -M 4096 | sed -n 's/^Shared memory id: //p')
key=$(ipcs -m | awk -v id="$id" '$2 == id { print $1 }')
nsj_require test -n "$key"
nsj_require sh -c ': >/dev/mqueue/nsjtest-host'
chmod 0644 /dev/mqueue/nsjtest-host

# --- su -----------------------------------------------------------------
output_contains "su bob (control): ipcs -m lists the host's segment" "$key" as_user bob 'ipcs -m'
output_contains "su bob (control): /dev/mqueue lists the host's queue" nsjtest-host as_user bob 'ls /dev/mqueue'
for u in alice erin; do
	output_is "su $u: the session opens" success pam_rc $u
	output_lacks "su $u: ipcs -m does not list the host's segment" "$key" as_user $u 'ipcs -m'
	output_is "su $u: /dev/mqueue is an mqueue" mqueue as_user $u 'findmnt -no FSTYPE /dev/mqueue | tail -n 1'
	output_lacks "su $u: /dev/mqueue does not list the host's queue" nsjtest-host as_user $u 'ls /dev/mqueue'
	output_is "su $u: her own queue is listed in her jail" "$u-q" as_user $u ": >/dev/mqueue/$u-q && ls /dev/mqueue"
	output_lacks "su $u: and never reaches the host" "$u-q" ls /dev/mqueue
	output_is "su $u: SysV IPC works inside" 1 as_user $u 'ipcmk -M 4096 >/dev/null && ipcs -m | grep -c "^0x"'
done
output_is "the jails' segments never reach the host (its own only)" 1 sh -c 'ipcs -m | grep -c "^0x"'

# nsjailctl: explain names the option; run builds exactly that jail.
NSJ=("$NSJ_BUILD/nsjailctl")
output_contains "explain alice: the plan says private_ipc" "isolation: private_ipc" "${NSJ[@]}" explain -c "$T/nsjail.conf" -s su alice
for u in alice erin; do
	output_lacks "nsjailctl run $u: ipcs -m does not list the host's segment" "$key" "${NSJ[@]}" run -c "$T/nsjail.conf" --helper "$NSJ_HELPER" -s su $u -- ipcs -m
	output_lacks "nsjailctl run $u: /dev/mqueue does not list the host's queue" nsjtest-host "${NSJ[@]}" run -c "$T/nsjail.conf" --helper "$NSJ_HELPER" -s su $u -- ls /dev/mqueue
done

# --- sshd ----------------------------------------------------------------
nsj_require nsj_sshd_start
output_contains "ssh bob (control): ipcs -m lists the host's segment" "$key" nsj_ssh bob 'ipcs -m'
for u in alice erin; do
	output_lacks "ssh $u: ipcs -m does not list the host's segment" "$key" nsj_ssh $u 'ipcs -m'
	output_lacks "ssh $u: /dev/mqueue does not list the host's queue" nsjtest-host nsj_ssh $u 'ls /dev/mqueue'
	output_contains "ssh $u: a pty shell" "TTY=/dev/pts/" nsj_ssh $u 'echo TTY=$(tty)' -tt
done
