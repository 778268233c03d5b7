#!/bin/bash
# The PAM line's break-glass list, exempt=USER,@GROUP,...: its accounts are
# always exempt, and when the policy cannot be used (a bad push: syntax
# error, unknown key, missing file) they and uid 0 (by uid, not by the name
# "root") are the only logins let in, each logged at LOG_CRIT. A bad
# exempt= argument unlocks nobody.
NSJ_USERS="alice:2001:alice:2001:
carol:2002:carol:2002:contractors
bob:2003:bob:2003:
dave:2004:sftponly:2100:
erin:2005:erin:2005:
toor:0:root:0:"
NSJ_PAM_ARGS="exempt=erin,@contractors"
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/secret && chmod 0755 /srv/secret

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "all"; users = [ "alice", "bob", "carol", "erin" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2
output_is "good policy: alice jailed" success pam_rc alice
output_is "good policy: erin (exempt= by name) not jailed" ignore pam_rc erin
output_is "good policy: carol (exempt= through @contractors) not jailed" ignore pam_rc carol

# --- a broken push: a syntax error
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "all"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]
);
EOF2
nsj_require nsj_sshd_start
nsj_syslog_mark
output_is "syntax error: erin (break-glass) gets in" ignore pam_rc erin
syslog_contains "syntax error: LOG_CRIT line names erin and the cause" \
	'^<82>.*pam_nsjail\(nsjtest:session\): user=erin service=nsjtest: configuration unusable \(.*nsjail\.conf:[0-9]+: .*\); break-glass: letting erin \(uid 2005\) in unjailed'
output_is "syntax error: su erin works" erin as_user erin 'id -un'
output_is "syntax error: ssh erin works" erin nsj_ssh erin 'id -un'
output_is "syntax error: carol (in @contractors) gets in" ignore pam_rc carol
output_is "syntax error: alice refused" session_err pam_rc alice
fails "syntax error: ssh alice refused" nsj_ssh alice 'id -un'
output_is "syntax error: dave (not listed) refused" session_err pam_rc dave
nsj_syslog_mark
output_is "syntax error: uid-0 alias toor gets in (su)" 0 as_user toor 'id -u'
syslog_contains "syntax error: toor let in by uid, logged" \
	'^<82>.*pam_nsjail\(su:session\): user=toor service=su: configuration unusable .*letting toor \(uid 0\) in unjailed'
output_is "syntax error: uid-0 alias toor gets in (ssh)" 0 nsj_ssh toor 'id -u'
output_is "syntax error: root gets in" ignore pam_rc root

# uid 0, not the name: an account named root with another uid is not let in.
cp "$T/etc/passwd" "$T/passwd.orig"
sed 's/^root:x:0:0:/root:x:4242:0:/' "$T/passwd.orig" >/etc/passwd
output_is "syntax error: an account named root with uid 4242 is refused" session_err pam_rc root
cat "$T/passwd.orig" >/etc/passwd

# --- an unknown key
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "all"; users = [ "alice" ]; inacessible = [ "/srv/secret" ]; } );
EOF2
nsj_syslog_mark
output_is "unknown key: erin gets in" ignore pam_rc erin
syslog_contains "unknown key: the cause names the key" \
	"break-glass|configuration unusable \(.*unknown key 'inacessible'"
output_is "unknown key: alice refused" session_err pam_rc alice

# --- no file at all
rm "$T/nsjail.conf"
output_is "missing file: erin gets in" ignore pam_rc erin
output_is "missing file: bob refused" session_err pam_rc bob

# --- a bad exempt= argument unlocks nobody
sed -i 's/exempt=erin,@contractors/exempt=erin,,@contractors/' /etc/pam.d/nsjtest
nsj_syslog_mark
output_is "bad exempt= (empty item): erin refused" session_err pam_rc erin
syslog_contains "bad exempt=: logged" "pam_nsjail\(nsjtest:session\): .*exempt=.*empty"
output_is "bad exempt=: root still gets in" ignore pam_rc root
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "all"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2
output_is "bad exempt=, good policy: erin refused (a bad PAM line)" session_err pam_rc erin
