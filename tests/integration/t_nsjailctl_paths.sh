#!/bin/bash
# A build from a checkout looks for the helper and the policy where its
# prefix says (/usr/local/...), not where a package puts them: every
# command that misses one says which path it tried, and nsjailctl run shows
# the module's log lines on the terminal (there is often no syslog in a
# container).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "ro"; users = [ "alice" ]; read_only = [ "/" ]; } );
EOF2

status_is "status with a missing helper: exit 1" 1 "$NSJ" status --helper "$T/nothere"
output_contains "... saying which path it tried" "no helper at $T/nothere" "$NSJ" status --helper "$T/nothere"
status_is "stop with a missing helper: exit 1" 1 "$NSJ" stop --helper "$T/nothere" alice
output_contains "... saying which path it tried" "no helper at $T/nothere" "$NSJ" stop --helper "$T/nothere" alice
status_is "run with a missing helper: exit 1" 1 "$NSJ" run -c "$C" --helper "$T/nothere" alice -- true
output_contains "... saying which path it tried" "no helper at $T/nothere" "$NSJ" run -c "$C" --helper "$T/nothere" alice -- true
defhelper=$("$NSJ" --help | sed -nE 's/.*to check; default (.*)\)$/\1/p')
if [ -n "$defhelper" ] && [ ! -e "$defhelper" ]; then
	output_contains "status without --helper names the compiled-in path" "no helper at $defhelper" "$NSJ" status
else
	skip "status without --helper names the compiled-in path" "$defhelper exists"
fi
output_contains "check with a missing policy names it" "$T/none.conf" "$NSJ" check -c "$T/none.conf"
output_contains "explain with a missing policy names it" "$T/none.conf" "$NSJ" explain -c "$T/none.conf" alice
output_contains "run with a missing policy names it" "$T/none.conf" "$NSJ" run -c "$T/none.conf" --helper "$NSJ_HELPER" alice -- true

output_contains "run shows the module's log line on stderr" "user=alice service=login" "$NSJ" run -c "$C" --helper "$NSJ_HELPER" alice -- true
output_contains "... with the jail and its mounts" "jail=ro mounts=" "$NSJ" run -c "$C" --helper "$NSJ_HELPER" alice -- true
output_is "... and stdout stays the command's" "hello" "$NSJ" run -c "$C" --helper "$NSJ_HELPER" alice -- echo hello
printf 'version = 1;\njails = ( { name = "bad"; users = [ "alice" ]; inaccessible = [ "/srv/none" ]; } );\n' | nsj_config
output_contains "a failure: the module's error line" "user=alice service=login jail=bad: " "$NSJ" run -c "$C" --helper "$NSJ_HELPER" alice -- true
