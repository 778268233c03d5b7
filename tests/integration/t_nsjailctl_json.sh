#!/bin/bash
# nsjailctl check, explain, doors and status --json: exactly one JSON
# document on stdout (the schema of nsjailctl(8)), read back by python3's
# json module, with the documented exit statuses; hostile bytes (a quote, a
# backslash, a newline, a byte that is not UTF-8) in a file name and in a
# path of the policy still give valid UTF-8 JSON.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf

# json "desc" EXPR STATUS CMD...: CMD exits STATUS and its stdout is one
# JSON document d (strict UTF-8, nothing after it) for which the python
# expression EXPR holds.
json() {
	local desc=$1 expr=$2 want=$3; shift 3
	_nsj_run "$@"
	local why
	why=$(python3 - "$T/out" "$expr" 2>&1 <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
d = json.loads(raw.decode("utf-8", "strict"))
assert raw.endswith(b"\n") and raw.count(b"\n") == 1, "not one line"
assert eval(sys.argv[2]), "false: " + sys.argv[2]
PY
	)
	if [ $? -eq 0 ] && [ "$NSJ_RC" -eq "$want" ]; then pass "$desc"
	else fail "$desc" "want status $want and: $expr" "$why" "$(_nsj_show "$@")"; fi
}

mkdir -p /srv/secret /srv/data
nsj_config <<'EOF'
version = 1;
jails = (
  {
    name = "ro";
    users = [ "alice" ];
    groups = [ "contractors" ];
    read_only = [ "/" ];
    tmpfs = [ "/srv/data" ];
    inaccessible = [ "/srv/secret", "/srv/not-there" ];
  }
);
EOF

# --- check
json "check --json: ok, one jail, the warning as a diagnostic" \
	'd["command"] == "check" and d["ok"] is True and d["file"] == "'"$C"'" and d["jails"] == 1 and d["errors"] == 0 and d["warnings"] == 1 and d["strict"] is False and d["diagnostics"][0]["level"] == "warning" and d["diagnostics"][0]["file"] == "'"$C"'" and isinstance(d["diagnostics"][0]["line"], int) and "/srv/not-there" in d["diagnostics"][0]["message"]' \
	0 "$NSJ" check --json -c "$C"
json "check --json --strict: the warning fails (exit 1, ok false)" \
	'd["ok"] is False and d["strict"] is True and d["warnings"] == 1' \
	1 "$NSJ" check --json --strict -c "$C"
printf 'version = 1;\njails = ( { name = "x"; users = [ "alice" ]; bogus = 1; } );\n' | nsj_config
json "check --json: an error is exit 1, level error, with its line" \
	'd["ok"] is False and d["errors"] >= 1 and d["jails"] is None and any(x["level"] == "error" and x["line"] == 2 for x in d["diagnostics"])' \
	1 "$NSJ" check --json -c "$C"
json "check --json: a missing file is exit 1 naming it" \
	'd["ok"] is False and any("/nonexistent/x.conf" in (x["file"] or "") + x["message"] for x in d["diagnostics"])' \
	1 "$NSJ" check --json -c /nonexistent/x.conf
status_is "check: a usage error is exit 2" 2 "$NSJ" check --json extra
status_is "check: an unknown option is exit 2" 2 "$NSJ" check --no-such-option

# --- hostile strings: the file's name and a path in it
H=$(printf '%s/we"ird\\na\nme\xff.conf' "$T")
printf 'version = 1;\njails = ( { name = "h"; users = [ "alice" ]; inaccessible = [ "/srv/q\\"b\\\\s\xffx" ]; } );\n' >"$H"
chown root:root "$H"; chmod 0644 "$H"
json "check --json: a hostile file name and path give valid JSON, bytes kept" \
	'"\"" in d["file"] and "\\" in d["file"] and "\n" in d["file"] and d["file"].endswith("me\u00ff.conf") and any("/srv/q\"b\\s\u00ffx" in x["message"] for x in d["diagnostics"])' \
	0 "$NSJ" check --json -c "$H"
printf 'version = 1;\njails = ( { name = "h"; users = [ "alice" ]; bogus\x01\xfe = 1; } );\n' >"$H"
json "check --json: an error about control and non-UTF-8 bytes is valid JSON" \
	'd["ok"] is False and len(d["diagnostics"]) >= 1' 1 "$NSJ" check --json -c "$H"

# --- explain
nsj_config <<'EOF'
version = 1;
jails = (
  {
    name = "ro";
    users = [ "alice" ];
    read_only = [ "/" ];
    tmpfs = [ "/srv/data" ];
    inaccessible = [ "/srv/secret" ];
  }
);
EOF
json "explain --json: alice is jailed, the plan's steps in order" \
	'd["command"] == "explain" and d["jailed"] is True and d["user"] == "alice" and d["service"] == "login" and d["jail"]["name"] == "ro" and d["jail"]["file"] == "'"$C"'" and [s["kind"] for s in d["plan"]["steps"] if not s["auto"]] == ["read_only", "tmpfs", "inaccessible"] and d["plan"]["steps"][1]["dst"] == "/srv/data" and d["plan"]["steps"][1]["arg"] == 0o755 and d["plan"]["steps"][0]["line"] == 6 and "matched by user" in d["reason"]' \
	0 "$NSJ" explain --json -c "$C" alice
