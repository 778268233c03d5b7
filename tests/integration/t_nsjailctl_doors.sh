#!/bin/bash
# nsjailctl doors: which PAM services run the module (through @include,
# include and substack), last and once, with which control; the vendor
# directory and the /etc file that replaces a vendor one; the doors outside
# PAM (MTA pipes, atd, cron, systemd-user); exit 1 for an uncovered door,
# 0 when every door is covered, 2 on a usage error. Then the real stacks:
# this machine's /etc/pam.d as installed, and the harness's copy with the
# module placed as the README says.
. "$NSJ_SRC/tests/lib/functions.sh"
NSJ=$NSJ_BUILD/nsjailctl
# The stacks this test asserts on are built here, from the distribution's
# files of the services it knows, and bound over /etc/pam.d and
# /usr/lib/pam.d (in the sandbox only): a stack another package put on the
# host (firejail's xpra, including a system-auth Debian lacks) must not
# change the result. To prove it, one such stack is planted among the
# host's first.
KNOWN="common-account common-auth common-password common-session common-session-noninteractive
       other login sshd su su-l runuser runuser-l cron sudo sudo-i systemd-user"
HOSTPAM=$(mktemp -d)
cp -a /etc/pam.d/. "$HOSTPAM/"
printf 'auth include system-auth\naccount include system-auth\nsession include system-auth\n' >"$HOSTPAM/xpra"
# known_pam FROM: a copy of FROM holding only the KNOWN services' files.
known_pam() {
	local d s
	d=$(mktemp -d)
	for s in $KNOWN; do [ ! -e "$1/$s" ] || cp -a "$1/$s" "$d/"; done
	chmod 0755 "$d"
	echo "$d"
}
nsj_require mount --bind "$(known_pam "$HOSTPAM")" /etc/pam.d
[ ! -d /usr/lib/pam.d ] || nsj_require mount --bind "$(known_pam /usr/lib/pam.d)" /usr/lib/pam.d
# The machine's own stacks (of the known services), before nsj_setup binds
# the test copy over them.
REAL_OUT=$("$NSJ" doors 2>&1)
REAL_RC=$?
REAL_COPY=$(mktemp -d)
cp -a /etc/pam.d "$REAL_COPY/pam.d"
nsj_setup

# row_matches "desc" SERVICE ERE CMD...: the table row of SERVICE matches
# "^SERVICE +ERE" (columns: SESSION NSJAIL LAST ONCE CONTROL NOTE).
row_matches() {
	local desc=$1 svc=$2 re=$3; shift 3
	_nsj_run "$@"
	if grep -qE -- "^$svc +$re" "$T/out"; then pass "$desc"
	else fail "$desc" "expected a row: $svc $re" "$(_nsj_show "$@")"; fi
}
# output_matches "desc" ERE CMD...: stdout+stderr has a line matching ERE.
output_matches() {
	local desc=$1 re=$2; shift 2
	_nsj_run "$@"
	if grep -qE -- "$re" "$T/out" "$T/err"; then pass "$desc"
	else fail "$desc" "expected a line matching: $re" "$(_nsj_show "$@")"; fi
}

# --- a crafted host: $R/etc/pam.d, the vendor $R/usr/lib/pam.d, a module
R=$T/root
P=$R/etc/pam.d
V=$R/usr/lib/pam.d
mkdir -p "$P" "$V" "$R/usr/lib/x86_64-linux-gnu/security" "$R/usr/sbin"
: >"$R/usr/lib/x86_64-linux-gnu/security/pam_nsjail.so"
NS='session required pam_nsjail.so'
pam() { cat >"$P/$1"; }
pam common-auth <<<'auth required pam_unix.so'
pam common-session <<'EOF'
session [default=1] pam_permit.so
session requisite pam_deny.so
session required pam_permit.so
session required pam_unix.so
EOF
# As pam-auth-update --enable nsjail leaves it.
pam common-session-noninteractive <<EOF
session required pam_unix.so
$NS
EOF
pam lacking <<'EOF'
@include common-auth
@include common-session
EOF
pam noauth <<<'auth required pam_unix.so'
pam su <<EOF
@include common-auth
@include common-session
$NS
EOF
pam su-l <<'EOF'
session  optional  pam_keyinit.so force revoke
session  include   su
EOF
pam twice <<EOF
@include common-session-noninteractive
$NS # placed by hand too
EOF
pam notlast <<EOF
session required /usr/lib/x86_64-linux-gnu/security/pam_nsjail.so
session required pam_limits.so
session optional pam_mail.so
EOF
# substack -> @include -> a file with brackets, -session, comments and a
# line continued with a backslash.
pam chain <<'EOF'
session substack chain-a
EOF
pam chain-a <<'EOF'
# the middle of the chain
@include chain-b
EOF
pam chain-b <<'EOF'
-session optional pam_systemd.so   # skipped when missing
session [success=ok new_authtok_reqd=ok \
         ignore=ignore default=bad] \
	pam_nsjail.so debug
