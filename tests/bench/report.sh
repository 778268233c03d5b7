#!/bin/bash
# report.sh RESULTS.tsv DESTDIR ITERS BASE_MOUNTS
# Turns the tab-separated results of run.sh (pambench/matchbench -o lines:
# tag mode label metric n fails median p10 p90) into DESTDIR/results.md and,
# when gnuplot is installed, DESTDIR/results.png. $NSJ_MISSING: one skipped
# contender per line.
set -euo pipefail
tsv=$1 dest=$2 iters=$3 base=$4
md=$dest/results.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# get TAG LABEL METRIC FIELD (7 median, 8 p10, 9 p90, 6 fails, 5 n)
get() {
	awk -F'\t' -v t="$1" -v l="$2" -v m="$3" -v f="$4" \
		'$1==t && $3==l && $4==m { v=$f } END { if (v != "") print v }' "$tsv"
}
fmt() { [ -n "${1:-}" ] && printf '%.3f' "$1" || printf 'n/a'; }
ratio() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a=="" || b=="" || b+0==0) print "n/a"; else printf "%.2f", a/b }'; }
lt() { awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { exit !(a!="" && b!="" && a+0 < b+0) }'; }
cell() { # cell TAG LABEL METRIC: "median (p10–p90)"
	local m
	m=$(get "$1" "$2" "$3" 7)
	[ -n "$m" ] || { printf 'n/a'; return; }
	printf '%s (%s–%s)' "$(fmt "$m")" "$(fmt "$(get "$1" "$2" "$3" 8)")" "$(fmt "$(get "$1" "$2" "$3" 9)")"
}
# The floor a contender is measured against: the same kind of jail
# (private_pids, private_network, private_ipc, no_new_privileges add to the
# hidden jail's mounts).
floor_of() { case $1 in nsjail-pids|nsjail-net|nsjail-ipc|nsjail-nnp|nsjail-shared-*) echo floor-hidden ;; *) echo "floor-${1#*-}" ;; esac; }
labels() { awk -F'\t' -v t="$1" '$1==t && !seen[$3]++ { print $3 }' "$tsv"; }

declare -A what=(
	[permit]="pam_permit only: the cost of PAM and a fork, no jail"
	[nsjail-hidden]="pam_nsjail: 5 inaccessible + 5 tmpfs paths"
	[nsjail-ro]="pam_nsjail: read_only = [\"/\"]"
	[nsjail-root]="pam_nsjail: root = \"tmpfs\", bind_ro /usr (+ /proc /sys /dev /tmp /etc)"
	[nsjail-pids]="pam_nsjail: the hidden jail + private_pids (PID namespace, its init, own /proc); vs floor-hidden"
	[nsjail-net]="pam_nsjail: the hidden jail + private_network (network namespace, lo up); vs floor-hidden"
	[nsjail-ipc]="pam_nsjail: the hidden jail + private_ipc (IPC namespace); vs floor-hidden"
	[nsjail-nnp]="pam_nsjail: the hidden jail + no_new_privileges; vs floor-hidden"
	[nsjail-shared-first]="pam_nsjail: the same shared jail, a login that builds it (no live jail of the user: a pool of 100 users, each used again only after its keeper left); vs floor-hidden"
	[nsjail-shared-join]="pam_nsjail: the hidden jail with shared = true, a login joining the user's live jail (held by another session); vs floor-hidden, which builds"
	[floor-hidden]="floor: the same 10 mounts, minimal static helper"
	[floor-ro]="floor: recursive read-only /"
	[floor-root]="floor: the same tmpfs root"
	[namespace]="pam_namespace: 10 tmpfs polydirs (no namespace.init)"
	[chroot]="pam_chroot: chroot() into a small directory"
	[bwrap-hidden]="bwrap: the same 10 paths, then the proof (test)"
	[bwrap-ro]="bwrap --ro-bind / /, then the proof (test)"
	[bwrap-root]="bwrap: tmpfs root, /usr, /proc, /sys, /dev, /tmp, /etc, then the proof (test)"
	[firejail-hidden]="firejail --noprofile: 5 --blacklist + 5 --tmpfs, then the proof (test)"
	[firejail-ro]="firejail --noprofile --read-only=/, then the proof (test)"
	[true]="fork + exec /usr/bin/test: the floor of any command (the proof on the host: the files are visible)"
)

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2/1048576 }' /proc/meminfo)
# shellcheck disable=SC1091 # the running system's file
os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}")
ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "not installed"; }

