#!/bin/bash
# nsjailctl check: every error as FILE:LINE and exit 1, the ownership rules,
# drop-ins, and the warnings of a policy that loads (shadowed jail, a user in
# two jails, a missing path, names NSS does not know, unknown PAM services and
# half-named su/sudo/runuser pairs, a hidden path shown through a symlinked
# bind, a read_only path in a user-writable parent, '-' and %u paths in
# world-writable directories, hidden regular files) with exit 0, and exit 1
# for them with --strict.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf

# stderr_lacks "desc" TEXT CMD...: whatever the status, TEXT not printed.
stderr_lacks() {
	local desc=$1 bad=$2; shift 2
	_nsj_run "$@"
	if ! grep -qF -- "$bad" "$T/out" "$T/err"; then pass "$desc"
	else fail "$desc" "unexpected: $bad" "$(_nsj_show "$@")"; fi
}

# output_matches "desc" ERE CMD...: stdout+stderr has a line matching ERE.
output_matches() {
	local desc=$1 re=$2; shift 2
	_nsj_run "$@"
	if grep -qE -- "$re" "$T/out" "$T/err"; then pass "$desc"
	else fail "$desc" "expected a line matching: $re" "$(_nsj_show "$@")"; fi
}

# --- the tool itself
ok "--help" "$NSJ" --help
output_contains "--help lists the commands" "nsjailctl explain" "$NSJ" --help
output_contains "--version" "nsjailctl from pam_nsjail" "$NSJ" --version
status_is "no command: exit 1" 1 "$NSJ"
status_is "unknown command: exit 1" 1 "$NSJ" frobnicate
status_is "check takes no operand (a usage error: 2)" 2 "$NSJ" check extra
fails "a full stdout is an error" sh -c "'$NSJ' --help >/dev/full"

# --- a clean policy
mkdir -p /srv/secret
nsj_config <<'EOF'
version = 1;
jails = (
  {
    name = "one";
    users = [ "alice" ];
    read_only = [ "/" ];
    read_write = [ "/home/%u" ];
    inaccessible = [ "/srv/secret", "-/srv/not-there" ];
  },
  {
    name = "two";
    groups = [ "contractors" ];
    tmpfs = [ "/home" ];
    bind = [ "/home/%u" ];
  }
);
EOF
output_is "a valid file: ok with the number of jails" "$C: ok (2 jails)" "$NSJ" check -c "$C"
stderr_lacks "no warning for it" "warning" "$NSJ" check -c "$C"
output_is "--config works as -c" "$C: ok (2 jails)" "$NSJ" check --config "$C"

# --- errors: every one, FILE:LINE, exit 1
nsj_config <<'EOF'
version = 1;
jails = (
  {
    name = "one";
    users = [ "alice" ];
    read_onyl = [ "/" ];
  },
  {
    name = "one";
    users = [ "bob" ];
    tmpfs = [ "relative/path" ];
  },
  {
    name = "nobody";
  }
);
EOF
status_is "errors: exit 1" 1 "$NSJ" check -c "$C"
output_contains "unknown key at its line" "$C:6: error:" "$NSJ" check -c "$C"
output_matches "the duplicate name is reported too" "^$C:(8|9): error:.*one" "$NSJ" check -c "$C"
output_contains "a relative path is reported too" "$C:11: error:" "$NSJ" check -c "$C"
output_matches "a jail naming no one is reported" "^$C:1[34]: error:" "$NSJ" check -c "$C"
stderr_lacks "no 'ok' line after errors" ": ok (" "$NSJ" check -c "$C"
output_is "nothing on stdout after errors" "" sh -c "'$NSJ' check -c '$C' 2>/dev/null; true"

printf 'version = 1;\njails = ( { name = "x"; users = [ "alice" ] ; } \n' | nsj_config
output_contains "a syntax error: FILE:LINE" "$C:" "$NSJ" check -c "$C"
status_is "a syntax error: exit 1" 1 "$NSJ" check -c "$C"
status_is "a missing file: exit 1" 1 "$NSJ" check -c "$T/none.conf"
output_contains "a missing file is named" "$T/none.conf" "$NSJ" check -c "$T/none.conf"

# --- ownership and mode, as the module checks them
nsj_config <<<'version = 1;'
output_is "the minimal file is ok" "$C: ok (0 jails)" "$NSJ" check -c "$C"
chmod 0666 "$C"
status_is "a world-writable file is refused" 1 "$NSJ" check -c "$C"
output_contains "... with the file named" "$C" "$NSJ" check -c "$C"
chmod 0644 "$C"; chown alice "$C"
status_is "a file not owned by root is refused" 1 "$NSJ" check -c "$C"
chown root "$C"

