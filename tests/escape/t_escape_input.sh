#!/bin/bash
# Escape class 7 (SPEC §8): hostile input through the real module. Broken
# configuration files (malformed, truncated, binary, 100k lines, deeply
# nested) deny a non-exempt user with a session error and let root in; the
# module returns (no crash). Hostile NSS data (names and homes with "/",
# "..", "%", relative or very long values, no such user, a primary group
# without a name, thousands of groups): a clear error and a denied session,
# or a correct jail; never an unjailed session when a jail names the user.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
mkdir -p /srv/secret && echo "top secret" >/srv/secret/data && chmod -R a+rX /srv

# A stack with the module alone (pam_unix would fail unknown users first):
# prints success (jail joined), ignore (PAM_IGNORE), session_err, or
# crash:STATUS when pamtester did not come back normally.
cat >"$T/pam.d/escinput" <<EOF
auth required pam_permit.so
account required pam_permit.so
session required pam_permit.so
$(nsj_pam_line "[success=1 ignore=ignore default=die]")
session optional pam_exec.so type=open_session quiet $T/bin/pam-mark ignore
EOF
outcome() {
	local out rc
	rm -f "$T/pam-mark"
	out=$(timeout 60 pamtester -v escinput "$1" open_session close_session 2>&1 </dev/null)
	rc=$?
	if [ $rc -eq 0 ] && [ -e "$T/pam-mark" ]; then echo ignore
	elif [ $rc -eq 0 ]; then echo success
	elif [ $rc -eq 1 ] && grep -q "Cannot make/remove an entry for the specified session" <<<"$out"; then echo session_err
	else echo "crash:$rc"; fi
}
# denied_or_jailed "desc" USER: the session is denied or jailed, never
# unjailed, and the module came back.
denied_or_jailed() {
	local got
	got=$(outcome "$2")
	case $got in
	success|session_err) pass "$1 ($got)" ;;
	*) fail "$1" "outcome: $got" ;;
	esac
}

good='version = 1;
jails = ( { name = "hide"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ]; } );'
nsj_config <<<"$good"
output_is "control: the good config jails alice" success outcome alice
output_is "control: root is exempt" ignore outcome root

