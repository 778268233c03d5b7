#!/bin/bash
# A refused session (PAM_SESSION_ERR) tells its user one line through the
# application's conversation (pam_error), without internals, where PAM_TTY
# names a terminal (t_refused_clients: why never over ssh); PAM_SILENT
# keeps it quiet. The module's syslog lines, of an open and of a refusal,
# carry rhost= and tty= (PAM_RHOST, PAM_TTY; "-" when unset).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
MSG="your session could not be set up; the administrator has the details"
mkdir -p /srv/present

nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "broken"; users = [ "alice" ]; inaccessible = [ "/srv/present", "/srv/nope" ]; },
  { name = "fine"; users = [ "bob" ]; inaccessible = [ "/srv/present" ]; }
);
EOF2

# --- su: the line on su's terminal, then su's own refusal
su_tty() { script -qec "su -s /bin/sh $1 -c '$2'" /dev/null; }
fails "su alice: refused" as_user alice true
output_contains "su alice on a terminal: told in one line" "$MSG" su_tty alice true
output_lacks "su bob (opened): not told" "$MSG" su_tty bob true
_nsj_run su_tty alice true
if grep -c -- "$MSG" "$T/out" | grep -qx 1; then pass "su: the line is printed once"
else fail "su: the line is printed once" "$(_nsj_show su_tty alice true)"; fi
output_lacks "su: no internals in what the user sees" "/srv/nope" sh -c "su -s /bin/sh alice -c true 2>&1; true"

nsj_syslog_mark
as_user alice true >/dev/null 2>&1
syslog_contains "su refusal: syslog line with rhost=- and tty=" \
	"pam_nsjail\(su:session\): user=alice service=su rhost=- tty=[^ ]+: session refused"
nsj_syslog_mark
script -qec "su -s /bin/sh alice -c true" /dev/null >/dev/null 2>&1
syslog_contains "su on a terminal: the refusal names the tty" \
	"pam_nsjail\(su:session\): user=alice service=su rhost=- tty=/dev/pts/[0-9]+: session refused"
nsj_syslog_mark
as_user bob true >/dev/null 2>&1
syslog_contains "su open: syslog line with rhost= and tty=" \
	"pam_nsjail\(su:session\): user=bob service=su rhost=- tty=[^ ]+ jail=fine mounts="

# --- pamtester with PAM_SILENT: not told
status_is "pamtester alice: refused" 1 pamtester -v nsjtest alice open_session
output_contains "pamtester, PAM_TTY a terminal: told" "$MSG" pamtester -v -I tty=/dev/pts/99 nsjtest alice open_session
output_lacks "pamtester, no PAM_TTY: not told" "$MSG" sh -c "pamtester -v nsjtest alice open_session; true"
output_lacks "pamtester with PAM_SILENT: not told" "$MSG" sh -c "pamtester -v -I tty=/dev/pts/99 nsjtest alice 'open_session(PAM_SILENT)'; true"
nsj_syslog_mark
pamtester -I rhost=192.0.2.7 -I tty=/dev/pts/99 nsjtest bob open_session >/dev/null 2>&1
syslog_contains "PAM items reach the open line" \
	"user=bob service=nsjtest rhost=192.0.2.7 tty=/dev/pts/99 jail=fine"

# --- sshd: the command does not run; the line is not written (sshd would
# put it into the channel, before knowing whether a person reads it)
nsj_require nsj_sshd_start
_nsj_run nsj_ssh alice 'echo ran'
if [ "$NSJ_RC" -ne 0 ]; then pass "ssh alice: non-zero exit"
else fail "ssh alice: non-zero exit" "$(_nsj_show nsj_ssh alice 'echo ran')"; fi
if ! grep -q '^ran$' "$T/out"; then pass "ssh alice: the command did not run"
else fail "ssh alice: the command did not run" "$(_nsj_show nsj_ssh alice 'echo ran')"; fi
output_lacks "ssh alice: not told" "$MSG" sh -c "$(declare -f nsj_ssh nsj_ssh_opts); T=$T NSJ_SSH_PORT=$NSJ_SSH_PORT nsj_ssh alice 'echo ran' 2>&1; true"
output_lacks "ssh alice: no internals" "/srv/nope" sh -c "$(declare -f nsj_ssh nsj_ssh_opts); T=$T NSJ_SSH_PORT=$NSJ_SSH_PORT nsj_ssh alice 'echo ran' 2>&1; true"
nsj_syslog_mark
nsj_ssh alice true >/dev/null 2>&1
syslog_contains "ssh refusal: syslog line with rhost=127.0.0.1" \
	"pam_nsjail\(sshd:session\): user=alice service=sshd rhost=127.0.0.1 tty=[^ ]+: session refused"
nsj_syslog_mark
output_is "ssh bob: jailed session works" bob nsj_ssh bob 'id -un'
syslog_contains "ssh open: syslog line with rhost=127.0.0.1" \
	"pam_nsjail\(sshd:session\): user=bob service=sshd rhost=127.0.0.1 tty=[^ ]+ jail=fine mounts="
