#!/bin/bash
# inaccessible: the path stays, as an empty node of the same type with mode
# 0000; the user's shell gets EACCES. "-" skips a missing path.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/secret/sub /srv/open
echo "top secret" >/srv/secret/data.txt
echo "secret file" >/srv/secret.txt
echo "open" >/srv/open/readme
chmod -R a+rX /srv
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "hide";
    users = [ "alice" ];
    inaccessible = [ "/srv/secret", "/srv/secret.txt", "-/srv/does-not-exist" ];
  }
);
EOF2

output_is "alice's session opens (missing '-' path skipped)" success pam_rc alice
output_is "hidden directory: still a directory, mode 0000" "directory 0" as_user alice 'stat -c "%F %a" /srv/secret'
output_contains "ls of the hidden directory: Permission denied" "Permission denied" as_user alice 'ls /srv/secret'
fails "ls of the hidden directory fails" as_user alice 'ls /srv/secret'
fails "a file below the hidden directory cannot be read" as_user alice 'cat /srv/secret/data.txt'
output_is "hidden file: still a regular file, mode 0000" "0" as_user alice 'test -f /srv/secret.txt && stat -c %a /srv/secret.txt'
output_contains "reading the hidden file: Permission denied" "Permission denied" as_user alice 'cat /srv/secret.txt'
output_lacks "the secret never reaches alice" "secret file" as_user alice 'cat /srv/secret.txt 2>/dev/null; true'
output_is "the hidden file is empty" "0" as_user alice 'stat -c %s /srv/secret.txt'
output_is "other paths are untouched" "open" as_user alice 'cat /srv/open/readme'
output_is "the missing '-' path is still missing" "absent" as_user alice 'test -e /srv/does-not-exist || echo absent'
output_is "bob (unmatched) reads the secret" "top secret" as_user bob 'cat /srv/secret/data.txt'
output_is "the caller still reads the secret" "secret file" cat /srv/secret.txt
output_is "the hidden directory is intact on the host" "data.txt sub" sh -c 'echo $(ls /srv/secret)'
