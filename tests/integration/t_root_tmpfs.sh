#!/bin/bash
# root = "tmpfs": nothing on disk; the host's top-level links into /usr are
# recreated, the binds and automatic mounts make a working system.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
echo "secret" >/srv/host-only
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "tmpfsroot";
    users = [ "alice" ];
    root = "tmpfs";
    bind_ro = [ "/usr" ];
    bind = [ "/home/%u" ];
  }
);
EOF2

output_is "alice's session opens" success pam_rc alice
# Written before setns: a root jail has no /dev/log of its own.
syslog_contains "one success line with jail, mounts and time" "pam_nsjail\(nsjtest:session\): user=alice service=nsjtest rhost=- tty=[^ ]+ jail=tmpfsroot mounts=[0-9]+ time=[0-9.]+ms"
for l in bin sbin lib lib64; do
	if [ -L "/$l" ]; then
		output_is "/$l is recreated as a link to $(readlink "/$l")" "$(readlink "/$l")" as_user alice "readlink /$l"
	fi
done
output_is "/ is a tmpfs" tmpfs as_user alice 'findmnt -no FSTYPE /'
output_is "id resolves names" "uid=2001(alice) gid=2001(alice) groups=2001(alice)" as_user alice id
output_is "/etc/passwd names only root and alice" "alice root" as_user alice 'echo $(cut -d: -f1 /etc/passwd | sort)'
output_is "only her home under /home" alice as_user alice 'ls -A /home'
ok "her home is writable" as_user alice 'touch /home/alice/from-tmpfs-root'
ok "the write reached the real home" test -e /home/alice/from-tmpfs-root
output_is "host paths outside the jail are gone" absent as_user alice 'test -e /srv/host-only || echo absent'
output_is "/proc works" ok as_user alice 'test -r /proc/self/status && echo ok'
output_is "/dev/null works" ok as_user alice 'echo x >/dev/null && echo ok'
output_is "/tmp is writable, mode 1777" 1777 as_user alice 'touch /tmp/x && stat -c %a /tmp'
output_is "a pty works" "/dev/pts/" as_user alice "script -qec tty /dev/null | tr -d '\r\0' | sed 's/\^@//g; s/[0-9]*\$//'"
output_contains "/usr is read-only" "Read-only file system" as_user alice 'touch /usr/x'

# Debian's /usr/bin/awk, vi, pager ... are links through /etc/alternatives,
# which the generated /etc carries (t_root_etc); a jail's own bind_ro of it
# replaces that piece without a collision.
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "tmpfsroot"; users = [ "alice" ]; root = "tmpfs"; bind_ro = [ "/usr", "/etc/alternatives" ]; } );
EOF2
output_is "bind_ro /etc/alternatives into the generated /etc: awk works" ok as_user alice 'echo | awk "{print \"ok\"}"'
output_is "the generated /etc still names only root and alice" "alice root" as_user alice 'echo $(cut -d: -f1 /etc/passwd | sort)'
