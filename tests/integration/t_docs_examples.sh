#!/bin/bash
# The project's own examples pass its own strict check: every nsjail.conf
# example in README, docs/, the manual pages, the shipped and example
# configs and the quick start's demo (found by tests/lib/doc_configs.py,
# generically: a new example is checked without touching this test) passes
# `nsjailctl check --strict`; one marked as a deliberate bad example must
# fail it. What an example names on the host (users, groups, paths, the
# include_dir) is made first, here in the sandbox: only what the example
# itself says may warn. /etc is an overlay over the host's (its upper
# layer in the sandbox's /run), so an include_dir is made without touching
# the host's /etc.
. "$NSJ_SRC/tests/lib/functions.sh"
up=$(mktemp -d /run/nsj-etc.XXXXXX)
mkdir "$up/up" "$up/work"
nsj_require mount -t overlay nsj-etc -o "lowerdir=/etc,upperdir=$up/up,workdir=$up/work" /etc
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
S=$NSJ_SRC
D=$T/examples
mkdir -p "$D"
shopt -s nullglob
# shellcheck disable=SC2035 # relative names, printed as FILE:LINE
(cd "$S" && python3 tests/lib/doc_configs.py "$D" *.md docs/*.md docs/*/*.md conf/*.scd \
	conf/nsjail.conf conf/nsjail.conf.example scripts/quickstart.sh) >"$T/examples.list"
ok "examples were found (README, nsjail.conf(5), the quick start, the example config)" \
	sh -c "grep -q ' README.md:' '$T/examples.list' && grep -q ' conf/nsjail.conf.5.scd:' '$T/examples.list' &&
	       grep -q ' scripts/quickstart.sh:' '$T/examples.list' && grep -q ' conf/nsjail.conf.example:' '$T/examples.list'"

# make_host FILE: creates what check's warnings say is missing on the
# host: users, groups, and paths (on the sandbox's tmpfs or /etc overlay).
uid=3100
# (Names and paths hold no blanks: word splitting is what is wanted.)
# shellcheck disable=SC2013
make_host() {
	local out name p
	out=$("$NSJ" check --strict -c "$1" 2>&1)
	for name in $(grep -oE "unknown user '[^']+'" <<<"$out" | cut -d"'" -f2 | sort -u); do
		uid=$((uid + 1))
		echo "$name:x:$uid:$uid::/home/$name:/bin/sh" >>"$T/etc/passwd"
	done
	for name in $(grep -oE "unknown group '[^']+'" <<<"$out" | cut -d"'" -f2 | sort -u); do
		uid=$((uid + 1))
		echo "$name:x:$uid:" >>"$T/etc/group"
	done
	# A jail with ssh_keys wants sshd's capture line (README "A jail per
	# ssh key"): the overlay's sshd stack gets it, first.
	if grep -q "has no capture_ssh_key line" <<<"$out" && [ -f /etc/pam.d/sshd ]; then
		{ echo "session required pam_nsjail.so capture_ssh_key"; cat /etc/pam.d/sshd; } >"$T/sshd.pam"
		cat "$T/sshd.pam" >/etc/pam.d/sshd
	fi
	for p in $(grep -oE "(path|source) '/[^']+' does not exist" <<<"$out" | cut -d"'" -f2) \
		$(sed -nE 's|^(/[^:]+): error: settings.include_dir does not exist.*|\1|p' <<<"$out"); do
		case $p in
		/srv/* | /home/* | /etc/* | /tmp/* | /run/*) mkdir -p "$p" ;;
		*) echo "# $1: $p cannot be made in the sandbox" ;;
		esac
	done
}

while read -r name expect where; do
	f=$D/$name
	chmod 0644 "$f"
	make_host "$f"
	case $expect in
	good) ok "$where: passes nsjailctl check --strict" "$NSJ" check --strict -c "$f" ;;
	bad) fails "$where (marked bad): fails nsjailctl check --strict" "$NSJ" check --strict -c "$f" ;;
	esac
done <"$T/examples.list"
