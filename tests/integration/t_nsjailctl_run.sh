#!/bin/bash
# nsjailctl run: the command runs as the user, with the user's groups, in the
# jail a login gets (effects seen by the command: EROFS, hidden paths), with
# a clean environment, and nsjailctl exits with its status.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf
RUN=("$NSJ" run -c "$C" --helper "$NSJ_HELPER")


mkdir -p /srv/secret
echo "top secret" >/srv/secret/file
chmod -R a+rX /srv/secret
nsj_config <<'EOF'
version = 1;
jails = (
  {
    name = "ro";
    users = [ "alice" ];
    groups = [ "contractors" ];
    read_only = [ "/" ];
    read_write = [ "/home/%u" ];
    inaccessible = [ "/srv/secret" ];
  },
  {
    name = "sshd-only";
    users = [ "erin" ];
    services = [ "sshd" ];
    read_only = [ "/" ];
  }
);
EOF

output_contains "a write to /usr fails with EROFS" "Read-only file system" "${RUN[@]}" alice -- sh -c 'touch /usr/x'
status_is "... and its status comes back" 1 "${RUN[@]}" alice -- sh -c 'touch /usr/x 2>/dev/null'
ok "the host's /usr is untouched" test ! -e /usr/x
ok "the home stays writable" "${RUN[@]}" alice -- sh -c 'touch /home/alice/ok'
ok "... and the write reached the host" test -e /home/alice/ok
output_contains "a hidden path cannot be read" "Permission denied" "${RUN[@]}" alice -- cat /srv/secret/file
output_is "... and shows a mode 0000 node" "0" "${RUN[@]}" alice -- stat -c %a /srv/secret
ok "the caller still reads it" grep -q "top secret" /srv/secret/file
status_is "exit status propagates" 42 "${RUN[@]}" alice -- sh -c 'exit 42'
status_is "a signal gives 128+N" 143 "${RUN[@]}" alice -- sh -c 'kill -TERM $$'
status_is "a missing command: 127" 127 "${RUN[@]}" alice -- /nonexistent/cmd
status_is "without --: the command still runs" 7 "${RUN[@]}" alice sh -c 'exit 7'

output_is "runs as the user's uid and gid" "2001 2001" "${RUN[@]}" alice -- sh -c 'echo $(id -u) $(id -g)'
output_is "runs with the supplementary groups" "2002 2101" "${RUN[@]}" carol -- sh -c 'echo $(id -G)'
output_is "no privilege left" "1" "${RUN[@]}" alice -- sh -c 'grep -q "^CapEff:.0000000000000000" /proc/self/status && echo 1'
output_is "in the home directory" "/home/alice" "${RUN[@]}" alice -- pwd
output_is "a clean environment like su -l" \
	"HOME=/home/alice LOGNAME=alice PATH=/usr/local/bin:/usr/bin:/bin SHELL=/bin/bash TERM=xterm-test USER=alice" \
	env -i TERM=xterm-test SECRET_TOKEN=leak "${RUN[@]}" alice -- sh -c 'env | grep -v "^PWD=\|^SHLVL=\|^_=" | sort | tr "\n" " " | sed "s/ \$//"'
output_is "the default command is the login shell" "alice -bash" \
	sh -c "echo 'echo \$(id -un) \$0' | $(printf '%q ' "${RUN[@]}") alice"

# The service filter, and users no jail applies to.
status_is "not jailed for this service: exit 1" 1 "${RUN[@]}" erin -- true
output_contains "... saying so" "erin is not jailed; nothing to try" "${RUN[@]}" erin -- true
output_contains "for sshd it is jailed" "Read-only file system" "${RUN[@]}" -s sshd erin -- touch /usr/y
status_is "bob (no jail): refused" 1 "${RUN[@]}" bob -- true
output_contains "... saying so" "bob is not jailed; nothing to try" "${RUN[@]}" bob -- true
output_is "--allow-unjailed runs it anyway" "bob" "${RUN[@]}" --allow-unjailed bob -- id -un
output_contains "... and says so" "running without a jail" "${RUN[@]}" --allow-unjailed bob -- true
status_is "root is exempt: refused" 1 "${RUN[@]}" root -- true
status_is "an unknown user: exit 1" 1 "${RUN[@]}" nosuchuser -- true

# A jail that cannot be built: exit 1, the helper's message, nothing run.
nsj_config <<'EOF'
version = 1;
jails = ( { name = "broken"; users = [ "alice" ]; inaccessible = [ "/srv/not-there" ]; } );
EOF
rm -f "$T/ran"
status_is "a missing path: exit 1" 1 "${RUN[@]}" alice -- touch "$T/ran"
output_contains "... naming the path" "/srv/not-there" "${RUN[@]}" alice -- touch "$T/ran"
ok "... and the command did not run" test ! -e "$T/ran"
status_is "a helper that does not exist: exit 1" 1 "$NSJ" run -c "$C" --helper /nonexistent/helper alice -- true

# A tmpfs root: the jail's own /etc names the user.
nsj_config <<'EOF'
version = 1;
jails = ( { name = "empty"; users = [ "alice" ]; root = "tmpfs"; bind_ro = [ "/usr" ]; } );
EOF
output_is "tmpfs root: the jail's passwd knows alice" "alice" "${RUN[@]}" alice -- id -un
output_contains "tmpfs root: the host's /home is not there" "No such file" "${RUN[@]}" alice -- ls /home/bob
output_contains "tmpfs root: home missing in the jail, cwd is /" "cannot change directory to /home/alice" "${RUN[@]}" alice -- pwd

fails "run needs root" setpriv --reuid=2003 --regid=2003 --clear-groups "$NSJ" run -c "$C" alice -- true
