# shellcheck shell=bash
# Shared part of the escape tests (tests/escape/t_*.sh): the integration
# harness plus the attack probes. Each test attacks from a shell that entered
# through real su (as_user) or sshd (nsj_ssh) and asserts that the attack
# fails, next to a positive control that shows the same operation works where
# it is allowed (so a broken probe cannot make a test pass).
#
#   esc_setup               nsj_setup, then the probes built into $T/bin
#   $P                      the static esc_probe (tests/helpers/esc_probe.c)
#   esc_probe_for USER      copies it into USER's home (for root jails);
#                           prints the path inside the jail
#   esc_session USER        a jailed session that stays: "su USER -c 'exec
#                           sleep'" in the background; its pid in ESC_PID
#   esc_end_session         ends it (and waits, bounded)
#   esc_wait_gone PID SECS  true when PID is gone within SECS
. "$NSJ_SRC/tests/lib/functions.sh"

# esc_cc OUT SRC [CC-ARGS...]: a probe from tests/helpers.
esc_cc() {
	local out=$1 src=$2; shift 2
	cc -std=gnu11 -O1 -Wall -Wextra -o "$out" "$NSJ_SRC/tests/helpers/$src" "$@"
}

esc_setup() {
	nsj_setup
	nsj_require esc_cc "$T/bin/esc_probe" esc_probe.c -static
	chmod 0755 "$T/bin/esc_probe"
	P=$T/bin/esc_probe
}

esc_probe_for() {
	install -m 0755 -o root -g root "$P" "/home/$1/esc_probe" && echo "/home/$1/esc_probe"
}

# The sleep of the newest session of USER, waited for up to 10 s.
_esc_find_sleep() {
	local i pid
	for i in $(seq 200); do
		pid=$(pgrep -n -u "$1" -x sleep) && { echo "$pid"; return 0; }
		sleep 0.05
	done
	return 1
}

esc_session() {
	local user=$1 how=${2:-su}
	if [ "$how" = ssh ]; then
		# shellcheck disable=SC2046 # word splitting of the options is wanted
		timeout 300 ssh $(nsj_ssh_opts "$user") -p "$NSJ_SSH_PORT" "$user@127.0.0.1" 'exec sleep 300' \
			>"$T/session.$user.out" 2>&1 </dev/null &
	else
		timeout 300 su -s /bin/sh "$user" -c 'exec sleep 300' >"$T/session.$user.out" 2>&1 </dev/null &
	fi
	ESC_BG=$!
	nsj_at_exit "kill $ESC_BG"
	ESC_PID=$(_esc_find_sleep "$user") || {
		fail "harness: a lasting session of $user" "$(cat "$T/session.$user.out")"
		exit 1
	}
}

esc_end_session() {
	kill "$ESC_PID" 2>/dev/null
	esc_wait_gone "$ESC_BG" 10
	wait "$ESC_BG" 2>/dev/null
	return 0
}

esc_wait_gone() {
	local i
	for i in $(seq $(($2 * 20))); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

# refused "desc" ERRNO CMD...: the attack CMD (an esc_probe call) printed
# exactly ERRNO (EPERM, EINVAL, ...), i.e. the kernel refused it that way.
refused() {
	local desc=$1 want=$2; shift 2
	_nsj_run "$@"
	if [ "$NSJ_RC" -ne 0 ] && [ "$NSJ_OUT" = "$want" ]; then pass "$desc"
	else fail "$desc" "expected the attack to fail with $want" "$(_nsj_show "$@")"; fi
}
