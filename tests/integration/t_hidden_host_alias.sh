#!/bin/bash
# A hidden path is hidden under the host's other names for it too: the host
# has /srv bound at /mnt/alias (admins do this; so do container tools), and
# `inaccessible = ["/srv/secret"]` must also cover /mnt/alias/secret, and
# the same path reached through a jail's own bind of "/" (/opt/a/mnt/alias/
# secret). The helper reads its namespace's mount table and covers the path
# in every mount of the same file system whose root holds it; explain lists
# those covers. A bind of a file system the path is not in, or of a part of
# it that does not hold the path, is left alone.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf
# The sandbox's /srv and /mnt are the host's: work on tmpfs of our own, so
# the mount table holds exactly what the test makes.
mount -t tmpfs -o mode=0755 tmpfs /srv
mount -t tmpfs -o mode=0755 tmpfs /mnt
mkdir -p /srv/secret /srv/pub/inner /mnt/alias /mnt/pubonly /mnt/deep "/mnt/sp ace" /opt/a
echo "top secret" >/srv/secret/data
echo "open" >/srv/readme
echo "inner" >/srv/pub/inner/file
chmod -R a+rX /srv
mount --bind /srv /mnt/alias           # the whole file system again
mount --bind /srv/pub /mnt/pubonly     # a part that does not hold the secret
mount --bind /srv/secret /mnt/deep     # the hidden directory itself
mount --bind /srv "/mnt/sp ace"        # a mount point with a space (mountinfo escapes it)
mkdir -p /mnt/over
mount --bind /srv /mnt/over            # a bind whose secret is mounted over on the host:
mount -t tmpfs -o mode=0755 tmpfs /mnt/over/secret
echo "other" >/mnt/over/secret/data    # that name shows something else, left alone
chmod 0644 /mnt/over/secret/data
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "hide";
    users = [ "alice" ];
    inaccessible = [ "/srv/secret" ];
  },
  {
    name = "hide-rebound";
    users = [ "carol" ];
    inaccessible = [ "/srv/secret" ];
    bind_ro = [ "/:/opt/a" ];
  }
);
EOF2
nsj_require nsj_sshd_start

# Positive controls: the unjailed user reads the secret under every name.
output_is "bob (unjailed) reads it through the host's bind" "top secret" as_user bob 'cat /mnt/alias/secret/data'
output_is "bob reads it through the bind of the directory itself" "top secret" as_user bob 'cat /mnt/deep/data'

for who in "alice:su" "alice:ssh" "carol:su" "carol:ssh"; do
	IFS=: read -r user how <<<"$who"
	if [ "$how" = su ]; then run=(as_user "$user"); else run=(nsj_ssh "$user"); fi
	output_contains "$how: $user: /srv/secret is hidden" "Permission denied" "${run[@]}" 'cat /srv/secret/data'
	output_contains "$how: $user: /mnt/alias/secret (the host's bind of /srv) is hidden" "Permission denied" "${run[@]}" 'cat /mnt/alias/secret/data'
	output_contains "$how: $user: /mnt/deep (the host's bind of the hidden directory) is hidden" "Permission denied" "${run[@]}" 'cat /mnt/deep/data'
	output_contains "$how: $user: '/mnt/sp ace/secret' is hidden" "Permission denied" "${run[@]}" "cat '/mnt/sp ace/secret/data'"
	output_lacks "$how: $user: the secret never shows" "top secret" "${run[@]}" 'cat /srv/secret/data /mnt/alias/secret/data /mnt/deep/data "/mnt/sp ace/secret/data" /opt/a/mnt/alias/secret/data /opt/a/srv/secret/data 2>/dev/null; true'
	output_is "$how: $user: the rest of the host's bind is readable" "open" "${run[@]}" 'cat /mnt/alias/readme'
	output_is "$how: $user: a bind of another part is untouched" "inner" "${run[@]}" 'cat /mnt/pubonly/inner/file'
	output_is "$how: $user: a name the host mounted over shows what is there" "other" "${run[@]}" 'cat /mnt/over/secret/data'
done
output_contains "su: carol: through the jail's bind of / and the host's bind" "Permission denied" as_user carol 'cat /opt/a/mnt/alias/secret/data'
output_contains "ssh: carol: /opt/a/mnt/deep is hidden" "Permission denied" nsj_ssh carol 'cat /opt/a/mnt/deep/data'

output_contains "explain lists the cover of the host's bind" "/mnt/alias/secret" "$NSJ" explain -c "$C" alice
output_contains "explain lists the cover of the hidden directory's bind" "/mnt/deep" "$NSJ" explain -c "$C" alice
output_lacks "explain does not list the unrelated bind" "/mnt/pubonly" "$NSJ" explain -c "$C" alice
output_is "the secret is intact on the host" "top secret" cat /mnt/alias/secret/data
