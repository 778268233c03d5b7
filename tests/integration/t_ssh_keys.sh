#!/bin/bash
# ssh_keys: one account, several keys, a jail per key, through the real
# sshd (no ExposeAuthInfo: sshd gives PAM SSH_AUTH_INFO_0 without it).
# What each login sees of /srv/secret/data tells its jail apart:
#   deploy (the CI key, tight):   inaccessible    -> Permission denied
#   person (her own key, looser): read_only /srv  -> the text
#   plain  (no key entry):        tmpfs over it   -> No such file
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
mkdir -p /srv/secret && echo secret >/srv/secret/data && chmod -R a+rX /srv

nsj_require nsj_sshd_start
pass "sshd started on 127.0.0.1:$NSJ_SSH_PORT"
# Two more keys on alice's account: a deploy key and one no entry lists.
for k in deploy other; do
	ssh-keygen -q -t ed25519 -N '' -C "alice-$k" -f "$T/ssh/id_alice_$k"
	cat "$T/ssh/id_alice_$k.pub" >>"$T/keys/alice"
done
fp() { ssh-keygen -l -E sha256 -f "$1" | cut -d' ' -f2; }
FP_PERSON=$(fp "$T/ssh/id_alice.pub")
FP_DEPLOY=$(fp "$T/ssh/id_alice_deploy.pub")

# The capture line, first in sshd's session stack (before Debian's
# pam_env user_readenv=1); the building line stays last.
# A probe just before the module (last) records what SSH_AUTH_INFO_0 the
# session stack holds there: the forgery below must be real.
printf '#!/bin/sh\nprintf "%%s\\n" "$SSH_AUTH_INFO_0" >"%s/authinfo"\n' "$T" >"$T/bin/authinfo"
chmod 0755 "$T/bin/authinfo"
awk -v probe="session optional pam_exec.so $T/bin/authinfo" \
	'/pam_nsjail.so config=/ { print probe } { print }' /etc/pam.d/sshd >"$T/sshd.pam.orig"
cp "$T/sshd.pam.orig" /etc/pam.d/sshd
with_capture() {
	awk -v line="session required $NSJ_PAM_MODULE capture_ssh_key" \
		'!done && /^session/ { print line; done = 1 } { print }' "$T/sshd.pam.orig" >/etc/pam.d/sshd
}
with_capture
ok "setup: the capture line comes before pam_env user_readenv=1" \
	sh -c "grep -nE 'capture_ssh_key|user_readenv=1' /etc/pam.d/sshd | head -n1 | grep -q capture_ssh_key"

nsj_config <<EOF
version = 1;
jails = (
  { name = "deploy"; users = [ "alice" ]; services = [ "sshd" ];
    ssh_keys = [ "$FP_DEPLOY" ]; inaccessible = [ "/srv/secret" ]; },
  { name = "person"; users = [ "alice" ]; ssh_keys = [ "$FP_PERSON" ];
    read_only = [ "/srv" ]; },
  { name = "plain"; users = [ "alice" ]; tmpfs = [ "/srv/secret" ]; }
);
EOF
see='cat /srv/secret/data 2>&1 | sed "s/.*: //"'
ssh_as() { # KEYFILE CMD
	ssh -F /dev/null -i "$1" -o IdentitiesOnly=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR \
		-p "$NSJ_SSH_PORT" alice@127.0.0.1 "$2"
}
by_password() {
	sshpass -p "$NSJ_PASSWORD" ssh -F /dev/null -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
		-o PubkeyAuthentication=no -p "$NSJ_SSH_PORT" alice@127.0.0.1 "$1"
}

nsj_syslog_mark
output_is "the deploy key lands in the deploy jail" "Permission denied" ssh_as "$T/ssh/id_alice_deploy" "$see"
syslog_contains "the session's log line names the key" "user=alice service=sshd .*jail=deploy .*key=${FP_DEPLOY//+/\\+}"
output_is "her own key lands in the person jail" "secret" ssh_as "$T/ssh/id_alice" "$see"
output_is "a key no entry lists gets the entry without ssh_keys" "No such file or directory" ssh_as "$T/ssh/id_alice_other" "$see"
output_is "a password login gets the entry without ssh_keys" "No such file or directory" by_password "$see"
output_is "su lands where a login without a key does" "No such file or directory" as_user alice "$see"

