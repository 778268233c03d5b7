#!/bin/bash
# sudo is a door: `sudo -u USER cmd` opens a session under the PAM service
# "sudo", `sudo -u USER -i` under "sudo-i" (Debian's sudo is built with
# --with-pam-login and ships both files; sudo-i does not include sudo).
# With the module in both stacks, both land in the jail; a jail filtered by
# services = [ "sudo" ] alone leaves `sudo -i` unjailed: name the pair.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
if ! command -v sudo >/dev/null; then
	skip "sudo doors" "sudo is not installed (scripts/deps.sh installs it)"
	exit 0
fi
mkdir -p /srv/secret
echo "top secret" >/srv/secret/x
chmod 0755 /srv/secret; chmod 0644 /srv/secret/x

for svc in sudo sudo-i; do
	ok "the harness put the module in the $svc stack" grep -q "pam_nsjail.so" "/etc/pam.d/$svc"
done

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "hide"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2
output_is "control: bob (unjailed) reads it through sudo" "top secret" sudo -u bob cat /srv/secret/x
output_is "control: bob reads it through sudo -i" "top secret" sudo -u bob -i cat /srv/secret/x
fails "sudo -u alice cat: hidden" sudo -u alice cat /srv/secret/x
output_contains "... Permission denied" "Permission denied" sudo -u alice cat /srv/secret/x
fails "sudo -u alice -i cat: hidden" sudo -u alice -i cat /srv/secret/x
output_contains "... Permission denied" "Permission denied" sudo -u alice -i cat /srv/secret/x
output_is "sudo -u alice -i: a login shell in alice's home" "/home/alice" sudo -u alice -i pwd
nsj_syslog_mark
sudo -u alice true
sudo -u alice -i true
syslog_contains "service sudo opened the jail" "pam_nsjail\(sudo:session\): user=alice service=sudo .*jail=hide"
syslog_contains "service sudo-i opened the jail" "pam_nsjail\(sudo-i:session\): user=alice service=sudo-i .*jail=hide"
ok "sudo -i: the module ran once (sudo-i does not include sudo)" \
	test "$(grep -c 'pam_nsjail(sudo-i:session): user=alice service=sudo-i .*jail=hide' "$T/syslog")" -eq 1

# A jail naming only "sudo": `sudo -i` is another service, and unjailed.
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "hide"; users = [ "alice" ]; services = [ "sudo" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2
fails "services = [sudo]: sudo -u alice cat is hidden" sudo -u alice cat /srv/secret/x
output_is "services = [sudo]: sudo -u alice -i is NOT jailed" "top secret" sudo -u alice -i cat /srv/secret/x
output_contains "check warns about the missing sudo-i" "'sudo-i'" "$NSJ_BUILD/nsjailctl" check -c "$T/nsjail.conf"

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "hide"; users = [ "alice" ]; services = [ "sudo", "sudo-i" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2
fails "services = [sudo, sudo-i]: sudo -u alice -i is hidden" sudo -u alice -i cat /srv/secret/x
output_lacks "... and check is quiet about the pair" "sudo-i" "$NSJ_BUILD/nsjailctl" check -c "$T/nsjail.conf"
