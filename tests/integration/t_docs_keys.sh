#!/bin/bash
# The manual pages cannot drift from the code: every key the parser accepts
# (lib/policy/config.c: top level, settings, jails) is documented in nsjail.conf(5)
# under its section, and every key documented there is accepted (fed to
# `nsjailctl check`); the same for nsjailctl's subcommands and options
# (nsjailctl(8)) and the module's options (pam_nsjail(8)).
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf
S=$NSJ_SRC

# fn_body FILE NAME: the body of C function NAME (from its definition to
# the closing brace at column 0).
fn_body() { awk -v f="$2" '$0 ~ "^[a-z].*[ *]" f "\\(" { on = 1 } on { print } on && /^}/ { exit }' "$1"; }
# strcmp_keys: the "KEY" of every strcmp(key, "KEY") on stdin.
strcmp_keys() { grep -oE 'strcmp\(key, "[a-z_]+"\)' | sed -E 's/.*"([a-z_]+)".*/\1/'; }
# doc_keys FILE SECTION: every *KEY* = ... defined at column 0 of SECTION.
doc_keys() {
	awk -v s="# $2" '/^# / { on = ($0 == s) } on && /^\*[a-z_]+\* =/ { print }' "$1" |
		grep -oE '\*[a-z_]+\* =' | sed -E 's/\*([a-z_]+)\* =/\1/'| sort -u
}
sorted() { printf '%s\n' "$@" | sort -u | sed '/^$/d'; }

# same "desc" "code list" "doc list": the two sets are equal.
same() {
	local missing extra
	missing=$(comm -23 <(sorted $2) <(sorted $3))
	extra=$(comm -13 <(sorted $2) <(sorted $3))
	if [ -z "$missing$extra" ]; then pass "$1"
	else fail "$1" "in the code, not documented: ${missing//$'\n'/ }" \
		"documented, not in the code: ${extra//$'\n'/ }"; fi
}

# --- nsjail.conf(5)
paths=$(grep -A2 'path_list_key\[PL__COUNT\] = {' "$S/lib/policy/config.c" | grep -oE '"[a-z_]+"' | tr -d '"')
jail_code="name $paths $(fn_body "$S/lib/policy/config.c" jail_key | strcmp_keys)"
settings_code=$(fn_body "$S/lib/policy/config.c" parse_settings | strcmp_keys)
top_code=$(fn_body "$S/lib/policy/config.c" parse_top | strcmp_keys)
ok "the parser's tables were found" test "$(sorted $jail_code | wc -l)" -ge 10 -a -n "$settings_code" -a -n "$top_code"
jail_doc=$(doc_keys "$S/conf/nsjail.conf.5.scd" JAILS)
settings_doc=$(doc_keys "$S/conf/nsjail.conf.5.scd" SETTINGS)
top_doc=$(doc_keys "$S/conf/nsjail.conf.5.scd" "TOP-LEVEL KEYS")
same "nsjail.conf(5) JAILS = the parser's jail keys" "$jail_code" "$jail_doc"
same "nsjail.conf(5) SETTINGS = the parser's settings keys" "$settings_code" "$settings_doc"
same "nsjail.conf(5) TOP-LEVEL KEYS = the parser's top-level keys" "$top_code" "$top_doc"

# accepted "desc" KEY: the last `nsjailctl check` of $C did not call KEY
# unknown (its value may still be wrong: 0 is not every key's type).
accepted() {
	_nsj_run "$NSJ" check -c "$C"
	if ! grep -qF -- "unknown key '$2'" "$T/err"; then pass "$1"
	else fail "$1" "$(_nsj_show "$NSJ" check -c "$C")"; fi
}
# Every documented key, fed to the real parser, is known to it.
for k in $jail_doc; do
	[ "$k" = name ] && continue
	printf 'version = 1;\njails = ( { name = "x"; users = [ "alice" ]; %s = 0; } );\n' "$k" | nsj_config
	accepted "jail key '$k' (documented) is accepted" "$k"
done
for k in $settings_doc; do
	printf 'version = 1;\nsettings = { %s = 0; };\n' "$k" | nsj_config
	accepted "settings key '$k' (documented) is accepted" "$k"
done
for k in $top_doc; do
	[ "$k" = version ] && continue
	printf 'version = 1;\n%s = 0;\n' "$k" | nsj_config
	accepted "top-level key '$k' (documented) is accepted" "$k"