# --- drop-ins
nsj_config <<EOF
version = 1;
settings = { include_dir = "$T/nsjail.d"; };
jails = ( { name = "main"; users = [ "alice" ]; read_only = [ "/" ]; } );
EOF
nsj_dropin 10-good.conf <<'EOF'
jails = ( { name = "dropped"; users = [ "bob" ]; read_only = [ "/" ]; } );
EOF
output_is "drop-ins count" "$C: ok (2 jails)" "$NSJ" check -c "$C"
nsj_dropin 20-bad.conf <<'EOF'
jails = (
  { name = "bad"; users = [ "erin" ]; colour = "red"; }
);
EOF
status_is "an error in a drop-in: exit 1" 1 "$NSJ" check -c "$C"
output_contains "... named with its own FILE:LINE" "$T/nsjail.d/20-bad.conf:2: error:" "$NSJ" check -c "$C"
rm "$T/nsjail.d/20-bad.conf"
chmod 0775 "$T/nsjail.d"
status_is "a group-writable include_dir is refused" 1 "$NSJ" check -c "$C"
chmod 0755 "$T/nsjail.d"
rm "$T/nsjail.d/10-good.conf"

# --- warnings: exit 0, FILE:LINE
nsj_config <<'EOF'
version = 1;
settings = {
  exempt_users = [ "root", "ghost-admin" ];
};
jails = (
  {
    name = "first";
    users = [ "alice", "root" ];
    groups = [ "contractors" ];
    inaccessible = [ "/srv/missing", "-/srv/optional", "/srv/%u-missing" ];
  },
  {
    name = "shadowed";
    users = [ "alice", "carol" ];
    services = [ "sshd" ];
    bind = [ "/srv/nosource:/srv/target" ];
  },
  {
    name = "elsewhere";
    users = [ "alice" ];
    services = [ "cron" ];
  },
  {
    name = "strangers";
    users = [ "nosuchuser" ];
    groups = [ "nosuchgroup" ];
  }
);
EOF
status_is "warnings only: exit 0" 0 "$NSJ" check -c "$C"
output_contains "... and the ok line" "$C: ok (4 jails)" "$NSJ" check -c "$C"
output_matches "a shadowed jail, at the jail's line" "^$C:1[23]: warning: jail 'shadowed' never applies" "$NSJ" check -c "$C"
output_matches "a jail shadowed by one without a service filter" "^$C:(18|19): warning: jail 'elsewhere' never applies" "$NSJ" check -c "$C"
output_contains "a user listed in two jails, at the entry's line" "$C:14: warning: user 'alice' is also in jail 'first'" "$NSJ" check -c "$C"
output_contains "an exempt user listed in a jail" "$C:8: warning: user 'root' is exempt" "$NSJ" check -c "$C"
output_contains "a missing path" "$C:10: warning: jail 'first': inaccessible path '/srv/missing' does not exist" "$NSJ" check -c "$C"
stderr_lacks "no warning for an optional path" "/srv/optional" "$NSJ" check -c "$C"
stderr_lacks "no warning for a path with tokens" "-missing'" "$NSJ" check -c "$C"
output_contains "a missing bind source" "$C:16: warning: jail 'shadowed': bind source '/srv/nosource' does not exist" "$NSJ" check -c "$C"
output_contains "an unknown user" "$C:25: warning: jail 'strangers': unknown user 'nosuchuser'" "$NSJ" check -c "$C"
output_contains "an unknown group" "$C:26: warning: jail 'strangers': unknown group 'nosuchgroup'" "$NSJ" check -c "$C"
output_contains "an unknown exempt user" "$C:3: warning: settings.exempt_users: unknown user 'ghost-admin'" "$NSJ" check -c "$C"
stderr_lacks "disjoint services: no 'listed twice' warning" "user 'alice' is also in jail 'shadowed'" "$NSJ" check -c "$C"

# Shadowing through NSS membership: carol is in contractors.
nsj_config <<'EOF'
version = 1;
jails = (
  { name = "by-group"; groups = [ "contractors" ]; },
  { name = "by-user"; users = [ "carol" ]; services = [ "su" ]; },
  { name = "not-covered"; users = [ "carol", "bob" ]; }
);
EOF
output_matches "a jail shadowed through group membership" "^$C:4: warning: jail 'by-user' never applies" "$NSJ" check -c "$C"
stderr_lacks "a jail with one uncaught user is not shadowed" "jail 'not-covered' never applies" "$NSJ" check -c "$C"

# A fixed root without its mount points.
mkdir -p /srv/jailroot/proc
nsj_config <<'EOF'
version = 1;
jails = ( { name = "r"; users = [ "alice" ];
  root = "/srv/jailroot"; bind_ro = [ "/usr" ]; } );
