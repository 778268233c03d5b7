#!/bin/bash
# private_network / private_ipc: the module joins only what the plan asked
# for and what it checked. A helper that answers "ok" with the caller's own
# network namespace, with namespaces in the wrong slots or with too few is
# refused through real su (the shell never runs, the log names why); and a
# join failing half-way (jail_join driven directly) leaves the caller in its
# own network and IPC namespaces, without no_new_privs.
. "$NSJ_SRC/tests/escape/escape.sh"
esc_setup
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "iso"; users = [ "alice" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ];
            private_network = true; private_ipc = true; } );
EOF2
for m in 1 2 3; do nsj_require esc_cc "$T/bin/liar$m" esc_liar.c -DLIAR_MODE=$m; done
# filter.c includes the filter the build generated (build/gen/filter-bpf.h).
nsj_require esc_cc "$T/bin/join_undo" join_undo.c -D_GNU_SOURCE -I"$NSJ_SRC/lib/plan" -I"$NSJ_SRC/lib/jail" \
	-I"$NSJ_SRC/lib/fdpass" -I"$NSJ_BUILD/gen" "$NSJ_SRC/lib/fdpass/fdpass.c" "$NSJ_SRC/lib/jail/build.c" "$NSJ_SRC/lib/jail/filter.c" "$NSJ_SRC/lib/jail/landlock.c" "$NSJ_SRC/lib/plan/wire.c" \
	"$NSJ_SRC/lib/plan/plan.c" "$NSJ_SRC/lib/plan/paths.c" "$NSJ_SRC/lib/plan/nsj_error.c"
chmod -R a+rX "$T/bin"

output_is "control: the real helper, alice is jailed" JAILED as_user alice 'echo JAILED'
# What su without a terminal prints when the session is refused (and not
# JAILED: no shell; the module's line is for terminals only).
REFUSED="su: cannot open session: Cannot make/remove an entry for the specified session"
try_su() { as_user alice 'echo JAILED' 2>&1; true; }
liar() {
	sed -i "s|helper=[^ ]*|helper=$T/bin/liar$1|" "$T/pam.d/su"
	nsj_syslog_mark
}
liar 1
output_is "the caller's own network namespace: refused, the shell never runs" "$REFUSED" try_su
syslog_contains "... and the log says why" "did not return a new network namespace"
liar 2
output_is "network and IPC namespaces in swapped slots: refused" "$REFUSED" try_su
syslog_contains "... and the log says why" "did not return a new network namespace"
liar 3
output_is "the mount namespace only: refused" "$REFUSED" try_su
syslog_contains "... and the log says why" "returned 1 namespaces, not 3"

output_is "jail_join: the mount namespace fails last: network and IPC undone, no no_new_privs" \
	"setns (mount namespace): Invalid argument|back net=same ipc=same nnp=0" \
	sh -c "'$T/bin/join_undo' mnt | paste -sd'|'"
output_is "jail_join: the IPC namespace fails: the network undone" \
	"setns (IPC namespace): Invalid argument|back net=same ipc=same nnp=0" \
	sh -c "'$T/bin/join_undo' ipc | paste -sd'|'"
