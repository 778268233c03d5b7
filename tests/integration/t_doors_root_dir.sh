#!/bin/bash
# Every door into a ROOT-DIRECTORY jail, with the real programs: sshd (remote
# command, ssh -tt, sftp with internal-sftp and with sftp-server, scp in both
# protocols, rsync, both ways), su -, su --pty, runuser -l and login on a pty.
# The parent that waits (sshd's monitor, su's and login's parent) lives in the
# jail after the module returns: it must still hand back the exit status and
# close the session, leaving no process behind. The listening sshd keeps its
# namespace and its mount table and keeps serving other users unjailed; two
# concurrent sessions of one user get two jails.
#
# The root is an on-disk directory made the way an administrator would: empty,
# root-owned, only the mount points and the merged-/usr links, no copied
# library. t_doors_tmpfs_root.sh runs this same file with NSJ_DOORS_ROOT=tmpfs
# (root = "tmpfs", nothing on disk).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup

KIND=${NSJ_DOORS_ROOT:-disk}
export U=dave # matched by its primary group, sftponly
G=sftponly
echo "secret of the host" >/srv/host-only
chmod 0644 /srv/host-only
echo "from the host" >"$T/upload.txt"

# An administrator's root: mkdir + ln -s, nothing else. carol's has no /usr
# bound (an sftp-only drop box: internal-sftp needs nothing in the jail).
admin_root() {
	local d=/srv/jails/$1
	mkdir -p /srv/jails && mkdir -m 0755 "$d"
	(cd "$d" && mkdir -m 0755 proc sys dev tmp etc home usr && mkdir -m 0755 "home/$1" &&
		ln -s usr/bin bin && ln -s usr/lib lib && ln -s usr/lib64 lib64 && ln -s usr/sbin sbin)
	chown -R root:root "$d"
}
if [ "$KIND" = tmpfs ]; then
	ROOT='"tmpfs"'
else
	ROOT='"/srv/jails/%u"'
	admin_root $U
	admin_root carol
	before=$(cd /srv/jails && find . -printf '%p %M %U %s\n' | sort)
	# The directory's entries, and the host's top-level links it lacks
	# (lib32 ...), added in the jail's tmpfs "/".
	expect_root=$(echo $( (ls /srv/jails/$U; nsj_record_var; for l in bin sbin lib lib32 lib64 libx32; do [ -L /$l ] && echo $l; done) | sort -u))
fi
nsj_config <<EOF2
version = 1;
jails = (
  { name = "root"; groups = [ "$G" ]; root = $ROOT; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; },
  { name = "dropbox"; users = [ "carol" ]; root = $ROOT; bind = [ "/home/%u" ]; },
  { name = "hidden"; users = [ "alice" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ]; private_tmp = true; }
);
EOF2
nsj_require nsj_sshd_start
P=$NSJ_SSH_PORT
O=$(nsj_ssh_opts $U)
export O P
sandbox_ns=$(readlink /proc/self/ns/mnt)
ssh_ns=$(readlink "/proc/$NSJ_SSHD_PID/ns/mnt")
ssh_mounts=$(nsj_mounts "$NSJ_SSHD_PID")

# Processes still alive after a door closed: any process of a test user, or
# any process whose mount namespace is not the sandbox's (a jail's). Waits up
# to 5 s for sessions that are still tearing down; prints what is left.
procs_left() {
	local left p ns
	for _ in $(seq 50); do
		left=
		for p in /proc/[0-9]*; do
			ns=$(readlink "$p/ns/mnt" 2>/dev/null) || continue
			if [ "$ns" != "$sandbox_ns" ] || [[ $(stat -c %U "$p" 2>/dev/null) =~ ^(alice|carol|dave|erin)$ ]]; then
				left+="${p#/proc/} $(stat -c %U "$p") $ns $(tr '\0' ' ' <"$p/cmdline")"$'\n'
			fi
		done
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	printf '%s' "$left"
}
nothing_left() { output_is "$1: the session closed, no process left" "" procs_left; }