{
echo "# pam_nsjail benchmark results"
echo
echo "Produced by \`sudo bash tests/bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC')."
echo
echo "| machine | |"
echo "| --- | --- |"
echo "| CPU | ${cpu:-unknown} ($(nproc) cores online) |"
echo "| memory | $mem |"
echo "| kernel | $(uname -r) |"
echo "| load average (1 min) | ${NSJ_LOAD_START:-?} at the start, $(cut -d' ' -f1 /proc/loadavg) at the end (other work on the machine makes the spread wider) |"
echo "| system | ${os:-unknown}; libpam $(ver libpam0g), bubblewrap $(ver bubblewrap), firejail $(ver firejail), libpam-chroot $(ver libpam-chroot) |"
bt=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "${NSJ_BUILD:-/nonexistent}/CMakeCache.txt" 2>/dev/null || true)
echo "| pam_nsjail | commit $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo '?'), build type ${bt:-unknown}, $(cc --version 2>/dev/null | head -1) |"
echo
echo "Times in milliseconds: median (p10–p90). **session** = pam_open_session +"
echo "pam_close_session, timed inside the child that runs them (an sshd session"
echo "process); **total** = fork to reap in the parent: adds fork, pam_start (dlopen),"
echo "pam_end, exit and the teardown of the jail's namespace. Commands (bwrap,"
echo "firejail) are fork + exec + wait: **total** only. All contenders are interleaved"
echo "round-robin, $iters iterations each after a warm-up, in one private mount"
echo "namespace with $base mounts (no PID namespace: firejail would detect it and"
echo "run unsandboxed)."
echo
echo "**Every row is a proven measurement.** Each covered path holds a file; on"
echo "every run each contender proves it did its work from inside the session it"
echo "made: the files in the hidden and tmpfs paths are gone, a read-only jail"
echo "refuses writes with EROFS on / and on another mount (/srv), a root jail does"
echo "not see the host's /srv but has /usr. PAM contenders prove it with"
echo "tests/bench/pam_probe.so stacked after the module (a few lstat/access calls,"
echo "the same for all, pam_permit included); commands run /usr/bin/test with the"
echo "same checks instead of /bin/true. The unjailed rows (permit, true) must see"
echo "the files: the positive control. A failed proof fails the run; a peer that"
echo "cannot do the work here is listed as not measured, with the reason."
echo
echo "## Session cost"
echo
echo "| contender | what | session | total | session / floor |"
echo "| --- | --- | ---: | ---: | ---: |"
for l in $(labels main); do
	fl=""
	case $l in nsjail-*|floor-*) fl=$(ratio "$(get main "$l" session 7)" "$(get main "$(floor_of "$l")" session 7)") ;; esac
	echo "| $l | ${what[$l]:-} | $(cell main "$l" session) | $(cell main "$l" total) | ${fl:-} |"
done
# notmeasured rows: tag, -, label, reason
awk -F'\t' '$1=="notmeasured" { print $3 "\t" $4 }' "$tsv" | while IFS=$'\t' read -r l why; do
	echo "| $l | ${what[$l]:-} | not measured: $why | | |"
done
if [ -n "${NSJ_MISSING:-}" ]; then
	echo
	echo "Not measured here:"
	while read -r m; do [ -n "$m" ] && echo "* $m"; done <<<"$NSJ_MISSING"
fi

if [ -n "$(labels process)" ]; then
	echo
	echo "## Whole process: one fresh login process each"
	echo
	echo "What su, login or a cron job pay per login: a new process that loads"
	echo "everything. Each iteration is fork + exec \`pamtester SERVICE bench"
	echo "open_session close_session\` + wait, timed from outside, all contenders"
	echo "interleaved. It adds what the session column above does not see: exec,"
	echo "pam_start, the dlopen of the module and its library (libconfig), a cold"
	echo "NSS, first-touch page faults, exit and the teardown of the namespace. **added** = the median minus pam_permit's; the last column"
	echo "compares it with the floor doing the same mounts (p10 in parentheses: the"
	echo "same ratio from the fast tail, less sensitive to other load)."
	echo
	echo "$(( iters * 3 )) iterations each."
	echo
	echo "| contender | pamtester, fork to reap | added over permit | added / floor's added |"
	echo "| --- | ---: | ---: | ---: |"
	pm=$(get process permit total 7) p10=$(get process permit total 8)
	for l in $(labels process); do
		m=$(get process "$l" total 7) m10=$(get process "$l" total 8)
		a=$(awk -v a="$m" -v b="$pm" 'BEGIN { if (a!="" && b!="") printf "%.3f", a-b }')
		r=""
		case $l in nsjail-*|floor-*)
			fm=$(get process "$(floor_of "$l")" total 7) f10=$(get process "$(floor_of "$l")" total 8)
			r=$(awk -v a="$m" -v f="$fm" -v p="$pm" -v a1="$m10" -v f1="$f10" -v p1="$p10" \
				'BEGIN { if (a!="" && f!="" && f-p > 0) printf "%.2f (%.2f)", (a-p)/(f-p), (a1-p1)/(f1-p1) }') ;;
		esac
		echo "| $l | $(cell process "$l" total) | ${a:-n/a} | ${r} |"
	done
