#!/bin/bash
# A shared jail's keeper looks once a second whether any process is still
# in its jail. On a shell server with thousands of processes and a keeper
# per user, a walk of every /proc entry on every tick costs each keeper
# 1.5% of a core (150 ms of CPU per 10 s with 2,000 processes here); the
# keeper looks in the jail's own PID namespace first (its small procfs),
# so while a process of the jail lives a tick costs a few reads. Measured as the
# keeper's own CPU time (utime + stime), not wall time: load on the machine
# does not make it pass or fail.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "s"; users = [ "alice" ]; private_tmp = true; shared = true; } );
EOF2
NPROC=2000
for _ in $(seq "$NPROC"); do sleep 300 & done
ok "alice starts a job that outlives her login" as_user alice 'nohup sleep 1009 </dev/null >/dev/null 2>&1 &'
k=$(pgrep -x nsjail-keeper)
ok "her shared jail has a keeper" test -n "$k"
cpu() { awk '{ print $14 + $15 }' "/proc/$k/stat"; } # clock ticks
a=$(cpu); sleep 10; b=$(cpu)
ms=$(( (b - a) * 1000 / $(getconf CLK_TCK) ))
echo "# $(ls -d /proc/[0-9]* | wc -l) processes; the keeper used $ms ms of CPU in 10 s"
ok "the keeper's ticks are cheap: under 50 ms of CPU in 10 s (was 150)" test "$ms" -lt 50
ok "... and it still sees the job: the jail lives" pgrep -f "sleep 1009"
pkill -f "sleep 300"
pkill -u alice
ok "the last process gone, the keeper goes" sh -c 'for i in $(seq 60); do pgrep -x nsjail-keeper >/dev/null || exit 0; sleep 0.1; done; exit 1'