# The jail's view, one line: who, where /, what is under /home and the host.
view='echo "$(id -un):$(id -gn):$(ls -A /home):$(test -e /srv/host-only && echo host || echo jailed)"'
jailed="$U:$G:$U:jailed"
echo "$view" >/home/$U/view.sh # the same, for commands quoted twice
tty_clean() { tr -d '\r\0' | sed 's/\^@//g'; }

# ------------------------------------------------------------ ssh commands
if [ "$KIND" = tmpfs ]; then
	output_is "ssh: / is a tmpfs" tmpfs nsj_ssh $U 'findmnt -no FSTYPE /'
else
	output_is "ssh: / shows the on-disk root's entries" "$expect_root" nsj_ssh $U 'echo $(ls /)'
fi
output_is "ssh: remote command runs in the root jail" "$jailed" nsj_ssh $U "$view"
output_is "ssh: id resolves names" "uid=2004($U) gid=2100($G) groups=2100($G)" nsj_ssh $U id
output_is "ssh: whoami" $U nsj_ssh $U whoami
output_contains "ssh: ls -l /home shows owner and group names" " $U $G " nsj_ssh $U 'ls -l /home'
output_is "ssh: /etc/passwd names only root and $U" "$U root" nsj_ssh $U 'echo $(cut -d: -f1 /etc/passwd | sort)'
status_is "ssh: the remote exit status comes back through the jailed monitor" 5 nsj_ssh $U 'exit 5'
nothing_left "ssh commands"

# ------------------------------------------------------------ ssh -tt
output_is "ssh -tt: a pty" "/dev/pts/" sh -c "ssh $O -p $P -tt $U@127.0.0.1 tty | tr -d '\r\0' | sed 's/\^@//g; s/[0-9]*\$//'"
output_is "ssh -tt: the pty command is jailed" "$jailed" sh -c "ssh $O -p $P -tt $U@127.0.0.1 '$view' | tr -d '\r\0' | sed 's/\^@//g'"
status_is "ssh -tt: the remote exit status comes back" 6 ssh $O -p $P -tt $U@127.0.0.1 'exit 6'
cat >"$T/ssh-tt.exp" <<'EOF2'
set timeout 20
spawn ssh {*}$env(O) -p $env(P) -tt $env(U)@127.0.0.1
expect "$ " { send "echo RES=\$(tty):\$(id -un):\$(ls -A /home):\$(test -e /srv/host-only && echo host || echo jailed)\r" }
expect -re {RES=(/dev/pts/)[0-9]+:([a-z]*):([a-z]*):([a-z]*)} { puts "\nRESULT $expect_out(1,string) $expect_out(2,string) $expect_out(3,string) $expect_out(4,string)" }
send "exit 3\r"
expect eof
puts "STATUS [lindex [wait] 3]"
EOF2
output_contains "ssh -tt: an interactive login shell on /dev/pts/N in the jail" "RESULT /dev/pts/ $U $U jailed" expect -f "$T/ssh-tt.exp"
cp "$T/out" "$T/ssh-tt.out"
output_contains "ssh -tt: the interactive shell's exit status comes back" "STATUS 3" cat "$T/ssh-tt.out"
nothing_left "ssh -tt"

