#!/bin/bash
# Directory users (issue 11): users and groups only in LDAP (slapd, nslcd,
# libnss-ldapd), the jail chosen by an LDAP group. Cost first: slapd
# searches per session for users in 1, 200 and 1000 groups (at most 5,
# whatever the count), a root jail's /etc/group. Up: a member is jailed over
# su and sshd, a non-member is not. slapd down while nscd still answers the
# passwd entries: refused with one log line naming the group, never
# unjailed; root still in. slapd back: jailed again. nscd caching groups: a
# member is jailed from the cache; a group the cache lacks ("no such group")
# refuses. nslcd down. The glibc return values of each case are pinned
# (tests/helpers/nss_probe.c).
. "$NSJ_SRC/tests/lib/functions.sh"
. "$NSJ_SRC/tests/lib/ldap.sh"
for prog in slapd slapadd slaptest ldapsearch nslcd nscd; do
	command -v "$prog" >/dev/null || { echo "# SKIP: $prog missing (scripts/deps.sh)"; exit 77; }
done
ls /usr/lib/*/libnss_ldap.so.2 >/dev/null 2>&1 ||
	{ echo "# SKIP: libnss-ldapd missing (scripts/deps.sh)"; exit 77; }
nsj_setup
nsj_require gcc -Wall -o "$T/bin/nss_probe" "$NSJ_SRC/tests/helpers/nss_probe.c"
P=$T/bin/nss_probe

# lisa is in ldapjail, luke is not; big1/big200/big1000 are in 1, 200 and
# 1000 other LDAP groups. Every LDAP user's primary group is ldapusers.
NBIG=1000
{
	nsj_ldap_user lisa 3001
	nsj_ldap_user luke 3002
	nsj_ldap_user big1 3011
	nsj_ldap_user big200 3012
	nsj_ldap_user big1000 3013
	nsj_ldap_group ldapjail 3100 lisa
	nsj_ldap_group ldapextra 3200 big1
	for i in $(seq "$NBIG"); do
		m="big1000"
		[ "$i" -le 200 ] && m="$m big200"
		[ "$i" -le 1 ] && m="$m big1"
		# shellcheck disable=SC2086 # one member per word
		nsj_ldap_group "g$i" $((4000 + i)) $m
	done
} >"$T/users.ldif"
nsj_require nsj_ldap_init "$T/users.ldif"
nsj_require nsj_ldap_start
nsj_require nsj_nslcd_start
for u in lisa luke big1 big200 big1000; do
	mkdir -m 0755 "/home/$u" && chown "$(id -u $u):3000" "/home/$u"
done
mkdir -p /srv/secret && echo secret >/srv/secret/f && chmod -R a+rX /srv
nsj_config <<'EOF'
version = 1;
jails = (
  { name = "ldap"; groups = [ "ldapjail" ]; inaccessible = [ "/srv/secret" ]; }
);
EOF
# A stack with the module alone, for counting its own look-ups.
cat >/etc/pam.d/nsjldap <<EOF
auth required pam_permit.so
account required pam_permit.so
$(nsj_pam_line)
EOF

# ---------------------------------------------------------------- cost
# slapd searches of one session of the module alone (nsjldap stack).
searches() {
	local before after
	before=$(wc -l <"$T/ldap/stats.log")
	pamtester nsjldap "$1" open_session close_session >/dev/null 2>&1 </dev/null
	# slapd logs a search's line before it answers: this one is complete.
	tail -n +"$((before + 1))" "$T/ldap/stats.log" | grep ' SRCH base=' |
		sed 's/.* SRCH base=/SRCH base=/' >"$T/searches.$1"
	wc -l <"$T/searches.$1"
}
for u in big1 big200 big1000; do
	n=$(searches "$u")
	echo "# slapd searches per session of $u: $n"
	[ "$u" = big1000 ] && _nsj_diag <"$T/searches.$u"
	# The user's passwd entry; the one group the policy names; one
	# getgrouplist (nslcd: the user's DN, then the groups); the probe for
	# an incomplete list. Whatever the user's group count.
	if [ "$n" -le 5 ]; then pass "$u: $n searches per session (at most 5)"
	else fail "$u: $n searches per session (at most 5)" "$(cat "$T/searches.$u")"; fi
done
t0=$(date +%s%N)
for _ in 1 2 3 4 5; do pamtester nsjldap big1000 open_session close_session >/dev/null 2>&1 </dev/null; done
echo "# session open+close of big1000 (1000 LDAP groups): $(( ($(date +%s%N) - t0) / 5000 )) us on average of 5"

# ---------------------------------------------------------------- root jail
# A root jail's /etc/group names only what it shows: root, the primary
# group, the groups the policy names that the user is in, tty. big1000's
# other 999 groups are neither looked up nor shown (id prints bare gids).
nsj_config <<'EOF'
version = 1;
jails = (
  { name = "ldap"; groups = [ "ldapjail" ]; inaccessible = [ "/srv/secret" ]; },
  { name = "big"; groups = [ "g1000" ]; root = "tmpfs"; bind_ro = [ "/usr" ]; }
);
EOF
n=$(searches big1000)
echo "# slapd searches per session of big1000 in a root jail: $n"
_nsj_diag <"$T/searches.big1000"
# passwd; ldapjail and g1000; getgrouplist (2); the probe (not being in
# ldapjail decides against the first jail); the primary group's name.
if [ "$n" -le 7 ]; then pass "big1000, root jail: $n searches per session (at most 7)"
else fail "big1000, root jail: $n searches per session (at most 7)"; fi
output_is "big1000, root jail: /etc/group shows root, the primary group, g1000 and tty" \
	"root:x:0:
ldapusers:x:3000:big1000
g1000:x:5000:big1000
tty:x:5:" as_user big1000 'cat /etc/group'
nsj_config <<'EOF'
version = 1;
jails = (
  { name = "ldap"; groups = [ "ldapjail" ]; inaccessible = [ "/srv/secret" ]; }
);
EOF

nsj_sshd_start || fail "sshd started"
for u in lisa luke; do
	ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/id_$u" &&
		install -m 0644 -o root -g root "$T/ssh/id_$u.pub" "$T/keys/$u"
done

# ---------------------------------------------------------------- up
output_is "glibc, directory up: an LDAP group is found" "rc=0 found=1 gid=3100 members=lisa" $P group ldapjail
output_is "glibc, directory up: no such group is rc 0, no result" "rc=0 found=0" $P group nosuchgroup
output_is "lisa (LDAP group ldapjail) is jailed" success pam_rc lisa
fails "lisa over su: /srv/secret hidden" as_user lisa 'cat /srv/secret/f'
output_is "luke (not in ldapjail) is not jailed" ignore pam_rc luke
output_is "luke over su: /srv/secret visible" secret as_user luke 'cat /srv/secret/f'
fails "lisa over ssh: /srv/secret hidden" nsj_ssh lisa 'cat /srv/secret/f'
output_is "luke over ssh: /srv/secret visible" secret nsj_ssh luke 'cat /srv/secret/f'

# ---------------------------------------------------------------- down
# nscd caches passwd only: the passwd entries still answer with slapd
# down, the groups do not (the issue's "passwd entry cached").
nsj_require nsj_nscd_start no
for u in lisa luke root; do getent passwd "$u" >/dev/null; done
nsj_ldap_stop
output_is "glibc, slapd down: passwd entry answered by nscd" "rc=0 found=1 uid=3001 gid=3000" $P passwd lisa
output_is "glibc, slapd down: getgrnam_r of an LDAP group returns ENOENT, no result" "rc=ENOENT found=0" $P group ldapjail
output_is "glibc, slapd down: getgrnam_r of no such group returns ENOENT too" "rc=ENOENT found=0" $P group nosuchgroup
output_is "glibc, slapd down: a files group is still found" "rc=0 found=1 gid=2101 members=carol" $P group contractors
output_is "glibc, slapd down: getgrouplist succeeds, the LDAP groups left out" "rc=1 errno=ENOENT n=1" $P list lisa 3000

nsj_syslog_mark
output_is "slapd down: lisa is refused, not let in unjailed" session_err pam_rc lisa
syslog_contains "one log line names the group and the failure" \
	"user 'lisa'.*group 'ldapjail'.*(unavailable|cannot be resolved)"
nsj_syslog_grep "group 'ldapjail'" | _nsj_diag
n=$(grep -c "group 'ldapjail'" "$T/syslog")
if [ "$n" -eq 1 ]; then pass "exactly one such line"; else fail "exactly one such line" "$(cat "$T/syslog")"; fi
# never_sees DESC CMD...: CMD fails and its output lacks the secret.
never_sees() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && ! grep -q secret <<<"$out"; then pass "$desc"
	else fail "$desc" "status $rc, output:" "$out"; fi
}
never_sees "slapd down: lisa over su fails, never sees /srv/secret" as_user lisa 'cat /srv/secret/f'
never_sees "slapd down: lisa over ssh fails, never sees /srv/secret" nsj_ssh lisa 'cat /srv/secret/f'
output_is "slapd down: luke (his jail could depend on ldapjail) is refused" session_err pam_rc luke
output_is "slapd down: root is exempt and gets in" ignore pam_rc root
output_is "slapd down: root over su gets in" secret as_user root 'cat /srv/secret/f'
output_is "slapd down: local user alice is refused too" session_err pam_rc alice

# ---------------------------------------------------------------- back
nsj_require nsj_ldap_start
# nslcd reconnects on its next request; wait for it to answer again.
for _ in $(seq 100); do
	[ "$($P group ldapjail)" = "rc=0 found=1 gid=3100 members=lisa" ] && break
	sleep 0.1
done
output_is "slapd back: lisa is jailed again" success pam_rc lisa
fails "slapd back: lisa over su: /srv/secret hidden" as_user lisa 'cat /srv/secret/f'
fails "slapd back: lisa over ssh: /srv/secret hidden" nsj_ssh lisa 'cat /srv/secret/f'
output_is "slapd back: luke is not jailed" ignore pam_rc luke

# ---------------------------------------------------------------- cache
# nscd caching groups too: with slapd down, a user whose groups the cache
# still holds is matched from it (lisa jailed); a group the cache lacks
# comes back from glibc as "no such group", which refuses (never
# unjailed) rather than proving the group does not exist.
nscd -f "$T/nscd.conf" -K
for _ in $(seq 100); do [ -S /run/nscd/socket ] || break; sleep 0.05; done
nsj_require nsj_nscd_start
for u in lisa luke; do getent passwd "$u" >/dev/null; id "$u" >/dev/null; done
getent passwd big1 >/dev/null
getent group ldapjail >/dev/null
nsj_ldap_stop
output_is "glibc+nscd, slapd down: a cached group is found" "rc=0 found=1 gid=3100 members=lisa" $P group ldapjail
output_is "glibc+nscd, slapd down: an uncached group is rc 0, no result (\"no such group\")" "rc=0 found=0" $P group ldapextra
output_is "nscd, slapd down: lisa is jailed from the cache" success pam_rc lisa
fails "nscd, slapd down: lisa over su: /srv/secret hidden" as_user lisa 'cat /srv/secret/f'
output_is "nscd, slapd down: luke, not in the cached group, is not jailed" ignore pam_rc luke
nsj_config <<'EOF'
version = 1;
jails = (
  { name = "ldap"; groups = [ "ldapextra" ]; inaccessible = [ "/srv/secret" ]; }
);
EOF
nsj_syslog_mark
output_is "nscd, slapd down: a group the cache lacks refuses its member big1" session_err pam_rc big1
syslog_contains "the log line names it" "user 'big1'.*group 'ldapextra'.*no such group"
nsj_syslog_grep "group 'ldapextra'" | _nsj_diag

# ---------------------------------------------------------------- nslcd down
# No nscd, no nslcd: libnss-ldapd cannot reach its socket.
nscd -f "$T/nscd.conf" -K
for _ in $(seq 100); do [ -S /run/nscd/socket ] || break; sleep 0.05; done
kill "$NSJ_NSLCD_PID"
for _ in $(seq 100); do [ -S /run/nslcd/socket ] || break; kill -0 "$NSJ_NSLCD_PID" 2>/dev/null || break; sleep 0.05; done
rm -f /run/nslcd/socket
output_is "glibc, nslcd down: getgrnam_r returns ENOENT, no result" "rc=ENOENT found=0" $P group ldapjail
output_is "glibc, nslcd down: getpwnam_r returns ENOENT, no result" "rc=ENOENT found=0" $P passwd lisa
output_is "nslcd down: local user alice is refused (her jail could depend on ldapextra)" session_err pam_rc alice
output_is "nslcd down: root gets in" ignore pam_rc root
