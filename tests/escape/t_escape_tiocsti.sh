#!/bin/bash
# Terminal injection (issue 10 item 4, SPEC §3a): root types `su - alice` in
# a terminal; alice's profile pushes "touch /tmp/pwned..." into that terminal
# with ioctl(TIOCSTI) and exits; root's shell reads and runs it on the host.
# Every jailed session runs under the module's seccomp filter: TIOCSTI and
# TIOCLINUX fail with EPERM whatever door is used (plain, cmd with high bits
# set, the i386 ABI; x32 when the kernel has it), in a hidden-path jail and
# in a root = "tmpfs" jail, through su on a real pty and through sshd -tt.
# Positive control: unjailed bob's injection arrives and runs.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
nsj_require esc_cc "$T/bin/tiocsti" tiocsti.c -static
PTY="/usr/bin/python3 $NSJ_SRC/tests/escape/pty_run.py"
MODES="plain high i386 x32 linux"
mkdir -p /srv/secret && echo "top secret" >/srv/secret/data
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "hide"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; },
  { name = "troot"; users = [ "carol" ]; root = "tmpfs";
    bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; }
);
EOF2

# The attacker's login profile: every door, each pushing its own command.
for u in alice carol bob erin; do
	install -m 0755 -o root -g root "$T/bin/tiocsti" "/home/$u/tiocsti"
	cat >"/home/$u/.bash_profile" <<'EOF2'
for m in plain high i386 x32 linux; do ~/tiocsti $m "touch /tmp/pwned.$m"; done
exit 0
EOF2
	chown "$u:" "/home/$u/.bash_profile"
done

# root's terminal: `su - USER`, then root's shell reads what is in the
# terminal and runs it, as an interactive shell would.
root_types_su() {
	rm -f /tmp/pwned.*
	$PTY 60 bash -c "su - $1; while IFS= read -t 2 -r line; do echo \"ROOT-READ:[\$line]\"; eval \"\$line\"; done; echo ROOT-DONE"
}
pwned() { ls /tmp/pwned.* 2>/dev/null | tr '\n' ' '; }
i386_ok=1

# --- positive control: bob is not jailed ---------------------------------
_nsj_run root_types_su bob
cp "$T/out" "$T/tty.bob"
sed 's/^/#   bob: /' "$T/tty.bob"
for m in plain high; do
	ok "control: bob's TIOCSTI ($m) works on root's terminal" grep -qx "tiocsti $m: ok" "$T/tty.bob"
	ok "control: ... root's shell read it" grep -qxF "ROOT-READ:[touch /tmp/pwned.$m]" "$T/tty.bob"
	output_is "control: ... and ran it as root" "root" stat -c %U "/tmp/pwned.$m"
done
if grep -qx "tiocsti i386: ok" "$T/tty.bob"; then
	pass "control: bob's TIOCSTI through the i386 ABI works"
else
	i386_ok=0
	skip "control: bob's TIOCSTI through the i386 ABI works" "no i386 ABI here: $(grep 'tiocsti i386' "$T/tty.bob")"
fi
ok "control: TIOCLINUX is not refused by permission for bob (a pty answers ENOTTY/EINVAL)" \
	grep -Eqx "tiocsti linux: (ok|ENOTTY|EINVAL)" "$T/tty.bob"
ok "control: bob's session was not jailed" nsj_syslog_grep "user=bob service=su-l: not jailed"

# --- jailed: hidden-path jail (alice) and tmpfs root (carol) --------------
for u in alice carol; do
	nsj_syslog_mark
	_nsj_run root_types_su "$u"
	cp "$T/out" "$T/tty.$u"
	sed "s/^/#   $u: /" "$T/tty.$u"
	ok "$u: the session was jailed" nsj_syslog_grep "user=$u service=su-l rhost=- tty=[^ ]+ jail=(hide|troot) mounts="
	for m in plain high linux; do
		ok "$u: TIOCSTI/TIOCLINUX ($m) is refused with EPERM" grep -qx "tiocsti $m: EPERM" "$T/tty.$u"
	done
	if [ $i386_ok = 1 ]; then
		ok "$u: TIOCSTI through the i386 ABI is refused with EPERM (not killed)" grep -qx "tiocsti i386: EPERM" "$T/tty.$u"
	fi
	ok "$u: TIOCSTI through the x32 ABI fails (EPERM; ENOSYS on a kernel without x32)" \
		grep -Eqx "tiocsti x32: (EPERM|ENOSYS)" "$T/tty.$u"
	ok "$u: root's shell read nothing" sh -c "! grep -q ROOT-READ '$T/tty.$u'"
	ok "$u: ... and ran nothing (no /tmp/pwned.*: $(pwned))" test -z "$(pwned)"
	ok "$u: root's shell went on (ROOT-DONE)" grep -qx ROOT-DONE "$T/tty.$u"
done

# --- sshd -tt: the session's pty is its controlling terminal -----------------
nsj_require nsj_sshd_start
ssh_tiocsti() {
	# shellcheck disable=SC2046
	ssh $(nsj_ssh_opts "$1") -p "$NSJ_SSH_PORT" -tt "$1@127.0.0.1" \
		"for m in plain high i386 linux; do ~/tiocsti \$m 'echo x'; done" </dev/null | tr -d '\r'
}
output_contains "control: bob's TIOCSTI over ssh -tt works" "tiocsti plain: ok" ssh_tiocsti bob
for u in alice carol; do
	_nsj_run ssh_tiocsti "$u"
	cp "$T/out" "$T/ssh.$u"
	for m in plain high linux; do
		ok "$u over ssh -tt: $m refused with EPERM" grep -qx "tiocsti $m: EPERM" "$T/ssh.$u"
	done
	[ $i386_ok = 1 ] && ok "$u over ssh -tt: i386 refused with EPERM" grep -qx "tiocsti i386: EPERM" "$T/ssh.$u"
done

# --- the filter, as the session sees it; setuid still works ------------------
for u in alice carol; do
	output_is "$u: the session runs under a seccomp filter (Seccomp: 2)" 2 \
		as_user "$u" "sed -n 's/^Seccomp:[[:space:]]*//p' /proc/self/status"
	output_is "$u: ... without no_new_privs (setuid programs keep working)" 0 \
		as_user "$u" "sed -n 's/^NoNewPrivs:[[:space:]]*//p' /proc/self/status"
done
output_is "control: bob's session has no filter" 0 \
	as_user bob "sed -n 's/^Seccomp:[[:space:]]*//p' /proc/self/status"

# --- nsjailctl run installs the same filter --------------------------------------
CTL="$NSJ_BUILD/nsjailctl"
output_contains "nsjailctl run alice: TIOCSTI on the caller's terminal is refused" "tiocsti plain: EPERM" \
	$PTY 30 "$CTL" run -c "$T/nsjail.conf" --helper "$NSJ_HELPER" alice -- /home/alice/tiocsti plain 'echo x'
output_contains "nsjailctl run carol (tmpfs root): refused" "tiocsti high: EPERM" \
	$PTY 30 "$CTL" run -c "$T/nsjail.conf" --helper "$NSJ_HELPER" carol -- /home/carol/tiocsti high 'echo x'
output_contains "control: nsjailctl run --allow-unjailed bob: it works" "tiocsti plain: ok" \
	$PTY 30 "$CTL" run -c "$T/nsjail.conf" --allow-unjailed bob -- /home/bob/tiocsti plain 'echo x'
