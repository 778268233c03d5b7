#!/bin/bash
# The install trap (issue 13): the compiled-in paths follow the install
# prefix on every configure of the same build directory. Needs no root.
#   t_prefix SOURCE-DIR [WORK-DIR]
#   * configured with the default prefix (the quick start's build/), then
#     reconfigured with -DCMAKE_INSTALL_PREFIX=/usr (the README's install):
#     `nsjailctl --help` and the module name /usr/libexec/nsjail-helper and
#     /etc/nsjail.conf, not /usr/local/...;
#   * an explicit -DNSJAIL_HELPER_PATH=... is kept, with a warning when the
#     prefix changes afterwards; -UNSJAIL_HELPER_PATH derives it again.
set -u
S=${1:?usage: t_prefix.sh SOURCE-DIR [WORK-DIR]}
W=${2:-$(mktemp -d)}
export LC_ALL=C
n=0 nfail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); nfail=$((nfail + 1)); echo "not ok $n - $1"; shift; printf '#   %s\n' "$@"; }
has() { # has DESC NEEDLE CMD...: CMD's output contains NEEDLE
	local d=$1 want=$2 got; shift 2
	got=$("$@" 2>&1)
	if grep -qF -- "$want" <<<"$got"; then ok "$d"; else no "$d" "wanted: $want" "$(head -c 3000 <<<"$got")"; fi
}
lacks() {
	local d=$1 bad=$2 got; shift 2
	if ! got=$("$@" 2>&1); then no "$d" "failed: $*" "$got"; return; fi
	if grep -qF -- "$bad" <<<"$got"; then no "$d" "found: $bad" "$(grep -F -- "$bad" <<<"$got" | head -n 5)"; else ok "$d"; fi
}

B=$W/build
mkdir -p "$W"
rm -rf "$B"
conf() { cmake -S "$S" -B "$B" -DBUILD_TESTING=OFF -DNSJAIL_MAN=OFF "$@" >"$W/conf.log" 2>&1 || cat "$W/conf.log"; cat "$W/conf.log"; }
cached() { sed -n "s/^$1:[A-Z]*=//p" "$B/CMakeCache.txt"; }

conf >/dev/null
has "default prefix: helper under /usr/local" /usr/local/libexec/nsjail-helper cached NSJAIL_HELPER_PATH

conf -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build "$B" -j2 --target nsjailctl pam_nsjail >"$W/build.log" 2>&1 || { no "build" "$(tail -n 20 "$W/build.log")"; }
has "reconfigured for /usr: nsjailctl --help names /usr/libexec/nsjail-helper" \
	"default /usr/libexec/nsjail-helper" "$B/nsjailctl" --help
has "... and /etc/nsjail.conf" "default /etc/nsjail.conf" "$B/nsjailctl" --help
strings_x() { strings "$B/pam_nsjail.so" | grep -x -- "$1"; }
has "the module has /usr/libexec/nsjail-helper compiled in" /usr/libexec/nsjail-helper strings_x /usr/libexec/nsjail-helper
has "the module has /etc/nsjail.conf compiled in" /etc/nsjail.conf strings_x /etc/nsjail.conf
lacks "nothing of /usr/local left in the module" /usr/local strings "$B/pam_nsjail.so"
lacks "nothing of /usr/local left in nsjailctl --help" /usr/local "$B/nsjailctl" --help

# An explicit override: kept, and loud when the prefix changes under it.
has "an override is taken" "NSJAIL_HELPER_PATH: /opt/nsj/helper (override" \
	conf -DNSJAIL_HELPER_PATH=/opt/nsj/helper
has "the prefix changes: the override stays, with a warning" \
	"NSJAIL_HELPER_PATH=/opt/nsj/helper is an explicit override: it stays" \
	conf -DCMAKE_INSTALL_PREFIX=/usr/local
has "... the configuration path followed the prefix" /usr/local/etc/nsjail.conf cached NSJAIL_CONFIG_PATH
lacks "the next configure does not warn again" "Warning" conf
has "-U returns to the derived path" "NSJAIL_HELPER_PATH: /usr/local/libexec/nsjail-helper" \
	conf -UNSJAIL_HELPER_PATH

echo "$((n - nfail)) passed, $nfail failed"
[ "$nfail" -eq 0 ]
