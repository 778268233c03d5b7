# shellcheck shell=bash
# Sourced by scripts/quickstart.sh and scripts/test.sh: the Debian/Ubuntu
# packages needed to build pam_nsjail and run every test, installed only when
# missing. NSJ_SKIP_DEPS=1 skips this step (e.g. on another distribution).

NSJ_DEPS=(
	# build
	cmake gcc clang-14 libclang-rt-14-dev pkg-config scdoc
	libpam0g-dev libcap-dev libconfig-dev libcmocka-dev libseccomp-dev
	# integration tests: the real programs a login goes through
	pamtester openssh-server openssh-client sshpass util-linux rsync cron
	expect busybox-static
	# systemd as PID 1 in a sandbox (tests/lib/systemd.sh): logind, the
	# user manager and its bus, pam_systemd
	systemd dbus dbus-user-session libpam-systemd
	# the test harness itself (password hashes, private network, syslog
	# listener, pgrep)
	openssl iproute2 python3 procps
	# a real directory (t_ldap): LDAP server, NSS through nslcd, nscd
	slapd ldap-utils nslcd libnss-ldapd nscd
	# benchmarks (tests/bench/run.sh): the peers compared, chart, profilers
	bubblewrap firejail libpam-chroot gnuplot-nox hyperfine valgrind linux-perf strace
)

nsj_install_deps() {
	local p missing=()
	if [ -n "${NSJ_SKIP_DEPS:-}" ]; then
		echo "deps: skipped (NSJ_SKIP_DEPS is set)"
		return 0
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "deps: no apt-get here; install the equivalent of: ${NSJ_DEPS[*]}" >&2
		return 0
	fi
	for p in "${NSJ_DEPS[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		echo "deps: all ${#NSJ_DEPS[@]} packages present"
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing ${missing[*]}; run as root (sudo) to install them" >&2
		return 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y --no-install-recommends "${missing[@]}"
}