# ~/.pam_environment forging sshd's variable with her own key's line:
# read by pam_env user_readenv=1, after the capture, before the module.
printf 'SSH_AUTH_INFO_0 DEFAULT="publickey %s"\n' "$(cut -d' ' -f1,2 "$T/ssh/id_alice.pub")" >/home/alice/.pam_environment
chown alice: /home/alice/.pam_environment
output_is "a forged ~/.pam_environment does not move the deploy key into the person jail" \
	"Permission denied" ssh_as "$T/ssh/id_alice_deploy" "$see"
ok "setup: the forged line reached the PAM environment before the module" \
	grep -qF "$(cut -d' ' -f2 "$T/ssh/id_alice.pub")" "$T/authinfo"
# A second capture line, after pam_env: the first capture on a handle wins.
awk -v line="session required $NSJ_PAM_MODULE capture_ssh_key" \
	'{ print } /user_readenv=1/ { print line }' /etc/pam.d/sshd >"$T/sshd.pam.twice"
cp "$T/sshd.pam.twice" /etc/pam.d/sshd
output_is "a second capture line after pam_env does not replace the first capture" \
	"Permission denied" ssh_as "$T/ssh/id_alice_deploy" "$see"
with_capture
rm -f /home/alice/.pam_environment

# Without the capture line the key is unknown: never the looser jail.
cp "$T/sshd.pam.orig" /etc/pam.d/sshd
nsj_syslog_mark
# refused "desc" CMD...: CMD's login never ran its command.
refused() {
	local desc=$1; shift
	_nsj_run "$@" "echo RAN; $see"
	if [ "$NSJ_RC" -ne 0 ] && ! grep -q RAN "$T/out"; then pass "$desc"
	else fail "$desc" "$(_nsj_show "$@")"; fi
}
refused "no capture line: the deploy key's login is refused" ssh_as "$T/ssh/id_alice_deploy"
refused "no capture line: her own key's login is refused" ssh_as "$T/ssh/id_alice"
syslog_contains "the refusal says what to change" "jail 'deploy' .*the login's key is unknown: .*capture_ssh_key"
refused "no capture line: a password login is refused too (nothing is known)" by_password
output_is "no capture line: su is unaffected" "No such file or directory" as_user alice "$see"
output_is "no capture line: bob (no key entry) logs in" "bob" nsj_ssh bob 'id -un'

# nsjailctl: check warns, doors shows it, explain --ssh-key.
status_is "check: a policy naming keys and no capture line is a warning (--strict fails)" 1 "$NSJ" check --strict -c "$T/nsjail.conf"
output_contains "check says which line to add" "capture_ssh_key" "$NSJ" check -c "$T/nsjail.conf"
output_contains "doors: the sshd row says the key is not captured" "no capture_ssh_key line" "$NSJ" doors
with_capture
ok "check: with the capture line first, no warning" "$NSJ" check --strict -c "$T/nsjail.conf"
output_contains "doors: the sshd row shows the capture" "captures the ssh key" "$NSJ" doors
# After pam_env: a forgeable place.
awk -v line="session required $NSJ_PAM_MODULE capture_ssh_key" \
	'{ print } /user_readenv=1/ { print line }' "$T/sshd.pam.orig" >/etc/pam.d/sshd
output_contains "check: a capture line after another session module is a warning" "not the first session line" "$NSJ" check -c "$T/nsjail.conf"
output_contains "explain --ssh-key: the deploy key's jail" "jail 'deploy'" "$NSJ" explain -c "$T/nsjail.conf" -s sshd --ssh-key "$FP_DEPLOY" alice
output_contains "explain -s sshd without a key: the entry without ssh_keys" "jail 'plain'" "$NSJ" explain -c "$T/nsjail.conf" -s sshd alice
status_is "explain --ssh-key refuses a malformed fingerprint" 1 "$NSJ" explain -c "$T/nsjail.conf" -s sshd --ssh-key SHA256:nope alice
