#!/bin/bash
# Every component of a jail root must be root-owned and not group- or
# world-writable (sshd's ChrootDirectory rule); otherwise the session is
# refused with a message naming the offending path.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -m 0755 /srv/jails
nsj_make_root /srv/jails/alice
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "rootdir"; users = [ "alice" ]; root = "/srv/jails/%u"; bind_ro = [ "/usr" ]; } );
EOF2

output_is "a safe root: session opens" success pam_rc alice

chmod 0775 /srv/jails/alice
nsj_syslog_mark
output_is "group-writable root: refused" session_err pam_rc alice
fails "group-writable root: su alice fails" as_user alice true
syslog_contains "syslog names the root" "pam_nsjail.*/srv/jails/alice"
chmod 0755 /srv/jails/alice

chmod 0757 /srv/jails/alice
output_is "world-writable root: refused" session_err pam_rc alice
chmod 0755 /srv/jails/alice

chmod 0777 /srv/jails
nsj_syslog_mark
output_is "world-writable parent (/srv/jails): refused" session_err pam_rc alice
syslog_contains "syslog names the parent" "pam_nsjail.*/srv/jails"
chmod 0755 /srv/jails

chown alice /srv/jails/alice
output_is "root owned by the user: refused" session_err pam_rc alice
chown root /srv/jails/alice

output_is "safe again: session opens" success pam_rc alice
