#!/bin/bash
# run-sandboxed.sh SCRIPT [ARG...]
#
# Runs an integration or escape test as root inside throw-away namespaces so
# that nothing it does is visible on the host:
#   * a private mount namespace (every mount made private first, so nothing
#     propagates back to the host even when the host's "/" is shared);
#   * a private PID namespace: when the test ends, every process it started
#     (sshd, a syslog listener, jailed sessions) is killed with it;
#   * a private network namespace with only "lo" up, so a test sshd can use
#     any port on 127.0.0.1 without colliding with the host or another test;
#   * fresh tmpfs on /tmp, /run (the work dir $NSJ_WORK is made in it with
#     mktemp, /run/sshd exists for sshd's privilege separation) and /var/log
#     (sshd and login write wtmp and lastlog).
# Exit status: the script's; 77 (skip) only when not run as root.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
	echo "run-sandboxed.sh: SKIP: needs root (mount namespaces, real su/sshd)" >&2
	exit 77
fi
if [ $# -lt 1 ] || [ ! -r "$1" ]; then
	echo "usage: run-sandboxed.sh SCRIPT [ARG...]" >&2
	exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
script=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
export NSJ_SRC=${NSJ_SRC:-$(cd "$here/../.." && pwd)}
export NSJ_BUILD=${NSJ_BUILD:-$NSJ_SRC/build}
export NSJ_LIB=$here

netns=--net
if ! command -v ip >/dev/null 2>&1; then
	# Without iproute2 we cannot bring "lo" up in a new network namespace;
	# stay in the host's (tests then pick a random free port).
	netns=
fi

# shellcheck disable=SC2016 # expanded by the inner shell
export NSJ_TEST_NAME
NSJ_TEST_NAME=$(basename "$script" .sh)
# The sandbox hides /tmp and /run behind fresh tmpfs: a script living there is
# read through fd 3 and copied into the work dir.
exec 3<"$script"
exec unshare --mount --propagation private --pid --fork --kill-child \
	--mount-proc $netns -- /bin/bash -c '
set -e
mount -t tmpfs -o mode=0755,size=256m nsjtest-run /run
# A source tree or build directory under /tmp (a CI clone in /tmp, cmake -B
# /tmp/b) stays visible at its path.
keep=()
case $NSJ_SRC in /tmp/*) keep+=("$NSJ_SRC") ;; esac
case $NSJ_BUILD in "$NSJ_SRC"/*) ;; /tmp/*) keep+=("$NSJ_BUILD") ;; esac
for i in "${!keep[@]}"; do
	mkdir "/run/nsjtest-keep$i"
	mount --bind "${keep[$i]}" "/run/nsjtest-keep$i"
done
mount -t tmpfs -o mode=1777,size=256m nsjtest-tmp /tmp
for i in "${!keep[@]}"; do
	mkdir -p "${keep[$i]}"
	mount --move "/run/nsjtest-keep$i" "${keep[$i]}"
	rmdir "/run/nsjtest-keep$i"
done
mkdir -m 0755 /run/sshd
# login records (wtmp, btmp, lastlog) written by sshd, login and su must not
# reach the host: an empty /var/log of the same shape.
if [ -d /var/log ]; then
	mount -t tmpfs -o mode=0755,size=64m nsjtest-log /var/log
	for f in wtmp btmp lastlog faillog; do
		install -m 0664 -o root -g utmp /dev/null /var/log/$f 2>/dev/null ||
			install -m 0664 /dev/null /var/log/$f
	done
	chmod 0660 /var/log/btmp
fi
mkdir -m 1777 /run/lock
ln -s /dev/shm /run/shm
NSJ_WORK=$(mktemp -d /run/nsjtest.XXXXXX)
chmod 0755 "$NSJ_WORK"
export NSJ_WORK
if [ -n "'"$netns"'" ]; then ip link set lo up; fi
script=$0
case $script in
/tmp/*|/run/*) script=$NSJ_WORK/$NSJ_TEST_NAME.sh; cat <&3 >"$script" ;;
esac
exec 3<&-
set +e
# Not exec: this shell stays PID 1 of the sandbox; when it returns, the
# kernel kills everything the test left behind.
/bin/bash "$script" "$@"
rc=$?
rm -rf --one-file-system "$NSJ_WORK" 2>/dev/null # a tmpfs of the sandbox: a busy bind mount in it goes with the namespace
exit $rc
' "$script" "$@"
