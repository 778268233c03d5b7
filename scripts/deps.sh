# shellcheck shell=bash
# Sourced by scripts/quickstart.sh and scripts/test.sh: the Debian/Ubuntu
# packages needed, installed only when missing. NSJ_SKIP_DEPS=1 skips this
# step (e.g. on another distribution).
#
#   nsj_install_deps demo   what the quick start needs: build pam_nsjail and
#                           run its su/ssh demo (NSJ_DEPS_DEMO)
#   nsj_install_deps all    everything scripts/test.sh runs: the demo set,
#                           the test suites, the package test and the
#                           benchmark peers (NSJ_DEPS)
#   nsj_missing_deps quick  installs nothing: lists what scripts/test.sh
#                           --quick needs and lacks (NSJ_DEPS_QUICK);
#                           status 1 when anything is missing

# The quick start: nothing setuid, no daemon but sshd (the ssh demo).
NSJ_DEPS_DEMO=(
	# build (the quick start configures -DBUILD_TESTING=OFF: no cmocka)
	cmake gcc pkg-config scdoc
	libpam0g-dev libcap-dev libconfig-dev libseccomp-dev
	# the demo: real su and sshd in a sandbox made with unshare; the harness
	# hashes passwords (openssl), brings up "lo" (iproute2) and listens for
	# syslog (python3)
	util-linux openssh-server openssh-client openssl iproute2 python3 procps
)

# scripts/test.sh --quick (no root): the build with its unit tests, and the
# release checks' nm/objdump.
NSJ_DEPS_QUICK=(
	cmake gcc pkg-config scdoc libpam0g-dev libcap-dev libconfig-dev libseccomp-dev
	libcmocka-dev binutils python3
)

NSJ_DEPS_TEST=(
	# unit tests, the fuzz build (clang-14, libFuzzer)
	libcmocka-dev clang-14 libclang-rt-14-dev
	# integration tests: the real programs a login goes through
	pamtester sshpass rsync cron sudo expect busybox-static
	# shared = true: a tmux server found by the next login (t_shared)
	tmux
	# systemd as PID 1 in a sandbox (tests/lib/systemd.sh): logind, the
	# user manager and its bus, pam_systemd
	systemd dbus dbus-user-session libpam-systemd
	# a real directory (t_ldap): LDAP server, NSS through nslcd, nscd
	slapd ldap-utils nslcd libnss-ldapd nscd
	# the Debian package (t_package): dpkg-buildpackage, debhelper, lintian
	dpkg-dev debhelper fakeroot lintian
	# PAM callers that are not a login (t_shared_worker): dovecot opens
	# every user's session in its auth worker, smbd in the connection's
	# process (any user's session setup); vsftpd, the control, one process
	# per login. The test runs them by hand from its own config in the
	# sandbox (loopback of a private network namespace).
	dovecot-imapd samba smbclient vsftpd
)

# Daemons of NSJ_DEPS_TEST that tests start by hand and that must not serve
# on the host: with systemd as PID 1 the packages' postinst starts them
# (dovecot on 143, smbd on 445, vsftpd on 21 for every local account).
# Without systemd, invoke-rc.d does not (no runlevel: "could not determine
# current runlevel", status 101; a container's policy-rc.d says the same).
# The ones this call installed are stopped and disabled right after.
NSJ_DEPS_NO_SERVICE=(dovecot-imapd:dovecot samba:smbd samba:nmbd vsftpd:vsftpd)

# Debian packages t_shared_worker runs from its own copy (dpkg-deb -x in
# its sandbox), never installed: proftpd-core conflicts with vsftpd (both
# provide ftp-server) and its postinst would serve FTP on the host; xrdp
# would pull an X server and start two services. Downloaded (apt-get
# download, no root) into NSJ_DEB_CACHE; proftpd's own libraries that the
# rest does not install come along.
NSJ_DEPS_DEBS=(proftpd-core libhashkit2 libhiredis0.14 libmemcached11 libmemcachedutil2
	libpcre2-posix3 xrdp)
