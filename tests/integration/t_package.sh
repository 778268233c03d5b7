#!/bin/bash
# The Debian package: built with cpack from a build configured for /usr and
# /etc (or $NSJ_DEB when given), its files and modes checked from
# dpkg-deb -c and in a throw-away root (dpkg -x), its control files, and its
# pam-auth-update profile run against copies of the PAM state (the sandbox's
# private mount namespace keeps the host's untouched).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup

for tool in dpkg-deb cpack dpkg-architecture; do
	if ! command -v "$tool" >/dev/null; then skip "the package" "$tool missing"; exit 0; fi
done

deb=${NSJ_DEB:-}
if [ -z "$deb" ]; then
	B=$T/build-deb
	# The build type of the tree under test (CI: RelWithDebInfo).
	type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$NSJ_BUILD/CMakeCache.txt" 2>/dev/null)
	nsj_require cmake -S "$NSJ_SRC" -B "$B" -DCMAKE_INSTALL_PREFIX=/usr \
		-DCMAKE_INSTALL_SYSCONFDIR=/etc -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE="$type"
	nsj_require cmake --build "$B" -j "$(nproc)"
	nsj_require sh -c "cd '$B' && cpack -G DEB"
	deb=$(ls "$B"/pam-nsjail_*.deb | head -n 1)
fi
if [ -f "$deb" ]; then pass "a package was built: $(basename "$deb")"
else fail "a package was built" "no .deb"; exit 1; fi

ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
dpkg-deb -c "$deb" >"$T/contents"
# "-rwxr-xr-x root/root 1234 2024-01-01 00:00 ./usr/sbin/nsjailctl"
entry() { awk -v p="./${1#/}" '$6 == p { print $1, $2 }' "$T/contents"; }
entry_is() {
	local desc=$1 path=$2 want=$3 got
	got=$(entry "$path")
	if [ "$got" = "$want" ]; then pass "$desc"
	else fail "$desc" "$path: expected '$want', got '$got'" "contents:" "$(cat "$T/contents")"; fi
}

module=
for d in "/lib/$ma/security" "/usr/lib/$ma/security"; do
	[ -n "$(entry "$d/pam_nsjail.so")" ] && module=$d/pam_nsjail.so
done
if [ -n "$module" ]; then pass "the module is in the multiarch PAM directory: $module"
else fail "the module is in the multiarch PAM directory" "$(cat "$T/contents")"; fi
entry_is "the module: 0644 root" "$module" "-rw-r--r-- root/root"
entry_is "the helper in /usr/libexec: 0755, not setuid" /usr/libexec/nsjail-helper "-rwxr-xr-x root/root"
entry_is "nsjailctl in /usr/sbin" /usr/sbin/nsjailctl "-rwxr-xr-x root/root"
entry_is "/etc/nsjail.conf: 0644 root" /etc/nsjail.conf "-rw-r--r-- root/root"
entry_is "pam_nsjail(8)" /usr/share/man/man8/pam_nsjail.8 "-rw-r--r-- root/root"
entry_is "nsjailctl(8)" /usr/share/man/man8/nsjailctl.8 "-rw-r--r-- root/root"
entry_is "nsjail.conf(5)" /usr/share/man/man5/nsjail.conf.5 "-rw-r--r-- root/root"
entry_is "the pam-auth-update profile" /usr/share/pam-configs/nsjail "-rw-r--r-- root/root"
entry_is "bash completion" /usr/share/bash-completion/completions/nsjailctl "-rw-r--r-- root/root"
output_is "nothing setuid or setgid in the package" "" awk '$1 ~ /[sS]/' "$T/contents"
output_lacks "nothing under /usr/local" " ./usr/local" cat "$T/contents"