json "explain --json: bob is not jailed: exit 0, jailed false, no plan" \
	'd["jailed"] is False and d["jail"] is None and d["plan"] is None and d["user"] == "bob"' \
	0 "$NSJ" explain --json -c "$C" bob
json "explain --json -s sshd --tty: the service and terminal are echoed" \
	'd["service"] == "sshd" and d["tty"] == "/dev/pts/0"' \
	0 "$NSJ" explain --json -s sshd --tty /dev/pts/0 -c "$C" alice
json "explain --json: an unknown user is exit 1, ok false" \
	'd["ok"] is False and d["user"] == "nosuchuser"' 1 "$NSJ" explain --json -c "$C" nosuchuser

# --- doors: a PAM directory of our own
P=$T/pamd
mkdir -p "$P"
printf 'session required pam_unix.so\nsession required %s\n' "$NSJ_PAM_MODULE" >"$P/sshd"
printf 'session required pam_unix.so\n' >"$P/cron"
printf 'auth required pam_unix.so\n' >"$P/chsh"
json "doors --json: cron is an uncovered door, sshd covered (exit 1)" \
	'd["command"] == "doors" and d["ok"] is False and d["uncovered"] == ["cron"] and [s["service"] for s in d["services"]] == ["chsh", "cron", "sshd"] and [s for s in d["services"] if s["service"] == "sshd"][0]["covered"] is True and [s for s in d["services"] if s["service"] == "sshd"][0]["control"] == "required" and [s for s in d["services"] if s["service"] == "cron"][0]["nsjail"] is False and [s for s in d["services"] if s["service"] == "chsh"][0]["session"] is False and isinstance(d["outside"], list) and all(set(o) == {"door", "state", "note"} for o in d["outside"])' \
	1 "$NSJ" doors --json --pam-dir "$P" --vendor-dir "$T/none"
printf 'session required pam_unix.so\nsession required %s\n' "$NSJ_PAM_MODULE" >"$P/cron"
json "doors --json: every door covered: exit 0, ok true" \
	'd["ok"] is True and d["uncovered"] == []' \
	0 "$NSJ" doors --json --pam-dir "$P" --vendor-dir "$T/none"

# --- status: a live shared jail built by run, then one that is not proven
nsj_config <<'EOF'
version = 1;
jails = ( { name = "sh"; users = [ "alice" ]; private_tmp = true; shared = true; } );
EOF
json "status --json: none live: exit 0, empty lists" \
	'd["command"] == "status" and d["ok"] is True and d["jails"] == [] and d["unproven"] == [] and d["helper"] == "'"$NSJ_HELPER"'"' \
	0 "$NSJ" status --json --helper "$NSJ_HELPER"
ok "a shared jail built by run, kept by a background sleep" \
	"$NSJ" run -c "$C" --helper "$NSJ_HELPER" alice -- sh -c 'sleep 300 </dev/null >/dev/null 2>&1 &'
json "status --json: alice's jail, with its keeper and generation" \
	'd["ok"] is True and len(d["jails"]) == 1 and d["jails"][0]["user"] == "alice" and d["jails"][0]["uid"] == 2001 and d["jails"][0]["jail"] == "sh" and d["jails"][0]["procs"] >= 1 and d["jails"][0]["keeper"] > 1 and len(d["jails"][0]["generation"]) == 16 and d["jails"][0]["age"] >= 0' \
	0 "$NSJ" status --json --helper "$NSJ_HELPER"
# An entry whose keeper is not proven: alice's own entry, copied under
# another name with a process that is not a keeper (a root sleep) as its
# keeper. (A copy of the helper elsewhere no longer makes one: a keeper is
# proven by the executable recorded at registration, across upgrades.)
real=$(ls /run/nsjail/shared | grep '^2001-' | head -n 1)
sleep 300 &
fake_keeper=$!
nsj_at_exit "kill $fake_keeper"
sed "s/^pid=.*/pid=$fake_keeper/" "/run/nsjail/shared/$real" >/run/nsjail/shared/2001-00000000000000fe
json "status --json: an entry whose keeper is not proven: exit 1, the live jail still listed" \
	'd["ok"] is False and len(d["jails"]) == 1 and len(d["unproven"]) == 1 and d["unproven"][0]["user"] == "alice" and d["unproven"][0]["keeper"] > 1 and "not proven" in d["unproven"][0]["reason"]' \
	1 "$NSJ" status --json --helper "$NSJ_HELPER"
status_is "status (text): the same unproven entry is exit 1" 1 "$NSJ" status --helper "$NSJ_HELPER"
output_contains "... saying so on stderr" "not proven" "$NSJ" status --helper "$NSJ_HELPER"
rm -f /run/nsjail/shared/2001-00000000000000fe
printf 'garbage\n' >/run/nsjail/shared/2003-00000000000000ff
json "status --json: an entry that cannot be read is unproven: exit 1" \
	'd["ok"] is False and len(d["jails"]) == 1 and any(u["entry"] == "2003-00000000000000ff" and u["user"] is None for u in d["unproven"])' \
	1 "$NSJ" status --json --helper "$NSJ_HELPER"
rm -f /run/nsjail/shared/2003-00000000000000ff
"$NSJ" stop --helper "$NSJ_HELPER" alice >/dev/null 2>&1
