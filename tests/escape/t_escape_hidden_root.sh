#!/bin/bash
# A jailed root (users = [ "root" ], not exempt) writes to what covers a
# hidden path. The covers are mode 0000 nodes, but root's DAC override
# ignores the mode: only their read-only mount stops her creating a file in
# a hidden directory (seen in every other hidden directory of the jail,
# which share one covering node), appending to a hidden file or changing
# its mode. Through real su; controls: the same root unjailed writes there.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
mkdir -p /srv/secret /srv/other
echo "top secret" >/srv/secret/data
echo "key" >/srv/file
nsj_config <<'EOF2'
version = 1;
settings = { exempt_users = [ ]; };
jails = ( { name = "root-jail"; users = [ "root" ];
            inaccessible = [ "/srv/secret", "/srv/other", "/srv/file" ]; } );
EOF2

output_is "root is jailed (not exempt here)" success pam_rc root
# shellcheck disable=SC2016 # expanded by the session's shell
output_is "control: the hidden directory is covered (mode 0000, empty)" "0 " \
	su -s /bin/sh root -c 'echo "$(stat -c %a /srv/secret) $(ls -A /srv/secret)"'
output_contains "jailed root cannot create a file in a hidden directory: EROFS" "Read-only file system" \
	su -s /bin/sh root -c 'echo x >/srv/secret/planted'
output_lacks "... nor does it appear in another hidden directory" planted \
	su -s /bin/sh root -c '{ echo x >/srv/secret/planted; } 2>/dev/null; ls -A /srv/other'
output_contains "jailed root cannot append to a hidden file: EROFS" "Read-only file system" \
	su -s /bin/sh root -c 'echo x >>/srv/file'
output_contains "jailed root cannot chmod a hidden file: EROFS" "Read-only file system" \
	su -s /bin/sh root -c 'chmod 0644 /srv/file'
# shellcheck disable=SC2016 # expanded by the inner shell
output_is "the host's files are unchanged" "top secret|key|absent" \
	sh -c 'echo "$(cat /srv/secret/data)|$(cat /srv/file)|$(test -e /srv/secret/planted || echo absent)"'

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "root-jail"; users = [ "root" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2
output_is "control: root exempt (the default) writes there" written \
	su -s /bin/sh root -c 'echo x >/srv/secret/planted && echo written'
rm -f /srv/secret/planted
