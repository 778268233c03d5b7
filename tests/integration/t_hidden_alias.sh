#!/bin/bash
# A hidden path stays hidden under every name the jail gives it (issue 10
# item 3): `inaccessible = ["/srv/secret"]` with `bind_ro = ["/srv:/mnt"]`
# hides /mnt/secret too. The compiler adds the alias hides (explain shows
# them); the root jail below has no host tree in it, so only the compiler's
# rule covers it: the hidden path there is a jail path in one bind of /srv,
# and its host file shows through the other.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf
mkdir -p /srv/secret /mnt /mnt2
echo "top secret" >/srv/secret/data
echo "open" >/srv/readme
chmod -R a+rX /srv
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "hide";
    users = [ "alice" ];
    inaccessible = [ "/srv/secret" ];
    bind_ro = [ "/srv:/mnt" ];
  },
  {
    name = "root-hide";
    users = [ "erin" ];
    root = "tmpfs";
    bind_ro = [ "/usr", "/srv:/mnt", "/srv:/mnt2" ];
    bind = [ "/home/%u" ];
    inaccessible = [ "/mnt/secret" ];
  },
  {
    name = "root-mirror";
    users = [ "carol" ];
    root = "tmpfs";
    bind_ro = [ "/usr", "/srv:/mnt", "/srv:/mnt2" ];
    bind = [ "/home/%u" ];
    inaccessible = [ "/mnt2/secret" ];
  }
);
EOF2
nsj_require nsj_sshd_start

# Positive control: the secret is there for the unjailed.
output_is "bob (unjailed) reads the secret" "top secret" as_user bob 'cat /srv/secret/data'

# A jail without a root: the host path and its bind.
output_is "alice's session opens" success pam_rc alice
output_contains "su: /srv/secret is hidden" "Permission denied" as_user alice 'cat /srv/secret/data'
output_contains "su: /mnt/secret (its bind) is hidden too" "Permission denied" as_user alice 'cat /mnt/secret/data'
output_contains "ssh: /mnt/secret is hidden" "Permission denied" nsj_ssh alice 'cat /mnt/secret/data'
output_lacks "ssh: the secret never shows" "top secret" nsj_ssh alice 'cat /mnt/secret/data /srv/secret/data 2>/dev/null; true'
output_is "su: the rest of the bind is readable" "open" as_user alice 'cat /mnt/readme'
output_contains "explain shows the alias hide" "inaccessible /mnt/secret (auto)" "$NSJ" explain -c "$C" alice

# A root jail: the hidden jail path's host file, through the other bind.
for u in erin:mnt:mnt2 carol:mnt2:mnt; do
	IFS=: read -r user hid other <<<"$u"
	output_is "$user's session opens" success pam_rc "$user"
	output_contains "su: $user: /$hid/secret is hidden" "Permission denied" as_user "$user" "cat /$hid/secret/data"
	output_contains "su: $user: /$other/secret (the same host file) is hidden" "Permission denied" as_user "$user" "cat /$other/secret/data"
	output_contains "ssh: $user: /$other/secret is hidden" "Permission denied" nsj_ssh "$user" "cat /$other/secret/data"
	output_lacks "ssh: $user: the secret never shows" "top secret" nsj_ssh "$user" "cat /$hid/secret/data /$other/secret/data 2>/dev/null; true"
	output_is "su: $user: the rest of /$other is readable" "open" as_user "$user" "cat /$other/readme"
	output_contains "explain: $user: the alias hide" "inaccessible /$other/secret (auto)" "$NSJ" explain -c "$C" "$user"
done
output_is "the secret is intact on the host" "top secret" cat /srv/secret/data
