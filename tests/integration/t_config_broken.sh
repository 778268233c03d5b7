#!/bin/bash
# An invalid or missing configuration fails closed for every non-exempt user
# (matched or not: nobody knows what the file meant) and never locks out root.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "broken"; users = [ "alice" ]; inaccessible = [ "/srv" ]
);
EOF2

output_is "syntax error: alice denied (PAM_SESSION_ERR)" session_err pam_rc alice
fails "syntax error: su alice fails" as_user alice true
output_is "syntax error: bob (not exempt) denied too" session_err pam_rc bob
output_is "syntax error: root is still exempt" ignore pam_rc root
output_is "syntax error: su root works" root su root -c 'id -un'
syslog_contains "syslog names FILE:LINE" "pam_nsjail.*nsjail\.conf:[0-9]+"

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "typo"; users = [ "alice" ]; inacessible = [ "/srv" ]; } );
EOF2
nsj_syslog_mark
output_is "unknown key: alice denied" session_err pam_rc alice
syslog_contains "syslog names the key's line" "pam_nsjail.*nsjail\.conf:2"
output_is "unknown key: root still gets in" ignore pam_rc root

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "bad-token"; users = [ "alice" ]; inaccessible = [ "/srv/%x" ]; } );
EOF2
output_is "unknown token %x: alice denied" session_err pam_rc alice

rm "$T/nsjail.conf"
output_is "missing config: alice denied" session_err pam_rc alice
output_is "missing config: root still gets in" root su root -c 'id -un'