fi

if [ -n "$(labels unmatched)" ]; then
	echo
	echo "## A user no jail names"
	echo
	echo "pam_open_session + pam_close_session in one process (pam_start once; no"
	echo "fork, nothing to undo), for a user in no jail, with pam_nsjail and pam_permit"
	echo "in the stack versus pam_permit alone. The difference is what pam_nsjail"
	echo "costs an unjailed login: read and parse the config, NSS lookups, match."
	echo
	echo "| stack | open+close |"
	echo "| --- | ---: |"
	echo "| pam_nsjail + pam_permit | $(cell unmatched nsjail-unmatched session) |"
	echo "| pam_permit | $(cell unmatched permit-unmatched session) |"
	d=$(awk -v a="$(get unmatched nsjail-unmatched session 7)" -v b="$(get unmatched permit-unmatched session 7)" 'BEGIN { if (a!="" && b!="") printf "%.3f", a-b }')
	echo "| **pam_nsjail's share** | **${d:-n/a}** |"
	sp=$(get unmatched nsjail-unmatched processes 7)
	[ -n "$sp" ] && { echo; echo "Processes started by pam_nsjail for it (strace -f, 3 sessions): **${sp%.*}**."; }
fi

tags=$(awk -F'\t' '$1 ~ /^mounts=/ && !seen[$1]++ { print $1 }' "$tsv")
if [ -n "$tags" ]; then
	echo
	echo "## Host mount count"
	echo
	echo "The same jails with more mounts on the host (tmpfs mounts added in the"
	echo "sandbox): session for PAM contenders, total for commands. $(( iters / 2 > 2 ? iters / 2 : 2 )) iterations."
	echo
	printf '| contender |'; for t in $tags; do printf ' %s mounts |' "${t#mounts=}"; done; echo ' last / first |'
	printf '| --- |'; for t in $tags; do printf ' ---: |'; done; echo ' ---: |'
	first=$(echo "$tags" | head -1) last=$(echo "$tags" | tail -1)
	for l in $(labels "$first"); do
		m=session; [ -n "$(get "$first" "$l" session 7)" ] || m=total
		printf '| %s |' "$l"
		for t in $tags; do printf ' %s |' "$(cell "$t" "$l" "$m")"; done
		echo " $(ratio "$(get "$last" "$l" "$m" 7)" "$(get "$first" "$l" "$m" 7)") |"
	done
fi

if [ -n "$(labels concurrency)" ]; then
	echo
	echo "## Concurrent logins"
	echo
	echo "N sessions started at once (each a forked child doing the whole PAM"
	echo "sequence); wall time until the last one is reaped, and every failure."
	echo
	echo "| contender | 1 | 8 | 64 | failures at 64 | session at 64 |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: |"
	for l in $(labels concurrency); do
		echo "| $l | $(cell concurrency "$l" wall@1) | $(cell concurrency "$l" wall@8) | $(cell concurrency "$l" wall@64) | $(get concurrency "$l" wall@64 6) | $(cell concurrency "$l" session@64) |"
	done
fi

if [ -n "$(labels config)" ]; then
	echo
	echo "## Matching in a huge configuration"
	echo
	echo "matchbench: config_load of a generated file, then policy_match on the"
	echo "parsed policy (a user built in memory: no NSS)."
	echo
	echo "| operation | median | p10 | p90 | unit |"
	echo "| --- | ---: | ---: | ---: | --- |"
	awk -F'\t' '$1=="config" { printf "| %s | %.3f | %.3f | %.3f | %s |\n", $3, $7, $8, $9, $4 }' "$tsv"
