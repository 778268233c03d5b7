#!/bin/bash
# groups match through NSS: a supplementary group (carol in contractors) and
# a primary group (dave in sftponly).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/c /srv/s && touch /srv/c/f /srv/s/f && chmod -R a+rX /srv
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "contractors"; groups = [ "contractors" ]; inaccessible = [ "/srv/c" ]; },
  { name = "sftp"; groups = [ "sftponly" ]; inaccessible = [ "/srv/s" ]; }
);
EOF2

output_is "carol (supplementary group contractors) is jailed" success pam_rc carol
fails "carol: /srv/c hidden" as_user carol 'ls /srv/c'
output_is "carol: /srv/s visible" f as_user carol 'ls /srv/s'
output_is "dave (primary group sftponly) is jailed" success pam_rc dave
fails "dave: /srv/s hidden" as_user dave 'ls /srv/s'
output_is "dave: /srv/c visible" f as_user dave 'ls /srv/c'
output_is "alice (neither group) is not jailed" ignore pam_rc alice