# --- broken configurations ----------------------------------------------------
broken() {
	local what=$1
	output_is "$what: alice denied (fail closed)" session_err outcome alice
	output_is "$what: root still in" ignore outcome root
	fails "$what: su alice is refused" as_user alice 'echo in'
	output_is "$what: su root works" in su -s /bin/sh root -c 'echo in'
}
nsj_config <<<'version = 1; jails = ( { name = "x"; users = [ "alice" ]; tmpfs = [ "/home" ] '
broken "malformed (unclosed)"
head -c $((${#good} / 2)) <<<"$good" | nsj_config
broken "truncated"
head -c 4096 /bin/true | nsj_config
broken "binary (ELF bytes)"
printf 'version = 1;\n\0jails = ( { name = "x"; users = [ "alice" ]; } );\n' | nsj_config
broken "a NUL byte inside"
{ printf 'version = 1;\njails = ( { name = "x"; users = [ "alice" ]; extra = '
  for _ in $(seq 20000); do printf '{ a = '; done; printf '1'
  for _ in $(seq 20000); do printf ' }'; done; printf '; } );\n'; } | nsj_config
broken "deeply nested groups (20000)"
{ printf 'version = 1;\njails = ( { name = "x"; users = [ "alice" ]; tmpfs = '
  for _ in $(seq 20000); do printf '( '; done; printf '"/x"'
  for _ in $(seq 20000); do printf ' )'; done; printf '; } );\n'; } | nsj_config
broken "deeply nested lists (20000)"
{ echo 'version = 1;'; echo 'jails = ('; printf '"%s",\n' $(seq 100000); echo '"/x" );'; } | nsj_config
broken "100k lines of the wrong type"
{ echo 'version = 1;'; printf 'name = "%0200000d";\n' 0; } | nsj_config
broken "a 200 kB value"

# A valid 100k-line file: the module must read it in bounded time and jail.
{
	echo 'version = 1;'
	echo 'jails = ('
	for i in $(seq 20000); do
		printf '  {\n    name = "j%d";\n    users = [ "nobody-%d" ];\n    inaccessible = [ "/srv/secret" ];\n  },\n' "$i" "$i"
	done
	echo '  { name = "last"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; }'
	echo ');'
} | nsj_config
output_is "a valid 100k-line config: $(wc -l <"$T/nsjail.conf") lines" ok sh -c "[ $(wc -l <"$T/nsjail.conf") -ge 100000 ] && echo ok"
start=$(date +%s%N)
output_is "a valid 100k-line config: alice jailed by the last jail" success outcome alice
ms=$((($(date +%s%N) - start) / 1000000))
ok "... in bounded time (${ms} ms < 10000)" test "$ms" -lt 10000
fails "... and the jail holds" as_user alice 'cat /srv/secret/data'

# --- hostile NSS data -----------------------------------------------------------
long=$(printf 'x%.0s' $(seq 3000))
longname=$(printf 'n%.0s' $(seq 250))
cat >>"$T/etc/passwd" <<EOF
a%u:x:2201:2200:percent name:/home/a%u:/bin/sh
dotdot:x:2202:2200:dotdot home:/home/../etc:/bin/sh
longhome:x:2203:2200:long home:/home/$long:/bin/sh
relhome:x:2204:2200:relative home:home/rel:/bin/sh
nohome:x:2205:2200:empty home::/bin/sh
x/y:x:2206:2200:slash name:/home/xy:/bin/sh
$longname:x:2207:2200:long name:/home/long:/bin/sh
pct:x:2208:2200:percent home:/home/%u:/bin/sh
dothome:x:2209:2200:dot home:/home/./dothome/:/bin/sh
orphan:x:2211:2299:no primary group:/home/orphan:/bin/sh
many:x:2212:2212:thousands of groups:/home/many:/bin/sh
EOF
cut -d: -f1 <<<"$(tail -n 11 "$T/etc/passwd")" | sed 's/$/:*:19000:0:99999:7:::/' >>"$T/etc/shadow"
echo "hostile:x:2200:" >>"$T/etc/group"
echo "many:x:2212:" >>"$T/etc/group"
for i in $(seq 3000); do echo "g$i:x:$((30000 + i)):many"; done >>"$T/etc/group"
mkdir -p /home/a%u /home/xy /home/long /home/%u /home/orphan /home/many /srv/users
output_is "NSS sees the 3000 groups of 'many'" 3001 sh -c 'id -G many | wc -w'

nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "hostile-names";
    groups = [ "hostile" ];
    inaccessible = [ "/srv/secret" ];
    read_only = [ "-%h" ];
    bind = [ "-/srv/users/%u:/srv/me" ];
  },
  { name = "orphan-g"; users = [ "orphan" ]; inaccessible = [ "/srv/secret" ]; tmpfs = [ "/srv/users/%g" ]; },
  { name = "many"; groups = [ "g3000" ]; inaccessible = [ "/srv/secret" ]; }
);
EOF2
for u in 'a%u' dotdot longhome relhome nohome 'x/y' "$longname" pct dothome; do
	denied_or_jailed "user '${u:0:20}': denied or jailed, never unjailed" "$u"
done
# "%" in a value is literal: /srv/users/%u is /srv/users/a%u, never re-expanded.
mkdir -p '/srv/users/a%u' '/srv/users/aa%u' /srv/me
echo literal >'/srv/users/a%u/which'
echo re-expanded >'/srv/users/aa%u/which'
output_is "a user named 'a%u': jailed, %u expanded once (no re-expansion)" literal \
	su -s /bin/sh 'a%u' -c 'cat /srv/me/which'
output_is "home /home/../etc: a clear denial" session_err outcome dotdot
syslog_contains "... the log says why" "home directory of user 'dotdot' is not safe in a path"
fails "su 'a%u': the secret stays hidden (or the login is denied)" \
	su -s /bin/sh 'a%u' -c 'cat /srv/secret/data'
output_is "no such user (NSS returns nothing): denied" session_err outcome ghost
output_is "a user name with a newline: denied" session_err outcome "$(printf 'alice\nroot')"
output_is "an empty-looking user name (a space): denied" session_err outcome ' '
output_is "a user whose primary group has no name, jail uses %g: denied" session_err outcome orphan
output_is "3000 groups, matched by the last: jailed" success outcome many
output_is "... su many: the jail holds" denied sh -c "su -s /bin/sh many -c 'cat /srv/secret/data' >/dev/null 2>&1 || echo denied"
ok "... su many: the session itself opens" su -s /bin/sh many -c true
nsj_config <<'EOF2'
version = 1;
settings = { exempt_groups = [ "g2999" ]; };
jails = ( { name = "many"; groups = [ "g3000" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2
output_is "3000 groups, an exempt one among them: exempt (PAM_IGNORE)" ignore outcome many
ok "no core file anywhere the tests wrote" sh -c "! ls $T/core* /core* 2>/dev/null | grep -q ."