fi

if [ -n "$(awk -F'\t' '$1 ~ /^phases-/' "$tsv")" ]; then
	echo
	echo "## Where pam_nsjail's time goes"
	echo
	echo "tests/bench/phases: the module's steps timed one by one in a fresh child"
	echo "(as pam_nsjail.c runs them), interleaved with the floor and with the bare"
	echo "start of each helper (spawned, handed a request it refuses at once:"
	echo "exec and start-up, no mounts). Medians, microseconds."
	echo
	printf '| step |'; for k in hidden ro root; do printf ' %s |' "$k"; done; echo
	printf '| --- |'; for k in hidden ro root; do printf ' ---: |'; done; echo
	awk -F'\t' '$1 ~ /^phases-/ && !seen[$3]++ { print $3 }' "$tsv" | while IFS= read -r step; do
		printf '| %s |' "$step"
		for k in hidden ro root; do
			v=$(awk -F'\t' -v t="phases-$k" -v l="$step" '$1==t && $3==l { v=$7 } END { print v }' "$tsv")
			printf ' %s |' "${v:-n/a}"
		done
		echo
	done
fi

if [ -n "$(awk -F'\t' '$1 ~ /^cold-/' "$tsv")" ]; then
	echo
	echo "## Where a cold process's time goes"
	echo
	echo "tests/bench/coldphases: every sample is a freshly exec'd process (linked"
	echo "with libpam, like any PAM application; nothing else loaded), alternately"
	echo "running the module's steps and the floor's. The module's libraries are"
	echo "dlopened alone first (libpam is loaded, as in any PAM application), then"
	echo "pam_nsjail.so itself; the steps run from"
	echo "nsjphases.so, the same lib/policy and lib/jail code built as a shared object"
	echo "like the module, so its pages are as cold. The seccomp filter and setns"
	echo "are jail_join's two halves. Medians, microseconds; page faults as counts."
	echo
	printf '| step |'; for k in hidden ro root; do printf ' %s |' "$k"; done; echo
	printf '| --- |'; for k in hidden ro root; do printf ' ---: |'; done; echo
	awk -F'\t' '$1 ~ /^cold-/ && !seen[$3]++ { print $3 }' "$tsv" | while IFS= read -r step; do
		printf '| %s |' "$step"
		for k in hidden ro root; do
			v=$(awk -F'\t' -v t="cold-$k" -v l="$step" '$1==t && $3==l { v=$7 } END { print v }' "$tsv")
			printf ' %s |' "${v:-n/a}"
		done
		echo
	done
fi

# --- issue 15: a login that joins a live shared jail
if [ -n "$(get main nsjail-shared-join session 7)" ]; then
	echo
	echo "## Shared jails: the login that joins, the login that builds (issue 15)"
	echo
	echo "nsjail-shared-join: the hidden jail with \`shared = true\`. Before the timed"
	echo "runs a holder (tests/bench/pamhold.c) opens a session of the same user in it"
	echo "and stays until the end, so every timed login finds the jail live and joins"
	echo "it: registry, lock, the keeper's proof, setns; no helper. Its proof on every"
	echo "run: the hidden paths are gone AND the session's mount namespace is the"
	echo "holder's (pam_probe mntns=); after all runs the registry still holds exactly"
	echo "the one entry, unchanged (same keeper, same namespace). The target: below"
	echo "pam_namespace, the in-process anchor. nsjail-shared-first is the login that"
	echo "builds the shared jail (the helper, its keeper, the registry entry); its proof:"
	echo "the hidden paths are gone AND the registry entry naming the session's mount"
	echo "namespace has a keeper younger than the session (pam_probe built). Medians"
	echo "(p10–p90), ms."
	echo
	echo "| contender | in-process session | added over permit | whole process (pamtester) | added over permit |"
	echo "| --- | ---: | ---: | ---: | ---: |"
	ps=$(get main permit session 7) pp=$(get process permit total 7)
	for l in permit nsjail-shared-join nsjail-shared-first namespace floor-hidden nsjail-hidden; do
		a=$(awk -v a="$(get main "$l" session 7)" -v b="$ps" 'BEGIN { if (a!="" && b!="") printf "%.3f", a-b }')
		b=$(awk -v a="$(get process "$l" total 7)" -v p="$pp" 'BEGIN { if (a!="" && p!="") printf "%.3f", a-p }')
		echo "| $l | $(cell main "$l" session) | ${a:-n/a} | $(cell process "$l" total) | ${b:-n/a} |"
	done
	if [ -n "$(get concurrency nsjail-shared-join wall@64 7)" ]; then
		echo
		echo "64 logins joining at once (one lock, taken in turn): $(cell concurrency nsjail-shared-join wall@64) ms wall,"
		echo "$(get concurrency nsjail-shared-join wall@64 6) failures; the hidden jail built 64 times: $(cell concurrency nsjail-hidden wall@64) ms."
	fi
	if [ -n "$(awk -F'\t' '$1=="joinphases"' "$tsv")" ]; then
		echo
		echo "Where a joining login's time goes (tests/bench/joinphases: the module's"
		echo "steps in a fresh child each, medians, microseconds):"
		echo
		echo "| step | us |"
		echo "| --- | ---: |"
		awk -F'\t' '$1=="joinphases" { printf "| %s | %s |\n", $3, $7 }' "$tsv"
	fi
