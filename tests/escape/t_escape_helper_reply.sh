#!/bin/bash
# Escape class 6 (SPEC §8), the module's side: it joins only what it
# verified, whatever the helper answers (lib/jail/build.c). A stand-in
# helper (tests/escape/fake_helper.py, named by the stack's helper=) replies
# with a network namespace for the mount namespace, the caller's own mount
# namespace (a session left on the host, unjailed), a failure status next to
# a namespace fd, or, for a private_pids jail, the caller's own PID
# namespace or none: every such session is refused (PAM_SESSION_ERR, su
# refuses) with the reason in the log. Controls: the same stand-in's honest
# replies (a mount namespace; a new PID namespace below the caller's) are
# joined, so the refusals come from the checks and not from the stand-in.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
for mode in ok netns mnt-own failed pids-child pids-own pids-none; do
	printf '#!/bin/sh\nexec /usr/bin/python3 %s %s\n' "$NSJ_SRC/tests/escape/fake_helper.py" "$mode" \
		>"$T/bin/fake-$mode"
	chmod 0755 "$T/bin/fake-$mode"
done
# use_helper PROGRAM: the nsjtest and su stacks start PROGRAM as the helper.
use_helper() {
	sed -i "s|helper=[^ ]*|helper=$1|" "$T/pam.d/nsjtest" "$T/pam.d/su"
	nsj_require grep -q "helper=$1" "$T/pam.d/nsjtest" "$T/pam.d/su"
}
jail() {
	nsj_config <<EOF2
version = 1;
jails = ( { name = "j"; users = [ "alice" ]; private_pids = $1; } );
EOF2
}

# refused MODE REGEX: the stand-in's MODE reply refuses alice's session.
refused() {
	use_helper "$T/bin/fake-$1"
	nsj_syslog_mark
	output_is "$1: the session is refused (PAM_SESSION_ERR)" session_err pam_rc alice
	syslog_contains "... the log says why" "pam_nsjail.*user=alice .*$2"
	output_contains "... su alice refuses the session" "cannot open session" as_user alice 'echo LOGGED-IN'
}

jail false
use_helper "$T/bin/fake-ok"
output_is "control: the stand-in's mount namespace is joined" success pam_rc alice
output_is "control: ... su alice logs in" LOGGED-IN as_user alice 'echo LOGGED-IN'
refused netns "the helper did not return a mount namespace"
refused mnt-own "returned the caller's own mount namespace"
refused failed "fake helper: failed on purpose"
refused pids-child "returned 2 namespaces, not 1"

jail true
use_helper "$T/bin/fake-pids-child"
output_is "control: private_pids: a new PID namespace below ours is joined" success pam_rc alice
refused pids-own "did not return the (session.s|expected) PID namespace"
refused pids-none "returned 1 namespaces, not 2"
refused ok "returned 1 namespaces, not 2"

use_helper "$NSJ_HELPER"
# shellcheck disable=SC2016 # expanded by the session's shell
output_is "control: the real helper gives a private_pids session PID 1" 1 \
	as_user alice 'echo $(ps -eo pid= | sort -n | head -n 1)'
