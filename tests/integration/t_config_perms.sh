#!/bin/bash
# The configuration must be owned by root and not group- or world-writable;
# otherwise it is refused as a whole (fail closed, root exempt).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "j"; users = [ "alice" ]; private_tmp = true; } );
EOF2

output_is "root-owned 0644: alice jailed" success pam_rc alice
chmod 0664 "$T/nsjail.conf"
nsj_syslog_mark
output_is "group-writable config: refused" session_err pam_rc alice
fails "group-writable config: su alice fails" as_user alice true
syslog_contains "syslog says why" "pam_nsjail.*nsjail\.conf"
output_is "group-writable config: root still gets in" ignore pam_rc root
chmod 0646 "$T/nsjail.conf"
output_is "world-writable config: refused" session_err pam_rc alice
chmod 0644 "$T/nsjail.conf"
chown alice "$T/nsjail.conf"
output_is "config owned by alice: refused" session_err pam_rc alice
chown root "$T/nsjail.conf"
output_is "root-owned 0644 again: alice jailed" success pam_rc alice
