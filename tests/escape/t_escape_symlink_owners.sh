#!/bin/bash
# Escape class 4 (SPEC §3 "Safety of paths"), one rule at a time: the helper
# follows a symlink only when root owns the link AND root owns its directory
# AND that directory is not group/world-writable. t_escape_symlinks plants
# links that break two rules at once (alice's link in alice's home; bob's
# link in a 1777 directory), so it cannot tell whether each rule is enforced
# on its own (issue 10: deleting either condition left the suite green).
# Here every planted link breaks exactly one rule:
#   link-user    alice's link in a root-owned 0755 directory
#   dir-user     root's link in alice's own home (she can rename it there)
#   dir-group    root's link in a root:contractors 0775 directory
#   dir-world    root's link in a root-owned 1777 directory (like /tmp)
# each pointing at /srv/secret, and each redirecting, in turn, a bind source,
# a bind target, a read_only and an inaccessible path of alice's jail. Every
# login through real su must be refused with the symlink named in the log.
# Control: the same link in a root-owned 0755 directory (Debian's /lib ->
# usr/lib) is followed, for all four kinds. And a loop of root's links ends
# at once with ELOOP, not at the helper's timeout.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
H=/home/alice
mkdir -p /srv/secret /srv/pub /srv/view
echo "top secret" >/srv/secret/data
echo "public" >/srv/pub/readme
chmod -R a+rX /srv

# plant CASE: the directory of the case with "link" -> /srv/secret in it;
# prints the link's path.
plant() {
	local d
	case $1 in
	ok)         d=/srv/ok;  mkdir -m 0755 "$d" ;;
	link-user)  d=/srv/lu;  mkdir -m 0755 "$d" ;;
	dir-user)   d=$H/du;    mkdir -m 0755 "$d"; chown alice:alice "$d" ;;
	dir-group)  d=/srv/dg;  mkdir -m 0775 "$d"; chgrp contractors "$d" ;;
	dir-world)  d=/srv/dw;  mkdir -m 1777 "$d" ;;
	esac
	ln -s /srv/secret "$d/link"
	[ "$1" = link-user ] && chown -h alice:alice "$d/link"
	echo "$d/link"
}

# jail KIND LINK: alice's jail with one path of KIND through LINK.
jail() {
	local entry
	case $1 in
	bind-source)  entry="bind_ro = [ \"$2:/srv/view\" ];" ;;
	bind-target)  entry="bind_ro = [ \"/srv/pub:$2\" ];" ;;
	read_only)    entry="read_only = [ \"$2\" ];" ;;
	inaccessible) entry="inaccessible = [ \"$2/data\" ];" ;;
	esac
	nsj_config <<EOF2
version = 1;
jails = ( { name = "links"; users = [ "alice" ]; $entry } );
EOF2
}

# What a session shows: where /srv/view and /srv/secret come from (FSROOT of
# their mounts in the tmpfs /srv), whether the secret is writable/readable.
# shellcheck disable=SC2016 # expanded by the session's shell
CHECK='echo JAILED; for m in /srv/view /srv/secret; do echo "$m $(findmnt -rn -o FSROOT -M $m)"; done
touch /srv/secret/w.$$ 2>/dev/null && rm /srv/secret/w.$$ && echo SECRET-WRITABLE; cat /srv/secret/data 2>/dev/null || echo SECRET-HIDDEN'
login() { timeout 20 su -s /bin/sh alice -c "$CHECK" </dev/null 2>&1; }
chmod 0777 /srv/secret # so "read_only" has an effect alice can see

# --- control: a link only root controls is followed, for every kind ---------
link=$(plant ok)
for kind in bind-source bind-target read_only inaccessible; do
	jail "$kind" "$link"
	login >"$T/out.ok.$kind"
	output_contains "control: $kind through root's link in a root 0755 dir: granted" JAILED cat "$T/out.ok.$kind"
done
output_contains "control: the bind source followed the link" "/srv/view /secret" cat "$T/out.ok.bind-source"
output_contains "control: the bind target followed the link" "/srv/secret /pub" cat "$T/out.ok.bind-target"
output_lacks "control: read_only followed the link" SECRET-WRITABLE cat "$T/out.ok.read_only"
output_contains "control: inaccessible followed the link" SECRET-HIDDEN cat "$T/out.ok.inaccessible"
output_contains "control: without a jail the secret is writable" SECRET-WRITABLE \
	su -s /bin/sh bob -c "$CHECK"

# --- each rule alone ----------------------------------------------------------
for case in link-user dir-user dir-group dir-world; do
	link=$(plant "$case")
	for kind in bind-source bind-target read_only inaccessible; do
		jail "$kind" "$link"
		nsj_syslog_mark
		login >"$T/out"; rc=$?
		if [ "$rc" -ne 0 ] && grep -q "cannot open session" "$T/out" && ! grep -q JAILED "$T/out"; then
			pass "$case, $kind: the login is refused"
			syslog_contains "... the log names the link" "refusing to follow symlink $link"
		else
			fail "$case, $kind: the login is refused" "status $rc" "$(cat "$T/out")"
		fi
	done
done
output_is "the host's secret is intact" "top secret" cat /srv/secret/data

# --- a loop of root's links: ELOOP at once, not the helper's alarm -------------
mkdir -m 0755 /srv/loop
ln -s b /srv/loop/a
ln -s a /srv/loop/b
ln -s /srv/secret /srv/loop/c1
for i in $(seq 2 10); do ln -s "c$((i - 1))" "/srv/loop/c$i"; done
jail inaccessible /srv/loop/c10
output_contains "control: a chain of 10 root links is followed" SECRET-HIDDEN login
jail inaccessible /srv/loop/a
nsj_syslog_mark
t0=$(date +%s%N)
login >"$T/out"; rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
ok "a symlink loop: the login is refused" test "$rc" -ne 0 -a "$rc" -ne 124
output_lacks "... the shell never ran" JAILED cat "$T/out"
syslog_contains "... with ELOOP in the log" "Too many levels of symbolic links"
ok "... at once (${ms} ms < 3000 ms; the helper's alarm is 8 s)" test "$ms" -lt 3000
