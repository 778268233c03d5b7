#!/bin/bash
# A real sshd (UsePAM yes, internal-sftp) with the module last in its session
# stack: remote commands, ptys, sftp, scp and rsync of a jailed user land in
# the jail, for a hidden-path jail (alice) and a tmpfs-root jail (erin); the
# listening sshd keeps its namespace and keeps serving bob unjailed.
. "$NSJ_SRC/tests/lib/functions.sh"
. "$NSJ_SRC/tests/lib/jails.sh"
nsj_setup
mkdir -p /srv/secret && echo "top secret" >/srv/secret/data && chmod -R a+rX /srv/secret
echo "from the host" >"$T/upload.txt"
nsj_config_hide_and_root 'inaccessible = [ "/srv/secret" ]; private_tmp = true;'
nsj_require nsj_sshd_start
ssh_ns=$(readlink "/proc/$NSJ_SSHD_PID/ns/mnt")
O=$(nsj_ssh_opts alice)
E=$(nsj_ssh_opts erin)
P=$NSJ_SSH_PORT

# hidden-path jail
output_is "ssh alice: remote command runs jailed" alice nsj_ssh alice 'ls -A /home'
fails "ssh alice: the hidden path is refused" nsj_ssh alice 'cat /srv/secret/data'
output_is "ssh -tt alice: a pty" "/dev/pts/" sh -c "ssh $O -p $P -tt alice@127.0.0.1 tty | tr -d '\r\0' | sed 's/\^@//g; s/[0-9]*\$//'"
output_is "ssh -tt alice: the pty shell is jailed" alice sh -c "ssh $O -p $P -tt alice@127.0.0.1 'ls -A /home' | tr -d '\r\0' | sed 's/\^@//g'"
output_contains "sftp alice: listing /home shows only hers" "alice" sh -c "echo 'ls -1 /home' | sftp $O -P $P -b - alice@127.0.0.1"
output_lacks "sftp alice: no other home listed" "bob" sh -c "echo 'ls -1 /home' | sftp $O -P $P -b - alice@127.0.0.1"
ok "sftp alice: upload" sh -c "echo 'put $T/upload.txt /home/alice/up.txt' | sftp $O -P $P -b - alice@127.0.0.1"
output_is "sftp alice: the upload reached her real home" "from the host" cat /home/alice/up.txt
ok "sftp alice: download" sh -c "echo 'get /home/alice/.marker-alice $T/down.txt' | sftp $O -P $P -b - alice@127.0.0.1"
output_is "sftp alice: the download has her file" "home of alice" cat "$T/down.txt"
fails "sftp alice: reading a hidden path is refused" sh -c "echo 'get /srv/secret/data $T/stolen' | sftp $O -P $P -b - alice@127.0.0.1"
ok "scp to alice" scp $O -P $P "$T/upload.txt" alice@127.0.0.1:/home/alice/scp.txt
output_is "scp to alice: landed in her home" "from the host" cat /home/alice/scp.txt
ok "scp from alice" scp $O -P $P alice@127.0.0.1:/home/alice/.marker-alice "$T/scp-down.txt"
fails "scp from alice: a hidden path is refused" scp $O -P $P alice@127.0.0.1:/srv/secret/data "$T/scp-stolen"
ok "rsync over ssh to alice" rsync -a -e "ssh $O -p $P" "$T/upload.txt" alice@127.0.0.1:/home/alice/rsync.txt
output_is "rsync: landed in her home" "from the host" cat /home/alice/rsync.txt
fails "rsync from alice: a hidden path is refused" rsync -a -e "ssh $O -p $P" alice@127.0.0.1:/srv/secret/data "$T/rsync-stolen"

# tmpfs-root jail
output_is "ssh erin: remote command in the tmpfs root" tmpfs nsj_ssh erin 'findmnt -no FSTYPE /'
output_is "ssh erin: names resolve (id)" "uid=2005(erin) gid=2005(erin) groups=2005(erin)" nsj_ssh erin id
output_is "ssh -tt erin: a pty in the root jail" "/dev/pts/" sh -c "ssh $E -p $P -tt erin@127.0.0.1 tty | tr -d '\r\0' | sed 's/\^@//g; s/[0-9]*\$//'"
output_contains "sftp erin: listing /" "usr" sh -c "echo 'ls -1 /' | sftp $E -P $P -b - erin@127.0.0.1"
output_lacks "sftp erin: the host's /srv is not there" "srv" sh -c "echo 'ls -1 /' | sftp $E -P $P -b - erin@127.0.0.1"
ok "scp to erin" scp $E -P $P "$T/upload.txt" erin@127.0.0.1:/home/erin/scp.txt
output_is "scp to erin: landed in her real home" "from the host" cat /home/erin/scp.txt
ok "rsync to erin" rsync -a -e "ssh $E -p $P" "$T/upload.txt" erin@127.0.0.1:/home/erin/rsync.txt

# the listener
output_is "sshd's listener kept its mount namespace" "$ssh_ns" readlink "/proc/$NSJ_SSHD_PID/ns/mnt"
output_is "bob (unmatched) is served unjailed" "alice bob carol dave erin" nsj_ssh bob 'echo $(ls /home)'
output_is "bob reads what alice cannot" "top secret" nsj_ssh bob 'cat /srv/secret/data'
