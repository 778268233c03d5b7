#!/bin/bash
# Users no jail names, and root (exempt by default), get PAM_IGNORE and see
# everything, even when a jail would otherwise match them.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/secret && echo "top secret" >/srv/secret/data && chmod -R a+rX /srv/secret
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "alice-only"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; },
  { name = "root-too"; users = [ "root" ]; inaccessible = [ "/srv/secret" ]; }
);
EOF2

output_is "bob is unmatched: PAM_IGNORE" ignore pam_rc bob
output_is "bob sees everything" "top secret" as_user bob 'cat /srv/secret/data'
output_is "erin is unmatched: PAM_IGNORE" ignore pam_rc erin
output_is "root is exempt by default: PAM_IGNORE" ignore pam_rc root
output_is "root (su root) sees everything" "top secret" su root -c 'cat /srv/secret/data'
output_is "alice is jailed (control)" success pam_rc alice
fails "alice cannot read it (control)" as_user alice 'cat /srv/secret/data'
