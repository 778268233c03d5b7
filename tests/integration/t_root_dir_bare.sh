#!/bin/bash
# A directory root need not hold the jail's mount points: the jail's "/" is
# a tmpfs with the directory's entries bound in, so the sftp drop box needs
# only the user's upload directory. Nothing is written into the directory;
# the root-owned chain rule stays.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -m 0755 /srv/sftp /srv/sftp/dave
mkdir -m 0755 /srv/sftp/dave/upload && chown dave:sftponly /srv/sftp/dave/upload
ln -s upload /srv/sftp/dave/in
echo "secret of the host" >/srv/host-only
echo "from the host" >"$T/upload.txt"
before=$(cd /srv/sftp && find . -maxdepth 2 -printf '%p %M %U %l\n' | sort)
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "dropbox"; groups = [ "sftponly" ]; services = [ "sshd" ]; root = "/srv/sftp/%u"; } );
EOF2
ok "check --strict passes" "$NSJ_BUILD/nsjailctl" check --strict -c "$T/nsjail.conf"
nsj_require nsj_sshd_start
# shellcheck disable=SC2046
sftp_b() { printf '%s\n' "$@" | sftp $(nsj_ssh_opts dave) -P "$NSJ_SSH_PORT" -b - dave@127.0.0.1; }
ok "sftp: upload into the bare directory's upload/" sftp_b "put $T/upload.txt /upload/up.txt"
output_is "the upload reached the real directory" "from the host" cat /srv/sftp/dave/upload/up.txt
output_contains "sftp: / shows the directory's entries" "upload" sftp_b 'ls -1 /'
output_contains "sftp: its top-level link works" "up.txt" sftp_b 'ls -1 /in/'
fails "sftp: a host path is not there" sftp_b "get /srv/host-only $T/stolen"
fails "sftp: / is not writable" sftp_b "put $T/upload.txt /new.txt"
fails "ssh: no shell to run in the drop box" nsj_ssh dave 'echo shell'
output_is "nothing was written into the directory" "$before" sh -c "cd /srv/sftp && find . -maxdepth 2 -printf '%p %M %U %l\n' | sort"

# The chain rule stays: a group-writable root is refused.
chmod 0775 /srv/sftp/dave
fails "a group-writable root is still refused" sftp_b 'ls /'
chmod 0755 /srv/sftp/dave
# A missing mount point below one of the directory's own entries is still
# an error naming it (the helper creates nothing in an on-disk directory).
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "dropbox"; groups = [ "sftponly" ]; root = "/srv/sftp/%u"; bind = [ "/home/%u:/upload/home" ]; } );
EOF2
nsj_syslog_mark
output_is "a bind target missing inside the directory's own upload/: refused" session_err pam_rc dave
syslog_contains "... naming it" "pam_nsjail.*upload/home does not exist"
output_is "... and not created" absent sh -c 'test -e /srv/sftp/dave/upload/home || echo absent'
