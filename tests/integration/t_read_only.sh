#!/bin/bash
# read_only "/" makes the whole tree read-only, recursively (submounts such
# as /tmp too); read_write re-opens the user's home.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/shared && chmod 1777 /srv/shared
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "ro";
    users = [ "alice" ];
    read_only = [ "/" ];
    read_write = [ "/home/%u" ];
  }
);
EOF2

output_is "alice's session opens" success pam_rc alice
output_contains "touch /usr/x: Read-only file system" "Read-only file system" as_user alice 'touch /usr/x'
output_contains "/tmp (a submount) is read-only too" "Read-only file system" as_user alice 'touch /tmp/alice-was-here'
output_contains "/srv/shared (mode 1777) is read-only" "Read-only file system" as_user alice 'touch /srv/shared/x'
ok "the home is writable (read_write)" as_user alice 'echo hi >/home/alice/new && cat /home/alice/new'
output_is "the write reached the real home" hi cat /home/alice/new
output_is "bob (unmatched) can write /tmp" ok as_user bob 'touch /tmp/bob-was-here && echo ok'
ok "the caller's /tmp is still writable" touch /tmp/root-was-here
ok "the caller's /srv is still writable" touch /srv/shared/root