fi

# --- issue 14: the two ratios, and what stands between the whole process and 1.25x
if [ -n "$(labels process)" ] && [ -n "$(awk -F'\t' '$1=="cold-hidden"' "$tsv")" ]; then
	cg() { get cold-hidden "$1" us 7; }
	pm=$(get process permit total 7)
	na=$(awk -v a="$(get process nsjail-hidden total 7)" -v p="$pm" 'BEGIN { printf "%.0f", (a - p) * 1000 }')
	fa=$(awk -v a="$(get process floor-hidden total 7)" -v p="$pm" 'BEGIN { printf "%.0f", (a - p) * 1000 }')
	mod=$(awk -v a="$(cg 'dlopen libconfig.so.9')" -v b="$(cg 'dlopen pam_nsjail.so (itself)')" \
		-v fb="$(cg 'floor: dlopen pam_floor.so')" -v c="$(cg config_load)" \
		-v n="$(cg 'user_lookup_passwd (NSS, cold)')" -v pl="$(cg 'session_plan (match, compile)')" \
		-v f="$(cg 'seccomp filter (load)')" 'BEGIN { printf "%.0f", a + (b - fb) + c + n + pl + f }')
	hx=$(awk -v b="$(cg 'jail_build_ns (spawn + helper + reply)')" -v s="$(cg setns)" \
		-v fo="$(cg 'floor: open_session (spawn + helper + setns)')" 'BEGIN { printf "%.0f", b + s - fo }')
	echo
	echo "## Two measurements, two ratios (issue 14)"
	echo
	echo "* **In-process** (the session column above, what an sshd session process"
	echo "  pays: the module already loaded by pam_start, NSS warm): the hidden jail is"
	echo "  $(ratio "$(get main nsjail-hidden session 7)" "$(get main floor-hidden session 7)")× the floor."
	echo "* **Whole process** (a fresh pamtester per login, what su or cron pay): it"
	echo "  adds ${na} us over pam_permit against ${fa} us for the floor,"
	echo "  $(ratio "$na" "$fa")×. 1.25× would allow $(awk -v f="$fa" 'BEGIN { printf "%.0f", f * 0.25 }') us more than the floor."
	echo
	echo "In the cold-process split (hidden jail) the module's own per-process work"
	echo "(dlopen of libconfig and of a larger module, config_load, a cold NSS look-up,"
	echo "session_plan, loading the seccomp filter) is **${mod} us**, and the helper"
	echo "(spawn + start-up + mounts + reply, against the floor's helper doing the"
	echo "same ten mounts) **${hx} us** more than the floor's. The helper's part is"
	echo "its start-up (static-pie self-relocation, hardening: spawn to its answer"
	echo "against the floor-helper's in the table above: $(awk -v a="$(cg 'nsjail-helper: spawn to its answer (start-up, no mounts)')" -v b="$(cg 'floor-helper: spawn to its answer (start-up, no mounts)')" 'BEGIN { if (a!="" && b!="") printf "%.0f", a - b; else printf "?" }') us) and"
	echo "its fd-relative resolution and host-side covers of every path (about four"
	echo "times the floor's system calls for this jail)."
fi