# ------------------------------------------------------------ sftp (internal-sftp)
# shellcheck disable=SC2046 # word splitting of the options is wanted
sftp_b() { local user=$1; shift; printf '%s\n' "$@" | sftp $(nsj_ssh_opts "$user") -P $P -b - "$user@127.0.0.1"; }
output_contains "sftp: listing /home" "$U" sftp_b $U 'ls -1 /home'
output_lacks "sftp: the host's /srv is not in /" "srv" sftp_b $U 'ls -1 /'
ok "sftp: upload" sftp_b $U "put $T/upload.txt /home/$U/sftp-up.txt"
output_is "sftp: the upload reached the real home" "from the host" cat /home/$U/sftp-up.txt
ok "sftp: download" sftp_b $U "get /home/$U/.marker-$U $T/sftp-down.txt"
output_is "sftp: the download has the user's file" "home of $U" cat "$T/sftp-down.txt"
fails "sftp: a host path outside the root is refused" sftp_b $U "get /srv/host-only $T/stolen1"
fails "sftp: .. does not climb out of the root" sftp_b $U "get /../../srv/host-only $T/stolen2"
output_is "sftp: nothing was stolen" "" find "$T" -maxdepth 1 -name "stolen*"
ok "sftp: drop box without /usr: internal-sftp needs nothing in the jail" sftp_b carol "put $T/upload.txt /home/carol/box.txt"
output_is "sftp: the drop box upload reached carol's home" "from the host" cat /home/carol/box.txt
fails "ssh: the drop box has no shell to run" nsj_ssh carol 'echo shell'
nothing_left "sftp"

