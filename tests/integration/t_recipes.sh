#!/bin/bash
# README's "Recipes" and docs/migrating.md, run as written: each marked
# block (<!-- recipe: NAME --> before a fenced block) is taken from those
# files, passes `nsjailctl check --strict`, and is used through the real
# sshd, sftp and su. A recipe that drifts from the code fails here.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup

# recipe NAME: the fenced block after the marker, verbatim.
recipe() {
	awk -v m="<!-- recipe: $1 -->" '$0 == m { f = 1; next }
		f && /^```/ { if (b) exit; b = 1; next }
		f && b { print }' "$NSJ_SRC/README.md" "$NSJ_SRC/docs/migrating.md"
}
# use NAME: the recipe as the configuration under test, checked first.
use() {
	nsj_require test -n "$(recipe "$1")"
	recipe "$1" | nsj_config
	ok "recipe $1: nsjailctl check --strict passes" "$NSJ_BUILD/nsjailctl" check --strict -c "$T/nsjail.conf"
}
# setup NAME: the recipe's shell block, run as root.
setup() {
	recipe "$1" >"$T/setup-$1.sh"
	nsj_require test -s "$T/setup-$1.sh"
	nsj_require sh -e "$T/setup-$1.sh"
}
# Adds USER to GROUP (created with GID when missing) in the test's group
# file, in place: it is bind-mounted over /etc/group.
add_member() { # GROUP GID USER
	local g
	g=$(awk -F: -v g="$1" -v gid="$2" -v u="$3" '
		$1 == g { print $0 ($4 == "" ? "" : ",") u; seen = 1; next } { print }
		END { if (!seen) print g ":x:" gid ":" u }' /etc/group)
	printf '%s\n' "$g" >/etc/group
}
echo "secret of the host" >/srv/host-only
echo "from the host" >"$T/upload.txt"
nsj_require nsj_sshd_start
P=$NSJ_SSH_PORT

# ------------------------------------------------------------ SFTP drop box
use dropbox
setup dropbox-setup
# A second sshd: the test's config plus the recipe's Match block.
sed -e "s/^Port .*/Port $((P + 1))/" -e "s|^PidFile .*|PidFile $T/ssh/sshd2.pid|" "$T/ssh/sshd_config" >"$T/ssh/sshd2_config"
recipe dropbox-sshd >>"$T/ssh/sshd2_config"
if /usr/sbin/sshd -f "$T/ssh/sshd2_config" -E "$T/sshd2.log" && nsj_sshd_wait $((P + 1)) "$T/ssh/sshd2.pid" "$T/sshd2.log"; then
	nsj_at_exit "kill \$(cat $T/ssh/sshd2.pid)"
else
	fail "sshd with the recipe's Match block" "$(cat "$T/sshd2.log")"
fi
# shellcheck disable=SC2046
sftp_d() { printf '%s\n' "$@" | sftp $(nsj_ssh_opts dave) -P $((P + 1)) -b - dave@127.0.0.1; }
# ssh_d CMD [SSH-OPTION...]
# shellcheck disable=SC2046
ssh_d() { local c=$1; shift; ssh $(nsj_ssh_opts dave) -p $((P + 1)) "$@" dave@127.0.0.1 "$c"; }
ok "dropbox: sftp upload" sftp_d "put $T/upload.txt /upload/box.txt"
output_is "dropbox: it reached her upload directory" "from the host" cat /srv/sftp/dave/upload/box.txt
# The host's top-level links (/bin -> usr/bin ...) are added to a directory
# root too; without /usr they lead nowhere.
links=$(for l in bin sbin lib lib32 lib64 libx32; do [ -L /$l ] && echo $l; done)
# shellcheck disable=SC2046,SC2086 # word splitting of the list is wanted
output_is "dropbox: / shows upload, the jail's own mounts and the host's links only" \
	"$(echo $(printf '%s\n' dev etc proc sys tmp upload $(nsj_record_var) $links | sort))" \
	sh -c "sftp_out=\$(printf 'ls -1 /\n' | sftp $(nsj_ssh_opts dave) -P $((P + 1)) -b - dave@127.0.0.1 | grep -v '^sftp>'); echo \$(echo \"\$sftp_out\" | sed 's|^/||' | sort)"
# shellcheck disable=SC2046 # word splitting of the options is wanted
ok "dropbox: scp (SFTP protocol) works too" scp $(nsj_ssh_opts dave) -P $((P + 1)) "$T/upload.txt" dave@127.0.0.1:/upload/scp.txt
fails "dropbox: a host path is not there" sftp_d "get /srv/host-only $T/stolen"
fails "dropbox: / is not writable" sftp_d "put $T/upload.txt /x.txt"
output_contains "dropbox: ssh CMD runs internal-sftp, not CMD (ForceCommand)" "This service allows sftp connections only." ssh_d 'echo shell'
output_contains "dropbox: ... and no tty (PermitTTY no)" "PTY allocation request failed" ssh_d 'echo shell' -tt
output_contains "dropbox: port forwarding is refused by sshd" "forwarding failed" \
	ssh_d true -o ExitOnForwardFailure=yes -R 127.0.0.1:0:127.0.0.1:9
fails "dropbox: without the Match block the jail still has no program to run" nsj_ssh dave 'echo shell'

# ------------------------------------------------------------ restricted shell
setup shell-setup
use shell
mkdir -p /srv/other && echo "other project" >/srv/other/secret
output_is "shell: su - lands in the home" /home/carol su - carol -c pwd
ok "shell: the home is writable" su - carol -c 'touch ~/from-shell'
ok "shell: the project directory is writable" su - carol -c 'touch /srv/projects/website/index.html'
output_is "shell: ... and the file is the real one" present sh -c 'test -e /srv/projects/website/index.html && echo present'
output_contains "shell: the system is read-only" "Read-only file system" su - carol -c 'touch /usr/x'
output_is "shell: /srv shows only the project" "projects website" su - carol -c 'echo $(ls /srv) $(ls /srv/projects)'
output_is "shell: /home shows only her home" carol su - carol -c 'ls /home'
output_is "shell: over ssh the same" "/home/carol projects carol" nsj_ssh carol 'echo $(pwd) $(ls /srv) $(ls /home)'
output_is "shell: setuid does not elevate" 1 su - carol -c 'grep -c "^NoNewPrivs:.*1" /proc/self/status'

# ------------------------------------------------------------ pam_namespace
add_member users 100 alice
use namespace
ok "namespace: a session writes /tmp/a" su - alice -c 'echo x >/tmp/a && echo y >/var/tmp/b'
output_is "namespace: the next session's /tmp and /var/tmp are fresh (per-session)" "" su - alice -c 'echo $(ls -A /tmp) $(ls -A /var/tmp)'
setup namespace-persistent-setup
use namespace-persistent
ok "namespace-persistent: a session writes /tmp/a" su - alice -c 'echo kept >/tmp/a'
output_is "namespace-persistent: the next session finds it (persistent instance)" kept su - alice -c 'cat /tmp/a'
output_is "namespace-persistent: it lives in her instance directory" kept cat /srv/tmp-inst/alice/a
output_is "namespace-persistent: over ssh too" kept nsj_ssh alice 'cat /tmp/a'
output_is "namespace-persistent: other instances are not seen" a su - alice -c 'ls /tmp'

# ------------------------------------------------------------ jailkit
add_member jailed 2200 erin
use jailkit
output_is "jailkit: su - lands in the home, in a tmpfs root" "/home/erin tmpfs" su - erin -c 'echo $(pwd) $(findmnt -no FSTYPE /)'
output_is "jailkit: the host's programs work (awk via alternatives)" ok su - erin -c 'echo | awk "{print \"ok\"}"'
output_is "jailkit: only her home" erin su - erin -c 'ls /home'
output_is "jailkit: nothing else of the host" absent su - erin -c 'test -e /srv/host-only || echo absent'
ok "jailkit: her home is writable" su - erin -c 'touch ~/x'
output_is "jailkit: over ssh the same" "erin absent" nsj_ssh erin 'echo $(ls /home) $(test -e /srv/host-only || echo absent)'
