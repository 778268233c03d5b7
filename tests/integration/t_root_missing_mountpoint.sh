#!/bin/bash
# The helper never writes into an on-disk root. A mount point the root
# lacks at its top (proc, a bind target such as /opt) is made in the jail's
# own tmpfs "/" the directory's entries are bound onto; one missing below
# an entry of the directory is an error naming it.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -m 0755 /srv/jails
nsj_make_root /srv/jails/alice
rmdir /srv/jails/alice/proc
before=$(cd /srv/jails/alice && find . -printf '%p %M %U %s %l\n' | sort)
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "noproc"; users = [ "alice" ]; root = "/srv/jails/%u"; bind_ro = [ "/usr", "/opt" ]; } );
EOF2

output_is "missing /proc and /opt at the top: the session opens" success pam_rc alice
output_is "... /proc works in the jail" ok as_user alice 'grep -q "^Name:" /proc/self/status && echo ok'
output_is "... /opt is the host's" "$(ls /opt | head -n 1)" as_user alice 'ls /opt | head -n 1'
output_is "the helper did not create them in the directory" "$before" sh -c "cd /srv/jails/alice && find . -printf '%p %M %U %s %l\n' | sort"

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "nohome"; users = [ "alice" ]; root = "/srv/jails/%u"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; } );
EOF2
nsj_syslog_mark
output_is "missing bind target /home/alice below the root's own home/: session error" session_err pam_rc alice
fails "... su alice fails" as_user alice true
syslog_contains "syslog names it" "pam_nsjail.*/home/alice does not exist"
output_is "the helper did not create it" absent sh -c 'test -e /srv/jails/alice/home/alice || echo absent'
mkdir -m 0755 /srv/jails/alice/home/alice
output_is "with the mount point present: session opens" success pam_rc alice
