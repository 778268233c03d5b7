#!/bin/bash
# PAM callers that are not a login process: dovecot (passdb pam,
# session=yes) opens every user's session in one long-lived root process,
# its auth worker, which goes on serving the other users' logins. The
# module must not move that worker into the first user's jail: it refuses
# the session with the reason, builds nothing, and the worker stays in
# the host's mount namespace. nsjailctl doors flags such services.
# Controls: vsftpd (session_support=YES) and proftpd (AuthPAM) open the
# session in the connection's own process, one per login; xrdp-sesman in
# a child per session, the parent of the user's X server and window
# manager (facts in lib/policy/workers.c).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
mkdir -p /srv/secret && echo "top secret" >/srv/secret/data
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "hide"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2

# A probe before the module: which process opens the session, in which
# mount namespace, and its parent (pam_exec's parent is the caller).
cat >"$T/bin/probe" <<EOF2
#!/bin/sh
[ "\$PAM_TYPE" = open_session ] || exit 0
echo "\$PAM_USER \$PPID \$(readlink /proc/\$PPID/ns/mnt) \$(awk '/^PPid:/ { print \$2 }' /proc/\$PPID/status)" >>"$T/probe.log"
EOF2
chmod 0755 "$T/bin/probe"
stack() {
	printf '@include common-auth\n@include common-account\n@include common-session\n'
	echo "session optional pam_exec.so quiet $T/bin/probe"
	nsj_pam_line
}
HOST_NS=$(readlink /proc/self/ns/mnt)

# --- pamtester: the rule, by service name ------------------------------------
for svc in dovecot imap pop3; do stack >"$T/pam.d/$svc"; done
nsj_syslog_mark
output_is "pamtester, service dovecot, alice (jailed): the session is refused" session_err pam_rc alice dovecot
syslog_contains "... with the reason" \
	"pam_nsjail\(dovecot:session\): user=alice service=dovecot jail=hide: dovecot opens the session in its auth worker, which serves the logins of every user"
output_is "... service imap (dovecot's args = *) too" session_err pam_rc alice imap
output_is "... bob (no jail) is not refused" ok pam_rc bob dovecot
output_is "control: alice through nsjtest is jailed" success pam_rc alice nsjtest

# --- any service: a process that joined a jail opens no second session -----
# One process, a handle per login, as a worker does (tests/helpers/pam_twice.c),
# under a service name no table knows.
nsj_require cc -o "$T/bin/pam_twice" "$NSJ_SRC/tests/helpers/pam_twice.c" -lpam
pam_twice() { "$T/bin/pam_twice" "$@"; }
for svc in worker login; do stack >"$T/pam.d/nsjworker-$svc"; done
nsj_syslog_mark
output_is "one process, alice then bob: alice is jailed, bob refused" "alice success
bob session_err" pam_twice nsjworker-worker alice bob
syslog_contains "... with the reason" \
	"pam_nsjail\(nsjworker-worker:session\): user=bob service=nsjworker-worker: this process \(pid [0-9]+\) joined alice's jail 'hide' for an earlier session: it serves more than one login"
output_is "... alice twice: the second is refused too (it would nest a jail)" "alice success
alice session_err" pam_twice nsjworker-worker alice alice
output_is "... root after a jailed login: refused (it would run in alice's jail)" "alice success
root session_err" pam_twice nsjworker-worker alice root
output_is "control: bob (not jailed) then alice: both open (nothing was joined before alice)" "bob success
alice success" pam_twice nsjworker-worker bob alice
output_is "control: one login per process, one after the other: both jailed" \
	"alice success" sh -c "'$T/bin/pam_twice' nsjworker-login alice >/dev/null && '$T/bin/pam_twice' nsjworker-login alice"
output_is "control: after execve the process is a new program (a jailed shell's su): it opens" \
	"alice success
bob success" pam_twice nsjworker-worker alice exec bob

# --- nsjailctl doors --------------------------------------------------------
# A host where every door runs the module: only the shared worker is a problem.
mkdir -p "$T/doors"
for svc in sshd dovecot vsftpd proftpd xrdp-sesman; do
	{ printf 'auth required pam_unix.so\nsession required pam_unix.so\n'; nsj_pam_line; } >"$T/doors/$svc"
