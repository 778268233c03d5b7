#!/bin/bash
# root = "/srv/jails/%u": an empty root-owned directory holding only mount
# points and the merged-/usr links, plus bind_ro /usr. The user gets a
# working system in it: /proc, read-only /sys, /dev with ptys, /tmp, and an
# /etc naming only root and the user. The helper writes nothing into it.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
mkdir -m 0755 /srv/jails
nsj_make_root /srv/jails/alice
mkdir -m 0755 /srv/jails/alice/home/alice
echo "secret" >/srv/host-only
before=$(cd /srv/jails/alice && find . -printf '%p %M %U %s\n' | sort)
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "rootdir";
    users = [ "alice" ];
    root = "/srv/jails/%u";
    bind_ro = [ "/usr" ];
    bind = [ "/home/%u" ];
  }
);
EOF2

output_is "alice's session opens" success pam_rc alice
output_is "ls / shows the jail's root" "$(echo $( (ls /srv/jails/alice; nsj_record_var) | sort -u))" as_user alice 'echo $(ls /)'
output_is "id resolves names in the jail" "uid=2001(alice) gid=2001(alice) groups=2001(alice)" as_user alice id
output_is "/etc/passwd names only root and alice" "alice root" as_user alice 'echo $(cut -d: -f1 /etc/passwd | sort)'
output_is "whoami" alice as_user alice whoami
output_contains "ls -l resolves the owner" " alice alice " as_user alice 'ls -ld /home/alice'
output_is "the home is bound in" "home of alice" as_user alice 'cat /home/alice/.marker-alice'
output_is "host paths outside the jail are gone" absent as_user alice 'test -e /srv/host-only || echo absent'
output_is "/proc works" ok as_user alice 'grep -q "^Name:" /proc/self/status && echo ok'
output_is "/dev/null works" ok as_user alice 'echo x >/dev/null && echo ok'
output_is "/dev/urandom works" 16 as_user alice 'head -c 16 /dev/urandom | wc -c'
output_contains "/sys is read-only" "Read-only file system" as_user alice 'touch /sys/x'
output_is "/tmp is writable, mode 1777" 1777 as_user alice 'touch /tmp/x && stat -c %a /tmp'
output_contains "/usr is read-only" "Read-only file system" as_user alice 'touch /usr/x'
output_is "a pty works (devpts)" "/dev/pts/" as_user alice "script -qec tty /dev/null | tr -d '\r\0' | sed 's/\^@//g; s/[0-9]*\$//'"
output_is "cwd and root are the jail's" "/" as_user alice 'cd / && pwd -P'
output_is "the on-disk root is unchanged after the sessions" "$before" sh -c "cd /srv/jails/alice && find . -printf '%p %M %U %s\n' | sort"
output_is "bob (unmatched) sees the host's /" present as_user bob 'test -e /srv/host-only && echo present'
