# shellcheck shell=bash
# A real directory for the tests, inside the sandbox of run-sandboxed.sh:
# slapd (mdb, its own config under $T/ldap, an ldapi socket in $T), nslcd
# with libnss-ldapd (its own nslcd.conf bound over /etc/nslcd.conf, socket
# in the sandbox's private /run), optionally nscd (its own nscd.conf), and
# an /etc/nsswitch.conf bound over the host's: "passwd: files ldap".
# Source after functions.sh and nsj_setup.
#
#   nsj_ldap_init LDIF...     config + the tree (dc=nsj,dc=test) + LDIF files
#   nsj_ldap_start / nsj_ldap_stop    slapd up (waits for its socket) / down
#   nsj_ldap_searches         SRCH operations slapd logged so far
#   nsj_nslcd_start           nslcd on /run/nslcd/socket, nsswitch bound
#   nsj_nscd_start [no]       nscd: passwd cached; group too unless "no"
#   nsj_ldap_user NAME UID    LDIF of a posixAccount (primary group 3000)
#   nsj_ldap_group NAME GID MEMBER...   LDIF of a posixGroup

NSJ_LDAP_BASE=dc=nsj,dc=test

nsj_ldap_user() {
	cat <<EOF
dn: uid=$1,ou=people,$NSJ_LDAP_BASE
objectClass: account
objectClass: posixAccount
uid: $1
cn: $1
uidNumber: $2
gidNumber: 3000
homeDirectory: /home/$1
loginShell: /bin/bash

EOF
}

nsj_ldap_group() {
	local name=$1 gid=$2 m
	shift 2
	printf 'dn: cn=%s,ou=groups,%s\nobjectClass: posixGroup\ncn: %s\ngidNumber: %s\n' \
		"$name" "$NSJ_LDAP_BASE" "$name" "$gid"
	for m in "$@"; do printf 'memberUid: %s\n' "$m"; done
	echo
}

nsj_ldap_init() {
	local L=$T/ldap
	mkdir -p -m 0755 "$L" "$L/db" "$L/slapd.d"
	NSJ_LDAP_URI="ldapi://$(sed 's|/|%2F|g' <<<"$L/ldapi")"
	cat >"$L/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $L/slapd.pid
database mdb
suffix "$NSJ_LDAP_BASE"
rootdn "cn=admin,$NSJ_LDAP_BASE"
directory $L/db
maxsize 268435456
index objectClass,uid,memberUid,cn,uidNumber,gidNumber eq
access to * by * read
sizelimit unlimited
EOF
	{
		printf 'dn: %s\nobjectClass: dcObject\nobjectClass: organization\no: nsj\ndc: nsj\n\n' "$NSJ_LDAP_BASE"
		printf 'dn: ou=people,%s\nobjectClass: organizationalUnit\nou: people\n\n' "$NSJ_LDAP_BASE"
		printf 'dn: ou=groups,%s\nobjectClass: organizationalUnit\nou: groups\n\n' "$NSJ_LDAP_BASE"
		nsj_ldap_group ldapusers 3000
		cat "$@"
	} >"$L/tree.ldif"
	slapadd -q -f "$L/slapd.conf" -l "$L/tree.ldif" >"$L/slapadd.log" 2>&1 ||
		{ cat "$L/slapadd.log"; return 1; }
	# The config directory slapd runs from, made from the file as an
	# administrator would (slaptest converts and checks it).
	slaptest -f "$L/slapd.conf" -F "$L/slapd.d" >"$L/slaptest.log" 2>&1 ||
		{ cat "$L/slaptest.log"; return 1; }
	nsj_at_exit nsj_ldap_stop
}

# slapd in the foreground (-d): its stats log (one SRCH line per search)
# goes to $T/ldap/stats.log; started and awaited by its socket.
nsj_ldap_start() {
	local L=$T/ldap
	rm -f "$L/ldapi"
	slapd -F "$L/slapd.d" -h "$NSJ_LDAP_URI" -d stats >>"$L/stats.log" 2>&1 </dev/null &
	NSJ_SLAPD_PID=$!
	for _ in $(seq 200); do
		ldapsearch -LLL -x -H "$NSJ_LDAP_URI" -b "$NSJ_LDAP_BASE" -s base dn >/dev/null 2>&1 && return 0
		kill -0 "$NSJ_SLAPD_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "# slapd did not start:" && tail -n 20 "$L/stats.log" | _nsj_diag
	return 1
}

nsj_ldap_stop() {
	[ -n "${NSJ_SLAPD_PID:-}" ] || return 0
	kill "$NSJ_SLAPD_PID" 2>/dev/null
	wait "$NSJ_SLAPD_PID" 2>/dev/null
	NSJ_SLAPD_PID=
	return 0
}

# SRCH operations in slapd's stats log so far (the probe of nsj_ldap_start
# included: take differences).
nsj_ldap_searches() {
	grep -c ' SRCH base=' "$T/ldap/stats.log"
}

nsj_nsswitch() {
	printf 'passwd: files ldap\ngroup: files ldap\nshadow: files\nhosts: files\n' >"$T/nsswitch.conf"
	mount --bind "$T/nsswitch.conf" /etc/nsswitch.conf
}

# nslcd: failures answered fast (no retry loop), so a login with the
# directory down is refused in well under a second.
nsj_nslcd_start() {
	cat >"$T/nslcd.conf" <<EOF
uid nslcd
gid nslcd
uri $NSJ_LDAP_URI
base $NSJ_LDAP_BASE
base passwd ou=people,$NSJ_LDAP_BASE
base group ou=groups,$NSJ_LDAP_BASE
bind_timelimit 2
timelimit 5
reconnect_sleeptime 1
reconnect_retrytime 1
EOF
	chown root:nslcd "$T/nslcd.conf"
	chmod 0640 "$T/nslcd.conf"
	# The nslcd package ships /etc/nslcd.conf; never create or touch the host's.
	[ -e /etc/nslcd.conf ] || { echo "no /etc/nslcd.conf to bind over (is nslcd installed?)" >&2; return 1; }
	mount --bind "$T/nslcd.conf" /etc/nslcd.conf || return 1
	mkdir -p /run/nslcd && chown nslcd:nslcd /run/nslcd
	nslcd -n >>"$T/nslcd.log" 2>&1 </dev/null &
	NSJ_NSLCD_PID=$!
	nsj_at_exit "kill $NSJ_NSLCD_PID"
	for _ in $(seq 200); do
		[ -S /run/nslcd/socket ] && break
		sleep 0.05
	done
	[ -S /run/nslcd/socket ] || return 1
	nsj_nsswitch
}

# nscd with its own config: passwd cached (and group unless $1 is "no").
nsj_nscd_start() {
	local grp=yes
	[ "${1:-}" = no ] && grp=no
	cat >"$T/nscd.conf" <<EOF
server-user root
enable-cache passwd yes
positive-time-to-live passwd 3600
negative-time-to-live passwd 1
persistent passwd no
shared passwd no
enable-cache group $grp
positive-time-to-live group 3600
negative-time-to-live group 1
persistent group no
shared group no
enable-cache hosts no
enable-cache services no
enable-cache netgroup no
EOF
	mkdir -p /run/nscd
	nscd -f "$T/nscd.conf" || return 1
	for _ in $(seq 200); do
		[ -S /run/nscd/socket ] && break
		sleep 0.05
	done
	NSJ_NSCD_PID=$(cat /run/nscd/nscd.pid 2>/dev/null)
	nsj_at_exit "nscd -f $T/nscd.conf -K"
	[ -S /run/nscd/socket ]
}
