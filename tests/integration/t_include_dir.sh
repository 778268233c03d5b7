#!/bin/bash
# settings.include_dir: *.conf drop-ins in lexical order, their jails after
# the main file's; other files ignored; an unsafe drop-in or directory makes
# the whole configuration invalid.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/m /srv/a /srv/b && touch /srv/m/f /srv/a/f /srv/b/f && chmod -R a+rX /srv
nsj_config <<EOF2
version = 1;
settings = { include_dir = "$T/nsjail.d"; };
jails = ( { name = "main"; users = [ "erin" ]; inaccessible = [ "/srv/m" ]; } );
EOF2
nsj_dropin 20-b.conf <<'EOF2'
jails = ( { name = "drop-b"; users = [ "alice", "carol" ]; inaccessible = [ "/srv/b" ]; } );
EOF2
nsj_dropin 10-a.conf <<'EOF2'
jails = ( { name = "drop-a"; users = [ "alice", "erin" ]; inaccessible = [ "/srv/a" ]; } );
EOF2
nsj_dropin README <<'EOF2'
this is not a config file and must be ignored {{{
EOF2
nsj_dropin 30-c.conf.disabled <<'EOF2'
jails = ( { name = "disabled"; users = [ "bob" ]; inaccessible = [ "/srv/a" ]; } );
EOF2

output_is "alice: jailed by a drop-in" success pam_rc alice
fails "alice: 10-a.conf comes first (/srv/a hidden)" as_user alice 'ls /srv/a'
output_is "alice: 20-b.conf does not apply (/srv/b visible)" f as_user alice 'ls /srv/b'
fails "carol: jailed by 20-b.conf (/srv/b hidden)" as_user carol 'ls /srv/b'
fails "erin: the main file's jail comes first (/srv/m hidden)" as_user erin 'ls /srv/m'
output_is "erin: 10-a.conf does not apply (/srv/a visible)" f as_user erin 'ls /srv/a'
output_is "bob: files not named *.conf are ignored" ignore pam_rc bob

chmod 0664 "$T/nsjail.d/20-b.conf"
output_is "group-writable drop-in: the config is refused (alice)" session_err pam_rc alice
output_is "group-writable drop-in: erin, from the main file, is refused too" session_err pam_rc erin
output_is "group-writable drop-in: root still gets in" ignore pam_rc root
chmod 0644 "$T/nsjail.d/20-b.conf"

chown bob "$T/nsjail.d/10-a.conf"
output_is "drop-in not owned by root: refused" session_err pam_rc alice
chown root "$T/nsjail.d/10-a.conf"

chmod 0777 "$T/nsjail.d"
output_is "world-writable include_dir: refused" session_err pam_rc alice
chmod 0755 "$T/nsjail.d"

nsj_dropin 40-bad.conf <<'EOF2'
settings = { exempt_users = [ "alice" ]; };
EOF2
nsj_syslog_mark
output_is "a drop-in with more than a jails list: refused" session_err pam_rc alice
syslog_contains "the error names the drop-in" "pam_nsjail.*40-bad.conf"
rm "$T/nsjail.d/40-bad.conf"

output_is "all safe again: alice jailed" success pam_rc alice