EOF
pam optional <<<'session optional pam_nsjail.so'
pam jumped <<EOF
session [success=1 default=ignore] pam_succeed_if.so user = bob
$NS
EOF
pam gone <<<'session required /lib/security/pam_nsjail.so'
pam suff <<EOF
session sufficient pam_rootok.so
$NS
EOF
# "sufficient" and a jump inside a substack end at its end: not a bypass.
pam subsuff <<EOF
session substack common-subsuff
$NS
EOF
pam common-subsuff <<'EOF'
session sufficient pam_permit.so
session [success=5 default=ignore] pam_permit.so
EOF
pam chfn <<<'@include common-session'
pam other <<<'@include common-session'
# The vendor directory: systemd-user only there; vendorsvc there and
# replaced by the file of the same name in /etc/pam.d.
cat >"$V/systemd-user" <<'EOF'
session required pam_limits.so
@include common-session-noninteractive
session optional pam_systemd.so
EOF
cat >"$V/vendorsvc" <<<'session required pam_unix.so'
pam vendorsvc <<<"$NS"
D=("$NSJ" doors --root "$R")

status_is "a door without the module: exit 1" 1 "${D[@]}"
cp "$T/out" "$T/crafted.out"
echo "# the crafted host:"; _nsj_diag <"$T/crafted.out"
output_matches "the header names the columns" '^SERVICE +SESSION +NSJAIL +LAST +ONCE +CONTROL +NOTE$' "${D[@]}"
row_matches "a service lacking the line is named" lacking "yes +no +- +- +- +.*door without the module" "${D[@]}"
row_matches "a stack without session lines is not a door" noauth "no +- +- +- +- " "${D[@]}"
row_matches "su runs it directly" su "yes +yes +yes +yes +required " "${D[@]}"
row_matches "su-l is covered through its include of su" su-l "yes +yes +yes +yes +required +su -l runs as su-l: covered through 'session include su'" "${D[@]}"
row_matches "twice: via common-session-noninteractive and directly" twice "yes +yes +yes +no +required +.*runs the module twice \(via common-session-noninteractive and directly\)" "${D[@]}"
row_matches "not last: the module after it is named" notlast "yes +yes +no +yes +required +.*module not last: pam_limits.so \(notlast:2\) and 1 more after it will run inside the jail" "${D[@]}"
row_matches "substack -> @include -> brackets, continuation" chain "yes +yes +yes +yes +\[success=ok" "${D[@]}"
row_matches "chain-a through @include" chain-a "yes +yes +yes +yes " "${D[@]}"
row_matches "-session and comments do not hide the module" chain-b "yes +yes +yes +yes +\[success=ok" "${D[@]}"
row_matches "optional: a failure lets the login in" optional "yes +yes +yes +yes +optional +.*a jail that cannot be built lets the login in unjailed" "${D[@]}"
row_matches "a jump over the module" jumped "yes +yes +yes +yes +required +.*a jump at jumped:1 can skip it" "${D[@]}"
row_matches "'sufficient' before the module ends the stack" suff "yes +yes +yes +yes +required +.*'sufficient' at suff:1 can end the stack before it" "${D[@]}"
row_matches "'sufficient' and a jump inside a substack stay inside it" subsuff "yes +yes +yes +yes +required +$" "${D[@]}"
row_matches "a module file that does not exist" gone "yes +yes +yes +yes +required +.*module file not found" "${D[@]}"
row_matches "common-* are included files, not services" common-session "yes +no +- +- +- +included file, not a service" "${D[@]}"
row_matches "other is the fallback, not counted" other "yes +no +- +- +- +fallback" "${D[@]}"
row_matches "chfn opens no session, not counted" chfn "yes +no +- +- +- +not a door" "${D[@]}"
row_matches "systemd-user from the vendor directory" systemd-user "yes +yes +no +yes +required +.*vendor file $V/systemd-user" "${D[@]}"
row_matches "a file in /etc/pam.d replaces the vendor one" vendorsvc "yes +yes +yes +yes +required +.*replaces the vendor file $V/vendorsvc" "${D[@]}"
output_contains "the summary counts the uncovered doors" "uncovered doors: gone jumped lacking optional suff" "${D[@]}"
output_lacks "no parse error on the crafted files" "error" sh -c "'$NSJ' doors --root '$R' 2>&1 >/dev/null; true"

