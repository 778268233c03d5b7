#!/bin/bash
# A jailed login is recorded on the host like any other: sshd's monitor
# writes utmp, wtmp and lastlog after the session opened, from inside the
# jail, so the jail shows it the host's files (the same inodes: root:utmp,
# their host modes). Through the real sshd with ssh -tt, for a read_only "/"
# jail, a tmpfs root and an on-disk root: the host's who (utmp), last (wtmp)
# and lastlog list the login; pam_limits maxlogins (which counts utmp
# entries, before the module) refuses a second login; the logout is recorded
# (a stale entry would lock the user out); a session without a pty is
# recorded as an unjailed one is (not at all); the jailed user can neither
# write, remove nor rename the files, over ssh and su.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup

# A host's /run/utmp (systemd-update-utmp makes it at boot; the sandbox's
# /run is fresh); the sandbox's /var/log has empty wtmp and lastlog.
install -m 0664 -o root -g utmp /dev/null /run/utmp
U=alice
{ cat /etc/security/limits.conf; echo "$U - maxlogins 1"; } >"$T/limits.conf"
mount --bind "$T/limits.conf" /etc/security/limits.conf
nsj_require nsj_sshd_start
O=$(nsj_ssh_opts $U)
P=$NSJ_SSH_PORT

# Entries of type T (7 USER_PROCESS, 8 DEAD_PROCESS) for USER in FILE.
records() { # FILE TYPE USER
	utmpdump "$1" 2>/dev/null | grep -cE "^\[$2\] \[ *[0-9]+\] \[[^]]*\] \[$3 *\]" || :
}
# The host's who: live logins of USER (their last utmp entry is a login).
live() { # USER
	utmpdump /run/utmp 2>/dev/null | grep -cE "^\[7\] \[ *[0-9]+\] \[[^]]*\] \[$1 *\]" || :
}
wait_live() { # USER N: up to 10 s
	for _ in $(seq 100); do [ "$(live "$1")" = "$2" ] && return 0; sleep 0.1; done
	return 1
}
# A pty login that lives until killed; prints UP once its shell runs.
pty_session() { # USER OUT
	: >"$2" # before the background ssh: no UP left from an earlier one
	# shellcheck disable=SC2046 # word splitting of the options is wanted
	ssh $(nsj_ssh_opts "$1") -p $P -tt "$1@127.0.0.1" 'echo UP; sleep 60' >"$2" 2>&1 </dev/null &
	S=$!
	for _ in $(seq 150); do grep -q UP "$2" && return 0; sleep 0.1; done
	return 1
}
reset_records() {
	: >/run/utmp
	: >/var/log/wtmp
	: >/var/log/lastlog
}
# Each file as the user sees it: present, and open for writing, unlink and
# rename refused.
probe='for f in /var/run/utmp /var/log/wtmp /var/log/lastlog; do
	test -e $f || { echo "$f missing"; continue; }
	(: >>$f) 2>/dev/null && echo "$f writable"
	rm -f $f 2>/dev/null; test -e $f || echo "$f removed"
	mv $f $f.moved 2>/dev/null && echo "$f renamed"
done; echo checked'
# Not in group utmp, as on the host (else the mode would let her write).
output_lacks "$U is not in group utmp" utmp id -Gn $U

# ------------------------------------------------ the reference: unjailed bob
reset_records
nsj_require pty_session bob "$T/bob.out"
output_is "unjailed: who lists bob's pty login" 1 live bob
kill $S; wait $S 2>/dev/null
output_is "unjailed: last lists bob's login" 1 records /var/log/wtmp 7 bob
output_lacks "unjailed: lastlog lists bob" "Never logged in" lastlog -u bob
ok "unjailed: a command without a pty" nsj_ssh bob true
output_is "unjailed: a session without a pty is not in wtmp" 1 records /var/log/wtmp 7 bob

