#!/bin/bash
# Escape class 6 (SPEC §8): what the helper holds while it builds a jail.
# It starts with the capabilities the keeper of a shared jail needs
# (SYS_PTRACE, SYS_CHROOT permitted) and the one loopback needs
# (NET_ADMIN); both are gone before the first mount is made, whatever the
# plan, so no step runs with more than SYS_ADMIN, DAC_READ_SEARCH and MKNOD.
# Seen through real su: the stack's helper= is the real helper under strace,
# held for 2 s at its first move_mount (a step attaching a mount), while
# this test reads its /proc status.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
nsj_require command -v strace
mkdir -p /srv/secret && echo "top secret" >/srv/secret/data
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "iso"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ];
            private_network = true; } );
EOF2
cat >"$T/bin/traced-helper" <<EOF
#!/bin/sh
exec /usr/bin/strace -qq -o /dev/null -e trace=move_mount \
	-e inject=move_mount:delay_enter=2000000:when=1 $NSJ_HELPER
EOF
chmod 0755 "$T/bin/traced-helper"
sed -i "s|helper=$NSJ_HELPER|helper=$T/bin/traced-helper|" "$T/pam.d/su"
nsj_require grep -q "helper=$T/bin/traced-helper" "$T/pam.d/su"

timeout 60 su -s /bin/sh alice -c 'cat /srv/secret/data 2>&1; echo JAILED' >"$T/su.out" 2>&1 </dev/null &
SU=$!
nsj_at_exit "kill $SU"
# The helper stopped on entering move_mount (429 on every architecture).
HP=
for _ in $(seq 200); do
	HP=$(pgrep -n -x nsjail-helper) && [ "$(cut -d' ' -f1 "/proc/$HP/syscall" 2>/dev/null)" = 429 ] && break
	HP=
	sleep 0.02
done
ok "the helper is held at its first move_mount" test -n "$HP"
caps() { sed -n "s/^$1:[[:space:]]*//p" "/proc/${HP:-none}/status"; }
output_is "mid-build, CapPrm: SYS_ADMIN, DAC_READ_SEARCH, MKNOD only (no SYS_PTRACE, SYS_CHROOT, NET_ADMIN)" \
	0000000008200004 caps CapPrm
output_is "mid-build, CapEff: the same three" 0000000008200004 caps CapEff
wait "$SU"
output_is "control: the traced helper built the jail, su alice logged in" \
	"cat: /srv/secret/data: Permission denied|JAILED" sh -c "paste -sd'|' '$T/su.out'"
