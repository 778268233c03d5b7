#!/bin/bash
# The helper never writes into an on-disk root: a mount point the jail needs
# (proc, or a bind target) that is missing is an error naming it.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -m 0755 /srv/jails
nsj_make_root /srv/jails/alice
rmdir /srv/jails/alice/proc
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "noproc"; users = [ "alice" ]; root = "/srv/jails/%u"; bind_ro = [ "/usr" ]; } );
EOF2

output_is "missing /proc mount point: session error" session_err pam_rc alice
fails "missing /proc mount point: su alice fails" as_user alice true
syslog_contains "syslog names proc" "pam_nsjail.*proc"
output_is "the helper did not create it" absent sh -c 'test -e /srv/jails/alice/proc || echo absent'

mkdir -m 0755 /srv/jails/alice/proc
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "noopt"; users = [ "alice" ]; root = "/srv/jails/%u"; bind_ro = [ "/usr", "/opt" ]; } );
EOF2
nsj_syslog_mark
output_is "missing bind target /opt: session error" session_err pam_rc alice
syslog_contains "syslog names /opt" "pam_nsjail.*opt"
output_is "the helper did not create it" absent sh -c 'test -e /srv/jails/alice/opt || echo absent'

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "fine"; users = [ "alice" ]; root = "/srv/jails/%u"; bind_ro = [ "/usr" ]; } );
EOF2
output_is "with every mount point present: session opens" success pam_rc alice