# --- every door covered: exit 0
for f in lacking optional jumped gone suff; do mv "$P/$f" "$T/$f.off"; done
status_is "every door covered: exit 0" 0 "${D[@]}"
output_contains "and it says so" "every door with a session stack runs the module" "${D[@]}"
mv "$T/lacking.off" "$P/lacking"
status_is "--ignore SERVICE: not counted" 0 "${D[@]}" --ignore lacking
row_matches "--ignore SERVICE: shown as ignored" lacking "yes +no +- +- +- +ignored \(--ignore\)" "${D[@]}" --ignore lacking
rm "$P/lacking"

# --- the vendor directory, and --pam-dir/--vendor-dir overriding --root
rm "$P/vendorsvc"
status_is "the vendor file alone lacks the module: exit 1" 1 "${D[@]}"
row_matches "the vendor file is used when /etc has none" vendorsvc "yes +no +- +- +- +.*door without the module.*vendor file $V/vendorsvc" "${D[@]}"
status_is "--vendor-dir: another vendor directory" 0 "${D[@]}" --vendor-dir "$T/empty-vendor"
output_lacks "--vendor-dir: not read from --root" vendorsvc "${D[@]}" --vendor-dir "$T/empty-vendor"
mkdir -p "$T/pam2"
echo "$NS" >"$T/pam2/only"
output_matches "--pam-dir: another directory" '^only +yes +yes' "${D[@]}" --pam-dir "$T/pam2" --vendor-dir "$T/pam2"

# --- errors: FILE:LINE, the other lines still read, exit 1
mkdir -p "$T/bad"
cat >"$T/bad/loop-a" <<<'session include loop-b'
cat >"$T/bad/loop-b" <<<'@include loop-a'
printf 'session required pam_unix.so\nsession sometimes pam_nsjail.so\n' >"$T/bad/unknown"
printf '@include not-there\n' >"$T/bad/missing"
printf 'session [success=ok pam_nsjail.so\n' >"$T/bad/bracket"
printf 'session required\n' >"$T/bad/short"
B=("$NSJ" doors --root "$R" --pam-dir "$T/bad")
status_is "errors: exit 1" 1 "${B[@]}"
output_contains "an include cycle, with FILE:LINE" "$T/bad/loop-b:1: error: include cycle: loop-a -> loop-b -> loop-a" "${B[@]}"
output_contains "an unknown control, with FILE:LINE" "$T/bad/unknown:2: error: unknown control 'sometimes'" "${B[@]}"
output_contains "a missing included file" "$T/bad/missing:1: error: cannot open 'not-there'" "${B[@]}"
output_contains "an unterminated bracket" "$T/bad/bracket:1: error: unterminated '['" "${B[@]}"
output_contains "a line without a module" "$T/bad/short:1: error: no module" "${B[@]}"
row_matches "a service with an error is flagged" unknown "yes +.*stack has errors" "${B[@]}"
for i in $(seq 20); do echo "@include deep$((i + 1))" >"$T/bad/deep$i"; done
echo "$NS" >"$T/bad/deep21"
output_contains "includes nested too deep" "error: includes nested deeper than 16" "${B[@]}"

# --- usage: exit 2
status_is "an unknown option: exit 2" 2 "$NSJ" doors --bogus
status_is "an operand: exit 2" 2 "$NSJ" doors extra
status_is "a missing pam directory: exit 2" 2 "$NSJ" doors --pam-dir "$T/does-not-exist"
ok "--help" "$NSJ" doors --help
output_contains "--help lists doors" "nsjailctl doors" "$NSJ" --help

# --- doors outside PAM
O=("$NSJ" doors --root "$R" --ignore vendorsvc)
output_matches "nothing installed: every outside door absent" '^mail: exim4 +absent' "${O[@]}"
mkdir -p "$R/etc/exim4/conf.d/router"
cat >"$R/etc/exim4/conf.d/router/600_exim4-config_userforward" <<'EOF'
userforward:
  driver = redirect
  check_local_user
  file = $home/.forward
  # forbid_pipe
  allow_filter
  pipe_transport = address_pipe

