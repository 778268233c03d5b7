#!/bin/bash
# Load: 64 jailed logins at the same time, half through the real su and half
# through the real sshd, each proving from its own shell that it is jailed
# and waiting until all 64 are in; then nothing may be left behind: the
# sandbox's mount table is as before, no nsjail-helper runs, the number of
# mount namespaces is back to the baseline. A long-lived PAM application
# (tests/load/pam_caller.c) then opens and closes 100 jailed sessions in
# forked children and 100 unjailed ones in itself: no fd may leak, neither in
# a session's process nor in the caller.
. "${NSJ_LIB:-$(dirname "$0")/../lib}/functions.sh"
nsj_setup

N=${NSJ_LOAD_SESSIONS:-64}
HALF=$((N / 2))
nsj_config <<'EOF'
version = 1;
# 64 concurrent sessions of one user: as many live jails
settings = { max_jails_per_user = 64; };
jails = (
  {
    name = "load";
    users = [ "alice", "erin" ];
    groups = [ "contractors" ];
    tmpfs = [ "/home" ];
    bind = [ "/home/%u" ];
    read_only = [ "/usr" ];
    private_tmp = true;
  }
);
EOF
users=(alice erin carol)

# The meeting point, the same directory in every jail.
mkdir -m 1777 /srv/load
# shellcheck disable=SC2016 # expanded by the session's shell
session_cmd='me=$(id -un)
echo "jailed:$me:$(ls -A /home | tr "\n" " "):$(readlink /proc/self/ns/mnt)"
: >/srv/load/in.$me.$$
i=0
while [ ! -e /srv/load/go ] && [ $i -lt 250 ]; do sleep 1; i=$((i + 1)); done
[ -e /srv/load/go ] && echo released'

unique_mntns() { readlink /proc/[0-9]*/ns/mnt 2>/dev/null | sort -u | wc -l; }
helpers() { pgrep -x nsjail-helper | wc -l; }
arrived() { find /srv/load -name 'in.*' | wc -l; }
# settle WANT CMD...: waits up to 30 s for CMD's output to become WANT and
# prints the last value.
settle() {
	local want=$1 v; shift
	for _ in $(seq 300); do
		v=$("$@")
		[ "$v" = "$want" ] && break
		sleep 0.1
	done
	echo "$v"
}

nsj_require nsj_sshd_start
host_ns=$(readlink /proc/self/ns/mnt)
mounts_before=$(nsj_mounts)
ns_before=$(unique_mntns)

mkdir "$T/load"
start=$SECONDS
pids=()
for i in $(seq "$HALF"); do
	u=${users[i % ${#users[@]}]}
	su -s /bin/sh "$u" -c "$session_cmd" >"$T/load/su.$i" 2>&1 </dev/null &
	pids+=($!)
	nsj_ssh "$u" "$session_cmd" >"$T/load/ssh.$i" 2>&1 </dev/null &
	pids+=($!)
done

# All N sessions are in their jails at the same moment.
for _ in $(seq 200); do
	[ "$(arrived)" -ge "$N" ] && break
	sleep 1
done
in=$(arrived)
ns_peak=$(unique_mntns)
if [ "$in" -eq "$N" ]; then pass "$N sessions in their jails at once (after $((SECONDS - start)) s)"
else fail "$N sessions in their jails at once" "only $in arrived"; fi
if [ "$ns_peak" -ge $((ns_before + N)) ]; then pass "one mount namespace per session ($ns_before before, $ns_peak with $N sessions)"
else fail "one mount namespace per session" "baseline $ns_before, with $N sessions: $ns_peak"; fi
touch /srv/load/go
wait "${pids[@]}" # not the syslog listener

bad=0
for kind in su ssh; do
	for i in $(seq "$HALF"); do
		f=$T/load/$kind.$i
		u=${users[i % ${#users[@]}]}
		IFS=: read -r _ who homes ns <<<"$(grep '^jailed:' "$f")"
		if [ "$who" != "$u" ] || [ "$homes" != "$u " ] || [ -z "$ns" ] ||
			[ "$ns" = "$host_ns" ] || ! grep -qx released "$f"; then
			bad=$((bad + 1))
			if [ "$bad" -le 5 ]; then echo "# $kind session $i as $u:"; _nsj_diag <"$f"; fi
		fi
	done
done
if [ "$bad" -eq 0 ]; then pass "all $N logins ($HALF su, $HALF ssh) succeeded, each jailed (own /home, own namespace)"
else fail "all $N logins succeeded, each jailed" "$bad of $N sessions failed"; fi
jailed=$(nsj_syslog_grep 'jail=load mounts=' | wc -l)
if [ "$jailed" -ge "$N" ]; then pass "the module logged $N jailed sessions"
else fail "the module logged $N jailed sessions" "only $jailed success lines"; fi

output_is "no nsjail-helper left running" 0 settle 0 helpers
output_is "mount namespaces back to the baseline ($ns_before)" "$ns_before" settle "$ns_before" unique_mntns
output_is "the sandbox's mount table is unchanged" "$mounts_before" nsj_mounts

# ---- a long-lived caller: no fd leaks -----------------------------------
caller=$T/bin/pam_caller
cflags=(-O1 -g -Wall)
# Under NSJ_SANITIZE the caller carries the ASan runtime itself (the module
# needs it first) and its leaks are the module's: reported.
if [ "$NSJ_SANITIZE" = 1 ]; then
	cflags+=(-fsanitize=address,undefined -fno-omit-frame-pointer)
	echo detect_leaks=1 >"$T/sanitizer/opts/pam_caller"
fi
if ! "${NSJ_SANITIZE_CC:-cc}" "${cflags[@]}" -o "$caller" "$NSJ_SRC/tests/load/pam_caller.c" -lpam 2>"$T/cc.err"; then
	skip "pam_caller: 100 jailed sessions" "cannot build tests/load/pam_caller.c: $(head -n 3 "$T/cc.err")"
else
	ns_before=$(unique_mntns)
	output_contains "pam_caller: 100 jailed sessions in forked children, no fd left in them or the caller" \
		"ok 100 sessions" "$caller" jailed alice nsjtest 100
	output_contains "pam_caller: 100 unjailed sessions in the caller itself, its fds unchanged" \
		"ok 100 sessions" "$caller" unjailed bob nsjtest 100
	output_is "pam_caller: mount namespaces back to the baseline" "$ns_before" settle "$ns_before" unique_mntns
	output_is "pam_caller: no nsjail-helper left running" 0 settle 0 helpers
fi
output_is "the sandbox's mount table is still unchanged" "$mounts_before" nsj_mounts
