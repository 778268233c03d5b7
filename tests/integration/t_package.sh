#!/bin/bash
# The Debian package (debian/, built with dpkg-buildpackage as an
# administrator would): built twice, from a copy of the tree (as is, then a
# bumped version whose shipped /etc/nsjail.conf changed), checked by lintian
# (any error or warning fails: the explained ones are overridden in
# debian/pam-nsjail.lintian-overrides), then installed, upgraded, removed
# and purged with the real dpkg in a throw-away root: an overlay of this
# machine's "/" (a real Debian) entered with chroot. The overlay's upper
# layer is exactly what the package and dpkg changed; after the purge it is
# listed, and only dpkg's and PAM's own state may remain. The upgrade runs
# on a terminal nobody answers (a prompt would hang it: killed after 60 s)
# with an edited /etc/nsjail.conf and an edited common-session; the removals
# check prerm's warning about pam_nsjail.so lines left in /etc/pam.d.
. "$NSJ_SRC/tests/lib/functions.sh"
T=$NSJ_WORK
export T
cd "$T" || exit 1

if [ "$NSJ_SANITIZE" = 1 ]; then
	# The package is built from the source, whatever tree runs the suite.
	skip "the package" "built from the source: the normal build's suite runs it"; exit 0
fi
for tool in dpkg-buildpackage dh lintian dpkg-parsechangelog script chroot; do
	if ! command -v "$tool" >/dev/null; then skip "the package" "$tool missing (scripts/deps.sh installs it)"; exit 0; fi
done

# ---- build: the tree under test, as files (uncommitted changes included)
S=$T/v1/pam-nsjail
mkdir -p "$S"
if git -C "$NSJ_SRC" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$NSJ_SRC" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xf - -C "$S"
else
	(cd "$NSJ_SRC" && tar --exclude-vcs --exclude='./build*' --exclude='./obj-*' -cf - .) | tar -xf - -C "$S"
fi
v1=$(dpkg-parsechangelog -l "$S/debian/changelog" -S Version)
v2=$v1+upgradetest1
# The upgrade: a newer version whose shipped conffile changed.
cp -a "$T/v1" "$T/v2"
{
	printf 'pam-nsjail (%s) unstable; urgency=medium\n\n  * Upgrade test.\n\n' "$v2"
	printf ' -- pam_nsjail developers <dev@pam-nsjail.invalid>  %s\n\n' "$(date -R)"
	cat "$S/debian/changelog"
} >"$T/v2/pam-nsjail/debian/changelog.new"
mv "$T/v2/pam-nsjail/debian/changelog.new" "$T/v2/pam-nsjail/debian/changelog"
echo '# shipped by the upgrade test' >>"$T/v2/pam-nsjail/conf/nsjail.conf"

t0=$SECONDS
export DEB_BUILD_OPTIONS="parallel=$(nproc)"
nsj_require sh -c "cd '$S' && dpkg-buildpackage -us -uc -b >'$T/build-v1.log' 2>&1"
DEB_BUILD_OPTIONS="$DEB_BUILD_OPTIONS nocheck" \
	nsj_require sh -c "cd '$T/v2/pam-nsjail' && dpkg-buildpackage -us -uc -b >'$T/build-v2.log' 2>&1"
echo "# two package builds: $((SECONDS - t0)) s"
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb1=$T/v1/pam-nsjail_${v1}_$arch.deb
deb2=$T/v2/pam-nsjail_${v2}_$arch.deb
dbg1=$T/v1/pam-nsjail-dbgsym_${v1}_$arch.deb
for f in "$deb1" "$deb2" "$dbg1"; do
	if [ -f "$f" ]; then pass "built $(basename "$f")"; else fail "built $(basename "$f")" "$(ls "$T"/v1 "$T"/v2)"; exit 1; fi
