#!/bin/bash
# What the jail does NOT cover, and the sshd_config advice that closes it:
# TCP port forwarding is done by sshd over the host's network, so a jailed
# user (even in a root jail, even with ssh -N and no shell) reaches whatever
# 127.0.0.1 offers; a Unix-socket forward resolves its path in the jail (sshd
# runs there after the module returns) and cannot reach a host socket outside
# it. "DisableForwarding yes" in a Match block for the jailed group refuses
# every forward while other users keep theirs.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "root"; groups = [ "sftponly" ]; root = "tmpfs"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; } );
EOF2
nsj_require nsj_sshd_start
P=$NSJ_SSH_PORT

# A host TCP service on 127.0.0.1 and a host Unix socket outside the jail;
# each answers every connection with one line.
python3 - 127.0.0.1:7001 /srv/host.sock <<'EOF2' >/dev/null 2>&1 &
import os, socket, sys, threading
def serve(s, msg):
    while True:
        c, _ = s.accept(); c.sendall(msg); c.close()
h, p = sys.argv[1].split(":")
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind((h, int(p))); t.listen(8)
u = socket.socket(socket.AF_UNIX); u.bind(sys.argv[2]); os.chmod(sys.argv[2], 0o666); u.listen(8)
threading.Thread(target=serve, args=(u, b"HOST-UNIX\n"), daemon=True).start()
serve(t, b"HOST-TCP\n")
EOF2
nsj_at_exit "kill $!"
for _ in $(seq 50); do [ -S /srv/host.sock ] && break; sleep 0.1; done
# Every step bounded (as in t_private_network): a hang fails one check,
# not the whole test at ctest's 300 s.
ask() { timeout 15 python3 -c '
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5); s.settimeout(5)
    print(s.recv(100).decode().strip() or "closed")
except Exception as e:
    print("refused")' "$1" || echo TIMEOUT; }

# forward USER SSHD-PORT LOCAL-PORT TARGET: a background ssh -N -L; prints
# what the forwarded port answers.
forward() {
	local pid out
	# shellcheck disable=SC2046 # word splitting of the options is wanted
	ssh $(nsj_ssh_opts "$1") -p "$2" -N -o ExitOnForwardFailure=yes -L "127.0.0.1:$3:$4" "$1@127.0.0.1" </dev/null >/dev/null 2>&1 &
	pid=$!
	# Up to 30 s for the login and the forward on a loaded machine; the
	# first answer that is not "refused" is the one reported.
	local end=$((SECONDS + 30))
	while :; do out=$(ask "$3"); [ "$out" != refused ] || [ $SECONDS -ge $end ] && break; sleep 0.1; done
	# KILL: a client waiting on a stuck server only flags a TERM and waits on.
	kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
	echo "$out"
}
output_is "not covered: dave (root jail) forwards TCP to the host's 127.0.0.1" HOST-TCP forward dave $P 6001 127.0.0.1:7001
output_is "a Unix-socket forward resolves in the jail: the host socket is out of reach" closed forward dave $P 6002 /srv/host.sock
output_is "bob (unjailed) reaches the host socket, as the control" HOST-UNIX forward bob $P 6003 /srv/host.sock

# The advice: a Match block for the jailed group.
sed -e "s/^Port .*/Port $((P + 1))/" -e "s|^PidFile .*|PidFile $T/ssh/sshd2.pid|" "$T/ssh/sshd_config" >"$T/ssh/sshd2_config"
printf 'Match Group sftponly\n\tDisableForwarding yes\n' >>"$T/ssh/sshd2_config"
nsj_require /usr/sbin/sshd -f "$T/ssh/sshd2_config" -E "$T/sshd2.log"
nsj_require nsj_sshd_wait $((P + 1)) "$T/ssh/sshd2.pid" "$T/sshd2.log"
nsj_at_exit "kill \$(cat $T/ssh/sshd2.pid)"
# (ssh's local end still listens; sshd refuses the channel, so it closes.)
output_is "DisableForwarding yes for the group: dave's TCP forward gets nothing" closed forward dave $((P + 1)) 6004 127.0.0.1:7001
output_contains "... sshd refused it" "refused local port forward" grep -h "refused" "$T/sshd2.log"
output_is "... and his Unix-socket forward gets nothing either" closed forward dave $((P + 1)) 6005 /srv/host.sock
output_is "... while bob (not in the group) keeps his" HOST-TCP forward bob $((P + 1)) 6006 127.0.0.1:7001
output_is "dave's shell still works behind the Match block, jailed" tmpfs nsj_ssh dave 'findmnt -no FSTYPE /' -p $((P + 1))
