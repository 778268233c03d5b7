#!/bin/bash
# nsjailctl check -c FILE as a config-management validate command (Ansible
# validate:, Puppet validate_cmd, Chef verify): any path (a temporary file
# not named nsjail.conf), drop-ins of its include_dir included; exit 0
# valid, 1 invalid, 2 usage error. Runs the README recipe's command the way
# those tools do: on a temporary copy, installed only when it passes.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
PATH=$NSJ_BUILD:$PATH
# The README's recipe (its Ansible validate: line), as written there.
VALIDATE=$(grep -m1 -oP '^\s+validate: \K.*' "$NSJ_SRC/README.md")
nsj_require test "$VALIDATE" = 'nsjailctl check -c %s'
DEST=$T/etc-nsjail.conf
# push SRC: what Ansible's copy/template module does with validate:
# a root-owned 0600 temporary file beside DEST, the command with %s
# replaced, and a rename only when it exits 0.
push() {
	local tmp rc
	tmp=$(mktemp "$(dirname "$DEST")/.ansible_tmpXXXXXX") || return 99
	cat "$1" >"$tmp"
	sh -c "${VALIDATE//%s/$tmp}"
	rc=$?
	if [ $rc -eq 0 ]; then mv "$tmp" "$DEST"; else rm -f "$tmp"; fi
	return $rc
}

mkdir -p /srv/secret
cat >"$T/good.conf" <<EOF2
version = 1;
settings = { include_dir = "$T/nsjail.d"; };
jails = ( { name = "main"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2
nsj_dropin 10-carol.conf <<'EOF2'
jails = ( { name = "carol"; users = [ "carol" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2
status_is "a valid file at a temporary path: exit 0" 0 push "$T/good.conf"
ok "... installed" cmp -s "$T/good.conf" "$DEST"

sed 's/inaccessible/inacessible/' "$T/good.conf" >"$T/typo.conf"
status_is "an unknown key: exit 1" 1 push "$T/typo.conf"
ok "... not installed" cmp -s "$T/good.conf" "$DEST"
output_contains "... FILE:LINE names the temporary file" ".ansible_tmp" push "$T/typo.conf"

sed 's/users = \[ "alice" \]/groups = [ "contractrs" ]/' "$T/good.conf" >"$T/group.conf"
status_is "an unknown group: exit 1" 1 push "$T/group.conf"

# The drop-ins of its include_dir are checked too.
nsj_dropin 20-bad.conf <<'EOF2'
jails = ( { name = "bad"; users = [ "bob" ]; inaccessible = [ "relative" ]; } );
EOF2
status_is "a bad drop-in: exit 1" 1 push "$T/good.conf"
output_contains "... naming the drop-in" "$T/nsjail.d/20-bad.conf:1: error" push "$T/good.conf"
rm "$T/nsjail.d/20-bad.conf"
sed "s|$T/nsjail.d|$T/nsjail.gone|" "$T/good.conf" >"$T/gone.conf"
status_is "a missing include_dir: exit 1" 1 push "$T/gone.conf"
ok "... the installed file is the last good one" cmp -s "$T/good.conf" "$DEST"

# A file the module would refuse (group-writable) is refused here too.
cp "$T/good.conf" "$T/gw.conf"; chmod 0664 "$T/gw.conf"
status_is "a group-writable file: exit 1" 1 nsjailctl check -c "$T/gw.conf"

# Usage errors are 2: the tool tells them from an invalid file.
status_is "usage: -c without FILE: exit 2" 2 nsjailctl check -c
status_is "usage: an extra operand: exit 2" 2 nsjailctl check -c "$DEST" extra
status_is "usage: an unknown option: exit 2" 2 nsjailctl check --no-such-option -c "$DEST"
