#!/bin/bash
# Overlapping entries (issue 10 item 2): restrictive wins and flags merge,
# whatever the order in the file. bind_ro + bind of one path is read-only;
# read_only on a bind's target keeps it read-only; `check` names both
# FILE:LINEs of every overlap; a root jail's entry on one of its automatic
# mounts is refused by check and by the module, with FILE:LINE in syslog.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf
mkdir -p /opt/ovl /srv/ovl /mnt/ovl
chmod 1777 /opt/ovl /srv/ovl
touch /srv/ovl/marker-srv
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "ovl";
    users = [ "alice" ];
    bind_ro = [ "/opt/ovl" ];
    bind = [ "/opt/ovl",
             "/srv/ovl:/mnt/ovl",
             "/home/%u", "/home/%u" ];
    read_only = [ "/mnt/ovl" ];
  }
);
EOF2
nsj_require nsj_sshd_start

# --- the effect, through su and sshd
output_is "alice's session opens" success pam_rc alice
output_contains "su: bind_ro + bind of /opt/ovl is read-only" "Read-only file system" as_user alice 'touch /opt/ovl/su'
output_contains "ssh: bind_ro + bind of /opt/ovl is read-only" "Read-only file system" nsj_ssh alice 'touch /opt/ovl/ssh'
output_contains "su: read_only /mnt/ovl + bind /srv/ovl:/mnt/ovl is read-only" "Read-only file system" as_user alice 'touch /mnt/ovl/su'
output_contains "ssh: read_only /mnt/ovl + bind /srv/ovl:/mnt/ovl is read-only" "Read-only file system" nsj_ssh alice 'touch /mnt/ovl/ssh'
output_is "su: the bind is there (the host's /srv/ovl)" "ok" as_user alice 'test -e /mnt/ovl/marker-srv && echo ok'
ok "su: her home (bound twice, merged) is writable" as_user alice 'touch /home/alice/ovl-ok'
ok "bob (unjailed) writes /opt/ovl: the host's flags are not the jail's" as_user bob 'touch /opt/ovl/bob'
ok "the caller writes /srv/ovl" touch /srv/ovl/root

# --- check names both lines of each overlap; warnings only: exit 0
status_is "check: overlaps are warnings (exit 0)" 0 "$NSJ" check -c "$C"
output_contains "check: bind_ro + bind, both lines" "$C:7: warning: jail 'ovl': bind /opt/ovl <- /opt/ovl overlaps bind_ro /opt/ovl <- /opt/ovl ($C:6)" "$NSJ" check -c "$C"
output_contains "check: read_only + bind, both lines" "$C:8: warning: jail 'ovl': bind /mnt/ovl <- /srv/ovl overlaps read_only /mnt/ovl ($C:10)" "$NSJ" check -c "$C"
output_contains "check: the same template twice, without a real user" "$C:9: warning: jail 'ovl': bind /home/%u <- /home/%u overlaps bind /home/%u <- /home/%u ($C:9)" "$NSJ" check -c "$C"
output_contains "explain: the overlap for a real user" "$C:7: warning:" "$NSJ" explain -c "$C" alice

# --- a root jail's entry on its automatic /tmp: an error
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "rootovl";
    users = [ "alice" ];
    root = "tmpfs";
    bind_ro = [ "/usr" ];
    tmpfs = [ "/tmp" ];
  }
);
EOF2
status_is "check: an entry on an automatic mount is an error (exit 1)" 1 "$NSJ" check -c "$C"
output_contains "check: the entry's line and the root's" "$C:8: error: jail 'rootovl': tmpfs /tmp is on the jail's automatic tmpfs /tmp ($C:6)" "$NSJ" check -c "$C"
nsj_syslog_mark
output_is "the session is refused" session_err pam_rc alice
syslog_contains "syslog names FILE:LINE" "nsjail.conf:8: error: jail 'rootovl': tmpfs /tmp"
# Whatever the status: no command ran.
su_inside() { as_user alice 'echo inside' 2>&1; true; }
ssh_inside() { nsj_ssh alice 'echo inside' 2>&1; true; }
fails "su: the login fails" as_user alice 'echo inside'
output_lacks "su: no shell ran" "inside" su_inside
fails "ssh: the login fails" nsj_ssh alice 'echo inside'
output_lacks "ssh: no shell ran" "inside" ssh_inside
