#!/bin/bash
# README command 1:  sudo bash scripts/quickstart.sh   (or as root: bash ...)
#
# Installs what the demo needs (NSJ_DEPS_DEMO in scripts/deps.sh: the build
# dependencies, sshd; nothing setuid, none of the test or benchmark tools),
# builds pam_nsjail in ./build (no tests), then shows a
# real jailed login inside a throw-away sandbox (private mount, PID and
# network namespaces made by tests/lib/run-sandboxed.sh): a demo user, a
# jail "see only your own home + read-only system + private /tmp", a real
# `su - demo` and a real `ssh demo@127.0.0.1` through the PAM stack. The
# users, PAM files and sshd exist only in the sandbox; the host is unchanged
# but for the packages installed (openssh-server newly installed: Debian
# starts the system's sshd on port 22; said at the end).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src=$(pwd)

if [ "${1:-}" != --in-sandbox ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "quickstart: run as root: sudo bash scripts/quickstart.sh (or, as root, bash scripts/quickstart.sh)" >&2
		exit 1
	fi
	. scripts/deps.sh
	# The one lasting change the install can make beyond files: Debian
	# starts (and enables at boot) the system's sshd on port 22 when
	# openssh-server is newly installed. Said at the end when it happened.
	sshd_pkg() { dpkg-query -W -f='${Status}' openssh-server 2>/dev/null || true; }
	sshd_before=$(sshd_pkg)
	nsj_install_deps demo
	sshd_installed=
	[ "$sshd_before" = "install ok installed" ] || [ "$(sshd_pkg)" != "install ok installed" ] ||
		sshd_installed=1
	# No tests here (scripts/test.sh builds them, with their dependencies).
	cmake -S . -B build -DBUILD_TESTING=OFF
	cmake --build build -j"$(nproc 2>/dev/null || echo 2)"

	# What the demo could have changed, one line each.
	fingerprint() {
		local f
		echo "mount table: $(sha256sum </proc/self/mountinfo | cut -c1-16)"
		for f in /etc/passwd /etc/group /etc/shadow /var/log/wtmp /var/log/lastlog; do
			echo "$f: $(sha256sum <"$f" 2>/dev/null | cut -c1-16)"
		done
		echo "/etc/pam.d: $(find /etc/pam.d -printf '%p %s %T@\n' | sort | sha256sum | cut -c1-16)"
		echo "/home: $(find /home -xdev -printf '%p %s %T@\n' 2>/dev/null | sort | sha256sum | cut -c1-16)"
		echo "user demo: $(getent passwd demo >/dev/null && echo present || echo absent)"
		echo "/tmp/root-was-here: $(test -e /tmp/root-was-here && echo present || echo absent)"
	}
	host_before=$(fingerprint)
	rc=0
	NSJ_SRC=$src NSJ_BUILD=$src/build tests/lib/run-sandboxed.sh "$0" --in-sandbox || rc=$?
	host_after=$(fingerprint)
	echo
	echo "=== The host ==="
	if [ "$host_before" = "$host_after" ]; then
		echo "Unchanged: the demo user, its PAM files, sshd and every mount lived"
		echo "only in the sandbox, which is gone:"
		printf '%s\n' "$host_after" | sed 's/^/  /'
	else
		echo "WARNING: changed on the host while the demo ran:"
		diff <(printf '%s\n' "$host_before") <(printf '%s\n' "$host_after") | sed 's/^/  /'
		rc=1
	fi
	if [ -n "$sshd_installed" ]; then
		echo
		echo "Installed by this run: openssh-server. Debian started the system's sshd"
		echo "(port 22) and enabled it at boot; the demo did not use it. To stop it:"
		echo "  systemctl disable --now ssh"
	fi
	echo
	echo "Next: read README.md (enabling it for sshd and su), then run the tests"
	echo "(this installs the test and benchmark tools: scripts/deps.sh):"
	echo "  sudo bash scripts/test.sh"
	exit "$rc"
fi

# ---- inside the sandbox ---------------------------------------------------
set +eu +o pipefail
export NSJ_USERS="demo:2000:demo:2000:
alice:2001:alice:2001:
bob:2003:bob:2003:"
export NSJ_GROUPS=
export NSJ_PAM_DEBUG=
export NSJ_TEST_NAME=quickstart
. "$NSJ_SRC/tests/lib/functions.sh"

heading() { printf '\n=== %s ===\n' "$*"; }
show() { printf '$ %s\n' "$*"; }

nsj_setup >/dev/null
nsj_config <<'EOF2'
version = 1;

jails = (
  {
    name         = "demo";
    users        = [ "demo" ];
    tmpfs        = [ "/home" ];       # hide every home ...
    bind         = [ "/home/%u" ];    # ... but the user's own (writable)
    read_only    = [ "/" ];           # the whole system read-only
    inaccessible = [ "/root" ];       # and /root hidden outright
    private_tmp  = true;              # a /tmp of the session's own
  }
);
EOF2
echo "a file root left in /tmp" >/tmp/root-was-here

heading "The jail: /etc/nsjail.conf (here: $T/nsjail.conf)"
cat "$T/nsjail.conf"

heading "The PAM line, appended last to /etc/pam.d/su and /etc/pam.d/sshd"
grep -h pam_nsjail "$T/pam.d/su" "$T/pam.d/sshd" | sort -u

cmd='id; ls /home; touch /usr/x; ls -ld /root; ls -A /tmp; touch ~/notes && echo "wrote ~/notes"'

heading "Outside the jail: user bob (no jail applies)"
show "su - bob -c '$cmd'"
su - bob -c "$cmd" 2>&1 | sed 's/^/  /' || true

heading "A real 'su - demo' session"
show "su - demo -c '$cmd'"
su - demo -c "$cmd" 2>&1 | sed 's/^/  /' || true

heading "A real 'ssh demo@127.0.0.1' session (sshd with UsePAM yes)"
if nsj_sshd_start; then
	show "ssh demo@127.0.0.1 '$cmd'"
	nsj_ssh demo "$cmd" 2>&1 | sed 's/^/  /' || true
else
	echo "  could not start sshd:"; tail -n 5 "$T/sshd.log" | sed 's/^/  /'
fi

if [ -x "$NSJ_BUILD/nsjailctl" ]; then
	heading "nsjailctl explain -s su-l demo: the plan the helper receives"
	"$NSJ_BUILD/nsjailctl" explain -c "$T/nsjail.conf" -s su-l demo 2>&1 | sed 's/^/  /' || true
fi

heading "What the module logged"
nsj_syslog_grep 'pam_nsjail' | sed 's/^<[0-9]*>/  /' || echo "  (nothing)"

heading "Checks"
output_is "demo sees only their own home" demo su - demo -c 'ls /home'
output_contains "the system is read-only for demo" "Read-only file system" su - demo -c 'touch /usr/x'
output_is "demo's /tmp is private" absent su - demo -c 'test -e /tmp/root-was-here || echo absent'
output_is "bob, unjailed, sees every home" "alice bob demo" su - bob -c 'echo $(ls /home)'
if [ -n "${NSJ_SSH_PORT:-}" ]; then
	output_is "over ssh too" demo nsj_ssh demo 'ls /home'
fi