done
nsj_doors() { "$NSJ" doors --pam-dir "$T/doors" --vendor-dir "$T/none" "$@"; }
status_is "control: doors without the dovecot service (vsftpd, proftpd, xrdp-sesman are no shared workers): exit 0" 0 \
	"$NSJ" doors --pam-dir "$T/doors" --vendor-dir "$T/none" --ignore dovecot
status_is "doors: a shared-worker service running the module is a problem (exit 1)" 1 nsj_doors
output_contains "... the table names the reason" \
	"shared worker: dovecot opens the session in its auth worker" nsj_doors
output_is "... the only uncovered door (vsftpd, proftpd, xrdp-sesman are not flagged)" "uncovered doors: dovecot" \
	sh -c "'$NSJ' doors --pam-dir '$T/doors' --vendor-dir '$T/none' | grep '^uncovered doors'"
output_contains "--json: shared_worker carries the reason" \
	'"shared_worker":"dovecot opens the session' sh -c "'$NSJ' doors --json --pam-dir '$T/doors' --vendor-dir '$T/none' | tr -d '\n' | sed 's/\": \"/\":\"/g'"
output_contains "--json: a service without a shared worker has null" \
	'"shared_worker":null' sh -c "'$NSJ' doors --json --pam-dir '$T/doors' --vendor-dir '$T/none' | tr -d '\n' | sed 's/\": /\":/g'"

# The real daemons are not built with ASan, and the ASan-built module needs
# its runtime loaded first: preloaded into smbd it aborts ("Shadow memory
# range interleaves"), dovecot's auth worker cannot be given it. The
# normal and clang suites run this part.
if [ "$NSJ_SANITIZE" = 1 ]; then
	skip "dovecot, samba, vsftpd, proftpd and xrdp-sesman" "the daemons are not built with ASan: its runtime cannot be preloaded into them"
	exit 0
fi

# --- dovecot: two users log in over IMAP ------------------------------------
if ! command -v dovecot >/dev/null 2>&1; then
	skip "dovecot is not installed (scripts/deps.sh: dovecot-imapd)"
else
	mkdir -p "$T/dv/run" "$T/dv/state"
	cat >"$T/dv/dovecot.conf" <<EOF2
base_dir = $T/dv/run
state_dir = $T/dv/state
protocols = imap
listen = 127.0.0.1
log_path = $T/dv/log
ssl = no
disable_plaintext_auth = no
mail_location = maildir:~/Maildir
passdb {
  driver = pam
  args = session=yes dovecot
}
userdb {
  driver = passwd
}
service imap-login {
  inet_listener imap {
    port = 1143
  }
}
EOF2
	nsj_require dovecot -c "$T/dv/dovecot.conf"
	nsj_at_exit "doveadm -c '$T/dv/dovecot.conf' stop"
	cat >"$T/imap.py" <<'EOF2'
import imaplib, sys
user = sys.argv[1]
for i in range(50):
    try:
        c = imaplib.IMAP4("127.0.0.1", 1143, timeout=10)
        break
    except OSError:
        import time; time.sleep(0.1)
try:
    c.login(user, sys.argv[2])
    print("logged in")
    c.logout()
except imaplib.IMAP4.error as e:
    print("refused")
EOF2
	imap() { python3 "$T/imap.py" "$1" "$NSJ_PASSWORD"; }
	: >"$T/probe.log"
	nsj_syslog_mark
	output_is "IMAP: alice (jailed) is refused" refused imap alice
	output_is "IMAP: then bob logs in" "logged in" imap bob
	output_is "IMAP: alice again: refused" refused imap alice
	syslog_contains "... the module says why" \
		"pam_nsjail\(dovecot:session\): user=alice service=dovecot jail=hide: dovecot opens the session in its auth worker"
	worker() { awk '{ print $2 }' "$T/probe.log" | sort -u; }
	output_is "one process opened all three sessions (the auth worker)" 1 sh -c "awk '{ print \$2 }' '$T/probe.log' | sort -u | wc -l"
	output_is "... for alice and bob" "alice bob alice" sh -c "awk '{ print \$1 }' '$T/probe.log' | xargs"
	output_is "the worker is still in the host's mount namespace" "$HOST_NS" readlink "/proc/$(worker | head -n 1)/ns/mnt"
	output_is "... and served bob from there" "$HOST_NS" sh -c "awk '\$1 == \"bob\" { print \$3 }' '$T/probe.log'"

	# Under a name the table does not know, the first jailed login still
	# moves the worker (no open_session tells it from a login's); the next
	# login is refused rather than served from inside that jail.
	sed -i 's/args = session=yes dovecot/args = session=yes nsjmail/' "$T/dv/dovecot.conf"
	stack >"$T/pam.d/nsjmail"
	doveadm -c "$T/dv/dovecot.conf" reload
	sleep 1
	: >"$T/probe.log"
	nsj_syslog_mark
	output_is "IMAP, service nsjmail: alice logs in (jailed: her worker moved)" "logged in" imap alice
	output_is "... then bob is refused" refused imap bob
	syslog_contains "... because the worker joined alice's jail" \
		"pam_nsjail\(nsjmail:session\): user=bob service=nsjmail: this process \(pid [0-9]+\) joined alice's jail 'hide'"
	output_is "... by the same process as alice's" 1 sh -c "awk '{ print \$2 }' '$T/probe.log' | sort -u | wc -l"
