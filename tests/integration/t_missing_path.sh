#!/bin/bash
# A path that does not exist fails the session unless it has the '-' prefix;
# the message names the path. Unmatched users are not affected.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/present /srv/mnt

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "strict"; users = [ "alice" ]; inaccessible = [ "/srv/present", "/srv/nope" ]; } );
EOF2
output_is "missing inaccessible path: session error" session_err pam_rc alice
fails "missing inaccessible path: su alice fails" as_user alice true
output_contains "su reports the failed session" "cannot open session" as_user alice true
syslog_contains "syslog names the missing path" "pam_nsjail.*/srv/nope"
output_is "bob (unmatched) is not affected" ignore pam_rc bob
output_is "root is not affected" root as_user root 'id -un'

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "lenient"; users = [ "alice" ]; inaccessible = [ "/srv/present", "-/srv/nope" ]; } );
EOF2
output_is "same path with '-': session opens" success pam_rc alice
output_is "same path with '-': su alice works" alice as_user alice 'id -un'

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "bindsrc"; users = [ "alice" ]; bind = [ "/srv/nosrc:/srv/mnt" ]; } );
EOF2
nsj_syslog_mark
output_is "missing bind source: session error" session_err pam_rc alice
syslog_contains "syslog names the missing bind source" "pam_nsjail.*/srv/nosrc"

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "rw"; users = [ "alice" ]; read_only = [ "/srv" ]; read_write = [ "/srv/notthere" ]; } );
EOF2
nsj_syslog_mark
output_is "missing read_write path: session error" session_err pam_rc alice
syslog_contains "syslog names the missing read_write path" "pam_nsjail.*/srv/notthere"
