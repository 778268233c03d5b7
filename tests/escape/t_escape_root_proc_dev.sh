#!/bin/bash
# Issue 10 items 8 and 9: in a root jail (tmpfs root and on-disk root,
# without private_pids), /dev is a read-only nosuid,noexec tmpfs whose
# device nodes (their own bind mounts, and ptmx) work, and /proc is mounted hidepid=invisible: the
# host's processes and /proc/1/mountinfo (the host's mount table) are not
# there, the user's own processes are, and su, sshd (command, -tt pty,
# sftp) and ps keep working. Control: a jail without root sees the same
# root process.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
mkdir -m 0755 /srv/jails
nsj_make_root /srv/jails/dave
mkdir -m 0755 /srv/jails/dave/home/dave
mkdir -p /srv/secret && echo "top secret" >/srv/secret/data
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "tmpfs-root"; users = [ "erin" ]; root = "tmpfs"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; },
  { name = "disk-root"; users = [ "dave" ]; root = "/srv/jails/%u"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; },
  { name = "hide"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; }
);
EOF2
# A root process outside every jail.
sleep 300 &
ROOTPID=$!
nsj_at_exit "kill $ROOTPID"
output_is "control: alice (a jail without root) sees root's process" yes as_user alice "test -d /proc/$ROOTPID && echo yes"
output_is "control: ... and /proc/1" yes as_user alice "test -r /proc/1/mountinfo && echo yes"
nsj_require nsj_sshd_start
O=$(nsj_ssh_opts erin)

for who in erin:su dave:su erin:ssh dave:ssh; do
	user=${who%:*} via=${who#*:}
	if [ "$via" = ssh ]; then run() { nsj_ssh "$user" "$1"; }; else run() { as_user "$user" "$1"; }; fi
	t="$user ($via)"
	# /dev: read-only, nosuid, noexec, nodes working
	output_is "$t: /dev is mounted ro, nosuid, noexec" "noexec nosuid ro" \
		run "echo \$(sed -n 's|^[^ ]* [^ ]* [^ ]* [^ ]* /dev \([^ ]*\) .*|\1|p' /proc/self/mountinfo | tr , '\n' | grep -xE 'ro|nosuid|noexec' | sort)"
	ok "$t: /dev/null works" run 'echo x >/dev/null && test -z "$(cat /dev/null)"'
	output_is "$t: /dev/zero works" 8 run 'head -c 8 /dev/zero | wc -c'
	output_is "$t: /dev/urandom works" 8 run 'head -c 8 /dev/urandom | wc -c'
	output_is "$t: a pty works (script)" "/dev/pts/" \
		run 'script -qc tty /dev/null | tr -d "\r" | sed "s/[0-9]*\$//"'
	# /proc: hidepid=invisible
	output_contains "$t: /proc is mounted hidepid=invisible" "hidepid=invisible" \
		run "grep '^[^ ]* [^ ]* [^ ]* [^ ]* /proc ' /proc/self/mountinfo"
	fails "$t: root's process outside is invisible" run "test -d /proc/$ROOTPID"
	fails "$t: /proc/1 is invisible" run 'ls /proc/1'
	fails "$t: /proc/1/mountinfo (the host's mount table) is unreadable" run 'cat /proc/1/mountinfo'
	output_is "$t: ps -e shows only her own processes" "$user" run 'ps -eo user= | sort -u'
	output_lacks "$t: ... and not root's sleep" "$ROOTPID" run 'ps -eo pid='
	ok "$t: control: her own processes are listed" run 'sleep 30 & p=$!; test -d /proc/$p; r=$?; kill $p; exit $r'
	ok "$t: control: /proc/self works" run 'test -r /proc/self/status'
done
output_is "ssh -tt erin: a pty session works" "/dev/pts/" \
	sh -c "ssh $O -p $NSJ_SSH_PORT -tt erin@127.0.0.1 tty | tr -d '\r\0' | sed 's/[0-9]*\$//'"
output_is "ssh -tt dave: a pty session works" "/dev/pts/" \
	sh -c "ssh $(nsj_ssh_opts dave) -p $NSJ_SSH_PORT -tt dave@127.0.0.1 tty | tr -d '\r\0' | sed 's/[0-9]*\$//'"
echo "put me" >"$T/sftp-in" && chmod a+r "$T/sftp-in"
output_contains "sftp erin: a put and a ls work" "sftp-in" \
	sh -c "printf 'put $T/sftp-in /home/erin/sftp-in\nls /home/erin\n' | sftp $O -P $NSJ_SSH_PORT -b - erin@127.0.0.1"
output_is "... the file arrived" "put me" cat /home/erin/sftp-in

# A host whose /dev/pts is not a devpts (a tmpfs here): the root jail, which
# shows the host's ptys, refuses the login and names the path, instead of
# showing whatever is there as the jail's ptys.
nsj_require mount -t tmpfs -o mode=0755 nsjtest-notpts /dev/pts
nsj_syslog_mark
fails "a host without a devpts on /dev/pts: erin's su is refused" as_user erin true
syslog_contains "... and the log names /dev/pts" "/dev/pts.*devpts"
nsj_require umount /dev/pts
ok "... with the host's devpts back, she gets in again" as_user erin true
