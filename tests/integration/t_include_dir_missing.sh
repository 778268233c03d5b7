#!/bin/bash
# A settings.include_dir that cannot be read (removed or renamed by a
# config-management race, or replaced by a file) is an error: check exits 1
# naming it, and at login every session a drop-in could decide is refused;
# the main file's exempt users and jails, uid 0 and the PAM line's exempt=
# accounts are unaffected.
NSJ_PAM_ARGS="exempt=dave"
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
mkdir -p /srv/secret /srv/main && chmod 0755 /srv/secret /srv/main
nsj_config <<EOF2
version = 1;
settings = { include_dir = "$T/nsjail.d"; exempt_users = [ "root", "bob" ]; };
jails = ( { name = "main"; users = [ "erin" ]; inaccessible = [ "/srv/main" ]; } );
EOF2
nsj_dropin 10-alice.conf <<'EOF2'
jails = ( { name = "drop"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2
output_is "folder present: alice jailed by its drop-in" success pam_rc alice
ok "folder present: check exits 0" "$NSJ" check -c "$T/nsjail.conf"

mv "$T/nsjail.d" "$T/nsjail.d.moved"
status_is "folder missing: check exits 1" 1 "$NSJ" check -c "$T/nsjail.conf"
output_contains "folder missing: check names the folder" \
	"$T/nsjail.d: error: settings.include_dir does not exist" "$NSJ" check -c "$T/nsjail.conf"
nsj_syslog_mark
output_is "folder missing: alice (drop-in jail) refused" session_err pam_rc alice
syslog_contains "folder missing: the log names the folder" \
	"pam_nsjail\(nsjtest:session\): user=alice service=nsjtest: configuration unusable \($T/nsjail.d: error: settings.include_dir does not exist"
fails "folder missing: su alice refused" as_user alice true
output_is "folder missing: carol (named nowhere) refused too" session_err pam_rc carol
output_is "folder missing: erin still gets the main file's jail" success pam_rc erin
fails "folder missing: erin's jail holds (/srv/main hidden)" as_user erin 'ls /srv/main'
output_is "folder missing: bob (settings.exempt_users) gets in" ignore pam_rc bob
output_is "folder missing: dave (exempt= of the PAM line) gets in" ignore pam_rc dave
output_is "folder missing: root gets in" ignore pam_rc root
nsj_require nsj_sshd_start
fails "folder missing: ssh alice refused" nsj_ssh alice true
output_is "folder missing: ssh bob works" bob nsj_ssh bob 'id -un'
output_is "folder missing: ssh dave works" dave nsj_ssh dave 'id -un'

# A file where the folder should be.
echo x >"$T/nsjail.d"
status_is "a file instead of the folder: check exits 1" 1 "$NSJ" check -c "$T/nsjail.conf"
output_is "a file instead of the folder: alice refused" session_err pam_rc alice
output_is "a file instead of the folder: bob gets in" ignore pam_rc bob
rm "$T/nsjail.d"
mv "$T/nsjail.d.moved" "$T/nsjail.d"
output_is "folder back: alice jailed again" success pam_rc alice
