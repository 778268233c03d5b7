#!/bin/bash
# A small piece of the host's /etc (a regular file up to 64 KiB, root's,
# without an x bit) is copied into the root jail's /etc rather than bound:
# the same bytes and mode, read-only, and no mount of its own. What is not
# copied stays a read-only bind as before: an executable file (the /etc
# tmpfs is noexec), a larger one, one owned by another user (she keeps it),
# one below a bound piece directory. Many
# copied pieces fit the /etc tmpfs. The world-readable rule and symlink
# pieces: t_root_etc.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup

# Pieces made here, bound over files the host has (in the sandbox only).
echo "copied piece" >"$T/small"
chmod 0666 "$T/small" # even a world-writable piece is read-only in the jail
mount --bind "$T/small" /etc/debian_version
echo "alice's piece" >"$T/hers"
chown alice "$T/hers"
chmod 0644 "$T/hers"
mount --bind "$T/hers" /etc/hostname
printf '#!/bin/sh\necho ran\n' >"$T/exe"
chmod 0755 "$T/exe"
mount --bind "$T/exe" /etc/issue
head -c 100000 /dev/urandom | base64 >"$T/big"
chmod 0644 "$T/big"
mount --bind "$T/big" /etc/issue.net
# Twenty files of 60 KiB in a directory of the host's /etc, named one by
# one (etc_add), its default piece removed: each is copied.
mkdir -m 0755 "$T/many"
many=()
for i in $(seq -w 1 20); do
	head -c 61440 /dev/urandom >"$T/many/f$i"
	chmod 0644 "$T/many/f$i"
	many+=("\"/etc/profile.d/f$i\"")
done
mount --bind "$T/many" /etc/profile.d
list=$(IFS=,; echo "${many[*]}")

nsj_config <<EOF2
version = 1;
jails = (
  { name = "tmpfsroot"; users = [ "alice" ]; root = "tmpfs"; bind_ro = [ "/usr" ];
    etc_add = [ "/etc/debian_version", "/etc/issue", "/etc/issue.net", "/etc/hostname" ]; },
  { name = "many"; users = [ "bob" ]; root = "tmpfs"; bind_ro = [ "/usr" ];
    etc_remove = [ "/etc/profile.d" ]; etc_add = [ $list ]; },
  { name = "nested"; users = [ "carol" ]; root = "tmpfs"; bind_ro = [ "/usr" ];
    etc_add = [ "/etc/profile.d/f01" ]; }
);
EOF2
ok "check passes" "$NSJ_BUILD/nsjailctl" check --strict -c "$T/nsjail.conf"

output_is "a copied piece: the same bytes" "copied piece" as_user alice 'cat /etc/debian_version'
output_is "... root's, the host file's mode" "root 666" as_user alice 'stat -c "%U %a" /etc/debian_version'
output_is "... not a mount of its own (a copy in the /etc tmpfs)" "0" \
	as_user alice 'awk '"'"'$5 == "/etc/debian_version"'"'"' /proc/self/mountinfo | wc -l'
output_contains "... read-only: a write is refused (EROFS)" "Read-only file system" \
	as_user alice 'echo x >>/etc/debian_version'
output_is "... the host's file is unchanged" "copied piece" cat "$T/small"
output_is "an executable piece still runs (bound, not copied into the noexec tmpfs)" "ran" \
	as_user alice '/etc/issue'
output_is "a piece another user owns: still hers (bound)" "alice alice's piece" \
	as_user alice 'echo $(stat -c %U /etc/hostname) $(cat /etc/hostname)'
output_is "a piece over 64 KiB: whole (bound)" "$(md5sum <"$T/big")" as_user alice 'md5sum </etc/issue.net'
output_is "twenty copied pieces of 60 KiB fit the jail's /etc" "$(cat "$T"/many/f* | md5sum)" \
	as_user bob 'cat /etc/profile.d/f* | md5sum'
output_is "... each a copy: no mounts for them" "0" \
	as_user bob 'awk '"'"'index($5, "/etc/profile.d") == 1 { n++ } END { print n + 0 }'"'"' /proc/self/mountinfo'
output_is "a piece below a bound piece directory: shown (bound there)" "$(md5sum <"$T/many/f01")" \
	as_user carol 'md5sum </etc/profile.d/f01'
