#!/bin/bash
# One build per PAM handle (issue 10 item 5, SPEC §3a): a stack that runs
# the module twice (su-l including su plus a line of its own; pamtester's
# open_session open_session) builds one jail, not a second inside the first
# (which would read the config, the helper and the bind sources through the
# jail's view). close_session without an open is PAM_IGNORE.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/secret && echo "top secret" >/srv/secret/data
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "hide"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ];
            tmpfs = [ "/srv/scratch" ]; private_tmp = true; } );
EOF2
mkdir -p /srv/scratch
# The login's jail= lines, counted once the first has arrived (a datagram
# may still be in flight when the login returns: nsj_syslog_grep waits).
jail_lines() {
	local re="pam_nsjail\($1:session\): user=$2 service=$1 rhost=[^ ]+ tty=[^ ]+ jail=hide mounts="
	nsj_syslog_grep "$re" >/dev/null
	grep -cE "$re" "$T/syslog"
}
# Mounts the jail puts on /srv/scratch and /tmp, as the session sees them.
MOUNTS='awk '\''$5 == "/srv/scratch" || $5 == "/tmp" { n++ } END { print n + 0 }'\'' /proc/self/mountinfo'

# --- control: the module once ---------------------------------------------
nsj_syslog_mark
once=$(as_user alice "$MOUNTS")
ok "control: one su login builds one jail" test "$(jail_lines su alice)" -eq 1
ok "control: the jail mounts /srv/scratch and /tmp ($once mounts there)" test "${once:-0}" -ge 2

# --- pamtester: open_session twice on one handle -----------------------------
nsj_syslog_mark
output_is "pamtester open_session open_session close_session succeeds" "" \
	sh -c "pamtester nsjtest alice open_session open_session close_session >/dev/null 2>&1 </dev/null || echo failed"
sleep 0.3
output_is "... and built one jail (one jail= line)" 1 jail_lines nsjtest alice
syslog_contains "... the second open says it reuses the first" \
	"pam_nsjail\(nsjtest:session\): user=alice service=nsjtest: .*already opened on this handle"

# --- the first open was PAM_IGNORE: so is the second -------------------------
rm -f "$T/pam-mark"
output_is "bob (not jailed): open_session twice on one handle is ignored both times" ignore \
	sh -c "pamtester nsjtest bob open_session open_session close_session >/dev/null 2>&1 </dev/null && test -e '$T/pam-mark' && echo ignore"
syslog_contains "... the second open reuses the first decision" \
	"pam_nsjail\(nsjtest:session\): user=bob service=nsjtest: already opened on this handle \(not jailed\)"

# --- close_session without an open -------------------------------------------
cat >"$T/pam.d/nsjclose" <<EOF2
auth required pam_permit.so
account required pam_permit.so
session required pam_permit.so
$(nsj_pam_line "[success=1 ignore=ignore default=die]")
session optional pam_exec.so type=close_session quiet $T/bin/pam-mark close-ignored
EOF2
rm -f "$T/pam-mark"
ok "close_session without an open: the stack goes on" pamtester nsjclose alice close_session
output_is "... the module returned PAM_IGNORE (pam_exec after it ran)" close-ignored cat "$T/pam-mark"
rm -f "$T/pam-mark"
ok "close_session after a jailed open: the stack goes on" pamtester nsjclose alice open_session close_session
output_is "... the module returned PAM_SUCCESS (pam_exec skipped)" absent \
	sh -c "test -e '$T/pam-mark' || echo absent"

# --- real su through a stack that lists the module twice ----------------------
{ echo "# pam_nsjail test: listed a second time"; nsj_pam_line; } >>"$T/pam.d/su"
ok "the su stack lists the module twice" test "$(grep -c pam_nsjail.so "$T/pam.d/su")" -eq 2
nsj_syslog_mark
output_is "su through it: the jail's mounts once ($once at /srv/scratch and /tmp), not a jail in the jail" \
	"$once" as_user alice "$MOUNTS"
ok "... one jail= line for the login" test "$(jail_lines su alice)" -eq 1
output_contains "... and the jail holds: the hidden path is hidden" "Permission denied" \
	as_user alice 'cat /srv/secret/data'