# ------------------------------------------------------------ scp, rsync
ok "scp to (SFTP protocol)" scp $O -P $P "$T/upload.txt" $U@127.0.0.1:/home/$U/scp.txt
output_is "scp to: landed in the real home" "from the host" cat /home/$U/scp.txt
ok "scp from (SFTP protocol)" scp $O -P $P $U@127.0.0.1:/home/$U/.marker-$U "$T/scp-down.txt"
output_is "scp from: the user's file" "home of $U" cat "$T/scp-down.txt"
ok "scp -O to (legacy protocol: the remote scp runs in the jail)" scp -O $O -P $P "$T/upload.txt" $U@127.0.0.1:/home/$U/scp-O.txt
output_is "scp -O to: landed in the real home" "from the host" cat /home/$U/scp-O.txt
ok "scp -O from" scp -O $O -P $P $U@127.0.0.1:/home/$U/.marker-$U "$T/scp-O-down.txt"
output_is "scp -O from: the user's file" "home of $U" cat "$T/scp-O-down.txt"
fails "scp from: a host path outside the root is refused" scp $O -P $P $U@127.0.0.1:/srv/host-only "$T/stolen3"
fails "scp -O from: a host path outside the root is refused" scp -O $O -P $P $U@127.0.0.1:/srv/host-only "$T/stolen4"
ok "rsync to" rsync -a -e "ssh $O -p $P" "$T/upload.txt" $U@127.0.0.1:/home/$U/rsync.txt
output_is "rsync to: landed in the real home" "from the host" cat /home/$U/rsync.txt
ok "rsync from" rsync -a -e "ssh $O -p $P" $U@127.0.0.1:/home/$U/.marker-$U "$T/rsync-down.txt"
output_is "rsync from: the user's file" "home of $U" cat "$T/rsync-down.txt"
fails "rsync from: a host path outside the root is refused" rsync -a -e "ssh $O -p $P" $U@127.0.0.1:/srv/host-only "$T/stolen5"
# Uploads to /tmp land in the jail's own /tmp, never in the host's.
upload() { # HOW FILE
	case $1 in
	sftp) sftp_b $U "put $T/upload.txt $2" ;;
	rsync) rsync -a -e "ssh $O -p $P" "$T/upload.txt" "$U@127.0.0.1:$2" ;;
	*) $1 $O -P $P "$T/upload.txt" "$U@127.0.0.1:$2" ;;
	esac
}
for how in sftp scp "scp -O" rsync; do
	f=/tmp/up-${how// /}.txt
	ok "$how to /tmp" upload "$how" $f
	output_is "$how to /tmp: landed in the jail's /tmp, not the host's" absent sh -c "test -e $f || echo absent"
done
nothing_left "scp and rsync"

# ------------------------------------------------------------ sftp-server
# The same sftp through an external sftp-server: it is exec'd inside the jail,
# so the jail needs /usr (bind_ro); the drop box without /usr cannot run it.
sed -e "s/^Port .*/Port $((P + 1))/" -e "s|^PidFile .*|PidFile $T/ssh/sshd2.pid|" \
	-e "s|^Subsystem .*|Subsystem sftp /usr/lib/openssh/sftp-server|" "$T/ssh/sshd_config" >"$T/ssh/sshd2_config"
if /usr/sbin/sshd -f "$T/ssh/sshd2_config" -E "$T/sshd2.log" &&
	nsj_sshd_wait $((P + 1)) "$T/ssh/sshd2.pid" "$T/sshd2.log"; then
	nsj_at_exit "kill \$(cat $T/ssh/sshd2.pid)"
	# shellcheck disable=SC2046 # as above
	sftp2() { local user=$1; shift; printf '%s\n' "$@" | sftp $(nsj_ssh_opts "$user") -P $((P + 1)) -b - "$user@127.0.0.1"; }
	ok "sftp-server: upload" sftp2 $U "put $T/upload.txt /home/$U/sftp2.txt"
	output_is "sftp-server: landed in the real home" "from the host" cat /home/$U/sftp2.txt
	output_lacks "sftp-server: the host's /srv is not in /" srv sftp2 $U 'ls -1 /'
	fails "sftp-server: a host path outside the root is refused" sftp2 $U "get /srv/host-only $T/stolen6"
	fails "sftp-server: cannot run in a jail without /usr (use internal-sftp)" sftp2 carol 'ls /'
	nothing_left "sftp-server"
else
	fail "a second sshd with sftp-server" "$(cat "$T/sshd2.log")"
fi

# ------------------------------------------------------------ concurrency
# Two sessions of one user at once: two jails, two /tmp.
concurrent() {
	local user=$1 pid
	rm -f "$T/sessA.out"
	nsj_ssh "$user" 'readlink /proc/self/ns/mnt; echo a >/tmp/only-in-A; sleep 4; echo $(ls -A /tmp)' >"$T/sessA.out" 2>&1 &
	pid=$!
	for _ in $(seq 100); do [ -s "$T/sessA.out" ] && break; sleep 0.1; done
	sleep 0.3
	output_is "$user: a second concurrent session does not see the first one's /tmp" "" nsj_ssh "$user" 'ls -A /tmp'
	B_ns=$(nsj_ssh "$user" 'readlink /proc/self/ns/mnt')
	wait $pid
	output_is "$user: the first session still sees its own /tmp file" only-in-A sed -n 2p "$T/sessA.out"
	if [ -n "$B_ns" ] && [ "$(head -n 1 "$T/sessA.out")" != "$B_ns" ] && [ "$B_ns" != "$ssh_ns" ]; then
		pass "$user: concurrent sessions are in two different jails"
	else
		fail "$user: concurrent sessions are in two different jails" "A: $(head -n 1 "$T/sessA.out") B: $B_ns sshd: $ssh_ns"
	fi
}
concurrent $U
concurrent alice
nothing_left "concurrent sessions"

# ------------------------------------------------------------ util-linux
output_is "su -: lands in the root jail" "$jailed" su - $U -c "$view"
output_is "su -: the login shell starts in the home" "/home/$U" su - $U -c 'pwd'
status_is "su -: the exit status comes back through the jailed parent" 7 su - $U -c 'exit 7'
output_is "su --pty: a pty in the root jail" "/dev/pts/ $jailed" sh -c "script -qec \"su --pty - $U -c 'echo \\\$(tty | tr -d 0-9) \\\$(sh view.sh)'\" /dev/null | tr -d '\r\0' | sed 's/\^@//g'"
output_is "runuser -l: lands in the root jail" "$jailed" runuser -l $U -c "$view"
status_is "runuser -l: the exit status comes back" 9 runuser -l $U -c 'exit 9'
nothing_left "su and runuser"
syslog_contains "su's session closed (pam_unix, called by the jailed parent)" "su.*session closed for user $U"

# A terminal opened OUTSIDE the jail (login's pty from expect, the terminal a
# plain su runs in) is a pty of the host's devpts, which the root jail shows:
# ttyname() and tty(1) name it there (with a devpts instance of the jail's
# own, tty printed "not a tty"). A console or serial line would be bound as
# /dev/tty-host (test_plan_terminal).
tty_name() { # DESC VALUE
	if [ "$2" = /dev/pts/ ]; then pass "$1"; else fail "$1" "tty printed: $2"; fi
}
if command -v expect >/dev/null; then
	cat >"$T/login.exp" <<'EOF2'
set timeout 20
spawn /bin/login $env(U)
expect "Password: " { send "$env(NSJ_PASSWORD)\r" }
expect "$ " { send "echo RES=\$(tty | tr -d 0-9):\$(id -un):\$(ls -A /home):\$(test -e /srv/host-only && echo host || echo jailed)\r" }
expect -re {RES=([^:\r\n]*):([a-z]+):([a-z]*):([a-z]+)} { puts "\nRESULT $expect_out(2,string) $expect_out(3,string) $expect_out(4,string) TTY=$expect_out(1,string)" }
send "exit\r"
expect eof
puts "EOF"
EOF2
	output_contains "login on a pty: an interactive shell in the root jail" "RESULT $U $U jailed" expect -f "$T/login.exp"
	cp "$T/out" "$T/login.out"
	output_contains "login: the shell's exit ends the session" "EOF" cat "$T/login.out"
	tty_name "login: tty names the terminal in the jail" "$(sed -n 's/^RESULT .* TTY=//p' "$T/login.out" | tr -d '\r')"
	nothing_left "login"
else
	skip "login on a pty" "expect is not installed"
fi
_nsj_run sh -c "script -qec \"su - $U -c 'tty | tr -d 0-9; sh view.sh'\" /dev/null | tr -d '\r\0' | sed 's/\^@//g'"
if [ "$(sed -n 2p "$T/out")" = "$jailed" ]; then pass "su - in a terminal: lands in the root jail"
else fail "su - in a terminal: lands in the root jail" "$(_nsj_show su -)"; fi
tty_name "su - in a terminal: tty names the terminal in the jail" "$(sed -n 1p "$T/out")"
nothing_left "su in a terminal"
# A console (a virtual terminal of the host, as login on tty1 or su typed
# there has) is not in the host's devpts: the jail binds it as /dev/tty-host.
if [ -c /dev/tty63 ] && { : </dev/tty63; } 2>/dev/null; then
	output_is "su - on a console: tty names it /dev/tty-host in the jail" "/dev/tty-host $jailed" \
		sh -c "su - $U -c 'echo \$(tty) \$(sh view.sh)' </dev/tty63"
	nothing_left "su on a console"
else
	skip "su - on a console" "this kernel has no virtual terminals (/dev/tty63)"
fi

# ------------------------------------------------------------ the listener
output_is "sshd's listener kept its mount namespace" "$ssh_ns" readlink "/proc/$NSJ_SSHD_PID/ns/mnt"
output_is "sshd's listener kept its mount table" "$ssh_mounts" nsj_mounts "$NSJ_SSHD_PID"
output_is "sshd's listener kept its root" / readlink "/proc/$NSJ_SSHD_PID/root"
output_is "after the jailed sessions bob (unmatched) is served unjailed" "alice bob carol dave erin" nsj_ssh bob 'echo $(ls /home)'
output_is "bob reads the host's file" "secret of the host" nsj_ssh bob 'cat /srv/host-only'
output_is "bob's ssh -tt shell is unjailed too" "secret of the host" sh -c "ssh $(nsj_ssh_opts bob) -p $P -tt bob@127.0.0.1 'cat /srv/host-only' | tr -d '\r\0' | sed 's/\^@//g'"
if [ "$KIND" != tmpfs ]; then
	output_is "the on-disk roots are unchanged after every door" "$before" sh -c "cd /srv/jails && find . -printf '%p %M %U %s\n' | sort"
fi
nothing_left "everything"
