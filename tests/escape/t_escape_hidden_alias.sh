#!/bin/bash
# Issue 10 item 3: a hidden path stays hidden under every name the jail
# gives it. inaccessible "/srv/secret" with bind_ro "/srv:/mnt" (a plain
# alias), and with bind_ro "/data:/mnt" where /data is a root-owned symlink
# to /srv (an alias no lexical rule can see): /mnt/secret is hidden too,
# through su and sshd, while /mnt itself stays readable.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
mkdir -p /srv/secret/sub /srv/public
echo "top secret" >/srv/secret/file
echo "deep secret" >/srv/secret/sub/file
echo "public" >/srv/public/file
chmod -R a+rX /srv
ln -sfn /srv /data
nsj_at_exit "rm -f /data"
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "alias"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; bind_ro = [ "/srv:/mnt" ]; },
  { name = "symlink-alias"; users = [ "bob" ]; inaccessible = [ "/srv/secret" ]; bind_ro = [ "/data:/mnt" ]; },
  { name = "moved"; users = [ "carol" ]; inaccessible = [ "/opt/secret" ]; bind = [ "/srv:/opt" ]; bind_ro = [ "/srv:/mnt" ]; }
);
EOF2
output_is "control: root-owned symlink /data -> /srv" "root /srv" sh -c 'echo $(stat -c %U /data) $(readlink /data)'
output_is "control: an unjailed user reads the secret" "top secret" as_user erin 'cat /srv/secret/file'
nsj_require nsj_sshd_start

for who in alice:su alice:ssh bob:su bob:ssh carol:su carol:ssh; do
	user=${who%:*} via=${who#*:}
	if [ "$via" = ssh ]; then run() { nsj_ssh "$user" "$1"; }; else run() { as_user "$user" "$1"; }; fi
	t="$user ($via)"
	if [ "$user" = carol ]; then hidden=/opt/secret; else hidden=/srv/secret; fi
	fails "$t: $hidden/file (the hidden path) is unreadable" run "cat $hidden/file"
	output_is "$t: control: /mnt is listed" "public secret" run 'echo $(ls /mnt)'
	output_is "$t: control: /mnt/public/file is readable" public run 'cat /mnt/public/file'
	fails "$t: /mnt/secret/file (the alias) is unreadable" run 'cat /mnt/secret/file'
	fails "$t: /mnt/secret/sub/file is unreadable" run 'cat /mnt/secret/sub/file'
	output_lacks "$t: nothing of it is listed" "file" run 'ls -A /mnt/secret 2>&1; true'
done
