#!/bin/bash
# nsjailctl check checks the installation, not just the file: the helper
# given by --helper, or named by the PAM lines (helper=), or the default, is
# present, a regular file, root's, not writable by group or others (nor any
# directory above it), executable, and speaks the module's protocol
# (nsjail-helper --version); each failure names the path and what is wrong,
# exit 1. --selftest builds a throw-away jail through the real helper and
# checks its effects: "module + helper work on this host".
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf
nsj_config <<<'version = 1;'

# A helper installed as a package would: root's, 0755, in root's 0755 dirs.
L=$T/libexec
mkdir -m 0755 "$L"
G=$L/nsjail-helper
install -m 0755 -o root -g root "$NSJ_HELPER" "$G"
bad() { # bad NAME: a copy of the good helper at $L/NAME
	install -m 0755 -o root -g root "$NSJ_HELPER" "$L/$1"
	echo "$L/$1"
}

output_contains "the helper answers --version with its protocol" "nsjail-helper protocol NSJ4" "$G" --version
status_is "... exit 0" 0 "$G" --version
fails "the helper's request path is unchanged: no socket on fd 3, refused" "$G"
# --version with the request socket on fd 3 (the caller hung up): the
# request path, never the version line.
_nsj_run python3 -c '
import os, socket, subprocess, sys
a, b = socket.socketpair()
os.dup2(a.fileno(), 3)
b.close()
p = subprocess.run([sys.argv[1], "--version"], pass_fds=(3,), stdout=subprocess.PIPE)
sys.stdout.write(p.stdout.decode())
sys.exit(0 if p.returncode != 0 and b"protocol" not in p.stdout else 1)
' "$G"
[ "$NSJ_RC" -eq 0 ] && pass "--version with a socket on fd 3 is a request, not the version" ||
	fail "--version with a socket on fd 3 is a request, not the version" "$NSJ_OUT" "$NSJ_ERR"
output_contains "... saying so" "fd 3 is not the request socket" "$G"

status_is "check --helper GOOD: exit 0" 0 "$NSJ" check -c "$C" --helper "$G"
output_contains "... saying what it checked" "helper $G: ok (protocol NSJ4" "$NSJ" check -c "$C" --helper "$G"

B=$(bad gw); chmod 0775 "$B"
status_is "a group-writable helper: exit 1" 1 "$NSJ" check -c "$C" --helper "$B"
output_contains "... naming the path and the mode" "helper $B: writable by group or others (mode 0775)" "$NSJ" check -c "$C" --helper "$B"
B=$(bad ww); chmod 0757 "$B"
output_contains "a world-writable helper: the same" "helper $B: writable by group or others (mode 0757)" "$NSJ" check -c "$C" --helper "$B"
B=$(bad uid); chown 2001:0 "$B"
status_is "a helper owned by uid 2001: exit 1" 1 "$NSJ" check -c "$C" --helper "$B"
output_contains "... naming the owner" "helper $B: owned by uid 2001, not root" "$NSJ" check -c "$C" --helper "$B"
B=$(bad noexec); chmod 0644 "$B"
output_contains "a helper that is not executable" "helper $B: not executable (mode 0644)" "$NSJ" check -c "$C" --helper "$B"
status_is "... exit 1" 1 "$NSJ" check -c "$C" --helper "$B"
status_is "a missing helper: exit 1" 1 "$NSJ" check -c "$C" --helper "$L/nothere"
output_contains "... naming the path" "helper $L/nothere: not found" "$NSJ" check -c "$C" --helper "$L/nothere"
output_contains "a directory: not a regular file" "helper $L: not a regular file" "$NSJ" check -c "$C" --helper "$L"

# The directories above it: whoever can write one can replace the helper.
mkdir -m 0755 "$T/wdir"
install -m 0755 -o root -g root "$NSJ_HELPER" "$T/wdir/nsjail-helper"
chmod 0777 "$T/wdir"
status_is "a helper in a world-writable directory: exit 1" 1 "$NSJ" check -c "$C" --helper "$T/wdir/nsjail-helper"
output_contains "... naming the directory" "helper $T/wdir/nsjail-helper: directory $T/wdir is writable by group or others (mode 0777)" "$NSJ" check -c "$C" --helper "$T/wdir/nsjail-helper"
chmod 0755 "$T/wdir"; chown 2001 "$T/wdir"
output_contains "a helper in a directory owned by uid 2001: fails" "directory $T/wdir is owned by uid 2001, not root" "$NSJ" check -c "$C" --helper "$T/wdir/nsjail-helper"
mkdir -m 1777 "$T/sticky"; mkdir -m 0755 "$T/sticky/lib"
install -m 0755 -o root -g root "$NSJ_HELPER" "$T/sticky/lib/nsjail-helper"
output_contains "a sticky world-writable directory above it fails too (sshd's rule, as for jail roots)" \
	"directory $T/sticky is writable by group or others (mode 1777)" "$NSJ" check -c "$C" --helper "$T/sticky/lib/nsjail-helper"
ln -s "$G" "$T/wdir/link"
chown 0 "$T/wdir"; chmod 0777 "$T/wdir"
output_contains "a symbolic link in a writable directory: fails" "directory $T/wdir is writable by group or others" "$NSJ" check -c "$C" --helper "$T/wdir/link"
chmod 0755 "$T/wdir"
status_is "a symbolic link in root's directory to a good helper: exit 0" 0 "$NSJ" check -c "$C" --helper "$T/wdir/link"
mkdir -m 0777 "$T/wdir2"
install -m 0755 -o root -g root "$NSJ_HELPER" "$T/wdir2/nsjail-helper"
ln -s "$T/wdir2/nsjail-helper" "$L/link2"
output_contains "a link in root's directory to a helper in a writable one: fails" \
	"helper $L/link2: directory $T/wdir2 is writable by group or others (mode 0777)" "$NSJ" check -c "$C" --helper "$L/link2"