EOF
output_contains "a root without /dev" "$C:3: warning: jail 'r': root '/srv/jailroot' has no mount point '/dev'" "$NSJ" check -c "$C"
output_contains "a bind target missing in the root" "path '/srv/jailroot/usr' does not exist" "$NSJ" check -c "$C"

# --- issue 13: the warnings of a policy that breaks or bypasses logins
mkdir -p /srv/data/secret /srv/t1 /srv/t2 /srv/t3 /srv/ww
chmod 1777 /srv/ww
echo key >/srv/data/secret.key
ln -s /srv/data /srv/link
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "svc"; users = [ "alice" ];
    services = [ "ssh",
                 "su", "sudo", "runuser-l" ]; },
  { name = "paths"; users = [ "bob" ];
    inaccessible = [ "/srv/data/secret",
                     "/srv/data/secret.key" ];
    bind_ro = [ "/srv/link:/srv/t1" ];
    read_only = [ "/home/%u/.ssh" ];
    bind = [ "-/srv/ww/shared:/srv/t2",
             "/srv/ww/%u:/srv/t3" ]; }
);
EOF2
status_is "issue 13 warnings: exit 0 without --strict" 0 "$NSJ" check -c "$C"
output_contains "... with the ok line" "$C: ok (2 jails)" "$NSJ" check -c "$C"
status_is "--strict: warnings fail (exit 1)" 1 "$NSJ" check --strict -c "$C"
stderr_lacks "--strict: no ok line when warnings fail it" ": ok (" "$NSJ" check --strict -c "$C"
output_contains "--strict says why it failed" "--strict" "$NSJ" check --strict -c "$C"
output_contains "an unknown PAM service, at its line" "$C:4: warning: jail 'svc': unknown PAM service 'ssh'" "$NSJ" check -c "$C"
output_contains "su without su-l: su - is unjailed" "$C:5: warning: jail 'svc': services has 'su' but not 'su-l'" "$NSJ" check -c "$C"
output_contains "sudo without sudo-i: sudo -i is unjailed" "$C:5: warning: jail 'svc': services has 'sudo' but not 'sudo-i'" "$NSJ" check -c "$C"
output_contains "runuser-l without runuser" "$C:5: warning: jail 'svc': services has 'runuser-l' but not 'runuser'" "$NSJ" check -c "$C"
stderr_lacks "a known service is not called unknown" "unknown PAM service 'su'" "$NSJ" check -c "$C"
output_contains "a hidden path reachable through a symlinked bind source" \
	"$C:9: warning: jail 'paths': hidden '/srv/data/secret' ($C:7) shows at '/srv/t1/secret'" "$NSJ" check -c "$C"
output_contains "a read-only path the user can rename around" \
	"$C:10: warning: jail 'paths': read_only '/home/%u/.ssh' lies in '/home/%u', which the user can write" "$NSJ" check -c "$C"
output_contains "an optional path under a world-writable directory" \
	"$C:11: warning: jail 'paths': bind source '/srv/ww/shared' lies in world-writable '/srv/ww'" "$NSJ" check -c "$C"
output_contains "a %u path under a world-writable directory" \
	"$C:12: warning: jail 'paths': bind source '/srv/ww/%u' lies in world-writable '/srv/ww'" "$NSJ" check -c "$C"
output_contains "a hidden regular file (uncovered when the host renames over it)" \
	"$C:8: warning: jail 'paths': inaccessible '/srv/data/secret.key' is a file" "$NSJ" check -c "$C"
stderr_lacks "a hidden directory is not called a file" "'/srv/data/secret' is a file" "$NSJ" check -c "$C"

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "m"; users = [ "bob" ]; read_only = [ "/srv/missing-x" ]; } );
EOF2
output_contains "a missing path says every session is refused" \
	"$C:2: warning: jail 'm': read_only path '/srv/missing-x' does not exist: every session of this jail is refused" "$NSJ" check -c "$C"

# The fixed file: every pair named, real paths, no warning, --strict passes.
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "svc"; users = [ "alice" ];
    services = [ "sshd", "su", "su-l", "sudo", "sudo-i", "runuser", "runuser-l" ]; },
  { name = "paths"; users = [ "bob" ];
    inaccessible = [ "/srv/data/secret" ];
    bind_ro = [ "/srv/data:/srv/t1" ];
    read_only = [ "/home/%u" ]; }
);
EOF2
stderr_lacks "the fixed file: no warning" "warning" "$NSJ" check -c "$C"
status_is "the fixed file: --strict exit 0" 0 "$NSJ" check --strict -c "$C"
output_is "the fixed file: --strict prints the ok line" "$C: ok (2 jails)" "$NSJ" check --strict -c "$C"