# --- targets ---
echo
echo "## Targets (issues 7 and 14)"
echo
echo "| target | measured | met |"
echo "| --- | --- | :---: |"
yes_no() { if "$@"; then echo yes; else echo "**no**"; fi; }
for k in hidden ro root; do
	a=$(get main "nsjail-$k" session 7) b=$(get main "floor-$k" session 7)
	if [ -z "$a" ] || [ -z "$b" ]; then continue; fi
	r=$(ratio "$a" "$b")
	echo "| $k jail: session within 1.25× of the floor | $(fmt "$a") vs $(fmt "$b") ms = ${r}× | $(yes_no lt "$r" 1.25) |"
done
tr=$(get main true total 7) pt=$(get main permit total 7)
for k in hidden ro root; do
	a=$(get main "nsjail-$k" total 7) b=$(get main "bwrap-$k" total 7)
	if [ -z "$a" ] || [ -z "$b" ] || [ -z "$tr" ] || [ -z "$pt" ]; then continue; fi
	x=$(awk -v a="$a" -v t="$pt" 'BEGIN { printf "%.3f", a - t }')
	n=$(awk -v b="$b" -v t="$tr" 'BEGIN { printf "%.3f", b - t }')
	echo "| $k jail: below bwrap (what jailing adds to a process: nsjail total − permit total vs bwrap total − /bin/true total) | $x vs $n ms | $(yes_no lt "$x" "$n") |"
done
if [ -n "$tags" ]; then
	a=$(get "$last" nsjail-ro session 7) b=$(get "$first" nsjail-ro session 7)
	if [ -n "$a" ] && [ -n "$b" ]; then
		r=$(ratio "$a" "$b")
		fr=$(ratio "$(get "$last" floor-ro session 7)" "$(get "$first" floor-ro session 7)")
		echo "| read-only jail at ${last#mounts=} mounts within 1.3× of ${first#mounts=} | $(fmt "$a") vs $(fmt "$b") ms = ${r}× (the floor: ${fr}×) | $(yes_no lt "$r" 1.3) |"
	fi
fi
if [ -n "$(labels process)" ]; then
	for k in hidden ro root; do
		a=$(get process "nsjail-$k" total 7) f=$(get process "floor-$k" total 7) pm=$(get process permit total 7)
		if [ -z "$a" ] || [ -z "$f" ] || [ -z "$pm" ]; then continue; fi
		x=$(awk -v a="$a" -v p="$pm" 'BEGIN { printf "%.3f", a - p }')
		y=$(awk -v f="$f" -v p="$pm" 'BEGIN { printf "%.3f", f - p }')
		r=$(ratio "$x" "$y")
		echo "| $k jail, whole process (issue 14): added cost within 1.25× of the floor's | $x vs $y ms = ${r}× | $(yes_no lt "$r" 1.25) |"
	done
fi
j=$(get main nsjail-shared-join session 7) ns=$(get main namespace session 7)
if [ -n "$j" ] && [ -n "$ns" ]; then
	echo "| shared jail, a login that joins: session below pam_namespace's (issue 15) | $(fmt "$j") vs $(fmt "$ns") ms | $(yes_no lt "$j" "$ns") |"
	jp=$(get process nsjail-shared-join total 7) np=$(get process namespace total 7)
	[ -n "$jp" ] && [ -n "$np" ] &&
		echo "| shared jail, a login that joins, whole process: below pam_namespace's (issue 15) | $(fmt "$jp") vs $(fmt "$np") ms | $(yes_no lt "$jp" "$np") |"
fi
if [ -n "${d:-}" ]; then
	echo "| unmatched user: no process, < 0.1 ms | ${sp%.*} processes, $d ms | $( { [ "${sp%.*}" = 0 ] && lt "$d" 0.1; } && echo yes || echo "**no**") |"
fi
for l in $(labels concurrency); do
	case $l in nsjail-*)
		f=$(get concurrency "$l" wall@64 6) n=$(get concurrency "$l" wall@64 5)
		echo "| 64 concurrent logins succeed ($l) | $f failures in $n rounds of 64 | $( [ "$f" = 0 ] && [ "${n:-0}" -gt 0 ] && echo yes || echo "**no**") |" ;;
	esac
done
} >"$md"

