#!/bin/bash
# Issue 10 item 1: read_write lifts only what the jail made read-only, never
# a read-only flag the host put on a mount of its own. The admin made
# ~alice/.ssh a read-only bind mount; alice's jail has read_only "/" and
# read_write her home. Through su and sshd: the home is writable, .ssh is
# not, and the host's file is unchanged; a read_only below the home still
# applies. The same in a root jail whose home is a bind (tmpfs root,
# read_only "/"), whose own /tmp, /dev/shm and ptys stay writable.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
install -d -o alice -g alice /home/alice/locked
install -d -m 1777 /srv/open
for u in alice erin; do
	mkdir -p -m 0700 /home/$u/.ssh
	echo "ssh-ed25519 AAAA host-key" >/home/$u/.ssh/authorized_keys
	chown -R $u:$u /home/$u/.ssh
	mount --bind /home/$u/.ssh /home/$u/.ssh
	mount -o remount,bind,ro /home/$u/.ssh
	nsj_at_exit "umount /home/$u/.ssh"
done
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "rw"; users = [ "alice" ]; read_only = [ "/", "/home/%u/locked" ]; read_write = [ "/home/%u" ];
    bind = [ "-/srv/missing:/srv/open" ]; },
  { name = "root-rw"; users = [ "erin" ]; root = "tmpfs"; bind_ro = [ "/usr" ];
    bind = [ "/home/%u" ]; read_only = [ "/" ]; read_write = [ "/home/%u" ]; }
);
EOF2
output_contains "control: on the host, alice cannot append to her .ssh (host read-only mount)" \
	"Read-only file system" setpriv --reuid alice --regid alice --clear-groups \
	sh -c 'echo evil >>/home/alice/.ssh/authorized_keys'
output_is "control: bob (unjailed) writes his home" ok as_user bob 'touch /home/bob/x && echo ok'
nsj_require nsj_sshd_start

for who in alice:su alice:ssh erin:su erin:ssh; do
	user=${who%:*} via=${who#*:}
	if [ "$via" = ssh ]; then run() { nsj_ssh "$user" "$1"; }; else run() { as_user "$user" "$1"; }; fi
	t="$user ($via)"
	output_is "$t: the home is writable (read_write)" ok \
		run "echo hi >/home/$user/new-$via && echo ok"
	output_contains "$t: / stays read-only" "Read-only file system" run 'touch /usr/x'
	output_contains "$t: appending to ~/.ssh/authorized_keys: Read-only file system" \
		"Read-only file system" run "echo evil-$via >>/home/$user/.ssh/authorized_keys"
	output_contains "$t: creating a file in ~/.ssh: Read-only file system" \
		"Read-only file system" run "touch /home/$user/.ssh/new"
	output_is "$t: the host's file is unchanged" "ssh-ed25519 AAAA host-key" cat /home/$user/.ssh/authorized_keys
	if [ "$user" = alice ]; then
		output_contains "$t: a read_only below the read_write home applies" "Read-only file system" \
			run 'touch /home/alice/locked/x'
		output_contains "$t: a skipped optional bind leaves its target read-only" "Read-only file system" \
			run 'touch /srv/open/x'
		continue
	fi
	# read_only "/" over a tmpfs root: the jail's own mounts keep theirs.
	output_is "$t: /tmp (the jail's tmpfs) stays writable" ok run "touch /tmp/x-$via && echo ok"
	output_is "$t: /dev/shm stays writable" ok run "touch /dev/shm/x && echo ok"
	output_contains "$t: /dev is read-only" "Read-only file system" run 'touch /dev/x'
	output_contains "$t: /etc is read-only" "Read-only file system" run 'touch /etc/x'
	ok "$t: /dev/null works" run 'echo x >/dev/null'
	output_is "$t: a pty works" "/dev/pts/" run 'script -qc tty /dev/null | tr -d "\r" | sed "s/[0-9]*\$//"'
done
output_is "the writes to the homes reached the host" "hi hi hi hi" \
	sh -c 'echo $(cat /home/alice/new-su /home/alice/new-ssh /home/erin/new-su /home/erin/new-ssh)'