done
printf 'version = 1;\njails = ( { name = "x"; users = [ "alice" ]; no_such_key = 0; } );\n' | nsj_config
_nsj_run "$NSJ" check -c "$C"
if grep -qF "unknown key 'no_such_key'" "$T/err"; then pass "control: an undocumented key is called unknown"
else fail "control: an undocumented key is called unknown" "$(_nsj_show "$NSJ" check -c "$C")"; fi

# --- nsjailctl(8): subcommands and options
cmds_code=$(grep -oE '\{ "[a-z]+", cmd_[a-z]+ \}' "$S/cli/nsjailctl.c" | sed -E 's/\{ "([a-z]+)".*/\1/')
cmds_doc=$(awk '/^# / { on = ($0 == "# COMMANDS") } on && /^\*[a-z]+\*/ { print }' "$S/conf/nsjailctl.8.scd" | sed -E 's/^\*([a-z]+)\*.*/\1/')
same "nsjailctl(8) COMMANDS = the subcommands" "$cmds_code" "$cmds_doc"
cmds_syn=$(grep -oE '^\*nsjailctl [a-z]+\*' "$S/conf/nsjailctl.8.scd" | sed -E 's/\*nsjailctl ([a-z]+)\*/\1/')
same "nsjailctl(8) SYNOPSIS = the subcommands" "$cmds_code" "$cmds_syn"
for c in $cmds_doc; do
	ok "nsjailctl $c (documented) is a command" "$NSJ" "$c" --help
done
opts_code=$(grep -hoE '\{ "[a-z-]+", (no|required)_argument' "$S"/cli/*.c | sed -E 's/\{ "([a-z-]+)".*/\1/')
opts_doc=$(awk '/^# / { on = ($0 == "# OPTIONS") } on && /^\*-/ { print }' "$S/conf/nsjailctl.8.scd" | grep -oE '\*--[a-z-]+\*' | tr -d '*' | sed 's/^--//')
same "nsjailctl(8) OPTIONS = the long options" "$opts_code" "$opts_doc"
status_is "control: an undocumented option is refused (check: usage error 2)" 2 "$NSJ" check --no-such-option

# --- pam_nsjail(8): module options
mod_code=$(fn_body "$S/pam_nsjail/pam_nsjail.c" parse_options | grep -oE '"[a-z]+=?"' | tr -d '"')
mod_doc=$(awk '/^# / { on = ($0 == "# OPTIONS") } on && /^\*[a-z]+=?\*/ { print }' "$S/conf/pam_nsjail.8.scd" | sed -E 's/^\*([a-z]+=?)\*.*/\1/')
same "pam_nsjail(8) OPTIONS = the module's options" "$mod_code" "$mod_doc"
syn=$(grep -m1 '^\*session required pam_nsjail.so\*' "$S/conf/pam_nsjail.8.scd")
for o in $mod_code; do
	case $syn in
	*"*$o*"*) pass "pam_nsjail(8) SYNOPSIS shows $o" ;;
	*) fail "pam_nsjail(8) SYNOPSIS shows $o" "synopsis: $syn" ;;
	esac
done

# --- the examples of nsjail.conf(5) load: a main file has `version = 1;`,
# a block introduced as a drop-in loads from include_dir.
mkdir -p "$T/ex"
python3 - "$S/conf/nsjail.conf.5.scd" "$T/ex" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
n, i = 0, 0
while i < len(lines):
    if lines[i].startswith("```"):
        j = i + 1
        while not lines[j].startswith("```"):
            j += 1
        body = "\n".join(lines[i + 1:j]) + "\n"
        intro = " ".join(lines[max(0, i - 3):i])
        if "jails" in body or "version" in body:
            n += 1
            kind = "dropin" if "drop-in" in intro else "main"
            open("%s/%02d.%s" % (sys.argv[2], n, kind), "w").write(body)
        i = j
    i += 1
PY
for f in "$T"/ex/*; do
	[ -e "$f" ] || continue
	name=${f##*/}
	if [ "${name##*.}" = main ]; then
		nsj_config <"$f"
		status_is "nsjail.conf(5) example $name loads (version = 1; and no error)" 0 "$NSJ" check -c "$C"
	else
		printf 'version = 1;\nsettings = { include_dir = "%s/nsjail.d"; };\n' "$T" | nsj_config
		nsj_dropin 50-example.conf <"$f"
		status_is "nsjail.conf(5) example $name loads as a drop-in" 0 "$NSJ" check -c "$C"
		rm -f "$T/nsjail.d/50-example.conf"
	fi
done
ok "nsjail.conf(5) has its three examples" test "$(ls "$T/ex" | wc -l)" -ge 3