# A helper that fails those checks is never run (it could be anyone's).
printf '#!/bin/sh
touch %s/ran
echo "nsjail-helper protocol NSJ4"
' "$T" >"$L/trap"; chmod 0775 "$L/trap"
fails "a group-writable helper: check fails" "$NSJ" check -c "$C" --helper "$L/trap"
ok "... and did not run it" test ! -e "$T/ran"

# The protocol: a helper that speaks another version, or none.
printf '#!/bin/sh\necho "nsjail-helper protocol NSJ3"\n' >"$L/old"; chmod 0755 "$L/old"
status_is "a helper speaking another protocol: exit 1" 1 "$NSJ" check -c "$C" --helper "$L/old"
output_contains "... naming both versions" "helper $L/old: speaks protocol NSJ3, this nsjailctl and its module NSJ4" "$NSJ" check -c "$C" --helper "$L/old"
printf '#!/bin/sh\nexit 1\n' >"$L/mute"; chmod 0755 "$L/mute"
output_contains "a helper that does not answer --version" "helper $L/mute: does not answer --version" "$NSJ" check -c "$C" --helper "$L/mute"
printf '#!/bin/sh\nexec sleep 60\n' >"$L/hang"; chmod 0755 "$L/hang"
output_contains "a helper that hangs is not waited for" "helper $L/hang: does not answer --version" timeout 20 "$NSJ" check -c "$C" --helper "$L/hang"

# A broken file and a broken helper: both reported, exit 1.
printf 'version = 1;\nbogus = 1;\n' | nsj_config
output_contains "a bad file and a bad helper: the file's error" "$C:2: error" "$NSJ" check -c "$C" --helper "$L/old"
output_contains "... and the helper's" "helper $L/old: speaks protocol NSJ3" "$NSJ" check -c "$C" --helper "$L/old"
nsj_config <<<'version = 1;'

# --json carries the helper's verdict.
_nsj_run "$NSJ" check --json -c "$C" --helper "$L/old"; cp "$T/out" "$T/json"
ok "check --json: the helper's problem in the document" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
h = d["helpers"][0]
assert d["ok"] is False and h["path"] == sys.argv[2] and h["ok"] is False and "NSJ3" in h["problems"][0], d
' "$T/json" "$L/old"

# Without -c: the installed policy and the helpers its PAM lines name.
defconf=$("$NSJ" --help | sed -nE 's/.*configuration file \(default (.*)\)$/\1/p')
if [ -n "$defconf" ] && [ -d "$(dirname "$defconf")" ] && [ ! -e "$defconf" ]; then
	mount -t tmpfs -o mode=0755 tmpfs "$(dirname "$defconf")"
	printf 'version = 1;\n' >"$defconf"
	sed -i "s|helper=$NSJ_HELPER|helper=$G|" /etc/pam.d/*
	output_contains "without -c: the helper the PAM lines name is checked" "helper $G: ok" "$NSJ" check
	status_is "... exit 0" 0 "$NSJ" check
	B=$(bad pamgw); chmod 0775 "$B"
	printf 'session required pam_unix.so\nsession required pam_nsjail.so helper=%s\n' "$B" >/etc/pam.d/nsjtest-bad
	status_is "a PAM line naming a group-writable helper: exit 1" 1 "$NSJ" check
	output_contains "... naming it" "helper $B: writable by group or others" "$NSJ" check
	rm /etc/pam.d/nsjtest-bad
	sed -i "/pam_nsjail/s| helper=[^ ]*||" /etc/pam.d/*
	output_contains "PAM lines without helper=: the default is checked" "helper $(dirname "$(dirname "$defconf")")/libexec/nsjail-helper:" "$NSJ" check
else
	skip "without -c: the PAM lines' helpers" "default config $defconf exists or has no directory"
fi

# --selftest: a throw-away jail through the real helper.
status_is "check --selftest with a good helper: exit 0" 0 "$NSJ" check -c "$C" --selftest --helper "$G"
output_contains "... saying ok" "selftest: ok" "$NSJ" check -c "$C" --selftest --helper "$G"
ok "... and leaves no mount behind" sh -c "! grep -q nsjailctl-selftest /proc/self/mountinfo"
ok "... nor its scratch directory" sh -c "! ls -d /tmp/nsjailctl-selftest.* /run/nsjailctl-selftest.* 2>/dev/null | grep -q ."
status_is "check --selftest with a missing helper: exit 1" 1 "$NSJ" check -c "$C" --selftest --helper "$L/nothere"
output_contains "... saying failed and why" "selftest: failed" "$NSJ" check -c "$C" --selftest --helper "$L/nothere"
printf '#!/bin/sh\necho "nsjail-helper protocol NSJ4"\n' >"$L/liar"; chmod 0755 "$L/liar"
status_is "a helper that answers the version but builds nothing: selftest exit 1" 1 "$NSJ" check -c "$C" --selftest --helper "$L/liar"
output_contains "... with the reason" "selftest: failed: " "$NSJ" check -c "$C" --selftest --helper "$L/liar"
_nsj_run "$NSJ" check --json -c "$C" --selftest --helper "$G"; cp "$T/out" "$T/json"
ok "check --json --selftest: the result in the document" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is True and d["selftest"]["ok"] is True and d["selftest"]["reason"] is None, d
' "$T/json"
