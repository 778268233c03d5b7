#!/bin/bash
# Under systemd as PID 1 (tests/lib/systemd.sh), a root jail (root =
# "tmpfs", bind_ro /usr, bind /home/%u) through `su -l`, sshd
# (ssh.service), cron.service, the user manager (user@.service, the
# systemd-user stack) and `loginctl enable-linger`. The user manager runs in
# the jail: the plan brings in what it needs from the host (plan.c
# compile_root_systemd: /run/user/UID, the /run/systemd/system marker, the
# journal's sockets, the system bus; for the manager alone PID 1's notify
# socket and /sys/fs/cgroup), with no failed unit and nothing at err in the
# journal. With private_pids the module refuses the user manager (it would
# run outside the session's PID namespace): it never runs unjailed, the
# login still works, and masking user@UID.service keeps the journal clean.
# bob is never jailed.
. "$NSJ_SRC/tests/lib/functions.sh"
. "$NSJ_SRC/tests/lib/systemd.sh"
nsj_setup
mkdir -m 0755 /srv/secret
echo topsecret >/srv/secret/x
chmod 0644 /srv/secret/x
nsj_config <<'EOF'
version = 1;
jails = (
  { name = "root"; users = [ "alice", "erin" ];
    root = "tmpfs"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; },
  { name = "rootpids"; users = [ "carol" ];
    root = "tmpfs"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; private_pids = true; }
);
EOF
sd_boot

# ---- su -l: a logind session in the root jail
output_is "su -l: / is the jail's tmpfs, /srv is not there" "tmpfs
absent" sd_su alice 'findmnt -no FSTYPE /; test -e /srv || echo absent'
output_is "su -l: XDG_RUNTIME_DIR exists in the jail, the user's own" \
	"/run/user/2001 alice 700" sd_su alice 'echo $XDG_RUNTIME_DIR $(stat -c "%U %a" "$XDG_RUNTIME_DIR")'
output_contains "su -l: loginctl works in the jail (the system bus)" "2001 alice" \
	sd_su alice 'loginctl list-sessions --no-legend'
output_is "su -l: no cgroup tree in the login's jail (the user manager's alone has it)" 0 \
	sd_su alice 'ls -A /sys/fs/cgroup | wc -l'
pid=$(sd_login_bg alice)
sess=$(sd_scope "$pid")
ok "su -l: the jailed process is in a session scope ($sess)" test -n "$sess"
output_contains "loginctl lists that session as alice's" "$sess 2001 alice" \
	sd loginctl list-sessions --no-legend
output_is "the session's process is in the root jail (no /srv in its view)" absent \
	sd_in "$pid" 'test -e /srv || echo absent'

# ---- the user manager runs in the root jail
mgr=$(sd_manager alice)
ok "user@2001.service runs (main pid $mgr)" test -n "$mgr"
output_is "the user manager is in the root jail (no /srv in its view)" absent \
	sd_in "$mgr" 'test -e /srv || echo absent'
output_is "systemctl --user works in the jail" running \
	sd_su alice 'systemctl --user is-system-running'
output_is "systemd-run --user runs in the root jail" "tmpfs
absent" sd_su alice 'systemd-run --user --quiet --wait --pipe --collect sh -c "findmnt -no FSTYPE /; test -e /srv || echo absent"'
ok "a user service runs from the jail" \
	sd_su alice 'systemd-run --user --quiet --wait --collect -u nsjtest-log sh -c "echo hello-from-jail; sleep 1"'
# (The sleep: journald names a line's unit from the sender's cgroup, which it
# cannot read once a process that printed and exited at once is gone.)
ok "its output reached the journal (the journal's sockets are in the jail)" \
	sd sh -c 'for i in $(seq 300); do
		journalctl -q -o cat --no-pager _SYSTEMD_USER_UNIT=nsjtest-log.service | grep -qx hello-from-jail && exit 0
		sleep 0.05; done; exit 1'
output_is "positive control: unjailed bob's systemd-run --user reads /srv/secret/x" topsecret \
	sd_su bob 'systemd-run --user --quiet --wait --pipe --collect cat /srv/secret/x'
ok "loginctl terminate-session $sess" sd loginctl terminate-session "$sess"
ok "the jailed process has ended" sd_gone "$pid"

# ---- sshd as ssh.service
output_is "ssh: the root jail, XDG_RUNTIME_DIR, a session scope" "tmpfs
absent
/run/user/2001
yes" sd_ssh alice 'findmnt -no FSTYPE /; test -e /srv || echo absent; test -d "$XDG_RUNTIME_DIR" && echo $XDG_RUNTIME_DIR
	grep -q "^0::/user.slice/user-2001.slice/session-.*\.scope$" /proc/self/cgroup && echo yes'
output_is "ssh: systemd-run --user runs in the root jail" absent \
	sd_ssh alice 'systemd-run --user --quiet --wait --pipe --collect sh -c "test -e /srv || echo absent"'

# ---- cron.service: an @reboot job runs when cron starts
sd sh -c 'printf "@reboot (findmnt -no FSTYPE /; test -e /srv || echo absent) >\$HOME/c 2>&1; mv \$HOME/c \$HOME/cron.out\n" |
	crontab -u alice -; rm -f /run/crond.reboot; systemctl restart cron.service'
ok "cron: the job ran" sd timeout 10 sh -c 'until [ -s /home/alice/cron.out ]; do sleep 0.05; done'
output_is "cron: the job ran in the root jail" "tmpfs
absent" sd cat /home/alice/cron.out

# ---- linger: the user manager starts with no login, through the same stack
ok "loginctl enable-linger erin" sd loginctl enable-linger erin
mgr=$(sd_manager erin)
ok "erin's user manager runs with no session (main pid $mgr)" test -n "$mgr"
output_lacks "no session of erin's" erin sd loginctl list-sessions --no-legend
output_is "erin's lingering manager is in the root jail" absent \
	sd_in "$mgr" 'test -e /srv || echo absent'
output_is "a service of erin's lingering manager runs in the root jail" "tmpfs
absent" sd_as_manager erin 'findmnt -no FSTYPE /; test -e /srv || echo absent'

sd_check_common rootpids true
# The README's advice for such users: mask their user manager.
ok "private_pids: mask user@2002.service" \
	sd sh -c 'systemctl mask -q user@2002.service && systemctl reset-failed'
cursor=$(sd_journal_cursor)
output_is "private_pids, masked: the login works" "/run/user/2002" \
	sd_su carol 'test -d "$XDG_RUNTIME_DIR" && echo $XDG_RUNTIME_DIR'
output_is "private_pids, masked: no failed unit" "" sd systemctl --failed --no-legend
output_is "private_pids, masked: nothing at priority err in the journal since" "" \
	sd_journal_err "$cursor"

# ---- stop: nothing left behind
t0=$(date +%s%N)
ok "the sandbox stops: no process, no cgroup left" sd_stopped
echo "# stopped in $((($(date +%s%N) - t0) / 1000000)) ms"
