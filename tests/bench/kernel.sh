#!/bin/bash
# tests/bench/kernel.sh: what restrict_namespaces and scope_ipc cost, next
# to the plain jail (docs/bench/kernel.md). Not a test; run as root in the
# test sandbox, which changes nothing on the host:
#   bash tests/lib/run-sandboxed.sh tests/bench/kernel.sh [N]
# 1. a login's cost: N (default 50) rounds of `pamtester nsjtest USER
#    open_session close_session`, the contenders interleaved, medians (and
#    p10/p90) in ms, fork+exec of pamtester included (the same for all);
# 2. a syscall-heavy program (tests/bench/syscallbench.c) inside each jail,
#    through `nsjailctl run` (the same jail_join as the module), 3 rounds
#    interleaved, the best of each;
# 3. the module's own steps (tests/bench/kernelcost.c): each filter's load
#    and the Landlock domain, 1000 fresh processes.
. "$NSJ_SRC/tests/lib/functions.sh"
N=${1:-50}
nsj_setup
cc -O2 -o "$T/bin/syscallbench" "$NSJ_SRC/tests/bench/syscallbench.c" || exit 1
cc -std=gnu11 -O2 -I"$NSJ_SRC/lib/jail" -I"$NSJ_SRC/lib/plan" -I"$NSJ_BUILD/gen" -o "$T/bin/kernelcost" \
	"$NSJ_SRC/tests/bench/kernelcost.c" "$NSJ_BUILD/libnsjail_jail.a" "$NSJ_BUILD/libnsjail_plan.a" || exit 1
chmod 0755 "$T/bin/syscallbench"
nsj_config <<'EOF2'
version = 1;
jails = (
  { name = "plain"; users = [ "alice" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ]; },
  { name = "rns"; users = [ "carol" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ]; restrict_namespaces = true; },
  { name = "scope"; users = [ "dave" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ]; scope_ipc = true; },
  { name = "both"; users = [ "erin" ]; tmpfs = [ "/home" ]; bind = [ "/home/%u" ];
    restrict_namespaces = true; scope_ipc = true; }
);
EOF2
declare -A LABEL=([bob]="unjailed" [alice]="plain jail" [carol]="restrict_namespaces" [dave]="scope_ipc" [erin]="both")
ORDER="bob alice carol dave erin"

# --- 1. login cost ------------------------------------------------------------
ms() { local a b; a=$(date +%s%N); pamtester nsjtest "$1" open_session close_session >/dev/null 2>&1 || echo "FAIL $1" >&2; b=$(date +%s%N); echo $(((b - a) / 1000)); }
for u in $ORDER; do : >"$T/t.$u"; ms "$u" >/dev/null; done
for _ in $(seq "$N"); do
	for u in $ORDER; do ms "$u" >>"$T/t.$u"; done
done
stats() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.2f | %.2f | %.2f", v[int((NR + 1) / 2)] / 1000, v[int(NR * 0.1) + 1] / 1000, v[int(NR * 0.9)] / 1000 }'; }
echo "login: pamtester open_session+close_session, N=$N, ms"
echo "| jail | median | p10 | p90 |"
echo "| --- | ---: | ---: | ---: |"
for u in $ORDER; do echo "| ${LABEL[$u]} | $(stats "$T/t.$u") |"; done

# --- 2. a syscall-heavy program inside ----------------------------------------
echo
echo "syscallbench inside, ns per call (best of 3 rounds x 5 runs)"
for _ in 1 2 3; do
	for u in $ORDER; do
		if [ $u = bob ]; then
			setpriv --reuid=bob --regid="$(id -g bob)" --clear-groups "$T/bin/syscallbench"
		else
			"$NSJ_BUILD/nsjailctl" run -c "$T/nsjail.conf" --helper "$NSJ_HELPER" "$u" -- "$T/bin/syscallbench"
		fi >>"$T/s.$u"
	done
done
printf '| loop |'; for u in $ORDER; do printf ' %s |' "${LABEL[$u]}"; done; echo
printf '| --- |'; for u in $ORDER; do printf ' ---: |'; done; echo
for loop in getpid stat ioctl fork; do
	printf '| %s |' "$loop"
	for u in $ORDER; do printf ' %s |' "$(awk -v l=$loop '$1 == l { print $2 }' "$T/s.$u" | sort -n | head -1)"; done
	echo
done

# --- 3. the module's own steps ------------------------------------------------
echo
echo "the module's steps, each in a fresh process, N=1000"
"$T/bin/kernelcost" 1000
