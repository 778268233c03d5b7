#!/bin/bash
# private_pids = true: the session gets a PID namespace of its own, through
# real su, a real sshd and nsjailctl run. /proc shows only the session; the
# host's processes (root's, and the user's own started outside any PAM
# stack) cannot be seen, signalled or entered; the session works (pty,
# sftp); when it ends, its init and everything it left are gone. A failing
# step denies the session and leaves no init; a jail without the key is
# unchanged.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "pids";
    users = [ "alice" ];
    tmpfs = [ "/home" ];
    bind = [ "/home/%u" ];
    private_pids = true;
  },
  {
    name = "pids-root";
    users = [ "erin" ];
    root = "tmpfs";
    bind_ro = [ "/usr" ];
    bind = [ "/home/%u" ];
    private_pids = true;
  },
  {
    name = "plain";
    users = [ "carol" ];
    tmpfs = [ "/home" ];
    bind = [ "/home/%u" ];
  }
);
EOF2
NSJ=$NSJ_BUILD/nsjailctl

# Host processes: root's, and one of alice's own outside any PAM stack
# (the residual risk SPEC §8 names). Their pids are far above the few a
# session namespace hands out, so a lookup cannot hit a session process.
sleep 1001 & root_pid=$!
setpriv --reuid=2001 --regid=2001 --clear-groups sleep 1002 & alice_pid=$!
nsj_at_exit "kill $root_pid $alice_pid"
for _ in $(seq 16); do /bin/true; done
nsj_require test "$root_pid" -gt 20

# gone PATTERN: no process whose command line matches (in the sandbox's
# PID namespace, which holds every session's), waiting up to 3 s for the
# kernel to finish killing a namespace.
gone() {
	local i
	for i in $(seq 30); do
		pgrep -f -- "$1" >/dev/null || return 0
		sleep 0.1
	done
	pgrep -af -- "$1"
	return 1
}

# only_session "desc" CMD...: CMD prints `ps -e -o comm=`; every line is
# the session's init or one of ALLOWED (a regex), and the init is there.
only_session() {
	local desc=$1 allowed=$2; shift 2
	_nsj_run "$@"
	if [ "$NSJ_RC" -eq 0 ] && grep -qx nsjail-init <<<"$NSJ_OUT" &&
		! grep -vxE "nsjail-init|$allowed" <<<"$NSJ_OUT" >/dev/null; then pass "$desc"
	else fail "$desc" "expected only nsjail-init and $allowed" "$(_nsj_show "$@")"; fi
}

# --- su -----------------------------------------------------------------
output_is "su alice: the session opens" success pam_rc alice
only_session "su: ps -e lists only the session's processes" "sh|ps" as_user alice 'ps -e -o comm='
output_is "su: PID 1 is the session's init" nsjail-init as_user alice 'cat /proc/1/comm'
output_is "su: the shell's parent (su, outside) shows as 0" 0 as_user alice 'ps -o ppid= -p $$ | tr -d " "'
output_contains "su: kill -0 of root's process: ESRCH" "No such process" as_user alice "kill -0 $root_pid"
output_contains "su: kill -0 of her own process outside: ESRCH" "No such process" as_user alice "kill -0 $alice_pid"
output_is "su: /proc/<host pid> is absent" absent as_user alice "test -e /proc/$alice_pid || echo absent"
output_is "su: /proc/<host pid>/root is absent" absent as_user alice "test -e /proc/$alice_pid/root/ || echo absent"
output_contains "su: ptrace of her own process outside: no such process" "No such process" as_user alice "python3 -c 'import ctypes,os,sys; l=ctypes.CDLL(None,use_errno=True); r=l.ptrace(16,$alice_pid,0,0); print(os.strerror(ctypes.get_errno()) if r else \"attached\")'"
output_is "su: /proc/self works in the session" ok as_user alice 'test "$(readlink /proc/self)" -gt 0 && echo ok'
output_contains "su: the init cannot be signalled" "Operation not permitted" as_user alice 'kill -TERM 1'
output_contains "su: the init cannot be entered" "Permission denied" as_user alice 'ls /proc/1/root/'
output_lacks "su: the jail's mounts still apply" "bob" as_user alice 'ls -A /home'
status_is "su: the command's status comes back" 7 as_user alice 'exit 7'

# The checks below look for what is gone: first see it while it lives.
as_user alice 'sleep 1006' >/dev/null 2>&1 & live=$!
ok "su: while the session lives, its init is seen from outside" sh -c 'for i in $(seq 50); do pgrep -x nsjail-init && pgrep -f "^nsjail-helper" && pgrep -u alice -fx "sleep 1006" && exit 0; sleep 0.1; done; exit 1'
init=$(pgrep -x nsjail-init | head -n 1)
# The init forked from the helper holding its request socket, the
# namespace fds and its stdio: only its pidfd of the caller may stay.
output_is "su: the session's init holds one fd, its pidfd of the caller (none of the helper's)" \
	pidfd sh -c "for f in /proc/${init:-none}/fd/*; do readlink \"\$f\"; done | sed 's/.*pidfd.*/pidfd/'"