done
output_contains "the unit tests ran in the package build" "100% tests passed" cat "$T/build-v1.log"
output_is "the build has no warnings (compiler, dpkg-shlibdeps)" "" sh -c "grep 'warning:' '$T/build-v1.log' || true"
output_contains "compiled with dpkg-buildflags' hardening flags" "-D_FORTIFY_SOURCE=2" \
	grep -m1 -- '-O2 .*-fstack-protector-strong' "$T/build-v1.log"

# ---- lintian: no error, no warning that is not explained
lintian -EvIL +pedantic --show-overrides "$T/v1/pam-nsjail_${v1}_$arch.changes" >"$T/lintian.out" 2>&1
echo "# lintian -EvIL +pedantic --show-overrides:"
_nsj_diag <"$T/lintian.out"
ok "lintian: no error" sh -c "! grep '^E:' '$T/lintian.out'"
if grep -qE '^[EW]:' "$T/lintian.out"; then
	fail "lintian: no error or warning" "$(grep -E '^[EW]:' "$T/lintian.out")"
else pass "lintian: no error or warning (overridden, with reasons: $(grep -c '^O:' "$T/lintian.out"))"; fi

# ---- the package's contents
dpkg-deb -c "$deb1" >"$T/contents"
entry() { awk -v p="./${1#/}" '$6 == p { print $1, $2 }' "$T/contents"; }
entry_is() {
	local desc=$1 path=$2 want=$3 got
	got=$(entry "$path")
	if [ "$got" = "$want" ]; then pass "$desc"
	else fail "$desc" "$path: expected '$want', got '$got'" "contents:" "$(cat "$T/contents")"; fi
}
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
module=/lib/$ma/security/pam_nsjail.so
entry_is "the module in the multiarch PAM directory, 0644" "$module" "-rw-r--r-- root/root"
entry_is "the helper in /usr/libexec: 0755, not setuid" /usr/libexec/nsjail-helper "-rwxr-xr-x root/root"
entry_is "nsjailctl in /usr/sbin" /usr/sbin/nsjailctl "-rwxr-xr-x root/root"
entry_is "/etc/nsjail.conf: 0644 root" /etc/nsjail.conf "-rw-r--r-- root/root"
for page in man8/pam_nsjail.8 man8/nsjailctl.8 man8/nsjail-helper.8 man5/nsjail.conf.5; do
	entry_is "$page, compressed" "/usr/share/man/$page.gz" "-rw-r--r-- root/root"
done
entry_is "the pam-auth-update profile" /usr/share/pam-configs/nsjail "-rw-r--r-- root/root"
entry_is "the example policy, uncompressed (cp-able)" /usr/share/doc/pam-nsjail/nsjail.conf.example "-rw-r--r-- root/root"
entry_is "copyright" /usr/share/doc/pam-nsjail/copyright "-rw-r--r-- root/root"
entry_is "changelog" /usr/share/doc/pam-nsjail/changelog.gz "-rw-r--r-- root/root"
# The administrator's documents, compressed or not (dh_compress decides by size).
for d in README SECURITY; do
	ok "$d.md in /usr/share/doc/pam-nsjail" grep -qE " \./usr/share/doc/pam-nsjail/$d\.md(\.gz)?\$" "$T/contents"
done
output_is "nothing setuid or setgid in the package" "" awk '$1 ~ /[sS]/' "$T/contents"
output_lacks "nothing under /usr/local" " ./usr/local" cat "$T/contents"
output_contains "the debug symbols are in pam-nsjail-dbgsym" "/usr/lib/debug/.build-id/" dpkg-deb -c "$dbg1"
C=$T/control
nsj_require dpkg-deb -e "$deb1" "$C"
output_is "conffiles: /etc/nsjail.conf" "/etc/nsjail.conf" cat "$C/conffiles"
f() { sed -n "s/^$1: //p" "$C/control"; }
output_is "Maintainer with an address" "pam_nsjail developers <dev@pam-nsjail.invalid>" f Maintainer
output_contains "Depends: libpam-runtime (pam-auth-update)" "libpam-runtime" f Depends
output_contains "Depends from shlibdeps: libconfig" "libconfig" f Depends

