#!/bin/bash
# A login never hangs on the helper (issue 10 item 6): a helper that does not
# answer is killed at the module's timeout (10 s); one that then cannot be
# reaped (uninterruptible sleep on a dead NFS home; here: a zombie held by a
# tracer, tests/helpers/esc_unreapable.c) costs the login at most a bounded
# grace (2 s) more: the session is refused and the log says why, through
# real su and through pamtester.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
nsj_require esc_cc "$T/bin/esc_unreapable" esc_unreapable.c "-DESC_UNREAP_OUT=\"$T/unreap.out\""
chmod -R a+rX "$T/bin"
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "hide"; users = [ "alice" ]; inaccessible = [ "/srv" ]; } );
EOF2
sed -i "s|helper=$NSJ_HELPER|helper=$T/bin/esc_unreapable|" "$T/pam.d/su" "$T/pam.d/nsjtest"
ok "the su stack names the unreapable stand-in" grep -q "helper=$T/bin/esc_unreapable" /etc/pam.d/su
end_tracer() {
	local t
	t=$(sed -n 's/^tracer //p' "$T/unreap.out" 2>/dev/null)
	[ -n "$t" ] && kill "$t" 2>/dev/null
	rm -f "$T/unreap.out"
}
nsj_at_exit end_tracer
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# --- su ---------------------------------------------------------------------
t0=$(now_ms)
timeout 40 su -s /bin/sh alice -c 'echo JAILED' >"$T/su.out" 2>&1 </dev/null
rc=$?
ms=$(($(now_ms) - t0))
echo "# su with an unreapable helper: status $rc after $ms ms"
ok "the stand-in was traced (a real unreapable zombie)" grep -q '^tracer ' "$T/unreap.out"
ok "su is not hung (status $rc, timeout(1) says 124)" test "$rc" -ne 124
ok "... it is refused (status $rc)" test "$rc" -ne 0
output_lacks "... the shell never ran" JAILED cat "$T/su.out"
ok "... within the timeout + grace (${ms} ms <= 14500 ms)" test "$ms" -le 14500
ok "... and not before the timeout (${ms} ms >= 10000 ms)" test "$ms" -ge 10000
syslog_contains "the log says the helper could not be reaped" \
	"pam_nsjail\(su:session\): user=alice .*did not exit within 2 s of SIGKILL"
end_tracer

# --- pamtester ------------------------------------------------------------------
t0=$(now_ms)
out=$(timeout 40 pamtester nsjtest alice open_session 2>&1 </dev/null)
rc=$?
ms=$(($(now_ms) - t0))
echo "# pamtester with an unreapable helper: status $rc after $ms ms"
ok "pamtester is not hung and the session is refused (status $rc)" test "$rc" -ne 124 -a "$rc" -ne 0
ok "... within the timeout + grace (${ms} ms <= 14500 ms)" test "$ms" -le 14500
end_tracer

# --- control: the real helper still works ------------------------------------------
sed -i "s|helper=$T/bin/esc_unreapable|helper=$NSJ_HELPER|" "$T/pam.d/su"
output_is "control: with the real helper alice gets her jail" 0 as_user alice 'stat -c %a /srv'
