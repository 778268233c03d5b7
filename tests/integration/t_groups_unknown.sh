#!/bin/bash
# A group the policy names that does not resolve (a typo, a group deleted
# in the directory) is an error for check and edit, unless written "-name"
# (may be absent: a warning, and it matches nobody at login). At login a
# non-optional unknown group still refuses the sessions it could decide;
# exempt accounts still get in.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf
mkdir -p /srv/secret && chmod 0755 /srv/secret

nsj_config <<'EOF2'
version = 1;
settings = { exempt_users = [ "root", "bob" ]; };
jails = ( { name = "contractors";
  groups = [ "contractrs" ];
  inaccessible = [ "/srv/secret" ]; } );
EOF2
status_is "a typo'd group: check exits 1" 1 "$NSJ" check -c "$C"
output_contains "... naming FILE:LINE and the group" \
	"$C:4: error: jail 'contractors': unknown group 'contractrs'" "$NSJ" check -c "$C"
# What a login does with it (the fail-closed rule stays).
nsj_syslog_mark
output_is "login: alice (could be in it) refused" session_err pam_rc alice
syslog_contains "login: the log names the group" \
	"user=alice service=nsjtest: configuration unusable|could apply through group 'contractrs', which cannot be resolved"
fails "login: su alice refused" as_user alice true
output_is "login: bob (exempt_users) gets in" ignore pam_rc bob
output_is "login: root gets in" ignore pam_rc root

# Optional: "-name" may be absent, then it matches nobody.
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "contractors";
  groups = [ "-contractrs", "contractors" ];
  inaccessible = [ "/srv/secret" ]; } );
EOF2
status_is "an optional absent group: check exits 0" 0 "$NSJ" check -c "$C"
output_contains "... with a warning" \
	"$C:3: warning: jail 'contractors': optional group 'contractrs' does not exist" "$NSJ" check -c "$C"
output_is "login: alice (in no group) is not jailed" ignore pam_rc alice
output_is "login: su alice works" alice as_user alice 'id -un'
output_is "login: carol (contractors) is jailed" success pam_rc carol
fails "login: carol's jail holds" as_user carol 'ls /srv/secret'

# edit refuses to install a typo, installs the optional form.
cp -p "$C" "$T/orig.conf"
cat >"$T/bin/ed-typo" <<EOF2
#!/bin/sh
sed -i 's/"-contractrs", //; s/"contractors" \]/"contractrs" ]/' "\$1"
EOF2
cat >"$T/bin/ed-optional" <<EOF2
#!/bin/sh
sed -i 's/"-contractrs", "contractors"/"-gone", "contractors"/' "\$1"
EOF2
chmod 0755 "$T"/bin/ed-*
_edit() { printf 'x\n' | env -u VISUAL EDITOR="$1" "$NSJ" edit -c "$C"; }
status_is "edit: a typo'd group is refused (exit 1)" 1 _edit "$T/bin/ed-typo"
output_contains "edit: ... naming the group" "unknown group 'contractrs'" _edit "$T/bin/ed-typo"
ok "edit: ... the file is unchanged" cmp -s "$C" "$T/orig.conf"
status_is "edit: an optional absent group is installed" 0 _edit "$T/bin/ed-optional"
ok "edit: ... the file has it" grep -q '"-gone"' "$C"
