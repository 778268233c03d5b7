#!/bin/bash
# nsjailctl edit, driven by scripted editors: an invalid copy is never
# installed (the file stays byte for byte), "e" edits again, a valid copy is
# installed atomically as root:root 0644, concurrent edits are refused.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf

# edit ANSWERS EDITOR [ARGS...]: nsjailctl edit -c $C with EDITOR and
# ANSWERS on its standard input.
edit() {
	local answers=$1 editor=$2; shift 2
	printf "$answers" | env -u VISUAL EDITOR="$editor" "$NSJ" edit -c "$C" "$@"
}
unchanged() { cmp -s "$C" "$T/orig.conf"; }
no_leftovers() { [ -z "$(find "$(dirname "$C")" -maxdepth 1 -name ".$(basename "$C").*")" ]; }

nsj_config <<'EOF'
version = 1;
jails = ( { name = "first"; users = [ "alice" ]; read_only = [ "/" ]; } );
EOF
cp -p "$C" "$T/orig.conf"

# Editors: each records the file it was given.
cat >"$T/bin/ed-bad" <<EOF
#!/bin/sh
echo "\$1" >>"$T/edited"
echo 'bogus_key = 1;' >>"\$1"
EOF
cat >"$T/bin/ed-good" <<EOF
#!/bin/sh
for f; do :; done
echo "\$f" >>"$T/edited"
[ \$# -eq 1 ] || echo "extra argument \$*" >>"$T/edited"
sed -i '0,/"alice"/s//"alice", "bob"/' "\$f"
EOF
# Bad the first time, good the second.
cat >"$T/bin/ed-twice" <<EOF
#!/bin/sh
if [ -e "$T/twice" ]; then
	sed -i '/bogus_key/d; s/"alice"/"alice", "erin"/' "\$1"
else
	: >"$T/twice"
	echo 'bogus_key = 1;' >>"\$1"
fi
EOF
# Changes the copy's mode and owner the way some editors do.
cat >"$T/bin/ed-chmod" <<EOF
#!/bin/sh
sed -i 's/"alice"/"alice", "carol"/' "\$1"
chmod 0600 "\$1"; chown alice "\$1"
EOF
chmod 0755 "$T"/bin/ed-*

# --- an invalid edit is refused
rm -f "$T/edited"
status_is "an invalid edit, answer x: exit 1" 1 edit 'x\n' "$T/bin/ed-bad"
ok "... the file is byte for byte the old one" unchanged
ok "... no temporary file is left" no_leftovers
output_matches() {
	local desc=$1 re=$2; shift 2
	_nsj_run "$@"
	if grep -qE -- "$re" "$T/out" "$T/err"; then pass "$desc"
	else fail "$desc" "expected a line matching: $re" "$(_nsj_show "$@")"; fi
}
output_matches "the errors name the edited file and line, not the copy" "^$C:3: error:" edit 'x\n' "$T/bin/ed-bad"
output_contains "the question is asked" "What now? (e)dit again, e(x)it without saving" edit 'x\n' "$T/bin/ed-bad"
output_contains "the file is said to be unchanged" "$C: not changed" edit 'x\n' "$T/bin/ed-bad"
status_is "end of input counts as x" 1 edit '' "$T/bin/ed-bad"
ok "... unchanged" unchanged
status_is "an unknown answer asks again" 1 edit 'q\nsave\nx\n' "$T/bin/ed-bad"
ok "... unchanged, no save anyway" unchanged
rm -f "$T/edited"
edit 'x\n' "$T/bin/ed-bad" >/dev/null 2>&1
copy=$(head -n 1 "$T/edited")
if [ "$(dirname "$copy")" = "$T" ] && [ "$copy" != "$C" ]; then pass "the copy is in the same directory: $copy"
else fail "the copy is in the same directory" "editor got: $copy"; fi

# --- e: edit again, then install
rm -f "$T/twice"
status_is "e then a good edit: exit 0" 0 edit 'e\n' "$T/bin/ed-twice"
ok "... installed" grep -q '"alice", "erin"' "$C"
ok "... without the bad line" sh -c "! grep -q bogus_key '$C'"
cp -p "$C" "$T/orig.conf"

# --- a good edit
ino=$(stat -c %i "$C")
output_contains "a good edit is installed" "$C: installed (1 jail)" edit '' "$T/bin/ed-good"
ok "... with the change" grep -q '"alice", "bob"' "$C"
output_is "... owned by root, mode 0644" "root:root 644" stat -c '%U:%G %a' "$C"
if [ "$(stat -c %i "$C")" != "$ino" ]; then pass "... replaced by rename (a new inode)"
else fail "... replaced by rename (a new inode)"; fi
ok "... no temporary file is left" no_leftovers
ok "the installed file passes check" "$NSJ" check -c "$C"
cp -p "$C" "$T/orig.conf"
output_contains "an editor changing owner and mode: still root 0644" "installed" edit '' "$T/bin/ed-chmod"
output_is "... root:root 0644" "root:root 644" stat -c '%U:%G %a' "$C"

# --- nothing changed, editor failing, the editor variables
cp -p "$C" "$T/orig.conf"
output_contains "no change: said so" "$C: unchanged" edit '' true
status_is "no change: exit 0" 0 edit '' true
status_is "an editor that fails: exit 1" 1 edit '' false
ok "... unchanged" unchanged
ok "... no temporary file is left" no_leftovers
rm -f "$T/edited"
status_is "EDITOR with arguments runs through the shell" 0 edit '' "$T/bin/ed-good --flag"
ok "... and got the copy as its last argument" grep -q "extra argument --flag /" "$T/edited"
cp -p "$C" "$T/orig.conf"
rm -f "$T/edited"
ok "VISUAL wins over EDITOR" sh -c "VISUAL='$T/bin/ed-good' EDITOR=false '$NSJ' edit -c '$C' </dev/null"
ok "... VISUAL ran" test -s "$T/edited"

# --- concurrent edits
cp -p "$C" "$T/orig.conf"
cat >"$T/bin/ed-nested" <<EOF
#!/bin/sh
EDITOR=true "$NSJ" edit -c "$C" >"$T/nested.out" 2>&1 </dev/null
echo \$? >"$T/nested.rc"
EOF
chmod 0755 "$T/bin/ed-nested"
edit '' "$T/bin/ed-nested" >/dev/null 2>&1
output_is "an edit while another runs: exit 1" 1 cat "$T/nested.rc"
output_contains "... with a clear message" "is being edited" cat "$T/nested.out"
(exec 9>"$C.lock"; flock 9; exec sleep 30) &
locker=$!
for _ in $(seq 50); do flock -n "$C.lock" true || break; sleep 0.05; done
status_is "the lock held by another process: refused" 1 edit '' "$T/bin/ed-good"
ok "... and the file unchanged" unchanged
kill "$locker"; wait "$locker" 2>/dev/null
status_is "once released, edit works again" 0 edit '' true

# --- the copy is checked with the installed drop-ins
nsj_config <<EOF
version = 1;
settings = { include_dir = "$T/nsjail.d"; };
jails = ( { name = "main"; users = [ "alice" ]; } );
EOF
nsj_dropin 10-other.conf <<'EOF'
jails = ( { name = "other"; users = [ "bob" ]; } );
EOF
cp -p "$C" "$T/orig.conf"
cat >"$T/bin/ed-dup" <<EOF
#!/bin/sh
sed -i 's/name = "main"/name = "other"/' "\$1"
EOF
chmod 0755 "$T/bin/ed-dup"
status_is "a name clashing with a drop-in is refused" 1 edit 'x\n' "$T/bin/ed-dup"
ok "... unchanged" unchanged

# --- a file that does not exist yet: the template
C=$T/new.conf
status_is "a new file left as the template: exit 0" 0 edit '' true
ok "... nothing created" test ! -e "$C"
cat >"$T/bin/ed-new" <<'EOF'
#!/bin/sh
sed -i 's/^jails = ( );/jails = ( { name = "n"; users = [ "alice" ]; } );/' "$1"
EOF
chmod 0755 "$T/bin/ed-new"
output_contains "a new file is created from the template" "$C: installed (1 jail)" edit '' "$T/bin/ed-new"
output_is "... root:root 0644" "root:root 644" stat -c '%U:%G %a' "$C"

fails "edit needs root" setpriv --reuid=2003 --regid=2003 --clear-groups env EDITOR=true "$NSJ" edit -c "$C"
