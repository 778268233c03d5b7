#!/bin/bash
# The module's fail-closed paths other than a broken file (t_config_broken):
# an unknown or malformed module option (a typo such as "confg=" would
# otherwise silently use the default file), a user that NSS cannot resolve,
# and a jail that matches but cannot be compiled for this user. Each denies
# a non-exempt user (PAM_SESSION_ERR, su refuses) and says why in the log;
# root, the default exempt user, is let in unjailed when the module cannot
# know the policy, so a typo never locks the administrator out.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/secret && echo "top secret" >/srv/secret/data && chmod -R a+rX /srv
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "hide"; users = [ "alice", "ghost" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2
output_is "control: alice is jailed" success pam_rc alice
output_is "control: su alice cannot read the secret" HIDDEN as_user alice 'cat /srv/secret/data 2>/dev/null || echo HIDDEN'

# --- unknown and malformed options -------------------------------------------
cp "$T/pam.d/nsjtest" "$T/nsjtest.orig"
cp "$T/pam.d/su" "$T/su.orig"
for opt in "confg=$T/nsjail.conf" "config=nsjail.conf" "helper=nsjail-helper" "debug=1"; do
	sed "s|pam_nsjail\.so |pam_nsjail.so $opt |" "$T/nsjtest.orig" >"$T/pam.d/nsjtest"
	sed "s|pam_nsjail\.so |pam_nsjail.so $opt |" "$T/su.orig" >"$T/pam.d/su"
	nsj_require grep -qF "pam_nsjail.so $opt " "$T/pam.d/nsjtest"
	nsj_syslog_mark
	output_is "option '$opt': alice denied (PAM_SESSION_ERR)" session_err pam_rc alice
	syslog_contains "... the log names the option" "pam_nsjail.*unknown module option '$opt'"
	output_contains "... su alice refuses the session" "cannot open session" as_user alice 'echo LOGGED-IN'
	output_is "... bob (unmatched) denied too: nobody knows what was meant" session_err pam_rc bob
	output_is "... root still gets in" ignore pam_rc root
done
cp "$T/nsjtest.orig" "$T/pam.d/nsjtest"
cp "$T/su.orig" "$T/pam.d/su"

# --- a user NSS cannot resolve ----------------------------------------------------
# pam_unix would fail such a session itself: only the module decides here.
sed -i 's/^session required pam_unix\.so$/session required pam_permit.so/' "$T/pam.d/nsjtest"
nsj_require grep -q '^session required pam_permit\.so$' "$T/pam.d/nsjtest"
output_is "control: with pam_permit for pam_unix alice is still jailed" success pam_rc alice
nsj_syslog_mark
output_is "an unknown user (named in the jail) is denied" session_err pam_rc ghost
syslog_contains "... the log says why" "pam_nsjail.*user 'ghost': no such user"
output_is "an unknown user (named nowhere) is denied" session_err pam_rc nosuchuser
cp "$T/nsjtest.orig" "$T/pam.d/nsjtest"

# --- a matched jail that cannot be compiled for this user ---------------------
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "bad-bind"; users = [ "alice" ]; bind = [ "/srv:/" ]; } );
EOF2
nsj_syslog_mark
output_is "a jail that fails to compile: alice denied" session_err pam_rc alice
syslog_contains "... the log names the line" "pam_nsjail.*nsjail\.conf:2.*cannot mount over '/'"
output_contains "... su alice refuses the session" "cannot open session" as_user alice 'echo LOGGED-IN'
output_is "... bob (unmatched) is not affected" ignore pam_rc bob
