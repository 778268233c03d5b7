#!/bin/bash
# Under systemd as PID 1 (tests/lib/systemd.sh: Debian's systemd booted in a
# throw-away sandbox), a hidden-path jail (inaccessible /srv/secret,
# private_tmp) through every door systemd adds or changes: `su -l` and sshd
# (ssh.service) with pam_systemd, cron.service, the user manager
# (user@.service, the systemd-user stack, with the module last in a copy of
# the vendor file) started by a login and by `loginctl enable-linger`.
# What users expect: logind registers the jailed session and holds its
# processes in its scope, terminate-session/-user end it (with and without
# private_pids), XDG_RUNTIME_DIR is there, `systemd-run --user` runs in a
# jail, and nothing fails in the journal. bob is never jailed: the
# positive control.
. "$NSJ_SRC/tests/lib/functions.sh"
. "$NSJ_SRC/tests/lib/systemd.sh"
nsj_setup
mkdir -m 0755 /srv/secret
echo topsecret >/srv/secret/x
chmod 0644 /srv/secret/x
nsj_config <<'EOF'
version = 1;
jails = (
  { name = "hide"; users = [ "alice", "erin" ];
    inaccessible = [ "/srv/secret" ]; private_tmp = true; },
  { name = "hidepids"; users = [ "carol" ];
    inaccessible = [ "/srv/secret" ]; private_tmp = true; private_pids = true; },
  { name = "hideshared"; users = [ "dave" ];
    inaccessible = [ "/srv/secret" ]; private_tmp = true; shared = true; }
);
EOF
sd_boot
output_is "the sandbox runs systemd as PID 1" systemd sd cat /proc/1/comm

# ---- su -l: a logind session, jailed
output_is "su -l: /srv/secret is hidden, /srv lists it" "secret
hidden" sd_su alice 'ls /srv; cat /srv/secret/x 2>/dev/null || echo hidden'
output_is "su -l: XDG_RUNTIME_DIR is the user's own runtime dir, in the jail" \
	"/run/user/2001 alice 700" sd_su alice 'echo $XDG_RUNTIME_DIR $(stat -c "%U %a" "$XDG_RUNTIME_DIR")'
pid=$(sd_login_bg alice)
ok "su -l: a background login runs" test -n "$pid"
sess=$(sd_scope "$pid")
ok "su -l: the jailed process is in a session scope ($sess)" test -n "$sess"
output_contains "loginctl lists that session as alice's" "$sess 2001 alice" \
	sd loginctl list-sessions --no-legend
output_is "the session's process is jailed: /srv/secret is empty in its view" "" \
	sd_in "$pid" 'ls -A /srv/secret'
output_is "positive control: the host sees /srv/secret/x" x sd ls /srv/secret

# ---- the user manager (systemd-user stack), started by that login
mgr=$(sd_manager alice)
ok "user@2001.service runs (main pid $mgr)" test -n "$mgr"
output_is "the user manager is jailed: /srv/secret is empty in its view" "" \
	sd_in "$mgr" 'ls -A /srv/secret'
ok "the module opened the systemd-user session" \
	sd_journal_has "pam_nsjail(systemd-user:session): user=alice service=systemd-user rhost=- tty=- jail=hide mounts="
fails "systemd-run --user: cat /srv/secret/x fails (hidden)" \
	sd_su alice 'systemd-run --user --quiet --wait --pipe --collect cat /srv/secret/x'
output_is "systemd-run --user: ls /srv works and lists secret" secret \
	sd_su alice 'systemd-run --user --quiet --wait --pipe --collect ls /srv'
output_is "systemctl --user works in the jail" running \
	sd_su alice 'systemctl --user is-system-running'
# Without `shared` the user manager has a jail of its own: the same policy,
# but not the login's private /tmp.
output_is "two jails: a file in the login's /tmp is not in the user manager's" "login
absent" sd_su alice 'echo login >/tmp/mark; cat /tmp/mark
	systemd-run --user --quiet --wait --pipe --collect sh -c "cat /tmp/mark 2>/dev/null || echo absent"'
output_is "positive control: unjailed bob's systemd-run --user reads /srv/secret/x" topsecret \
	sd_su bob 'systemd-run --user --quiet --wait --pipe --collect cat /srv/secret/x'

# ---- terminate-session ends the jailed session
ok "loginctl terminate-session $sess" sd loginctl terminate-session "$sess"
ok "the jailed process has ended" sd_gone "$pid"

