#!/bin/bash
# Escape class 4 (SPEC §8, pam_namespace's CVE-2024-22365 and CVE-2025-6020):
# redirect the setup through what the user controls. In every place of her
# home a jail path passes through (a bind source, a bind target, a tmpfs, a
# read_only and an inaccessible path) she plants symlinks (to /etc, /root,
# /srv/secret), a hard link, a FIFO, a socket, a regular file, and races
# renames (RENAME_EXCHANGE of a directory and a symlink) while logins repeat.
# Every login must end within its timeout with either a clear error and a
# denied session, or a correct jail: no mount anywhere else, no hidden path
# shown, no read-only path writable. The host's mount table and /etc stay as
# they were.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
H=/home/alice
mkdir -p /srv/pub /srv/data /srv/secret /srv/shared /srv/target/ro
echo "top secret" >/srv/secret/data
echo "data" >/srv/data/file
chmod -R a+rX /srv
chmod 1777 /srv/shared
install -m 0666 /dev/null /home/shared-rw # root's, world-writable: hard-linkable
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "home-paths";
    users = [ "alice" ];
    bind = [ "%h/pub:/srv/pub", "/srv/data:%h/data", "-/srv/shared/%u:/srv/pub/shared" ];
    tmpfs = [ "%h/.cache" ];
    read_only = [ "%h/ro", "%h/deep/ro" ];
    inaccessible = [ "%h/secret", "/srv/secret" ];
  }
);
EOF2

# As alice outside any jail (her cron job, say): plants are made this way.
as_alice() { setpriv --reuid alice --regid alice --clear-groups sh -c "$1"; }
# Done as alice too: as root, a write through a planted symlink would be
# exactly the bug under test (and would land in the real /etc).
clean_home() {
	as_alice "cd $H && rm -rf pub .cache ro secret data deep ./*.evil .cache.evil &&
		mkdir -p pub .cache ro secret data deep/ro &&
		echo public >pub/readme && echo mine >secret/mine"
}
etc_state() { (cd /etc && ls -la --time-style=full-iso . && cat passwd group shadow) | md5sum; }
# What a session reports: mount targets, a writable ro, what /srv/pub shows.
CHECK='echo JAILED; findmnt -rn -o TARGET | sed "s/^/mnt /" | sort -u;
for d in ~/ro ~/deep/ro; do { [ -d $d ] || [ -f $d ]; } && test -w $d && echo RO-WRITABLE; done;
ls -A /srv/pub | sed "s/^/pub /"; cat /srv/secret/data 2>/dev/null; cat /etc/hostname >/dev/null || echo ETC-HIDDEN'
login() { timeout 20 su -s /bin/sh alice -c "$CHECK" </dev/null 2>&1; }

# --- control: the clean home gives the jail the config describes -------------
clean_home
host_mounts=$(nsj_mounts)
host_etc=$(etc_state)
login >"$T/control"
output_contains "control: the clean home gives a jail" JAILED cat "$T/control"
grep '^mnt ' "$T/control" >"$T/expected-mounts"
for m in /srv/pub "$H/.cache" "$H/ro" "$H/deep/ro" "$H/secret" "$H/data"; do
	output_contains "control: $m is a mount in the jail" "mnt $m" cat "$T/control"
done
output_contains "control: /srv/pub shows her pub" "pub readme" cat "$T/control"
output_lacks "control: no read-only path is writable" RO-WRITABLE cat "$T/control"
output_lacks "control: the secret stays hidden" "top secret" cat "$T/control"
output_is "control: her hidden dir is empty and mode 0 in the jail" "0" as_user alice "stat -c %a $H/secret"

# judge NAME OUTPUT-FILE STATUS: a login ended in time, and either it was
# denied or its jail is correct (mounts only where the control's are).
judge() {
	local name=$1 out=$2 rc=$3
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		fail "$name: the login ends in bounded time" "timed out"; return
	fi
	if ! grep -q '^JAILED$' "$out"; then
		if [ "$rc" -ne 0 ] && grep -q "cannot open session" "$out"; then pass "$name: denied with a session error"
		else fail "$name: denied with a session error" "$(cat "$out")"; fi
		return
	fi
	local extra
	extra=$(grep '^mnt ' "$out" | sort -u | comm -13 "$T/expected-mounts" -)
	if [ -z "$extra" ] && ! grep -qE 'RO-WRITABLE|top secret|ETC-HIDDEN|^pub (passwd|shadow|\.bashrc|data)$' "$out"; then
		pass "$name: granted, and the jail is correct"
	else
		fail "$name: granted, and the jail is correct" "unexpected mounts: $extra" "$(cat "$out")"
	fi
}

