#!/bin/bash
# Escape class 6 (SPEC §8): the helper. Run directly it refuses a non-root
# caller and an fd 3 that is not a socket; started by a hostile caller (1000
# inherited fds, RLIMIT_NOFILE at its maximum, SIGALRM ignored and blocked,
# LD_PRELOAD, MALLOC_*, GLIBC_TUNABLES) and given no request, it keeps only
# fds 0-3, is non-dumpable with no_new_privs and a trimmed capability set, and
# dies by its own alarm. Through the module: the helper gets an empty
# environment and only fds 0-3 whatever the caller holds, and a helper that
# hangs costs the login a bounded wait and a denied session.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
H=$NSJ_HELPER
nsj_require esc_cc "$T/bin/esc_preload.so" esc_preload.c -shared -fPIC -DESC_PRELOAD_MARK="\"$T/mark\""
nsj_require esc_cc "$T/bin/esc_stall" esc_stall.c "-DESC_STALL_OUT=\"$T/stall.out\""
nsj_require esc_cc "$T/bin/planrun" planrun.c -D_GNU_SOURCE -I"$NSJ_SRC/lib/plan" "$NSJ_SRC/lib/plan/paths.c" \
	"$NSJ_SRC/lib/plan/plan.c" "$NSJ_SRC/lib/plan/wire.c"
chmod -R a+rX "$T/bin"
mkdir -p /srv/secret && echo "top secret" >/srv/secret/data
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "hide"; users = [ "alice" ]; inaccessible = [ "/srv/secret" ]; } );
EOF2

# --- run directly -----------------------------------------------------------
fails "the helper has no setuid bit" test -u "$H"
output_contains "as a non-root user it refuses" "must run as root" \
	setpriv --reuid alice --regid alice --clear-groups "$H" 3</dev/null
status_is "... with status 1" 1 setpriv --reuid alice --regid alice --clear-groups "$H" 3</dev/null
output_contains "as root with fd 3 not a socket it refuses" "fd 3 is not the request socket" "$H" 3</dev/null
output_contains "as root with no fd 3 it refuses" "fd 3 is not the request socket" "$H" 3<&-
status_is "... with status 1" 1 "$H" 3<&-
for kind in garbage huge truncated; do
	output_contains "a $kind request: refused with an error reply and no namespace fd" "status=-1 fds=0" \
		timeout 30 /usr/bin/python3 "$NSJ_SRC/tests/escape/garbage_request.py" "$H" $kind
done

# --- a hostile caller that never sends its request ---------------------------
ok "control: LD_PRELOAD of the marker library works on a dynamic program" \
	sh -c "LD_PRELOAD=$T/bin/esc_preload.so /bin/true && test -e $T/mark.true"
mkdir -p "$T/spawn"
/usr/bin/python3 "$NSJ_SRC/tests/escape/spawn_helper.py" "$H" "$T/spawn" "$T/bin/esc_preload.so" &
DRIVER=$!
nsj_at_exit "kill $DRIVER"
for _ in $(seq 200); do [ -s "$T/spawn/pid" ] && break; sleep 0.05; done
HP=$(cat "$T/spawn/pid" 2>/dev/null)
# harden() runs first thing; give it the moment it needs.
for _ in $(seq 100); do grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$HP/status" 2>/dev/null && break; sleep 0.02; done
ok "the stalled helper is running" test -n "$HP" -a -d "/proc/$HP"
output_is "its fds are 0, 1, 2 and 3 only (1000 inherited ones closed)" "0 1 2 3" \
	sh -c "echo \$(ls /proc/$HP/fd | sort -n)"
output_contains "fd 3 is the socket" "socket:" readlink "/proc/$HP/fd/3"
output_is "NoNewPrivs: 1" 1 sh -c "sed -n 's/^NoNewPrivs:[[:space:]]*//p' /proc/$HP/status"
# NET_ADMIN (loopback up in a private_network namespace) is dropped from
# the effective and permitted sets before the first step.
output_is "CapBnd: only SYS_ADMIN, DAC_READ_SEARCH, MKNOD and NET_ADMIN" 0000000008201004 \
	sh -c "sed -n 's/^CapBnd:[[:space:]]*//p' /proc/$HP/status"
