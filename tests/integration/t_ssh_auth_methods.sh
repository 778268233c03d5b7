#!/bin/bash
# Every way sshd authenticates ends in the same session stack: a login by
# public key, by password and by keyboard-interactive (sshd's PAM
# conversation, the method of OTP and 2FA modules) is jailed alike, over a
# command, a pty and sftp. The sshd log names the method, so each login is
# known to have used it. Control: unmatched bob, by each method, reads the
# hidden file.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -p /srv/secret && echo "top secret" >/srv/secret/data && chmod -R a+rX /srv
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "hide"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2
nsj_require nsj_sshd_start
# A second sshd that offers keyboard-interactive only (no password method):
# sshd runs the PAM auth stack as a conversation with the client.
P1=$NSJ_SSH_PORT
sed -e "s/^Port .*/Port $((P1 + 1))/" -e "s|^PidFile .*|PidFile $T/ssh/sshd-kbd.pid|" \
	-e 's/^PasswordAuthentication .*/PasswordAuthentication no/' \
	-e 's/^KbdInteractiveAuthentication .*/KbdInteractiveAuthentication yes/' \
	"$T/ssh/sshd_config" >"$T/ssh/sshd_kbd_config"
: >"$T/sshd-kbd.log"
nsj_require "$(command -v sshd || echo /usr/sbin/sshd)" -f "$T/ssh/sshd_kbd_config" -E "$T/sshd-kbd.log"
nsj_require nsj_sshd_wait $((P1 + 1)) "$T/ssh/sshd-kbd.pid" "$T/sshd-kbd.log"
nsj_at_exit "kill \$(cat $T/ssh/sshd-kbd.pid)"

# client METHOD PROG ARG...: ssh or sftp, authenticating by METHOD only
# (the password typed by sshpass at ssh's prompt).
client() {
	local method=$1 prog=$2 pflag=-p port=$P1
	shift 2
	[ "$prog" = sftp ] && pflag=-P
	local o=(-F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
		-o LogLevel=ERROR -o ConnectTimeout=60 -o NumberOfPasswordPrompts=1)
	case $method in
	publickey)
		"$prog" "${o[@]}" -o PreferredAuthentications=publickey -o BatchMode=yes \
			-o IdentitiesOnly=yes -i "$T/ssh/id_$U" "$pflag" $port "$@"
		return ;;
	keyboard-interactive) port=$((P1 + 1)) ;;
	esac
	sshpass -p "$NSJ_PASSWORD" "$prog" "${o[@]}" -o PubkeyAuthentication=no \
		-o PreferredAuthentications=$method "$pflag" $port "$@"
}
read_secret='cat /srv/secret/data 2>&1 | sed "s/.*: //"'
pty_read() { client "$1" ssh -tt "$U@127.0.0.1" "$read_secret" </dev/null | tr -d '\r'; }
sftp_get() { # what sftp fetched of the file, or "absent"
	rm -f "$T/got"
	echo "get /srv/secret/data $T/got" | client "$1" sftp "$U@127.0.0.1" >/dev/null 2>&1
	cat "$T/got" 2>/dev/null || echo absent
}

for method in publickey password keyboard-interactive; do
	log=$T/sshd.log
	[ "$method" = keyboard-interactive ] && log=$T/sshd-kbd.log
	U=alice
	output_is "$method: alice's command is jailed" "Permission denied" \
		client $method ssh alice@127.0.0.1 "$read_secret"
	output_contains "... sshd accepted her by $method" "Accepted $method" \
		grep "Accepted .* for alice " "$log"
	output_is "$method: alice's pty shell is jailed" "Permission denied" pty_read $method
	output_is "$method: alice's sftp cannot get the hidden file" absent sftp_get $method
	U=bob
	output_is "$method: control: bob (unmatched) reads the file" "top secret" \
		client $method ssh bob@127.0.0.1 "$read_secret"
	output_is "$method: control: bob's pty shell reads it" "top secret" pty_read $method
	output_is "$method: control: bob's sftp gets it" "top secret" sftp_get $method
done
