#!/bin/bash
# cron into ROOT-DIRECTORY jails: with pam_nsjail in /etc/pam.d/cron (the
# real Debian cron daemon opens a PAM session per job), dave's job runs in an
# on-disk root made the way an administrator would (mount points and the
# merged-/usr links, bind_ro /usr, no copied library) and erin's in
# root = "tmpfs"; bob's runs unjailed; the daemon keeps its namespace and no
# process of a job is left behind. cron starts jobs on the minute: up to ~70 s.
. "$NSJ_SRC/tests/lib/functions.sh"
. "$NSJ_SRC/tests/lib/cron.sh"
nsj_setup
command -v cron >/dev/null || { skip "cron jobs run in root jails" "cron is not installed"; exit 0; }
echo "secret of the host" >/srv/host-only

d=/srv/jails/dave
mkdir -p /srv/jails && mkdir -m 0755 $d
(cd $d && mkdir -m 0755 proc sys dev tmp etc home home/dave usr &&
	ln -s usr/bin bin && ln -s usr/lib lib && ln -s usr/lib64 lib64 && ln -s usr/sbin sbin)
chown -R root:root $d
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "disk-root"; groups = [ "sftponly" ]; root = "/srv/jails/%u"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; },
  { name = "tmpfs-root"; users = [ "erin" ]; root = "tmpfs"; bind_ro = [ "/usr" ]; bind = [ "/home/%u" ]; }
);
EOF2

cron_private
# One line per job: who, the root's file system type and listing, whether the
# host's file is there, the users /etc/passwd names, whether /dev/null works.
# (No "%" in a crontab line: cron turns it into a newline.)
job='* * * * * { echo "$(id -un) $(findmnt -no FSTYPE /) [$(echo $(ls /))] $(test -e /srv/host-only && echo host || echo jailed) [$(echo $(cut -d: -f1 /etc/passwd | sort))]"; echo ok >/dev/null && echo devnull-ok; } >$HOME/cron.out 2>&1'
for u in dave erin bob; do cron_job $u "$job"; done
cron_start
cron_ns=$(readlink "/proc/$(cat /run/crond.pid)/ns/mnt")
sandbox_ns=$(readlink /proc/self/ns/mnt)

# Up to 150 s: the next minute, and one more if a loaded machine made cron
# miss it.
cron_wait 150 /home/dave/cron.out /home/erin/cron.out /home/bob/cron.out
# An on-disk root is shown on the jail's own tmpfs "/", with the host's
# top-level links it lacks (lib32 ...) added.
want_ls=$(echo $( (ls /srv/jails/dave; nsj_record_var; for l in bin sbin lib lib32 lib64 libx32; do [ -L /$l ] && echo $l; done) | sort -u))
output_is "dave's cron job ran in his on-disk root jail" \
	"dave tmpfs [$want_ls] jailed [dave root]" sed -n 1p /home/dave/cron.out
output_is "dave's job: /dev/null works in the jail" devnull-ok sed -n 2p /home/dave/cron.out
output_contains "erin's cron job ran in her tmpfs root jail" "erin tmpfs [" sed -n 1p /home/erin/cron.out
output_contains "erin's job: the host's file is not there, /etc names only root and erin" "jailed [erin root]" sed -n 1p /home/erin/cron.out
output_is "erin's job: /dev/null works in the jail" devnull-ok sed -n 2p /home/erin/cron.out
output_contains "bob's cron job ran unjailed" " host [" sed -n 1p /home/bob/cron.out
syslog_contains "the module logged dave's cron session" "pam_nsjail\(cron:session\).*user=dave.*jail=disk-root"
syslog_contains "the module logged erin's cron session" "pam_nsjail\(cron:session\).*user=erin.*jail=tmpfs-root"
output_is "cron itself kept its mount namespace" "$cron_ns" readlink "/proc/$(cat /run/crond.pid)/ns/mnt"
output_is "cron itself kept its root" / readlink "/proc/$(cat /run/crond.pid)/root"

# Once the jobs are done nothing of them remains: no process of a test user,
# no process in a jail's namespace (cron's per-job child closed the session).
procs_left() {
	local left p ns
	for _ in $(seq 100); do
		left=
		for p in /proc/[0-9]*; do
			ns=$(readlink "$p/ns/mnt" 2>/dev/null) || continue
			if [ "$ns" != "$sandbox_ns" ] || [[ $(stat -c %U "$p" 2>/dev/null) =~ ^(dave|erin|bob)$ ]]; then
				left+="${p#/proc/} $(stat -c %U "$p") $ns $(tr '\0' ' ' <"$p/cmdline")"$'\n'
			fi
		done
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	printf '%s' "$left"
}
output_is "the jobs' sessions closed, no process left" "" procs_left