# ------------------------------------------------ each jail kind
jail_kind() { # KIND CONFIG-LINE
	local kind=$1 n
	nsj_config <<EOF2
version = 1;
jails = ( { name = "$kind"; users = [ "$U" ]; $2 } );
EOF2
	reset_records
	nsj_syslog_mark
	_nsj_run nsj_ssh $U 'readlink /proc/self/ns/mnt'
	if [ "$NSJ_RC" -eq 0 ] && [ "$NSJ_OUT" != "$(readlink /proc/self/ns/mnt)" ]; then pass "$kind: the user's sessions are jailed"
	else fail "$kind: the user's sessions are jailed" "$(_nsj_show readlink)"; fi
	output_is "$kind: a session without a pty is not recorded (as unjailed)" 0 records /var/log/wtmp 7 $U
	if ! pty_session $U "$T/s1.out"; then
		fail "$kind: a jailed pty login" "$(cat "$T/s1.out")"
		kill $S 2>/dev/null
		return
	fi
	output_is "$kind: who lists the jailed pty login while it lives" 1 live $U
	output_is "$kind: last lists the login" 1 records /var/log/wtmp 7 $U
	output_lacks "$kind: lastlog lists the login" "Never logged in" lastlog -u $U
	kill $S; wait $S 2>/dev/null
	if wait_live $U 0; then pass "$kind: the logout is recorded: who forgets the login"
	else fail "$kind: the logout is recorded: who forgets the login" "$(utmpdump /run/utmp 2>&1)"; fi
	output_is "$kind: last records the logout" 1 sh -c "utmpdump /var/log/wtmp 2>/dev/null | grep -c '^\[8\]' || :"

	nsj_require pty_session $U "$T/s1.out"
	# shellcheck disable=SC2086
	_nsj_run ssh $O -p $P -tt $U@127.0.0.1 'echo SECOND'
	if [ "$NSJ_RC" -ne 0 ] && ! grep -q SECOND "$T/out"; then
		pass "$kind: pam_limits maxlogins 1 refuses a second pty login"
	else
		fail "$kind: pam_limits maxlogins 1 refuses a second pty login" "$(_nsj_show ssh -tt $U)"
	fi
	syslog_contains "$kind: ... and pam_limits says why" "Too many logins \(max 1\) for $U"
	# sshd still gives a refused login a pty and records it (and its end)
	# under that pty's name. A root jail shows the host's devpts (not an
	# instance of its own, whose names would repeat: pts/0 in every jail),
	# so the refused login's records never replace the first one's entry
	# and a third login is refused too.
	# shellcheck disable=SC2086
	_nsj_run ssh $O -p $P -tt $U@127.0.0.1 'echo THIRD'
	if [ "$NSJ_RC" -ne 0 ] && ! grep -q THIRD "$T/out"; then
		pass "$kind: ... and a third one after it"
	else
		fail "$kind: ... and a third one after it" "$(_nsj_show ssh -tt $U)"
	fi
	kill $S; wait $S 2>/dev/null
	wait_live $U 0
	n=$(records /var/log/wtmp 7 $U)
	output_is "$kind: after the logout a new login is let in" ok sh -c \
		"ssh $O -p $P -tt $U@127.0.0.1 'echo ok' </dev/null | tr -d '\r'"
	output_is "$kind: ... and recorded" $((n + 1)) records /var/log/wtmp 7 $U
	wait_live $U 0
	# login(1) writes utmp and wtmp itself, after the session opened.
	if command -v expect >/dev/null; then
		n=$(records /var/log/wtmp 7 $U)
		output_contains "$kind: login on a terminal" "RES=$U" expect -c "
			set timeout 20
			spawn /bin/login $U
			expect \"Password: \" { send \"$NSJ_PASSWORD\\r\" }
			expect \"$ \" { send \"echo RES=\\\$(id -un)\\r\" }
			expect -re {RES=[a-z]+} { send \"exit\\r\" }
			expect eof"
		output_is "$kind: ... recorded in wtmp" $((n + 1)) records /var/log/wtmp 7 $U
		wait_live $U 0
	else
		skip "$kind: login on a terminal" "expect is not installed"
	fi
	output_is "$kind: ssh: the user cannot write, remove or rename the records" checked nsj_ssh $U "$probe"
	output_is "$kind: su: the same" checked as_user $U "$probe"
	output_is "$kind: the files keep their host owner and mode" \
		"root utmp 664 root utmp 664 root utmp 664" sh -c 'echo $(stat -c "%U %G %a" /run/utmp /var/log/wtmp /var/log/lastlog)'
}

jail_kind read_only 'read_only = [ "/" ];'
jail_kind tmpfs_root 'root = "tmpfs"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ];'

# Two users' concurrent pty logins in root jails each keep their entry: with
# a devpts instance of each jail's own both ptys were pts/0, and the second
# login's entry replaced the first one's.
reset_records
nsj_config <<EOF2
version = 1;
jails = ( { name = "r"; users = [ "$U", "erin" ]; root = "tmpfs"; bind_ro = [ "/usr" ];
            bind = [ "/home/%u" ]; } );
EOF2
nsj_require pty_session $U "$T/a.out"
A=$S
nsj_require pty_session erin "$T/e.out"
output_is "two root jails' concurrent pty logins: who lists the first" 1 live $U
output_is "... and the second" 1 live erin
output_is "... under two pty names of the host" 2 sh -c \
	"utmpdump /run/utmp 2>/dev/null | grep -E '^\[7\]' | grep -oE '\[pts/[0-9]+ *\]' | sort -u | wc -l"
kill $A $S; wait $A $S 2>/dev/null
wait_live $U 0
wait_live erin 0

# An administrator's on-disk root with the records' mount points: empty
# files, /var/run -> /run as on Debian.
mkdir -m 0755 /srv/jails
nsj_make_root /srv/jails/$U
(cd /srv/jails/$U && mkdir -p -m 0755 home/$U var/log run && ln -s /run var/run &&
	touch var/log/wtmp var/log/lastlog run/utmp && chown -R root:root .)
before=$(cd /srv/jails && find . -printf '%p %M %U %s\n' | sort)
jail_kind dir_root 'root = "/srv/jails/%u"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ];'
output_is "dir_root: nothing was written into the on-disk root" "$before" \
	sh -c "cd /srv/jails && find . -printf '%p %M %U %s\n' | sort"

# Without them the login still works, unrecorded (the steps are optional,
# nsjailctl explain says so).
rm /srv/jails/$U/var/log/wtmp /srv/jails/$U/var/log/lastlog /srv/jails/$U/run/utmp
output_is "dir_root without the mount points: the login works" ok nsj_ssh $U 'echo ok'
output_contains "explain lists the records as optional" "/var/log/wtmp <- /var/log/wtmp (optional) (auto)" \
	"$NSJ_BUILD/nsjailctl" explain -c "$T/nsjail.conf" -s sshd $U

# A host without the files (utmp exists only once something made it): the
# login works, unrecorded, in every jail kind.
rm /run/utmp /var/log/wtmp /var/log/lastlog
for root in '' 'root = "tmpfs"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ];'; do
	nsj_config <<EOF2
version = 1;
jails = ( { name = "j"; users = [ "$U" ]; read_only = [ "/" ]; $root } );
EOF2
	output_is "a host without utmp, wtmp, lastlog (${root:-read_only}): the login works" ok \
		sh -c "ssh $O -p $P -tt $U@127.0.0.1 'echo ok' </dev/null | tr -d '\r'"
done