# --- plants, one at a time ------------------------------------------------------
for entry in pub data .cache ro secret deep; do
	for plant in symlink:/etc symlink:/root symlink:/srv/secret symlink:../../etc \
		fifo socket file hardlink; do
		clean_home
		case $plant in
		symlink:*) as_alice "rm -rf $H/$entry && ln -s ${plant#symlink:} $H/$entry" ;;
		fifo) as_alice "rm -rf $H/$entry && mkfifo $H/$entry" ;;
		socket) as_alice "rm -rf $H/$entry && python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' $H/$entry" ;;
		file) as_alice "rm -rf $H/$entry && echo planted >$H/$entry" ;;
		hardlink) as_alice "rm -rf $H/$entry && ln /home/shared-rw $H/$entry" ;;
		esac
		login >"$T/plant.out"; rc=$?
		judge "$entry as $plant" "$T/plant.out" "$rc"
	done
done
clean_home
as_alice "rm -rf $H/pub && ln -s /etc $H/pub"
nsj_syslog_mark
login >/dev/null
syslog_contains "a planted symlink is named in the log" "refusing to follow symlink .*owned by uid 2001"
ok "hardlink control: the root file is still writable on the host" test -w /home/shared-rw
fails "protected_hardlinks: alice cannot hard-link a root file she cannot write" \
	as_alice "ln /etc/shadow $H/shadow-link"
fails "device nodes: alice cannot make one" as_alice "mknod $H/sda b 8 0"
fails "device nodes: not in a user namespace either" as_alice "unshare -Ur mknod $H/sda b 8 0"
ok "control: root can make one" mknod "$T/null-node" c 1 3

# Another user plants the %u path in a world-writable directory.
clean_home
ok "bob plants /srv/shared/alice -> /srv/secret" setpriv --reuid bob --regid bob --clear-groups ln -s /srv/secret /srv/shared/alice
login >"$T/bob.out"; judge "bob's symlink at /srv/shared/%u" "$T/bob.out" $?
rm -f /srv/shared/alice

# --- races: a directory and a symlink swapped while logins repeat -------------
# One entry at a time (17 logins each, about 100 in all), so that logins land
# on both states and on the moments in between.
granted=0 denied=0 bad=0 hung=0 swapped=0
for entry in pub data .cache ro secret deep; do
	clean_home
	evil=/etc
	[ "$entry" = deep ] && evil=/srv/target
	as_alice "ln -s $evil $H/$entry.evil"
	(cd $H && exec setpriv --reuid alice --regid alice --clear-groups "$P" swap 60 "$entry" "$entry.evil") \
		>"$T/swaps" 2>&1 &
	SWAPPER=$!
	nsj_at_exit "kill $SWAPPER"
	for i in $(seq 17); do
		login >"$T/race.out"; rc=$?
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then hung=$((hung + 1)); continue; fi
		if ! grep -q '^JAILED$' "$T/race.out"; then denied=$((denied + 1)); continue; fi
		# A mount follows its directory when she renames it afterwards:
		# ENTRY.evil is where the mount on ENTRY went, not a redirection.
		extra=$(grep '^mnt ' "$T/race.out" | sed 's/\.evil\(\/\|$\)/\1/' | sort -u | comm -13 "$T/expected-mounts" -)
		if [ -n "$extra" ] || grep -qE 'RO-WRITABLE|top secret|ETC-HIDDEN|^pub (passwd|shadow)$' "$T/race.out"; then
			bad=$((bad + 1)); cp "$T/race.out" "$T/race.bad.$entry.$i"
		else
			granted=$((granted + 1))
		fi
	done
	kill -0 "$SWAPPER" && swapped=$((swapped + 1))
	kill "$SWAPPER" 2>/dev/null
	nsj_require esc_wait_gone "$SWAPPER" 10
	wait "$SWAPPER" 2>/dev/null
done
echo "# race: $granted granted, $denied denied, $bad wrong, $hung hung"
output_is "race: the swapper ran through every entry's logins" 6 echo "$swapped"
output_is "race: 102 logins, none hung" 0 echo "$hung"
output_is "race: no login got a redirected or wrong jail" 0 sh -c "echo $bad; grep -hv '^mnt /[dprst]' $T/race.bad.* 2>/dev/null | head -n 40 >&2"
ok "race: every login was either denied or correctly jailed" test $((granted + denied)) -eq 102

# --- the host ---------------------------------------------------------------
clean_home
output_is "the host's mount table is unchanged" "$host_mounts" nsj_mounts
output_is "the host's /etc is unchanged" "$host_etc" etc_state
output_is "the host's secret is intact" "top secret" cat /srv/secret/data
output_is "/srv/target/ro (a symlink's target) was not made read-only on the host" ok \
	sh -c 'touch /srv/target/ro/x && echo ok'