output_is "CapEff: the same four" 0000000008201004 sh -c "sed -n 's/^CapEff:[[:space:]]*//p' /proc/$HP/status"
# shared = true: SYS_CHROOT and SYS_PTRACE stay permitted (never effective)
# while the request is read, for the keeper's fork; dropped before the
# first step (keeper.c, harden_drop_ptrace).
output_is "CapPrm: the same four, and SYS_CHROOT, SYS_PTRACE until the plan is read" 00000000082c1004 sh -c "sed -n 's/^CapPrm:[[:space:]]*//p' /proc/$HP/status"
output_is "CapInh and CapAmb: empty" "0000000000000000 0000000000000000" \
	sh -c "echo \$(sed -n 's/^Cap\(Inh\|Amb\):[[:space:]]*//p' /proc/$HP/status)"
output_is "no core dumps (RLIMIT_CORE 0)" "0 0" \
	sh -c "awk '/^Max core file size/ {print \$5, \$6}' /proc/$HP/limits"
output_is "SIGALRM is not blocked any more" 0 \
	sh -c "printf '%d\n' \$(( 0x\$(sed -n 's/^SigBlk:[[:space:]]*//p' /proc/$HP/status) & 0x2000 ))"
output_is "SIGALRM is not ignored any more" 0 \
	sh -c "printf '%d\n' \$(( 0x\$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$HP/status) & 0x2000 ))"
# Non-dumpable: even root, without CAP_SYS_PTRACE, cannot look inside.
capsh --drop=cap_sys_ptrace -- -c 'exec sleep 60' &
CTL=$!
nsj_at_exit "kill $CTL"
for _ in $(seq 100); do [ "$(cat /proc/$CTL/comm 2>/dev/null)" = sleep ] && break; sleep 0.02; done
ok "control: root without CAP_SYS_PTRACE opens a dumpable root process's memory" \
	capsh --drop=cap_sys_ptrace -- -c "exec 5</proc/$CTL/mem"
output_contains "root without CAP_SYS_PTRACE cannot open the helper's memory (Dumpable 0)" "Permission denied" \
	capsh --drop=cap_sys_ptrace -- -c "exec 5</proc/$HP/mem"
refused "the user cannot ptrace the helper" EPERM setpriv --reuid alice --regid alice --clear-groups "$P" ptrace "$HP"
output_contains "the user cannot open its memory" "Permission denied" \
	setpriv --reuid alice --regid alice --clear-groups sh -c "exec 5</proc/$HP/mem"
output_is "spawned with supplementary groups 2001 2101, it keeps none" "" \
	sh -c "sed -n 's/^Groups:[[:space:]]*//p' /proc/$HP/status | tr -d ' \t'"
output_is "spawned by her (real uid 2001), it made every uid 0" "0 0 0 0" \
	sh -c "sed -n 's/^Uid:[[:space:]]*//p' /proc/$HP/status | tr -s '\t' ' '"
output_is "spawned with her gid 2001 (real, effective, saved), it made every gid 0" "0 0 0 0" \
	sh -c "sed -n 's/^Gid:[[:space:]]*//p' /proc/$HP/status | tr -s '\t' ' '"
fails "the user cannot signal it" setpriv --reuid alice --regid alice --clear-groups kill -STOP "$HP"
ok "the preloaded library never ran in the helper" test ! -e "$T/mark.nsjail-helper"
for _ in $(seq 300); do [ -s "$T/spawn/result" ] && break; sleep 0.05; done
output_is "it dies by its own SIGALRM (ignored and blocked by the caller)" "SIGNAL 14" head -n 1 "$T/spawn/result"
ok "within 10 s" test "$(sed -n 2p "$T/spawn/result")" -le 10

