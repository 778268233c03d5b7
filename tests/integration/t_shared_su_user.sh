#!/bin/bash
# A non-root user's `su alice` (she types alice's password) into a shared
# jail works as when root runs su: the build and the join. Through real su
# on a pty (expect).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "sh"; users = [ "alice" ]; private_tmp = true; shared = true; } );
EOF2
nsj_require command -v expect
# Under ASan the module needs the ASan runtime loaded first, which the
# harness preloads through a wrapper of su; a non-root caller's su must be
# the real setuid one, and the loader drops a preload for setuid programs.
# So this test cannot run in the sanitizer suite; the normal and clang
# suites run it.
if [ "$NSJ_SANITIZE" = 1 ]; then
	skip "bob's su into alice's shared jail" "a user's own su is setuid: the ASan runtime cannot be preloaded into it"
	exit 0
fi
# bob_su CMD: bob runs `su -s /bin/sh alice -c CMD`, typing her password.
bob_su() {
	cat >"$T/bobsu.exp" <<EOF2
set timeout 20
spawn setpriv --reuid=2003 --regid=2003 --clear-groups su -s /bin/sh alice -c {$1}
expect "assword:" { send "\$env(NSJ_PASSWORD)\r" }
expect eof
catch wait result
exit [lindex \$result 3]
EOF2
	expect -f "$T/bobsu.exp" </dev/null
}
# (the marks are computed: the command line expect echoes never shows them)
output_contains "bob's su alice: builds her shared jail" "R=built" bob_su 'echo bu""ilt >/tmp/mark; sleep 60 </dev/null >/dev/null 2>&1 & echo R=$(cat /tmp/mark)'
output_contains "bob's su alice: joins it" "R=built" bob_su 'echo R=$(cat /tmp/mark)'
output_is "root's su alice joins the same jail" "built" as_user alice 'cat /tmp/mark'
output_lacks "no Permission denied in syslog" "Permission denied" cat "$T/syslog"
