#!/bin/bash
# private_tmp: a fresh, empty, world-writable sticky /tmp for the session;
# the caller's /tmp is neither visible nor changed.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
echo "host" >/tmp/host-file
chmod 0644 /tmp/host-file
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "ptmp"; users = [ "alice" ]; private_tmp = true; } );
EOF2

output_is "alice's session opens" success pam_rc alice
output_is "the caller's /tmp file is not visible" absent as_user alice 'test -e /tmp/host-file || echo absent'
output_is "/tmp is empty" "" as_user alice 'ls -A /tmp'
output_is "/tmp has mode 1777" 1777 as_user alice 'stat -c %a /tmp'
ok "/tmp is writable" as_user alice 'echo mine >/tmp/alice-file && cat /tmp/alice-file'
output_is "her file does not appear in the caller's /tmp" absent sh -c 'test -e /tmp/alice-file || echo absent'
output_is "a new session gets a fresh /tmp" absent as_user alice 'test -e /tmp/alice-file || echo absent'
output_is "bob (unmatched) sees the caller's /tmp" host as_user bob 'cat /tmp/host-file'