# --- the compact table the README carries ---
{
	echo "| contender | session open+close, ms | fork to reap, ms | session / floor | whole process: added, ms | added / floor's | ${last#mounts=} mounts / ${first#mounts=} |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	pm=$(get process permit total 7)
	for l in $(labels main); do
		sm=$(get main "$l" session 7) fl="" sc="" pa="" pr=""
		case $l in nsjail-*|floor-*) fl=$(ratio "$sm" "$(get main "$(floor_of "$l")" session 7)") ;; esac
		if [ -n "$tags" ]; then
			m=session; [ -n "$(get "$first" "$l" session 7)" ] || m=total
			[ -n "$(get "$first" "$l" "$m" 7)" ] && sc="$(ratio "$(get "$last" "$l" "$m" 7)" "$(get "$first" "$l" "$m" 7)")×"
		fi
		pt=$(get process "$l" total 7)
		if [ -n "$pt" ] && [ -n "$pm" ]; then
			pa=$(awk -v a="$pt" -v p="$pm" 'BEGIN { printf "%.3f", a - p }')
			case $l in nsjail-*|floor-*)
				fp=$(get process "$(floor_of "$l")" total 7)
				[ -n "$fp" ] && pr="$(ratio "$pa" "$(awk -v a="$fp" -v p="$pm" 'BEGIN { printf "%.3f", a - p }')")×" ;;
			esac
		fi
		echo "| $l | $( [ -n "$sm" ] && fmt "$sm" || echo —) | $(fmt "$(get main "$l" total 7)") | ${fl:+${fl}×} | $pa | $pr | $sc |"
	done
	awk -F'\t' '$1=="notmeasured" { print $3 "\t" $4 }' "$tsv" | while IFS=$'\t' read -r l why; do
		echo "| $l | not measured: $why | | | | | |"
	done
} >"$dest/summary.md"

# --- chart ---
command -v gnuplot >/dev/null || { echo "report.sh: no gnuplot; no chart" >&2; exit 0; }
awk -F'\t' '$1=="main" && $4=="session" { s[$3]=$7 }
	$1=="main" && $4=="total" { l[++n]=$3; t[$3]=$7 " " $8 " " $9 }
	END { for (i = 1; i <= n; i++) printf "\"%s\" %s %s\n", l[i], t[l[i]], (l[i] in s) ? s[l[i]] : "?" }' \
	"$tsv" >"$work/main.dat"
plots=""
if [ -n "$tags" ]; then
	for l in $(labels "$first"); do
		m=session; [ -n "$(get "$first" "$l" session 7)" ] || m=total
		for t in $tags; do
			echo "${t#mounts=} $(get "$t" "$l" "$m" 7) $(get "$t" "$l" "$m" 8) $(get "$t" "$l" "$m" 9)"
		done >"$work/scale-$l.dat"
		plots+="${plots:+, }'$work/scale-$l.dat' using 1:2:3:4 with yerrorlines title '$l ($m)'"
	done
fi
n=$(wc -l <"$work/main.dat")
{
	echo "set terminal pngcairo size 1400,$(( n * 28 + 200 > 600 ? n * 28 + 200 : 600 )) font 'sans,10'"
	echo "set output '$dest/results.png'"
	echo "set termoption noenhanced"
	echo "set multiplot layout 1,2 title 'pam_nsjail and peers — $(uname -r), $(nproc) cores, $(date -u +%Y-%m-%d)'"
	echo "set title 'fork to reap (light, p10–p90 bars) and session open+close (dark), medians, ms'"
	echo "set datafile missing '?'"
	echo "set style fill solid 0.5"
	echo "set yrange [$n:-1]"
	echo "set ytics nomirror"
	echo "set xrange [0:*]"
	echo "set grid x"
	echo "plot '$work/main.dat' using (\$2/2):0:(\$2/2):(0.35):yticlabels(1) with boxxyerror notitle lc rgb '#4a7ab5', \\"
	echo "     '' using 2:0:3:4 with xerrorbars notitle lc rgb 'black' pt 0, \\"
	echo "     '' using (\$5/2):0:(\$5/2):(0.2) with boxxyerror notitle lc rgb '#1f3f6f' fs solid 0.9"
	if [ -n "$plots" ]; then
		echo "unset yrange; unset ytics; set ytics; set xrange [*:*]; set yrange [*:*]"
		echo "set logscale y; set grid y"
		echo "set title 'cost vs host mount count (median, p10–p90), ms, log-log'"
		echo "set xlabel 'mounts in the namespace'; set logscale x"
		echo "set key top left"
		echo "plot $plots"
	fi
	echo "unset multiplot"
} >"$work/plot.gp"
gnuplot "$work/plot.gp"