# ---- the throw-away root
O=$T/overlay
mkdir -p "$O"
nsj_require mount -t tmpfs -o mode=0755,size=512m nsjtest-pkg "$O"
mkdir "$O/upper" "$O/work" "$O/root"
if ! mount -t overlay overlay -o "lowerdir=/,upperdir=$O/upper,workdir=$O/work" "$O/root" 2>"$T/err"; then
	skip "install, upgrade, purge" "no overlay of / here: $(cat "$T/err")"
	exit 0
fi
R=$O/root
nsj_require mount -t proc proc "$R/proc"
nsj_require mount --rbind /dev "$R/dev"
nsj_require mount -t tmpfs -o mode=1777 nsjtest-pkg-tmp "$R/tmp"
nsj_require mount -t tmpfs -o mode=0755 nsjtest-pkg-run "$R/run"
nsj_at_exit "umount -R '$R'"
if ! chroot "$R" /bin/true; then skip "install, upgrade, purge" "cannot chroot into an overlay of /"; exit 0; fi
cp "$deb1" "$deb2" "$R/tmp/"
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"; }
# in_tty SECONDS CMD: CMD on a terminal nobody answers (what a hang is),
# killed after SECONDS; status 124 then.
in_tty() {
	local secs=$1 cmd=$2
	# (stdin: a pipe that stays open; not "sleep |", which the shell would
	# wait for)
	timeout "$secs" script -qec "chroot '$R' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C DEBIAN_FRONTEND=noninteractive $cmd" /dev/null \
		< <(sleep $((secs + 5)))
}
status() { in_root dpkg-query -W -f='${Status} ${Version}\n' pam-nsjail 2>/dev/null || true; }
if [ -n "$(status | grep ' installed ')" ]; then
	nsj_require in_root dpkg --purge pam-nsjail # this machine has one: start from none
fi
for f in common-session common-session-noninteractive su; do cp "$R/etc/pam.d/$f" "$T/pam.$f"; done

# install
t0=$SECONDS
ok "dpkg -i installs it" in_root dpkg -i "/tmp/$(basename "$deb1")"
output_is "installed: $v1" "install ok installed $v1" status
ok "Default: no: not in the common session stack by installing" sh -c "! grep -q pam_nsjail '$R/etc/pam.d/common-session'"
output_contains "the shipped policy passes check and names no jail" "ok (0 jails)" in_root nsjailctl check
output_contains "debian/changelog's version is the tree's (nsjailctl --version)" "pam_nsjail ${v1%%[-+~]*}" in_root nsjailctl --version
output_contains "nsjailctl knows the packaged helper's path" "default /usr/libexec/nsjail-helper" in_root nsjailctl --help
output_is "the module knows it too" /usr/libexec/nsjail-helper sh -c "strings '$R$module' | grep -x /usr/libexec/nsjail-helper"
output_is "binaries stripped: no .symtab" "" sh -c "for b in '$R$module' '$R/usr/libexec/nsjail-helper' '$R/usr/sbin/nsjailctl'; do readelf -S \"\$b\" | grep -F .symtab; done; true"
if [ -x "$R/usr/bin/man" ]; then
	output_contains "man nsjail-helper" "nsjail-helper - build the private mount namespace" in_root man -P cat nsjail-helper
