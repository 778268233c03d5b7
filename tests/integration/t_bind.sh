#!/bin/bash
# bind src:dst (read-write) and bind_ro (read-only), for directories and
# files, and a one-path bind_ro of a directory the user owns.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/data /srv/ro /srv/mine /srv/mnt/data /srv/mnt/ro
echo "data" >/srv/data/hello
echo "ro" >/srv/ro/hello
echo "file" >/srv/file.txt
: >/srv/mnt/file.txt
chown alice /srv/data /srv/ro /srv/mine /srv/mnt/data /srv/mnt/ro
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "binds";
    users = [ "alice" ];
    bind = [ "/srv/data:/srv/mnt/data", "/srv/file.txt:/srv/mnt/file.txt" ];
    bind_ro = [ "/srv/ro:/srv/mnt/ro", "/srv/mine" ];
  }
);
EOF2

output_is "alice's session opens" success pam_rc alice
output_is "bind: the source's content shows at the target" data as_user alice 'cat /srv/mnt/data/hello'
ok "bind: the target is writable" as_user alice 'echo new >/srv/mnt/data/new'
output_is "bind: the write reached the source" new cat /srv/data/new
output_is "bind of a file" file as_user alice 'cat /srv/mnt/file.txt'
output_is "bind_ro: the source's content shows" ro as_user alice 'cat /srv/mnt/ro/hello'
output_contains "bind_ro: a write fails with EROFS (the dir is alice's)" "Read-only file system" as_user alice 'touch /srv/mnt/ro/x'
output_contains "bind_ro of one path: EROFS in her own dir" "Read-only file system" as_user alice 'touch /srv/mine/x'
output_is "bob (unmatched) sees the empty target" "" as_user bob 'ls -A /srv/mnt/data'
ok "the caller can still write /srv/mine" touch /srv/mine/root-was-here