# --- still correct under a hostile start: a full jail -----------------------
cat >"$T/bin/hostile-helper" <<EOF
#!/bin/bash
# fd 3 is the socket planrun made; everything else is hostile.
for i in \$(seq 1000); do exec {fd}</dev/null; done
ulimit -n \$(cat /proc/sys/fs/nr_open) 2>/dev/null || ulimit -n \$(ulimit -Hn)
trap '' ALRM TERM HUP
export LD_PRELOAD=$T/bin/esc_preload.so MALLOC_CHECK_=3 MALLOC_PERTURB_=85 GLIBC_TUNABLES=glibc.malloc.perturb=85
umask 0
exec $H
EOF
chmod 0755 "$T/bin/hostile-helper"
output_is "a plan applied by a helper started with 1000 fds, huge limits, hostile env: the jail is right" \
	"0" "$T/bin/planrun" -H "$T/bin/hostile-helper" inaccessible:/srv/secret -- stat -c %a /srv/secret
ok "... and the preloaded library never ran in it" test ! -e "$T/mark.nsjail-helper"

# --- through the module --------------------------------------------------------
sed -i "s|helper=$NSJ_HELPER|helper=$T/bin/esc_stall|" "$T/pam.d/su"
ok "the su stack now names the stalling helper" grep -q "helper=$T/bin/esc_stall" /etc/pam.d/su
cat >"$T/bin/many-fds-su" <<EOF
#!/usr/bin/python3
import os, sys
for _ in range(1000):
    os.set_inheritable(os.open("/dev/null", os.O_RDONLY), True)
os.set_inheritable(os.open("/srv/secret", os.O_RDONLY | os.O_DIRECTORY), True)
os.execvp("su", ["su", "-s", "/bin/sh", "alice", "-c", "echo JAILED"])
EOF
chmod 0755 "$T/bin/many-fds-su"
rm -f "$T/stall.out" "$T/mark".*
start=$(date +%s)
LD_PRELOAD=$T/bin/esc_preload.so MALLOC_CHECK_=3 timeout 60 "$T/bin/many-fds-su" >"$T/su.out" 2>&1 </dev/null &
SU=$!
for _ in $(seq 200); do [ -s "$T/stall.out" ] && break; sleep 0.05; done
ok "control: the caller (su) ran with the hostile LD_PRELOAD" test -e "$T/mark.su"
output_is "the module gives the helper fds 0-2 on /dev/null and the socket as 3, nothing else" \
	"0 /dev/null|1 /dev/null|2 /dev/null|3 socket:" \
	sh -c "sed -n 's/^fd \([0-9]*\) -> \(socket:\).*/\1 \2/p; s/^fd \([0-9]*\) -> \(.*\)/\1 \2/p' '$T/stall.out' | sort -un | paste -sd'|'"
output_is "... an empty environment" "" sh -c "grep '^env:' '$T/stall.out'; true"
output_is "... and argv nsjail-helper" "argv: nsjail-helper" sh -c "grep '^argv:' '$T/stall.out'"
STALL=$(pgrep -n -x esc_stall)
wait "$SU"
rc=$?
elapsed=$(($(date +%s) - start))
ok "su with a hung helper is denied (status $rc)" test "$rc" -ne 0 -a "$rc" -ne 124
output_lacks "... the shell never ran" JAILED cat "$T/su.out"
output_contains "... with a session error" "cannot open session" cat "$T/su.out"
ok "... within the module's bound (${elapsed}s <= 15s)" test "$elapsed" -le 15
ok "the hung helper was killed" sh -c "! kill -0 $STALL 2>/dev/null"
syslog_contains "the log names the timeout" "pam_nsjail\(su:session\): user=alice .*(helper|timed out|Timer expired)"

sed -i "s|helper=$T/bin/esc_stall|helper=$NSJ_HELPER|" "$T/pam.d/su"
rm -f "$T/mark".*
output_is "control: with the real helper the same hostile caller gets a jail" "0" \
	env LD_PRELOAD="$T/bin/esc_preload.so" MALLOC_CHECK_=3 GLIBC_TUNABLES=glibc.malloc.perturb=85 \
	su -s /bin/sh alice -c 'stat -c %a /srv/secret'
ok "... and the library never ran in the helper" test ! -e "$T/mark.nsjail-helper"
