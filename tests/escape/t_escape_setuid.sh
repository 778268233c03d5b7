#!/bin/bash
# Escape class 5 (SPEC §8): setuid binaries in the jail. Root plants a
# setuid-root copy of a probe printing geteuid (and a copy of cat with file
# capabilities) in a path the jail shows. With "nosuid = true" neither gains
# anything, in a hidden-path jail and in a tmpfs-root jail; without it they
# do (the positive control: the option is what makes the difference). The
# user cannot clear nosuid from a namespace of her own.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
mkdir -p /srv/bin /srv/late
install -m 4755 -o root -g root "$P" /srv/bin/suid-probe
install -m 0755 -o root -g root /bin/cat /srv/bin/capcat
nsj_require setcap cap_dac_override+ep /srv/bin/capcat
install -m 0600 -o root -g root /dev/null /srv/bin/root-only
echo "root only" >/srv/bin/root-only
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "nosuid";        users = [ "alice" ]; inaccessible = [ "/srv/late-hidden" ]; nosuid = true; },
  { name = "suid-allowed";  users = [ "bob" ];   inaccessible = [ "/srv/late-hidden" ]; },
  { name = "root-nosuid";   users = [ "erin" ];  root = "tmpfs"; bind_ro = [ "/usr", "/srv/bin" ]; nosuid = true; },
  { name = "root-suid";     users = [ "carol" ]; root = "tmpfs"; bind_ro = [ "/usr", "/srv/bin" ]; }
);
EOF2
mkdir -p /srv/late-hidden

output_is "control: outside any jail, the setuid probe runs as root" 0 \
	setpriv --reuid alice --regid alice --clear-groups /srv/bin/suid-probe euid
output_is "control: outside any jail, capcat reads a root-only file" "root only" \
	setpriv --reuid alice --regid alice --clear-groups /srv/bin/capcat /srv/bin/root-only

output_is "without nosuid (bob's jail): setuid works (the option matters)" 0 as_user bob "/srv/bin/suid-probe euid"
output_is "without nosuid (bob's jail): file capabilities work" "root only" as_user bob "/srv/bin/capcat /srv/bin/root-only"
output_is "nosuid (alice's jail): the setuid probe keeps her uid" 2001 as_user alice "/srv/bin/suid-probe euid"
fails "nosuid (alice's jail): file capabilities are ignored" as_user alice "/srv/bin/capcat /srv/bin/root-only"
output_is "without nosuid (tmpfs root, carol): setuid works" 0 as_user carol "/srv/bin/suid-probe euid"
output_is "nosuid (tmpfs root, erin): the setuid probe keeps her uid" 2005 as_user erin "/srv/bin/suid-probe euid"
output_is "without nosuid (tmpfs root, carol): file capabilities work" "root only" as_user carol "/srv/bin/capcat /srv/bin/root-only"
fails "nosuid (tmpfs root, erin): file capabilities are ignored" as_user erin "/srv/bin/capcat /srv/bin/root-only"

# The flag arrives locked in her own namespaces.
refused "unshare -Urm: clearing nosuid on /: EPERM" EPERM as_user alice "unshare -Urm $P remount-bind-suid /"
refused "unshare -Urm: clearing nosuid on /srv: EPERM" EPERM as_user alice "unshare -Urm $P remount-bind-suid /srv"
output_is "control: in unshare -Urm, clearing nosuid of her own mount works" ok \
	as_user alice "unshare -Urm sh -c 'mkdir -p /tmp/s && mount -t tmpfs -o nosuid x /tmp/s && $P remount-bind-suid /tmp/s'"

# A file system the host mounts while the session lives must not bring a
# setuid program in past "nosuid = true" (the flag is set once, at setup):
# the jail is private, nothing mounted later arrives. The sandbox's / is made
# rshared first, as on a systemd host.
nsj_require mount --make-rshared /
esc_session alice
nsj_require mount -t tmpfs -o mode=0755 esc-late /srv/late
install -m 4755 -o root -g root "$P" /srv/late/suid-probe
output_is "control: the late mount is setuid-capable on the host" 0 \
	setpriv --reuid alice --regid alice --clear-groups /srv/late/suid-probe euid
output_is "nosuid: a setuid binary the host mounts after login never reaches the jail" absent \
	nsenter -t "$ESC_PID" -m -S 2001 -G 2001 sh -c 'test -e /srv/late/suid-probe || echo absent'
esc_end_session