fi

# --- samba (obey pam restrictions): the connection's process, any user -------
if ! command -v smbd >/dev/null 2>&1 || ! command -v smbclient >/dev/null 2>&1; then
	skip "samba is not installed (scripts/deps.sh: samba smbclient)"
else
	S=$T/smb
	mkdir -p "$S/private" "$S/lock" "$S/state" "$S/cache" "$S/run" "$S/ncalrpc" /srv/share
	cat >"$S/smb.conf" <<EOF2
[global]
  server role = standalone server
  passdb backend = tdbsam:$S/private/passdb.tdb
  private dir = $S/private
  lock directory = $S/lock
  state directory = $S/state
  cache directory = $S/cache
  pid directory = $S/run
  ncalrpc dir = $S/ncalrpc
  binddns dir = $S/bind
  log file = $S/log
  interfaces = lo
  bind interfaces only = yes
  smb ports = 1445
  disable netbios = yes
  obey pam restrictions = yes
[share]
  path = /srv/share
EOF2
	for u in alice bob; do
		printf '%s\n%s\n' "$NSJ_PASSWORD" "$NSJ_PASSWORD" |
			smbpasswd -c "$S/smb.conf" -a -s "$u" >/dev/null 2>&1
	done
	{ printf '@include common-auth\n@include common-account\n@include common-session\n'
	  echo "session optional pam_exec.so quiet $T/bin/probe"; } >"$T/pam.d/samba"
	smbd -F -s "$S/smb.conf" </dev/null >/dev/null 2>&1 &
	nsj_at_exit "kill $!"
	smb() { smbclient -s "$S/smb.conf" //127.0.0.1/share -p 1445 -U "$1%$NSJ_PASSWORD" "${@:2}"; }
	for i in $(seq 50); do smb bob -c ls >/dev/null 2>&1 && break; sleep 0.1; done
	# The fact behind the table's entry, without the module: smbclient's
	# "logon" is a second session setup on the same connection.
	: >"$T/probe.log"
	smb alice -c "logon bob $NSJ_PASSWORD" >/dev/null 2>&1
	output_is "samba: alice's and bob's sessions on one connection" "alice bob" \
		sh -c "awk '{ print \$1 }' '$T/probe.log' | xargs"
	output_is "... opened by one process" 1 sh -c "awk '{ print \$2 }' '$T/probe.log' | sort -u | wc -l"
	nsj_pam_line >>"$T/pam.d/samba"
	nsj_syslog_mark
	fails "samba with the module: alice (jailed) is refused" smb alice -c ls
	syslog_contains "... with the reason" \
		"pam_nsjail\(samba:session\): user=alice service=samba jail=hide: smbd opens the session in the client connection's process"
	ok "... bob (no jail) is served" smb bob -c ls
fi

# --- vsftpd (control): one process per login, not a shared worker -----------
if ! command -v vsftpd >/dev/null 2>&1; then
	skip "vsftpd is not installed (scripts/deps.sh: vsftpd)"
else
	echo "session optional pam_exec.so quiet $T/bin/probe" >"$T/pam.d/vsftpd"
	sed -i '1i @include common-auth\n@include common-account\n@include common-session' "$T/pam.d/vsftpd"
	mkdir -p /var/run/vsftpd/empty
	cat >"$T/vsftpd.conf" <<EOF2
listen=YES
listen_address=127.0.0.1
listen_port=2121
background=NO
anonymous_enable=NO
local_enable=YES
session_support=YES
pam_service_name=vsftpd
secure_chroot_dir=/var/run/vsftpd/empty
EOF2
	vsftpd "$T/vsftpd.conf" &
	nsj_at_exit "kill $!"
	cat >"$T/ftp.py" <<'EOF2'
import ftplib, sys, time
for i in range(50):
    try:
        c = ftplib.FTP(); c.connect("127.0.0.1", 2121, timeout=10); break
    except OSError:
        time.sleep(0.1)
c.login(sys.argv[1], sys.argv[2])
try:
    c.sendcmd("USER " + sys.argv[3])
    print("switched")
except ftplib.error_perm as e:
    print(str(e))
c.quit()
EOF2
	: >"$T/probe.log"
	output_is "vsftpd: a logged-in connection cannot change to another user" \
		"530 Can't change to another user." python3 "$T/ftp.py" alice "$NSJ_PASSWORD" bob
	output_is "... and bob's login is opened by another process than alice's" 2 \
		sh -c "python3 '$T/ftp.py' bob '$NSJ_PASSWORD' alice >/dev/null; awk '{ print \$2 }' '$T/probe.log' | sort -u | wc -l"
fi

# proftpd and xrdp are not installed (proftpd-core conflicts with vsftpd,
# xrdp pulls an X server): scripts/deps.sh downloads their .deb into
# build/debs, unpacked here with dpkg-deb -x.
DEBS=${NSJ_DEB_CACHE:-$NSJ_SRC/build/debs}
deb() { compgen -G "$DEBS/${1}_*.deb" | head -n 1; }

# --- proftpd (control): the connection's process becomes the session --------
if [ -z "$(deb proftpd-core)" ]; then
	skip "proftpd: no proftpd-core .deb in $DEBS (scripts/deps.sh downloads it)"
else
	PF=$T/proftpd
	for p in proftpd-core libhashkit2 libhiredis0.14 libmemcached11 libmemcachedutil2 libpcre2-posix3; do
		[ -z "$(deb "$p")" ] || dpkg-deb -x "$(deb "$p")" "$PF"
	done
	stack >"$T/pam.d/proftpd"
	cat >"$T/proftpd.conf" <<EOF2
ServerName "nsjtest"
ServerType standalone
DefaultAddress 127.0.0.1
SocketBindTight on
Port 2122
User nobody
Group nogroup
UseIPv6 off
UseReverseDNS off
PidFile $T/proftpd.pid
ScoreboardFile $T/proftpd.scoreboard
DelayTable none
WtmpLog off
TransferLog none
SystemLog $T/proftpd.log
AuthPAM on
AuthPAMConfig proftpd
AuthOrder mod_auth_pam.c* mod_auth_unix.c
RequireValidShell off
EOF2
	# -n: no daemon, so $! is the master, which forks a child per connection
	LD_LIBRARY_PATH=$PF/usr/lib/x86_64-linux-gnu "$PF/usr/sbin/proftpd" -n -c "$T/proftpd.conf" </dev/null >/dev/null 2>&1 &
	pf_master=$!
	nsj_at_exit "kill $pf_master"
	cat >"$T/pf.py" <<'EOF2'
import ftplib, sys, time
for i in range(50):
    try:
        c = ftplib.FTP(); c.connect("127.0.0.1", 2122, timeout=10); break
    except OSError:
        time.sleep(0.1)
c.login(sys.argv[1], sys.argv[2])
for cmd in sys.argv[3:]:
    try:
        if cmd.startswith("RETR "):
            out = []
            c.retrbinary(cmd, out.append)
            print(b"".join(out).decode().strip())
        else:
            print(c.sendcmd(cmd))
    except ftplib.all_errors as e:
        print(str(e))
c.quit()
EOF2
	ftp() { python3 "$T/pf.py" "$1" "$NSJ_PASSWORD" "${@:2}"; }
	: >"$T/probe.log"
	output_is "proftpd: a logged-in connection refuses another user, and REIN" \
		"501 Reauthentication not supported
503 You are already logged in
502 REIN command not implemented" ftp bob USER\ alice "PASS $NSJ_PASSWORD" REIN
	output_is "proftpd, alice (jailed): her FTP session cannot retrieve the hidden file" \
		"550 /srv/secret/data: Permission denied" ftp alice "RETR /srv/secret/data"
	output_is "... bob (no jail), after her: he can" "top secret" ftp bob "RETR /srv/secret/data"
	output_is "... each login opened by its own child of the master" "$pf_master $pf_master $pf_master" \
		sh -c "awk '{ print \$4 }' '$T/probe.log' | xargs"
	output_is "... three processes" 3 sh -c "awk '{ print \$2 }' '$T/probe.log' | sort -u | wc -l"
	output_is "... bob's in the host's mount namespace" "$HOST_NS" sh -c "awk '\$1 == \"bob\" { print \$3 }' '$T/probe.log' | tail -n 1"
	output_is "... the master stays in the host's mount namespace" "$HOST_NS" readlink "/proc/$pf_master/ns/mnt"
fi

# --- xrdp-sesman (control): a child per session, the parent of the session --
if [ -z "$(deb xrdp)" ]; then
	skip "xrdp-sesman: no xrdp .deb in $DEBS (scripts/deps.sh downloads it)"
else
	XR=$T/xrdp
	dpkg-deb -x "$(deb xrdp)" "$XR"
	stack >"$T/pam.d/xrdp-sesman"
	mkdir -p /run/xrdp /tmp/.X11-unix && chmod 1777 /tmp/.X11-unix
	# No X here: an X server that only makes the socket sesman waits for,
	# and a window manager that reports what the user's session sees.
	# Both run as the user, children of the process that opened the session.
	cat >"$T/bin/fakeX" <<'EOF2'
#!/usr/bin/python3
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind("/tmp/.X11-unix/X" + sys.argv[1].lstrip(":"))
s.listen(1)
time.sleep(60)
EOF2
	cat >"$T/bin/wm" <<EOF2
#!/bin/sh
echo "\$(id -un) \$PPID \$(cat /srv/secret/data 2>&1)" >>"$T/wm.log"
EOF2
	chmod 0755 "$T/bin/fakeX" "$T/bin/wm"
	install -m 0666 /dev/null "$T/wm.log"
	sed -e "s|^LogFile=.*|LogFile=$T/sesman.log|" -e "s|^param=Xvnc$|param=$T/bin/fakeX|" \
		"$XR/etc/xrdp/sesman.ini" >"$T/sesman.ini"
	xr() { LD_LIBRARY_PATH=$XR/usr/lib/x86_64-linux-gnu/xrdp "$@"; }
	LD_LIBRARY_PATH=$XR/usr/lib/x86_64-linux-gnu/xrdp "$XR/usr/sbin/xrdp-sesman" -n -c "$T/sesman.ini" </dev/null >/dev/null 2>&1 &
	xr_main=$!
	nsj_at_exit "kill $xr_main"
	# sesrun: the sesman protocol's client (a session as xrdp asks for one);
	# -s: "localhost" does not resolve in the sandbox
	sesrun() {
		local n
		n=$(wc -l <"$T/wm.log")
		for i in $(seq 50); do
			xr "$XR/usr/bin/xrdp-sesrun" -s 127.0.0.1 -c "$T/sesman.ini" -t Xvnc -S "$T/bin/wm" \
				-p "$NSJ_PASSWORD" "$1" >/dev/null 2>&1 && break
			sleep 0.1
		done
		for i in $(seq 100); do [ "$(wc -l <"$T/wm.log")" -gt "$n" ] && break; sleep 0.1; done
		tail -n 1 "$T/wm.log" | cut -d' ' -f1,3-
	}
	: >"$T/probe.log"
	output_is "xrdp-sesman, alice (jailed): her window manager cannot read the hidden file" \
		"alice cat: /srv/secret/data: Permission denied" sesrun alice
	output_is "... bob (no jail), after her: his can" "bob top secret" sesrun bob
	output_is "... each session opened by its own child of sesman" "$xr_main $xr_main" \
		sh -c "awk '{ print \$4 }' '$T/probe.log' | xargs"
	output_is "... which is the window manager's parent" \
		"$(awk '{ print $2 }' "$T/probe.log" | xargs)" sh -c "awk '{ print \$2 }' '$T/wm.log' | xargs"
	output_is "... bob's in the host's mount namespace" "$HOST_NS" sh -c "awk '\$1 == \"bob\" { print \$3 }' '$T/probe.log'"
	output_is "... sesman stays in the host's mount namespace" "$HOST_NS" readlink "/proc/$xr_main/ns/mnt"
fi
