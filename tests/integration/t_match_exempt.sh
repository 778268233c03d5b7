#!/bin/bash
# settings.exempt_users and exempt_groups are checked before any jail.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/a && touch /srv/a/f && chmod -R a+rX /srv
nsj_config <<'EOF2'
version = 1;
settings = {
  exempt_users = [ "root", "alice" ];
  exempt_groups = [ "contractors" ];
};
jails = ( { name = "everyone"; users = [ "alice", "carol", "erin", "root" ]; inaccessible = [ "/srv/a" ]; } );
EOF2

output_is "exempt user alice: PAM_IGNORE" ignore pam_rc alice
output_is "exempt user alice sees /srv/a" f as_user alice 'ls /srv/a'
output_is "carol, in exempt group contractors: PAM_IGNORE" ignore pam_rc carol
output_is "carol sees /srv/a" f as_user carol 'ls /srv/a'
output_is "root, exempt: PAM_IGNORE" ignore pam_rc root
output_is "erin (named, not exempt) is jailed" success pam_rc erin
fails "erin cannot list /srv/a" as_user erin 'ls /srv/a'