sleeper=$(pgrep -u alice -fx 'sleep 1006')
[ -n "$sleeper" ] && kill "$sleeper"
wait "$live"
ok "su: killing the session's last process ends it; the init follows" gone "^nsjail-helper"

as_user alice 'sleep 1003 </dev/null >/dev/null 2>&1 & setsid sleep 1004 </dev/null >/dev/null 2>&1 & echo started' >/dev/null
ok "su: after the session, what it left in the background is gone" gone "sleep 100[34]"
ok "su: after the session, its init is gone" gone "^nsjail-helper"
ok "root's and alice's host processes are untouched" kill -0 "$root_pid" "$alice_pid"

# --- the jail without private_pids is unchanged --------------------------
output_contains "plain jail: root's process is seen (EPERM, not ESRCH)" "Operation not permitted" as_user carol "kill -0 $root_pid"
output_contains "plain jail: ps -e lists the host's processes" "sleep" as_user carol 'ps -e -o comm='

# --- sshd ---------------------------------------------------------------
nsj_require nsj_sshd_start
O=$(nsj_ssh_opts alice)
E=$(nsj_ssh_opts erin)
P=$NSJ_SSH_PORT
only_session "ssh: ps -e lists only the session's processes" "sshd|bash|ps" nsj_ssh alice 'ps -e -o comm='
output_contains "ssh: kill -0 of the sshd listener: ESRCH" "No such process" nsj_ssh alice "kill -0 $NSJ_SSHD_PID"
output_is "ssh: /proc/<listener pid> is absent" absent nsj_ssh alice "test -e /proc/$NSJ_SSHD_PID || echo absent"
output_contains "ssh: kill -0 of her own process outside: ESRCH" "No such process" nsj_ssh alice "kill -0 $alice_pid"
output_is "ssh -tt: a pty" "/dev/pts/" sh -c "ssh $O -p $P -tt alice@127.0.0.1 tty | tr -d '\r\0' | sed 's/\^@//g; s/[0-9]*\$//'"
output_is "ssh -tt: the pty session is in the namespace" nsjail-init sh -c "ssh $O -p $P -tt alice@127.0.0.1 'cat /proc/1/comm' | tr -d '\r\0'"
output_contains "sftp: listing her home" ".marker-alice" sh -c "echo 'ls -a /home/alice' | sftp $O -P $P -b - alice@127.0.0.1"
echo "from the host" >"$T/upload.txt"
ok "sftp: upload" sh -c "echo 'put $T/upload.txt /home/alice/up.txt' | sftp $O -P $P -b - alice@127.0.0.1"
output_is "sftp: the upload reached her real home" "from the host" cat /home/alice/up.txt
ok "scp from alice" scp $O -P $P alice@127.0.0.1:/home/alice/.marker-alice "$T/scp-down.txt"
nsj_ssh alice 'sleep 1005 </dev/null >/dev/null 2>&1 & echo started' >/dev/null 2>&1
ok "ssh: after the session, its background process is gone" gone "sleep 1005"
ok "ssh: after the session, its init is gone" gone "^nsjail-helper"

# tmpfs root
only_session "ssh erin (tmpfs root): ps -e lists only the session" "sshd|bash|ps" nsj_ssh erin 'ps -e -o comm='
output_is "ssh erin: names resolve" "uid=2005(erin) gid=2005(erin) groups=2005(erin)" nsj_ssh erin id
output_is "ssh -tt erin: a pty in the root jail" "/dev/pts/" sh -c "ssh $E -p $P -tt erin@127.0.0.1 tty | tr -d '\r\0' | sed 's/\^@//g; s/[0-9]*\$//'"
output_contains "ssh erin: kill -0 of the listener: ESRCH" "No such process" nsj_ssh erin "kill -0 $NSJ_SSHD_PID"
output_is "ssh erin: /proc is one procfs, the session's" "proc 1" nsj_ssh erin 'echo $(findmnt -no FSTYPE /proc) $(findmnt -n /proc | wc -l)'
ok "ssh erin: afterwards its init is gone" gone "^nsjail-helper"

# --- nsjailctl run --------------------------------------------------------
only_session "nsjailctl run: the command is in the session's namespace" "ps" \
	"$NSJ" run -c "$T/nsjail.conf" --helper "$NSJ_HELPER" alice -- ps -e -o comm=
ok "nsjailctl run: afterwards its init is gone" gone "^nsjail-helper"

# --- failures deny the session and leave nothing -------------------------
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "pids"; users = [ "alice" ]; bind = [ "/srv/nosrc:/srv/mnt" ]; private_pids = true; } );
EOF2
nsj_syslog_mark
output_is "a failing step: session error" session_err pam_rc alice
fails "a failing step: su alice fails" as_user alice true
syslog_contains "a failing step: syslog names the path" "pam_nsjail.*/srv/nosrc"
ok "a failing step: no init left" gone "^nsjail-helper"

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "pids"; users = [ "alice" ]; tmpfs = [ "/proc" ]; private_pids = true; } );
EOF2
nsj_syslog_mark
output_is "tmpfs on /proc with private_pids: session error" session_err pam_rc alice
syslog_contains "the message says why" "'/proc' is the session's own procfs"