# ---- sshd as ssh.service
output_is "ssh.service is active" active sd systemctl is-active ssh.service
output_is "ssh: /srv/secret is hidden, /srv lists it, XDG_RUNTIME_DIR is there" "secret
hidden
/run/user/2001" sd_ssh alice 'ls /srv; cat /srv/secret/x 2>/dev/null || echo hidden; test -d "$XDG_RUNTIME_DIR" && echo $XDG_RUNTIME_DIR'
output_is "ssh: the shell is in a logind session scope" yes \
	sd_ssh alice 'grep -q "^0::/user.slice/user-2001.slice/session-.*\.scope$" /proc/self/cgroup && echo yes'
fails "ssh: systemd-run --user cannot read /srv/secret/x" \
	sd_ssh alice 'systemd-run --user --quiet --wait --pipe --collect cat /srv/secret/x'
output_is "positive control: bob over ssh reads /srv/secret/x" topsecret sd_ssh bob 'cat /srv/secret/x'

# ---- cron.service: an @reboot job runs when cron starts
# (each job writes a file it renames at the end: the test reads it whole)
sd sh -c 'printf "@reboot (ls /srv; cat /srv/secret/x; grep -c session- /proc/self/cgroup) >\$HOME/c 2>&1; mv \$HOME/c \$HOME/cron.out\n" |
	crontab -u alice -; printf "@reboot cat /srv/secret/x >\$HOME/c 2>&1; mv \$HOME/c \$HOME/cron.out\n" | crontab -u bob -;
	rm -f /run/crond.reboot; systemctl restart cron.service'
ok "cron: the jobs ran" sd timeout 10 sh -c 'until [ -s /home/alice/cron.out ] && [ -s /home/bob/cron.out ]; do sleep 0.05; done'
output_is "cron: alice's job lists /srv, cannot read /srv/secret/x" "secret
cat: /srv/secret/x: Permission denied
0" sd cat /home/alice/cron.out
output_is "positive control: bob's job reads /srv/secret/x" topsecret sd cat /home/bob/cron.out

# ---- linger: the user manager starts with no login, through the same stack
ok "loginctl enable-linger erin" sd loginctl enable-linger erin
mgr=$(sd_manager erin)
ok "erin's user manager runs with no session (main pid $mgr)" test -n "$mgr"
output_lacks "no session of erin's" erin sd loginctl list-sessions --no-legend
output_is "erin's lingering manager is jailed: /srv/secret is empty in its view" "" \
	sd_in "$mgr" 'ls -A /srv/secret'
output_is "a service of erin's lingering manager lists /srv, cannot read the secret" "secret
hidden" sd_as_manager erin 'ls /srv; cat /srv/secret/x 2>/dev/null || echo hidden'
ok "loginctl enable-linger bob" sd loginctl enable-linger bob
output_is "positive control: a service of bob's lingering manager reads it" topsecret \
	sd_as_manager bob 'cat /srv/secret/x'

sd_check_common hidepids "cat /srv/secret/x"

# ---- shared: a PID namespace of its own (so that nsjailctl stop reaches
# every process that entered it), so the user manager is refused as with
# private_pids; the login itself works
output_is "shared: the login works, the secret hidden" hidden \
	sd_su dave 'cat /srv/secret/x 2>/dev/null || echo hidden'
ok "shared: the module refuses the user manager, saying why" \
	sd_journal_has "pam_nsjail(systemd-user:session): user=dave service=systemd-user jail=hideshared: shared (a PID namespace of its own):"
output_contains "shared: systemd-run --user has no manager to reach" "Failed to connect to bus" \
	sd_su dave 'systemd-run --user --quiet --wait --pipe --collect true'

# ---- nsjailctl doors knows the systemd-user stack (here and without it)
output_contains "doors: /etc/pam.d/systemd-user runs the module, replacing the vendor file" \
	"replaces the vendor file /usr/lib/pam.d/systemd-user" sd "$NSJ_BUILD/nsjailctl" doors
output_contains "doors: the user manager's door is closed" "systemd-user    closed" \
	sd "$NSJ_BUILD/nsjailctl" doors
ok "the vendor stack alone: /etc/pam.d/systemd-user removed" sd rm /etc/pam.d/systemd-user
output_contains "doors: the vendor file lacks the module, the door is open" \
	"systemd-user    open    the vendor file /usr/lib/pam.d/systemd-user lacks the module" \
	sd "$NSJ_BUILD/nsjailctl" doors
# The door is real: a user manager started through the vendor stack runs
# alice's services unjailed.
ok "alice's manager stopped (the next one reads the stack afresh)" \
	sd systemctl stop user@2001.service
output_is "the door: through the vendor stack, alice's systemd-run --user reads the secret" topsecret \
	sd_su alice 'systemd-run --user --quiet --wait --pipe --collect cat /srv/secret/x'

# ---- stop: nothing left behind
t0=$(date +%s%N)
ok "the sandbox stops: no process, no cgroup left" sd_stopped
echo "# stopped in $((($(date +%s%N) - t0) / 1000000)) ms"