NSJ_DEB_CACHE=${NSJ_DEB_CACHE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/debs}

NSJ_DEPS_BENCH=(
	# benchmarks (tests/bench/run.sh): the peers compared (firejail is
	# setuid root), chart, profilers; strace also holds the helper
	# mid-build in escape/t_escape_helper_caps
	bubblewrap firejail libpam-chroot gnuplot-nox hyperfine valgrind linux-perf strace
)

NSJ_DEPS=("${NSJ_DEPS_DEMO[@]}" "${NSJ_DEPS_TEST[@]}" "${NSJ_DEPS_BENCH[@]}")

# The packages of "$@" that are not installed, one a line.
_nsj_missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			echo "$p"
	done
}

nsj_install_deps() {
	local set=${1:-all} missing=() want=()
	case $set in
	demo) want=("${NSJ_DEPS_DEMO[@]}") ;;
	all) want=("${NSJ_DEPS[@]}") ;;
	*) echo "deps: unknown set '$set' (demo or all)" >&2; return 2 ;;
	esac
	if [ -n "${NSJ_SKIP_DEPS:-}" ]; then
		echo "deps: skipped (NSJ_SKIP_DEPS is set)"
		return 0
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "deps: no apt-get here; install the equivalent of: ${want[*]}" >&2
		return 0
	fi
	mapfile -t missing < <(_nsj_missing "${want[@]}")
	if [ ${#missing[@]} -eq 0 ]; then
		echo "deps ($set): all ${#want[@]} packages present"
		[ "$set" != all ] || _nsj_fetch_debs
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing ${missing[*]}; run as root to install them" >&2
		return 1
	fi
	echo "deps ($set): installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y --no-install-recommends "${missing[@]}" || return 1
	_nsj_no_service "${missing[@]}"
	[ "$set" != all ] || _nsj_fetch_debs
}

# Downloads the packages of NSJ_DEPS_DEBS not yet in NSJ_DEB_CACHE. A
# failure (offline) is not fatal: the test skips what it lacks.
_nsj_fetch_debs() {
	local p want=()
	for p in "${NSJ_DEPS_DEBS[@]}"; do
		compgen -G "$NSJ_DEB_CACHE/${p}_*.deb" >/dev/null || want+=("$p")
	done
	[ ${#want[@]} -eq 0 ] && return 0
	echo "deps: downloading ${want[*]} into $NSJ_DEB_CACHE (not installed)"
	mkdir -p "$NSJ_DEB_CACHE" &&
		(cd "$NSJ_DEB_CACHE" && apt-get download "${want[@]}") ||
		echo "deps: could not download ${want[*]}: t_shared_worker skips proftpd/xrdp" >&2
}

# Stops and disables the units of NSJ_DEPS_NO_SERVICE whose package is
# among "$@" (just installed): an administrator's own dovecot is left alone.
_nsj_no_service() {
	local e p
	[ -d /run/systemd/system ] || return 0
	for e in "${NSJ_DEPS_NO_SERVICE[@]}"; do
		for p in "$@"; do
			[ "$p" = "${e%%:*}" ] || continue
			echo "deps: $p: not a host service here (systemctl disable --now ${e#*:})"
			systemctl disable --now "${e#*:}.service" || true
		done
	done
}

nsj_missing_deps() {
	local set=${1:-quick} missing=() want=()
	case $set in
	quick) want=("${NSJ_DEPS_QUICK[@]}") ;;
	*) echo "deps: unknown set '$set' (quick)" >&2; return 2 ;;
	esac
	if ! command -v dpkg-query >/dev/null 2>&1; then
		echo "deps: no dpkg here; the equivalent of: ${want[*]}" >&2
		return 0
	fi
	mapfile -t missing < <(_nsj_missing "${want[@]}")
	if [ ${#missing[@]} -eq 0 ]; then
		echo "deps ($set): all ${#want[@]} packages present"
		return 0
	fi
	echo "deps ($set): missing ${missing[*]}" >&2
	echo "deps ($set): install them with: sudo apt-get install ${missing[*]}" >&2
	return 1
}
