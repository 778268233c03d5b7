#!/bin/bash
# The first matching jail in file order wins; later ones are not merged in.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/a /srv/b && touch /srv/a/f /srv/b/f && chmod -R a+rX /srv
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "by-group"; groups = [ "contractors" ]; inaccessible = [ "/srv/b" ]; },
  { name = "first-jail"; users = [ "alice", "carol" ]; inaccessible = [ "/srv/a" ]; },
  { name = "second-jail"; users = [ "alice" ]; inaccessible = [ "/srv/b" ]; }
);
EOF2

output_is "alice is jailed" success pam_rc alice
fails "alice: the first matching jail applies (/srv/a hidden)" as_user alice 'ls /srv/a'
output_is "alice: the second jail does not (/srv/b visible)" f as_user alice 'ls /srv/b'
syslog_contains "syslog names the jail that applied" "pam_nsjail.*first-jail"
fails "carol: matched first by group (/srv/b hidden)" as_user carol 'ls /srv/b'
output_is "carol: the later user match does not apply (/srv/a visible)" f as_user carol 'ls /srv/a'