# Unpacked into a throw-away root.
R=$T/root
nsj_require dpkg -x "$deb" "$R"
output_is "unpacked helper: 755 root, not setuid" "755 root:root" stat -c '%a %U:%G' "$R/usr/libexec/nsjail-helper"
output_is "unpacked config: 644 root" "644 root:root" stat -c '%a %U:%G' "$R/etc/nsjail.conf"
ok "the shipped config passes check, and names no jail" \
	sh -c "'$R/usr/sbin/nsjailctl' check -c '$R/etc/nsjail.conf' | grep -q 'ok (0 jails)'"
output_contains "the module knows the packaged helper's path" "/usr/libexec/nsjail-helper" strings "$R$module"
ok "the module exports the PAM session entry points" sh -c "nm -D '$R$module' | grep -q ' T pam_sm_open_session'"
ok "the man pages are roff" grep -q '^\.TH' "$R/usr/share/man/man8/nsjailctl.8"
output_contains "nsjailctl --version" "nsjailctl from pam_nsjail" "$R/usr/sbin/nsjailctl" --version

# Control files.
C=$T/control
nsj_require dpkg-deb -e "$deb" "$C"
output_is "conffiles: /etc/nsjail.conf" "/etc/nsjail.conf" cat "$C/conffiles"
output_is "postinst is executable" "755" stat -c %a "$C/postinst"
output_is "prerm is executable" "755" stat -c %a "$C/prerm"
ok "postinst runs pam-auth-update --package on configure" \
	sh -c "grep -v '^#' '$C/postinst' | tr '\n' ' ' | grep -q 'configure.*pam-auth-update --package'"
ok "prerm removes the profile on remove" \
	sh -c "grep -v '^#' '$C/prerm' | tr '\n' ' ' | grep -q 'remove.*pam-auth-update --package --remove nsjail'"
ok "the scripts are valid sh" sh -n "$C/postinst" "$C/prerm"
f() { sed -n "s/^$1: //p" "$C/control"; }
output_is "Package: pam-nsjail" pam-nsjail f Package
output_is "Section: admin" admin f Section
output_is "Maintainer" "pam_nsjail authors" f Maintainer
output_contains "Depends from shlibdeps: libpam0g" "libpam0g" f Depends
output_contains "Depends from shlibdeps: libconfig" "libconfig" f Depends
output_contains "Depends from shlibdeps: libc6" "libc6" f Depends

# The profile with pam-auth-update, on copies of the PAM state.
if command -v pam-auth-update >/dev/null; then
	for d in /etc/pam.d /var/lib/pam /var/cache/debconf /usr/share/pam-configs; do
		mkdir -p "$T/pamstate$d"
		cp -a "$d/." "$T/pamstate$d/"
		mount --bind "$T/pamstate$d" "$d"
		nsj_at_exit "umount '$d'"
	done
	cp "$R/usr/share/pam-configs/nsjail" /usr/share/pam-configs/nsjail
	export DEBIAN_FRONTEND=noninteractive
	ok "postinst: pam-auth-update --package" sh "$C/postinst" configure
	ok "Default: no: not enabled by installing" sh -c '! grep -q pam_nsjail /etc/pam.d/common-session'
	ok "pam-auth-update --enable nsjail" pam-auth-update --enable nsjail
	last_session() { grep -E '^session' "$1" | tail -n 1 | awk '{print $2, $3}'; }
	output_is "common-session: required pam_nsjail.so, last" "required pam_nsjail.so" last_session /etc/pam.d/common-session
	output_is "common-session-noninteractive (cron): last too" "required pam_nsjail.so" last_session /etc/pam.d/common-session-noninteractive
	if [ -e /usr/share/pam-configs/mkhomedir ]; then
		ok "with pam_mkhomedir enabled too" pam-auth-update --enable mkhomedir
		output_is "... the module still comes after it" "required pam_nsjail.so" last_session /etc/pam.d/common-session
	fi
	ok "prerm remove: pam-auth-update --remove" sh "$C/prerm" remove
	ok "... the module is gone from the stacks" sh -c '! grep -q pam_nsjail /etc/pam.d/common-session /etc/pam.d/common-session-noninteractive'
else
	skip "pam-auth-update profile" "pam-auth-update missing"
fi
