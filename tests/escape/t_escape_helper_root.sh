#!/bin/bash
# Escape class 6 (SPEC §8): the helper started by a caller whose real uid is
# already 0 (sshd's monitor, cron, login; t_escape_helper starts it the way
# su does, real uid the user's, where the kernel itself makes it
# non-dumpable on exec). It closes inherited fds and trims its capabilities
# (as there), and it must make itself non-dumpable: otherwise any
# root process without CAP_SYS_PTRACE (a confined service) could read or
# write its memory while it builds a jail. Control: such a process opens the
# memory of an ordinary dumpable root process.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
# The helper with a request socket on fd 3 that never gets a request (it
# waits, up to its own 8 s alarm, and we look at it meanwhile), and 20 more
# inherited fds, one of them a directory outside any jail.
/usr/bin/python3 - "$NSJ_HELPER" "$T/helper.pid" <<'PY' &
import os, socket, sys, time
ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
for _ in range(19):
    os.set_inheritable(os.open("/dev/null", os.O_RDONLY), True)
os.set_inheritable(os.open("/", os.O_PATH | os.O_DIRECTORY), True)
pid = os.fork()
if pid == 0:
    os.dup2(theirs.fileno(), 3)
    os.execve(sys.argv[1], ["nsjail-helper"], {})
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write("%d\n" % pid)
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
os.waitpid(pid, 0)
PY
DRIVER=$!
nsj_at_exit "kill $DRIVER"
for _ in $(seq 200); do [ -s "$T/helper.pid" ] && break; sleep 0.05; done
HP=$(cat "$T/helper.pid" 2>/dev/null)
nsj_at_exit "kill -9 $HP"
# harden() runs first thing, then the helper sleeps reading fd 3.
for _ in $(seq 100); do
	grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$HP/status" 2>/dev/null &&
		grep -q '^State:[[:space:]]*S' "/proc/$HP/status" && break
	sleep 0.02
done
ok "the helper is running" test -n "$HP" -a -d "/proc/$HP"
output_is "... started by real uid 0" "0 0 0 0" \
	sh -c "sed -n 's/^Uid:[[:space:]]*//p' /proc/$HP/status | tr -s '\t' ' '"
output_is "its fds are 0, 1, 2 and 3 only (20 inherited ones closed)" "0 1 2 3" \
	sh -c "echo \$(ls /proc/$HP/fd | sort -n)"
output_is "CapBnd: only SYS_ADMIN, DAC_READ_SEARCH, MKNOD and NET_ADMIN (dropped before the first step)" 0000000008201004 \
	sh -c "sed -n 's/^CapBnd:[[:space:]]*//p' /proc/$HP/status"
output_is "CapEff: the same four" 0000000008201004 sh -c "sed -n 's/^CapEff:[[:space:]]*//p' /proc/$HP/status"

capsh --drop=cap_sys_ptrace -- -c 'exec sleep 60' &
CTL=$!
nsj_at_exit "kill $CTL"
for _ in $(seq 100); do [ "$(cat /proc/$CTL/comm 2>/dev/null)" = sleep ] && break; sleep 0.02; done
# open_mem PID: opens /proc/PID/mem as root with every capability
# permitted but CAP_SYS_PTRACE not effective. A target whose permitted set
# is a subset of ours (the helper keeps CAP_SYS_PTRACE permitted while it
# reads its request) is then refused by nothing but its dumpable flag.
open_mem() {
	/usr/bin/python3 - "$1" <<'PY'
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
class Hdr(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
class Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]
hdr, data = Hdr(0x20080522, 0), (Data * 2)()
if libc.capget(ctypes.byref(hdr), data) != 0:
    sys.exit("capget failed")
data[0].effective &= ~(1 << 19)  # CAP_SYS_PTRACE
if libc.capset(ctypes.byref(hdr), data) != 0:
    sys.exit("capset failed")
try:
    open("/proc/%s/mem" % sys.argv[1], "rb").close()
    print("opened")
except PermissionError:
    print("Permission denied")
PY
}
output_is "control: root without CAP_SYS_PTRACE effective opens a dumpable root process's memory" \
	opened open_mem "$CTL"
output_is "root without CAP_SYS_PTRACE effective cannot open the helper's memory (it made itself non-dumpable)" \
	"Permission denied" open_mem "$HP"