EOF
output_matches "exim4 without forbid_pipe: open, with what to do" '^mail: exim4 +open +.*600_exim4-config_userforward:1: router userforward delivers ~/.forward pipes.*forbid_pipe' "${O[@]}"
sed -i 's/# forbid_pipe/forbid_pipe/' "$R/etc/exim4/conf.d/router/600_exim4-config_userforward"
output_matches "exim4 with forbid_pipe: closed" '^mail: exim4 +closed' "${O[@]}"
mkdir -p "$R/etc/postfix"
echo 'myhostname = example.org' >"$R/etc/postfix/main.cf"
output_matches "postfix by default: open" '^mail: postfix +open +.*allow_mail_to_commands.*default' "${O[@]}"
printf 'allow_mail_to_commands = alias, forward\nallow_mail_to_commands =\n  alias\n' >>"$R/etc/postfix/main.cf"
output_matches "postfix restricted to alias (last assignment, continued): closed" '^mail: postfix +closed' "${O[@]}"
: >"$R/usr/sbin/atd"
output_matches "atd without a PAM file: open (the fallback 'other')" '^at +open +.*atd' "${O[@]}"
pam atd <<EOF
@include common-session-noninteractive
EOF
output_matches "atd whose stack runs the module: closed" '^at +closed' "${O[@]}"
output_matches "cron not installed: absent" '^cron +absent' "${O[@]}"
: >"$R/usr/sbin/cron"
pam cron <<<'@include common-session'
output_matches "cron whose stack lacks it: open" '^cron +open +.*cron' "${O[@]}"
output_matches "systemd-user: the vendor file runs it (common-session-noninteractive)" '^systemd-user +closed' "${O[@]}"
echo 'session optional pam_systemd.so' >"$V/systemd-user"
output_matches "systemd-user: the vendor file lacks it: copy it" '^systemd-user +open +.*copy it to .*/systemd-user' "${O[@]}"

# --- the real stacks
output_matches "control: the planted xpra stack is a door of the unfiltered host stacks" '^xpra ' \
	"$NSJ" doors --pam-dir "$HOSTPAM"
output_lacks "... not of the stacks this test built" xpra printf '%s\n' "$REAL_OUT"
echo "# nsjailctl doors on this machine's /etc/pam.d (status $REAL_RC):"
printf '%s\n' "$REAL_OUT" | _nsj_diag
if [ "$REAL_RC" -le 1 ]; then pass "the real /etc/pam.d: runs (status $REAL_RC)"
else fail "the real /etc/pam.d: runs" "status $REAL_RC"; fi
for s in sshd su su-l cron login; do
	if grep -qE "^$s +" <<<"$REAL_OUT"; then pass "the real /etc/pam.d: names $s"
	else fail "the real /etc/pam.d: names $s"; fi
done
# The harness's copy, the module appended last in each file as the README
# says, su-l and runuser-l through their include (/etc/pam.d is that copy).
status_is "the test stacks: every door covered (systemd-user aside)" 0 "$NSJ" doors --ignore systemd-user
echo "# nsjailctl doors on the test stacks:"; _nsj_diag <"$T/out"
for s in sshd su login cron runuser; do
	row_matches "the test stacks: $s runs it last and once" $s "yes +yes +yes +yes +required " "$NSJ" doors
done
row_matches "the test stacks: su-l through su" su-l "yes +yes +yes +yes +required +su -l runs as su-l" "$NSJ" doors
row_matches "the test stacks: runuser-l through runuser" runuser-l "yes +yes +yes +yes +required +runuser -l runs as runuser-l" "$NSJ" doors

# The pam-auth-update profile on this machine's stacks: the README says it
# covers sshd, su, su-l, login and cron (not last in sshd and cron), not
# runuser.
if [ -e "$REAL_COPY/pam.d/common-session" ] && [ -e "$REAL_COPY/pam.d/runuser" ]; then
	A=$T/pau
	mkdir -p "$A/etc" "$A/usr/lib/security"
	cp -a "$REAL_COPY/pam.d" "$A/etc/pam.d"
	[ -d /usr/lib/pam.d ] && cp -a /usr/lib/pam.d "$A/usr/lib/pam.d"
	: >"$A/usr/lib/security/pam_nsjail.so"
	for f in common-session common-session-noninteractive; do echo "$NS" >>"$A/etc/pam.d/$f"; done
	status_is "the profile: exit 1" 1 "$NSJ" doors --root "$A"
	echo "# nsjailctl doors with the pam-auth-update profile:"; _nsj_diag <"$T/out"
	output_contains "the profile leaves runuser and runuser-l uncovered" "uncovered doors: runuser runuser-l" "$NSJ" doors --root "$A"
	row_matches "the profile: su-l through su" su-l "yes +yes +yes +yes +required +su -l runs as su-l" "$NSJ" doors --root "$A"
	row_matches "the profile: login, last" login "yes +yes +yes +yes +required +covered through '@include common-session'" "$NSJ" doors --root "$A"
	row_matches "the profile: sshd, not last" sshd "yes +yes +no +yes +required +covered through '@include common-session'; module not last" "$NSJ" doors --root "$A"
else
	skip "the pam-auth-update profile on this machine's stacks" "not a Debian /etc/pam.d"
fi
