#!/bin/bash
# Issue 10 item 3: a hidden path stays hidden under every name the jail
# gives it. inaccessible "/srv/tree/secret" with bind_ro "/srv/tree:/mnt" (a
# plain alias), with bind_ro "/srv/link:/mnt" where /srv/link is a
# root-owned symlink to tree (an alias no lexical rule can see), with the
# hidden path itself below a bind (read-write binds only: each kind of
# bind makes the helper cover hidden paths first), and in root jails (tmpfs root, on-disk
# root): /mnt/secret is hidden too, through su and sshd, while /mnt itself
# stays readable.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
mkdir -p /srv/tree/secret/sub /srv/tree/public
echo "top secret" >/srv/tree/secret/file
echo "deep secret" >/srv/tree/secret/sub/file
echo "public" >/srv/tree/public/file
ln -s tree /srv/link
# dave's on-disk root holds its own tree, also reached by a symlink
mkdir -m 0755 /srv/jails
nsj_make_root /srv/jails/dave
mkdir -m 0755 /srv/jails/dave/home/dave /srv/jails/dave/mnt /srv/jails/dave/srv
cp -a /srv/tree /srv/jails/dave/srv/
ln -s jails/dave/srv/tree /srv/dave-link
mkdir -m 0755 /srv/jails/erin
chmod -R a+rX /srv
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "alias"; users = [ "alice" ]; inaccessible = [ "/srv/tree/secret" ]; bind_ro = [ "/srv/tree:/mnt" ]; },
  { name = "symlink-alias"; users = [ "bob" ]; inaccessible = [ "/srv/tree/secret" ]; bind_ro = [ "/srv/link:/mnt" ]; },
  { name = "moved"; users = [ "carol" ]; inaccessible = [ "/opt/secret" ];
    bind = [ "/srv/tree:/opt", "/srv/link:/mnt" ]; },
  { name = "root-alias"; users = [ "erin" ]; root = "tmpfs"; bind_ro = [ "/usr", "/srv/tree", "/srv/link:/mnt" ];
    bind = [ "/home/%u" ]; inaccessible = [ "/srv/tree/secret" ]; },
  { name = "disk-alias"; users = [ "dave" ]; root = "/srv/jails/%u"; bind_ro = [ "/usr", "/srv/dave-link:/mnt" ];
    bind = [ "/home/%u" ]; inaccessible = [ "/srv/tree/secret" ]; }
);
EOF2
output_is "control: root-owned symlink /srv/link -> tree" "root tree" \
	sh -c 'echo $(stat -c %U /srv/link) $(readlink /srv/link)'
output_is "control: on the host a user reads the secret" "top secret" \
	setpriv --reuid erin --regid erin --clear-groups cat /srv/tree/secret/file
nsj_require nsj_sshd_start

for who in alice:su alice:ssh bob:su bob:ssh carol:su carol:ssh erin:su erin:ssh dave:su dave:ssh; do
	user=${who%:*} via=${who#*:}
	if [ "$via" = ssh ]; then run() { nsj_ssh "$user" "$1"; }; else run() { as_user "$user" "$1"; }; fi
	t="$user ($via)"
	if [ "$user" = carol ]; then hidden=/opt/secret; else hidden=/srv/tree/secret; fi
	fails "$t: $hidden/file (the hidden path) is unreadable" run "cat $hidden/file"
	output_is "$t: control: /mnt is listed" "public secret" run 'echo $(ls /mnt)'
	output_is "$t: control: /mnt/public/file is readable" public run 'cat /mnt/public/file'
	fails "$t: /mnt/secret/file (the alias) is unreadable" run 'cat /mnt/secret/file'
	fails "$t: /mnt/secret/sub/file is unreadable" run 'cat /mnt/secret/sub/file'
	output_lacks "$t: nothing of it is listed" "file" run 'ls -A /mnt/secret 2>&1; true'
done