else skip "man nsjail-helper" "no man-db here"; fi
ok "pam-auth-update --enable nsjail" in_root pam-auth-update --enable nsjail
last_session() { grep -E '^session' "$R/etc/pam.d/$1" | tail -n 1 | awk '{print $2, $3}'; }
output_is "enabled: last in common-session" "required pam_nsjail.so" last_session common-session
output_is "... and in common-session-noninteractive (cron)" "required pam_nsjail.so" last_session common-session-noninteractive
# The doors of this Debian with the profile enabled, as an administrator
# would see them: su, login and cron covered through the common stacks,
# runuser (which does not include common-session) a door without the line.
in_root nsjailctl doors >"$T/doors.out" 2>&1
doors_rc=$?
echo "# nsjailctl doors with the package installed and enabled (status $doors_rc):"
_nsj_diag <"$T/doors.out"
ok "doors: exit 1 (a door without the module)" test "$doors_rc" -eq 1
output_contains "doors: runuser is named uncovered" "uncovered doors: " grep -E '^uncovered doors: .*runuser' "$T/doors.out"
output_lacks "doors: su is not uncovered" " su " grep -E '^uncovered doors:' "$T/doors.out"
# What the package's tools leave in /etc: the lock of nsjailctl edit.
ok "nsjailctl edit (no change)" in_root env EDITOR=true nsjailctl edit
ok "... leaves /etc/nsjail.conf.lock" test -e "$R/etc/nsjail.conf.lock"
# The administrator's policy and a hand-edited common PAM file.
echo '# the site policy' >>"$R/etc/nsjail.conf"
# (inside pam-auth-update's block: the upgrade's "pam-auth-update --package"
# then asks debconf whether to override, which must not wait either)
sed -i '/pam_nsjail/a session optional pam_umask.so # a local line' "$R/etc/pam.d/common-session"

# upgrade, the shipped conffile changed: what hung before is dpkg's own
# conffile prompt (DEBIAN_FRONTEND is debconf's, dpkg ignores it); on a
# terminal it waits for an answer forever, without one it fails.
output_contains "without --force-conf*, dpkg itself asks about /etc/nsjail.conf" \
	"end of file on stdin at conffile prompt" in_root dpkg -i "/tmp/$(basename "$deb2")"
in_tty 60 "dpkg --force-confdef --force-confold -i /tmp/$(basename "$deb2")" >"$T/upgrade.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then pass "non-interactive upgrade on a terminal (--force-confdef --force-confold): no prompt, no hang"
else fail "non-interactive upgrade on a terminal (--force-confdef --force-confold): no prompt, no hang" "status $rc (124: killed after 60 s)" "$(tail -n 20 "$T/upgrade.out")"; fi
output_is "upgraded: $v2" "install ok installed $v2" status
output_contains "the administrator's /etc/nsjail.conf is kept" "# the site policy" cat "$R/etc/nsjail.conf"
output_lacks "... not replaced by the shipped one" "shipped by the upgrade test" cat "$R/etc/nsjail.conf"
output_contains "the shipped one is beside it as .dpkg-dist" "shipped by the upgrade test" cat "$R/etc/nsjail.conf.dpkg-dist"
output_contains "... pam-auth-update left the hand-edited common-session alone" "Local modifications to /etc/pam.d/common-*" cat "$T/upgrade.out"
# The hand edit is undone byte for byte: pam-auth-update may manage it again.
grep -v '# a local line$' "$R/etc/pam.d/common-session" >"$T/cs" && cat "$T/cs" >"$R/etc/pam.d/common-session"
output_is "still enabled after the upgrade (the administrator's choice)" "required pam_nsjail.so" last_session common-session

# remove: the profile leaves the stacks; hand-placed lines are named
echo 'session required pam_nsjail.so' >>"$R/etc/pam.d/su"
line=$(wc -l <"$R/etc/pam.d/su")
echo '-session optional pam_nsjail.so' >"$R/etc/pam.d/nsjtest-dash"
ok "dpkg -r" sh -c "chroot '$R' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C DEBIAN_FRONTEND=noninteractive dpkg -r pam-nsjail >'$T/remove.out' 2>&1"
_nsj_diag <"$T/remove.out"
output_contains "prerm names the hand-placed line" "/etc/pam.d/su:$line:session required pam_nsjail.so" cat "$T/remove.out"
output_contains "... and says what happens" 'every login through them will fail ("Module is unknown")' cat "$T/remove.out"
output_lacks "... not a '-session' line (PAM skips a missing module there)" "nsjtest-dash" cat "$T/remove.out"
output_is "removed, conffiles kept" "deinstall ok config-files $v2" status
ok "the module is gone" test ! -e "$R$module"
ok "the profile left the common stacks" sh -c "! grep -q pam_nsjail '$R/etc/pam.d/common-session' '$R/etc/pam.d/common-session-noninteractive'"
ok "/etc/nsjail.conf stays until purge" test -e "$R/etc/nsjail.conf"
# The administrator deletes the lines, as told.
sed -i '$d' "$R/etc/pam.d/su"
rm "$R/etc/pam.d/nsjtest-dash"

