#!/bin/bash
# nsjailctl explain: the verdict (matched by user, by group, exempt, not
# jailed), the service filter, and the plan after token expansion, in order.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf

output_matches() {
	local desc=$1 re=$2; shift 2
	_nsj_run "$@"
	if grep -qE -- "$re" "$T/out" "$T/err"; then pass "$desc"
	else fail "$desc" "expected a line matching: $re" "$(_nsj_show "$@")"; fi
}
# last_line_is "desc" TEXT CMD...: CMD exits 0 and its last stdout line is TEXT.
last_line_is() {
	local desc=$1 want=$2; shift 2
	_nsj_run "$@"
	if [ "$NSJ_RC" -eq 0 ] && [ "$(tail -n 1 "$T/out")" = "$want" ]; then pass "$desc"
	else fail "$desc" "expected the last line: $want" "$(_nsj_show "$@")"; fi
}

mkdir -p /srv/secret /srv/data
nsj_config <<'EOF'
version = 1;
settings = {
  exempt_users = [ "root", "erin" ];
  exempt_groups = [ "sftponly" ];
};
jails = (
  {
    name = "by-user";
    users = [ "alice" ];
    tmpfs = [ "/home" ];
    bind = [ "/home/%u", "/srv/data:/srv/%U-%g-%G" ];
    inaccessible = [ "/srv/secret", "-/srv/optional" ];
    read_only = [ "/" ];
    read_write = [ "%h/rw" ];
  },
  {
    name = "ssh-only";
    users = [ "bob" ];
    services = [ "sshd" ];
    read_only = [ "/usr" ];
  },
  {
    name = "by-group";
    groups = [ "contractors", "sftponly" ];
    private_tmp = true;
  }
);
EOF

ok "explain alice" "$NSJ" explain -c "$C" alice
output_matches "alice: matched by user, with the jail's FILE:LINE" "^user alice, service login: jail 'by-user' \\($C:[0-9]+\\): matched by user 'alice'" "$NSJ" explain -c "$C" alice
output_matches "%u expanded in the plan" "bind +/home/alice <- /home/alice" "$NSJ" explain -c "$C" alice
output_matches "%U %g %G expanded" "/srv/2001-alice-2001 <- /srv/data" "$NSJ" explain -c "$C" alice
output_matches "%h expanded" "read_write +/home/alice/rw" "$NSJ" explain -c "$C" alice
output_matches "steps carry their FILE:LINE" "inaccessible +/srv/secret .*# $C:12" "$NSJ" explain -c "$C" alice
output_matches "an optional step is marked" "/srv/optional.*\\(optional\\)" "$NSJ" explain -c "$C" alice
output_lacks "no token left unexpanded" "%" "$NSJ" explain -c "$C" alice
# Parents first: / before /home before /home/alice.
_nsj_run "$NSJ" explain -c "$C" alice
order=$(grep -E '^ *[0-9]+\. ' "$T/out" | awk '{print $3}' | tr '\n' ' ')
case $order in
"/ /home /home/alice "*) pass "the plan is ordered parents first: $order" ;;
*) fail "the plan is ordered parents first" "got: $order" ;;
esac

output_matches "carol: matched by group" "^user carol, service login: jail 'by-group' \\($C:[0-9]+\\): matched by group 'contractors'" "$NSJ" explain -c "$C" carol
output_matches "private_tmp adds an automatic /tmp" "tmpfs +/tmp mode 1777.*\\(auto\\)" "$NSJ" explain -c "$C" carol

output_matches "root is exempt" "^user root, service login: exempt" "$NSJ" explain -c "$C" root
last_line_is "... and not jailed" "not jailed" "$NSJ" explain -c "$C" root
output_matches "erin is exempt by name" "exempt: 'erin' is in settings.exempt_users" "$NSJ" explain -c "$C" erin
output_matches "dave is exempt by group (before any jail)" "exempt: group 'sftponly' is in settings.exempt_groups" "$NSJ" explain -c "$C" dave
last_line_is "dave: not jailed" "not jailed" "$NSJ" explain -c "$C" dave

last_line_is "bob, service login: not jailed" "not jailed" "$NSJ" explain -c "$C" bob
output_matches "bob, service sshd: matched" "^user bob, service sshd: jail 'ssh-only'" "$NSJ" explain -c "$C" -s sshd bob
output_matches "--service works as -s" "jail 'ssh-only'" "$NSJ" explain -c "$C" --service sshd bob
status_is "not jailed is exit 0" 0 "$NSJ" explain -c "$C" bob

status_is "an unknown user: exit 1" 1 "$NSJ" explain -c "$C" nosuchuser
output_contains "... named" "nosuchuser" "$NSJ" explain -c "$C" nosuchuser
status_is "no USER: exit 1" 1 "$NSJ" explain -c "$C"

# A root jail: the automatic steps of SPEC §1.
nsj_make_root /srv/jail-alice
nsj_config <<'EOF'
version = 1;
jails = ( { name = "rooted"; users = [ "alice" ]; root = "/srv/jail-%u"; bind_ro = [ "/usr" ]; } );
EOF
output_matches "root: the root step comes first, expanded" "^ +1\\. root_dir +/srv/jail-alice" "$NSJ" explain -c "$C" alice
output_matches "root: a fresh /proc" "proc +/proc" "$NSJ" explain -c "$C" alice
output_matches "root: /dev with the tty gid" "dev +/dev tty gid $(getent group tty | cut -d: -f3)" "$NSJ" explain -c "$C" alice
# The login's terminal is part of the plan the helper gets (compiled and
# validated with it): --tty shows it; without it there is none.
output_matches "--tty: the dev step names the login's terminal" "dev +/dev tty gid [0-9]+ terminal /dev/tty3 " \
	"$NSJ" explain -c "$C" --tty /dev/tty3 alice
output_lacks "... but not a pty: the jail shows the host's devpts" "terminal /dev/" \
	"$NSJ" explain -c "$C" --tty /dev/pts/3 alice
output_lacks "... and only with --tty" "terminal /dev/" "$NSJ" explain -c "$C" alice
status_is "--tty: not a terminal: exit 1" 1 "$NSJ" explain -c "$C" --tty /dev/sda alice
output_contains "... saying so" "terminal '/dev/sda' is not a login terminal" "$NSJ" explain -c "$C" --tty /dev/sda alice

# Config errors stop explain with FILE:LINE and exit 1.
nsj_config <<'EOF'
version = 1;
jails = ( { name = "bad"; users = [ "alice" ]; read_only = [ "/x/../etc" ]; } );
EOF
status_is "a config error: exit 1" 1 "$NSJ" explain -c "$C" alice
output_contains "... with FILE:LINE" "$C:2: error:" "$NSJ" explain -c "$C" alice
nsj_config <<'EOF'
version = 1;
jails = ( { name = "badtok"; users = [ "alice" ]; read_only = [ "/srv/%x" ]; } );
EOF
status_is "a bad token: exit 1" 1 "$NSJ" explain -c "$C" alice
output_contains "... with FILE:LINE" "$C:2: error:" "$NSJ" explain -c "$C" alice
