#!/bin/bash
# What a cover over one name cannot hide, as SECURITY.md states it:
#   * a hidden file's other hard links (check warns, with the link count);
#   * an optional ('-') hidden path the host creates after the login is
#     visible in sessions open at that time (new sessions hide it).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf
mount -t tmpfs -o mode=0755 tmpfs /srv
mkdir -p /srv/data /srv/other
echo "key material" >/srv/data/secret.key
ln /srv/data/secret.key /srv/other/copy.key
echo "single" >/srv/data/single.key
chmod -R a+rX /srv
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "links";
    users = [ "alice" ];
    inaccessible = [ "/srv/data/secret.key", "/srv/data/single.key", "-/srv/later" ];
  }
);
EOF2

output_contains "check warns for a hidden file with another hard link" \
	"$C:6: warning: jail 'links': inaccessible '/srv/data/secret.key' has 2 hard links" "$NSJ" check -c "$C"
output_lacks "check says nothing of links for a file with one name" "'/srv/data/single.key' has" "$NSJ" check -c "$C"
output_contains "su: the hidden name is covered" "Permission denied" as_user alice 'cat /srv/data/secret.key'
output_is "su: its other hard link is readable (the stated limit)" "key material" as_user alice 'cat /srv/other/copy.key'

# An optional hidden path made on the host while a session is open.
nsj_require nsj_sshd_start
rm -f "$T/later.out"
nsj_ssh alice 'sleep 3; cat /srv/later/data 2>&1' >"$T/later.out" 2>&1 &
ssh_pid=$!
sleep 1
mkdir -p /srv/later && echo "made later" >/srv/later/data && chmod -R a+rX /srv/later
wait "$ssh_pid"
output_is "ssh: a '-' path the host made after login shows in the open session (the stated limit)" \
	"made later" cat "$T/later.out"
output_contains "ssh: a new session hides it" "Permission denied" nsj_ssh alice 'cat /srv/later/data'
