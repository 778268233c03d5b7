#!/bin/bash
# services: a jail limited to some PAM services applies to exactly those.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/a && touch /srv/a/f && chmod -R a+rX /srv
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "su-only"; users = [ "alice" ]; services = [ "su" ]; inaccessible = [ "/srv/a" ]; } );
EOF2
output_is "services=[su]: not applied to service nsjtest" ignore pam_rc alice nsjtest
fails "services=[su]: applied to su" as_user alice 'ls /srv/a'
output_is "services=[su]: not applied to su-l (another service)" f su -l alice -c 'ls /srv/a'
output_is "services=[su]: not applied to runuser" f runuser -u alice -- ls /srv/a

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "test-only"; users = [ "alice" ]; services = [ "nsjtest", "runuser" ]; inaccessible = [ "/srv/a" ]; } );
EOF2
output_is "services=[nsjtest,runuser]: applied to nsjtest" success pam_rc alice nsjtest
output_is "services=[nsjtest,runuser]: not applied to su" f as_user alice 'ls /srv/a'
fails "services=[nsjtest,runuser]: applied to runuser" runuser -u alice -- ls /srv/a

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "all"; users = [ "alice" ]; inaccessible = [ "/srv/a" ]; } );
EOF2
output_is "no services key: applied to nsjtest" success pam_rc alice nsjtest
fails "no services key: applied to su" as_user alice 'ls /srv/a'
fails "no services key: applied to su -l" su -l alice -c 'ls /srv/a'
