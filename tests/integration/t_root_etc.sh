#!/bin/bash
# A root jail's synthesized /etc brings, read-only, the host's pieces that
# commands and the PAM modules after ours read (alternatives, the time zone,
# shell start-up files, ld.so.cache, hosts, certificates, limits, pam_env's
# files, ...), never a secret; etc_add / etc_remove change the set; a piece
# that is not world-readable is refused at login, a known secret at check.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "tmpfsroot"; users = [ "alice" ]; root = "tmpfs"; bind_ro = [ "/usr" ]; },
  { name = "dirroot"; users = [ "erin" ]; root = "/srv/jails/%u"; bind_ro = [ "/usr" ]; }
);
EOF2
mkdir -m 0755 /srv/jails
nsj_make_root /srv/jails/erin
# A zone other than the host's UTC, through the link /etc/localtime (into
# /usr/share/zoneinfo, which comes with /usr).
zone=$(readlink -f /etc/localtime)
mount --bind /usr/share/zoneinfo/Asia/Tokyo "$zone"
host_tz=$(date +%Z%z)
for u in alice erin; do
	output_is "$u: awk works (/etc/alternatives)" ok as_user $u 'echo | awk "{print \"ok\"}"'
	output_is "$u: which, vi, pager, editor are found" "4" as_user $u 'n=0; for c in which vi pager editor; do command -v $c >/dev/null && n=$((n+1)); done; echo $n'
	output_is "$u: the host's time zone" "$host_tz" as_user $u 'date +%Z%z'
	ok "$u: /etc/localtime, profile, bash.bashrc, environment, ld.so.cache, hosts are there" \
		as_user $u 'test -e /etc/localtime && test -r /etc/profile && test -r /etc/bash.bashrc && test -e /etc/environment && test -r /etc/ld.so.cache && test -r /etc/hosts'
	ok "$u: /etc/ssl/certs and pam's files are there" \
		as_user $u 'test -d /etc/ssl/certs && test -r /etc/security/limits.conf && test -r /etc/security/pam_env.conf'
	output_is "$u: no host secret: shadow, gshadow, sudoers, ssh host keys, ssl/private" "none" \
		as_user $u 'ls -d /etc/shadow /etc/gshadow /etc/sudoers /etc/sudoers.d /etc/ssh /etc/ssl/private 2>/dev/null || echo none'
	# A piece is a read-only bind or a copy in the read-only /etc tmpfs
	# (t_root_etc_copy): the mount that holds it is read-only.
	output_is "$u: the pieces are read-only mounts" "ro ro" as_user $u 'echo $(for p in /etc/hosts /etc/profile.d; do findmnt -no OPTIONS -T $p | cut -c1-2; done)'
	output_is "$u: /etc/passwd still names only root and the user" "$u root" as_user $u 'echo $(cut -d: -f1 /etc/passwd | sort)'
done
output_is "the on-disk root is left as it was (nothing written into its /etc)" "" ls -A /srv/jails/erin/etc

output_contains "explain shows each piece as a step" "etc_host     /etc/alternatives <- /etc/alternatives (optional) (auto)" \
	"$NSJ_BUILD/nsjailctl" explain -c "$T/nsjail.conf" alice

# etc_add / etc_remove
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "tmpfsroot"; users = [ "alice" ]; root = "tmpfs"; bind_ro = [ "/usr" ];
            etc_add = [ "/etc/debian_version", "-/etc/nonexistent-piece" ]; etc_remove = [ "/etc/hosts", "/etc/alternatives" ]; } );
EOF2
ok "etc_add/etc_remove: check passes" "$NSJ_BUILD/nsjailctl" check --strict -c "$T/nsjail.conf"
output_is "etc_add brings /etc/debian_version" "$(cat /etc/debian_version)" as_user alice 'cat /etc/debian_version'
output_is "etc_remove takes /etc/hosts and /etc/alternatives away" "gone" as_user alice 'test -e /etc/hosts || test -e /etc/alternatives || echo gone'

nsj_config <<'EOF2'
version = 1;
jails = ( { name = "tmpfsroot"; users = [ "alice" ]; root = "tmpfs"; etc_add = [ "/etc/shadow", "/etc/ssh/ssh_host_ed25519_key", "/etc/sudoers.d" ]; } );
EOF2
output_contains "etc_add of a secret: check names it" "'etc_add': /etc/shadow is a secret" "$NSJ_BUILD/nsjailctl" check -c "$T/nsjail.conf"
output_contains "... every one of them" "'etc_add': /etc/ssh/ssh_host_ed25519_key is a secret" "$NSJ_BUILD/nsjailctl" check -c "$T/nsjail.conf"
output_contains "... sudoers.d too" "'etc_add': /etc/sudoers.d is a secret" "$NSJ_BUILD/nsjailctl" check -c "$T/nsjail.conf"
output_is "etc_add of a secret: the session is refused" session_err pam_rc alice

# A piece the host does not show to everyone is refused at login, checked by
# the helper on the opened file.
echo "not for everyone" >"$T/private-piece"
chmod 0640 "$T/private-piece"
mount --bind "$T/private-piece" /etc/debian_version
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "tmpfsroot"; users = [ "alice" ]; root = "tmpfs"; bind_ro = [ "/usr" ]; etc_add = [ "/etc/debian_version" ]; } );
EOF2
nsj_syslog_mark
output_is "a piece that is not world-readable: session refused" session_err pam_rc alice
syslog_contains "... the log names it" "pam_nsjail.*/etc/debian_version.*not world-readable"
umount /etc/debian_version
mkdir -m 0755 "$T/piece-dir" && echo x >"$T/piece-dir/ok" && echo y >"$T/piece-dir/secret" && chmod 0600 "$T/piece-dir/secret"
mount --bind "$T/piece-dir" /etc/profile.d
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "tmpfsroot"; users = [ "alice" ]; root = "tmpfs"; bind_ro = [ "/usr" ]; } );
EOF2
nsj_syslog_mark
output_is "a piece directory holding a file that is not world-readable: refused" session_err pam_rc alice
syslog_contains "... the log names the file" "pam_nsjail.*/etc/profile.d/secret.*not world-readable"