# remove again, the common files edited by hand: pam-auth-update then
# leaves them alone (noninteractive: "Local modifications ..., not
# updating"), so the enabled profile's line stays: prerm names it too.
ok "reinstalled" in_root dpkg -i "/tmp/$(basename "$deb2")"
ok "enabled again" in_root pam-auth-update --enable nsjail
line=$(grep -n pam_nsjail "$R/etc/pam.d/common-session" | cut -d: -f1)
# (inside pam-auth-update's block: a change elsewhere it keeps)
sed -i "${line}a session optional pam_umask.so # a local line" "$R/etc/pam.d/common-session"
ok "dpkg -r" sh -c "chroot '$R' env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C DEBIAN_FRONTEND=noninteractive dpkg -r pam-nsjail >'$T/remove.out' 2>&1"
_nsj_diag <"$T/remove.out"
output_contains "prerm names the profile's line pam-auth-update left in a hand-edited common-session" \
	"/etc/pam.d/common-session:$line:session" cat "$T/remove.out"
# The administrator undoes the edit; pam-auth-update drops the gone profile.
grep -v '# a local line$' "$R/etc/pam.d/common-session" >"$T/cs" && cat "$T/cs" >"$R/etc/pam.d/common-session"
ok "pam-auth-update --package" in_root pam-auth-update --package
ok "... the module is out of the common stacks" sh -c "! grep -q pam_nsjail '$R/etc/pam.d/common-session' '$R/etc/pam.d/common-session-noninteractive'"

# purge: nothing of the package left
ok "dpkg --purge" in_root dpkg --purge pam-nsjail
output_is "purged: dpkg knows no pam-nsjail" "" status
echo "# install, upgrade, remove, purge: $((SECONDS - t0)) s"
ok "/etc/nsjail.conf, .dpkg-dist and .lock gone" \
	sh -c "! ls -d '$R'/etc/nsjail* '$R'/etc/.nsjail* 2>/dev/null | grep ."
for f in common-session common-session-noninteractive su; do
	ok "/etc/pam.d/$f as before" cmp "$T/pam.$f" "$R/etc/pam.d/$f"
done
# Everything the overlay's upper layer still holds, but dpkg's, debconf's,
# pam-auth-update's and man-db's own state.
(cd "$O/upper" && find . -mindepth 1 ! -type d | sort) >"$T/left"
echo "# left in the throw-away root after the purge (upper layer):"
_nsj_diag <"$T/left"
grep -vE '^\./(var/lib/dpkg/|var/log/(dpkg|apt/|alternatives)|var/cache/(debconf|man)/|var/lib/pam/|etc/pam\.d/(common-[a-z-]+|su)$)' "$T/left" >"$T/unexpected"
output_is "nothing else left after the purge" "" cat "$T/unexpected"
(cd "$O/upper" && grep -rlI -e nsjail -e pam-nsjail . | sort) >"$T/traces"
echo "# ... of which mention nsjail:"
_nsj_diag <"$T/traces"
output_is "no trace of the package but in dpkg's log and the backups of the previous dpkg and debconf state" "" \
	sh -c "grep -vE '^\./(var/log/dpkg\.log|var/lib/dpkg/status-old|var/cache/debconf/[a-z]+\.dat-old|var/cache/man/)' '$T/traces' || true"
output_is "no pam-nsjail files in dpkg's database" "" sh -c "ls '$R/var/lib/dpkg/info' | grep pam-nsjail || true"
