#!/bin/bash
# tests/bench/run.sh [--quick] [--partial]
#
# The benchmark of issue 7, in one command (as root): session cost of
# pam_nsjail next to pam_permit, pam_namespace, pam_chroot, the floor of the
# architecture (tests/bench/floor-helper.c + pam_floor.c), bwrap and
# firejail; the same jails with 20, 500 and 2000 host mounts; matching in a
# config of 10,000 jails and 100,000 users; 1, 8 and 64 concurrent logins.
#
# Everything runs in ONE private mount namespace made here: test users, PAM
# stacks, /etc/security and the extra mounts are bound over the host's files
# inside it only; the host is never changed. No PID namespace: firejail
# detects one ("an existing sandbox was detected") and then runs its command
# unsandboxed, so the host's PID namespace and /proc stay.
#
# Every contender proves on every run that it did its work: a file inside
# each hidden path must be gone, a read-only jail's mounts must refuse
# writes (EROFS, on / and on another mount), a root jail must not see the
# host's /srv; the unjailed baselines must see them (the positive control).
# PAM contenders: tests/bench/pam_probe.c stacked after the module; commands
# run /usr/bin/test with the same checks instead of /bin/true. A failed
# proof fails the run (exit 1); a peer that cannot do the work here is
# shown as "not measured: <reason>", never timed.
#
# Writes docs/bench/results.md and docs/bench/results.png (with --quick:
# $NSJ_BUILD/bench/ instead, so a CI smoke run never touches the docs).
#   --quick    tiny iteration counts (CI smoke test, well under a minute)
#   --partial  keep going without pam_nsjail when the project does not build
#              (development of the benchmark itself); its rows are missing
#   --exec=CMD run CMD (bash) in the prepared sandbox instead, e.g. to profile:
#              --exec='strace -f -c $bin/pambench -n 20 x=pam:bench-nsjail-hidden:bench'
# Environment: NSJ_BUILD (default ./build), NSJ_BENCH_ITERS (default 200).
# Exit: 0, or 1 when something that must work failed (build, a pam_nsjail or
# floor session, a target program) or any contender's proof failed; peers
# that are not installed, or that cannot do the work here for a reason
# run.sh recognises (firejail in a PID namespace, firejail's non-recursive
# --read-only), are listed as not measured.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
build=$(realpath -m "${NSJ_BUILD:-$src/build}") # absolute: PAM stacks name the module by it
quick=0
partial=0
for a in "$@"; do
	case $a in
	--quick) quick=1 ;;
	--partial) partial=1 ;;
	--exec=*) export NSJ_BENCH_EXEC=${a#--exec=} ;;
	-h|--help) sed -n '2,38p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run.sh: unknown argument '$a'" >&2; exit 2 ;;
	esac
done

log() { printf 'bench: [%3ss] %s\n' "$SECONDS" "$*" >&2; }

# --- outside the sandbox: build, then re-enter ourselves in a namespace ------
if [ -z "${NSJ_BENCH_INNER:-}" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		log "SKIP: needs root (private mount namespaces, PAM sessions as other users)"
		exit 0
	fi
	if ! unshare --mount --propagation private true 2>/dev/null; then
		log "SKIP: cannot make a private mount namespace here (no CAP_SYS_ADMIN?)"
		exit 0
	fi
	bin=$build/bench
	mkdir -p "$bin"
	have_nsjail=1
	log "building in $build"
	cfg=(-DNSJAIL_BENCH=ON)
	# A new build directory gets an optimised build; an existing one keeps
	# its type (results.md names it).
	[ -f "$build/CMakeCache.txt" ] || cfg+=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
	if ! { cmake -S "$src" -B "$build" "${cfg[@]}" >"$bin/cmake.log" 2>&1 &&
		cmake --build "$build" -j"$(nproc)" --target nsjail-helper pam_nsjail \
			pambench floor-helper pam_floor pam_probe pamhold joinphases matchbench phases coldphases nsjphases mkmounts >>"$bin/cmake.log" 2>&1; }; then
		tail -20 "$bin/cmake.log" >&2
		if [ $partial -eq 0 ]; then
			log "FAIL: the project does not build (see $bin/cmake.log); --partial benches the rest"
			exit 1
		fi
		log "project does not build: benching without pam_nsjail (--partial)"
		have_nsjail=0
		flags=(-O2 -Wall -Wextra -Werror -D_GNU_SOURCE)
		cc "${flags[@]}" -o "$bin/pambench" "$here/pambench.c" -lpam -lm
		cc "${flags[@]}" -static -o "$bin/floor-helper" "$here/floor-helper.c"
		cc "${flags[@]}" -o "$bin/mkmounts" "$here/mkmounts.c"
		cc "${flags[@]}" -fPIC -shared -o "$bin/pam_floor.so" "$here/pam_floor.c" -lpam
		cc "${flags[@]}" -fPIC -shared -o "$bin/pam_probe.so" "$here/pam_probe.c" -lpam
		cc "${flags[@]}" -o "$bin/pamhold" "$here/pamhold.c" -lpam
	else
		for f in pambench floor-helper pamhold joinphases matchbench phases coldphases mkmounts; do
			cp "$build/tests/bench/$f" "$bin/$f"
		done
		cp "$build/tests/bench/pam_floor.so" "$build/tests/bench/pam_probe.so" "$build/tests/bench/nsjphases.so" "$bin/"
	fi
	export NSJ_BENCH_INNER=1 NSJ_SRC=$src NSJ_BUILD=$build NSJ_BIN=$bin \
		NSJ_QUICK=$quick NSJ_HAVE_NSJAIL=$have_nsjail
	exec unshare --mount --propagation private --fork --kill-child \
		/bin/bash "${BASH_SOURCE[0]}" "$@"
fi

# --- inside the sandbox ------------------------------------------------------
bin=$NSJ_BIN
B=/srv/nsjbench         # everything the benchmark makes, on a private tmpfs
H=$B/h                  # the 10 paths the hidden/tmpfs jails cover
mkdir -p /srv
mount -t tmpfs -o mode=0755 nsjbench-srv /srv
# A source or build tree under /tmp or /run (a CI clone in /tmp) stays
# visible at its path: held on /srv while fresh tmpfs cover those two.
keep=()
for d in "$NSJ_SRC" "$NSJ_BUILD"; do
	case $d in "$NSJ_SRC"/*) [ "$d" != "$NSJ_SRC" ] && continue ;; esac
	case $d in /tmp/*|/run/*) keep+=("$d") ;; esac
done
for i in "${!keep[@]}"; do
	mkdir "/srv/keep$i"
	mount --bind "${keep[$i]}" "/srv/keep$i"
done
mount -t tmpfs -o mode=1777 nsjbench-tmp /tmp
mount -t tmpfs -o mode=0755 nsjbench-run /run
for i in "${!keep[@]}"; do
	mkdir -p "${keep[$i]}"
	mount --move "/srv/keep$i" "${keep[$i]}"
	rmdir "/srv/keep$i"
done
mkdir -p "$B" "$H" "$B/etc" "$B/chroot" "$B/jetc" "$B/m" "$B/out"
out=$B/out/results.tsv
: >"$out"
failed=0
missing=()
notmeasured=() # "label<TAB>reason": peers that cannot do the work here

if [ "$NSJ_QUICK" = 1 ]; then
	iters=3; warm=1; crounds=1; cwarm=0; siters=2; mjails=10000; musers=100000; miters=20
	dest=$bin
else
	iters=${NSJ_BENCH_ITERS:-200}; warm=10; crounds=10; cwarm=1; siters=$(( ${NSJ_BENCH_ITERS:-200} / 2 ))
	mjails=10000; musers=100000; miters=300
	dest=$NSJ_SRC/docs/bench
fi
mkdir -p "$dest"

# Users: bench (jailed), benchfree (no jail matches). Group "bench".
cp /etc/passwd /etc/group /etc/shadow "$B/etc/"
echo "bench:x:60001:60001:bench:/srv/nsjbench:/bin/sh" >>"$B/etc/passwd"
echo "benchfree:x:60002:60001:bench free:/srv/nsjbench:/bin/sh" >>"$B/etc/passwd"
echo "bench:x:60001:" >>"$B/etc/group"
echo "bench:*:19000:0:99999:7:::" >>"$B/etc/shadow"
echo "benchfree:*:19000:0:99999:7:::" >>"$B/etc/shadow"
# benchf0..benchf99: the pool of nsjail-shared-first (each of its sessions
# builds: a user is used again only after its jail is gone).
first=()
for i in $(seq 0 99); do
	echo "benchf$i:x:$((60100 + i)):60001:bench first:/srv/nsjbench:/bin/sh" >>"$B/etc/passwd"
	echo "benchf$i:*:19000:0:99999:7:::" >>"$B/etc/shadow"
	first+=("benchf$i")
done
for f in passwd group shadow; do mount --bind "$B/etc/$f" "/etc/$f"; done

# The 10 covered paths: h0-h4 hidden (inaccessible), h5-h9 tmpfs.
hidden=() tmpfs=()
for i in 0 1 2 3 4; do mkdir -p "$H/h$i"; hidden+=("$H/h$i"); done
for i in 5 6 7 8 9; do mkdir -p "$H/h$i"; tmpfs+=("$H/h$i"); done
# What the proofs look for: a file in each covered path (gone in a jail).
for p in "${hidden[@]}" "${tmpfs[@]}"; do echo secret >"$p/secret"; done
P_hidden="" T_hidden=""
for p in "${hidden[@]}" "${tmpfs[@]}"; do
	P_hidden+=" gone=$p/secret"
	T_hidden+="${T_hidden:+ -a} ! -e $p/secret"
done
# read-only: / and another mount ($H is on /srv's tmpfs) refuse writes.
P_ro="rofs=/usr rofs=$H seen=$H/h0/secret"
T_ro="! -w /usr -a ! -w $H -a -e $H/h0/secret"
T_ro_top="! -w /usr -a -e $H/h0/secret" # / alone (firejail's diagnosis)
# root: the host's /srv is not there, /usr is.
P_root="gone=$H/h0/secret seen=/usr/bin/true"
T_root="! -e $H/h0/secret -a -e /usr/bin/true"
# no jail: the host's files are visible (the proof can fail).
P_free="seen=$H/h0/secret seen=$H/h5/secret"
T_free="-e $H/h0/secret -a -e $H/h5/secret"
test=/usr/bin/test

# The host's top-level links into /usr (bin -> usr/bin, ...), as a tmpfs
# root recreates them.
links=()
while read -r name target; do
	case $target in usr/*|/usr/*) links+=("$name:${target#/}") ;; esac
done < <(find / -maxdepth 1 -type l -printf '%f %l\n' | sort)
tty_gid=$(getent group tty | cut -d: -f3)
tty_gid=${tty_gid:-5}

# --- the jails -----------------------------------------------------------------
q() { printf '"%s", ' "$@" | sed 's/, $//'; }
cat >"$B/nsjail.conf" <<EOF
version = 1;
jails = (
  { name = "hidden"; users = [ "bench" ]; services = [ "bench-nsjail-hidden" ];
    inaccessible = [ $(q "${hidden[@]}") ];
    tmpfs = [ $(q "${tmpfs[@]}") ]; },
  { name = "pids"; users = [ "bench" ]; services = [ "bench-nsjail-pids" ];
    inaccessible = [ $(q "${hidden[@]}") ];
    tmpfs = [ $(q "${tmpfs[@]}") ]; private_pids = true; },
  { name = "net"; users = [ "bench" ]; services = [ "bench-nsjail-net" ];
    inaccessible = [ $(q "${hidden[@]}") ];
    tmpfs = [ $(q "${tmpfs[@]}") ]; private_network = true; },
  { name = "ipc"; users = [ "bench" ]; services = [ "bench-nsjail-ipc" ];
    inaccessible = [ $(q "${hidden[@]}") ];
    tmpfs = [ $(q "${tmpfs[@]}") ]; private_ipc = true; },
  { name = "nnp"; users = [ "bench" ]; services = [ "bench-nsjail-nnp" ];
    inaccessible = [ $(q "${hidden[@]}") ];
    tmpfs = [ $(q "${tmpfs[@]}") ]; no_new_privileges = true; },
  { name = "shared"; users = [ "bench" ];
    services = [ "bench-nsjail-shared-hold", "bench-nsjail-shared-join" ];
    inaccessible = [ $(q "${hidden[@]}") ];
    tmpfs = [ $(q "${tmpfs[@]}") ]; shared = true; },
  { name = "sharedfirst"; users = [ $(q "${first[@]}") ];
    services = [ "bench-nsjail-shared-first" ];
    inaccessible = [ $(q "${hidden[@]}") ];
    tmpfs = [ $(q "${tmpfs[@]}") ]; shared = true; },
  { name = "ro"; users = [ "bench" ]; services = [ "bench-nsjail-ro" ];
    read_only = [ "/" ]; },
  { name = "root"; users = [ "bench" ]; services = [ "bench-nsjail-root" ];
    root = "tmpfs"; bind_ro = [ "/usr" ]; }
);
EOF
chmod 0644 "$B/nsjail.conf"

# --- PAM stacks: one service per contender, only the session stack matters --
cp -a /etc/pam.d "$B/pam.d"
svc() { # svc NAME PROOF LINE...: the session stack, then pam_probe PROOF
	local name=$1 proof=$2; shift 2
	{ printf 'auth required pam_permit.so\naccount required pam_permit.so\n'
	  printf 'session %s\n' "$@"
	  printf 'session required %s %s\n' "$bin/pam_probe.so" "${proof# }"; } >"$B/pam.d/$name"
}
nsj="$NSJ_BUILD/pam_nsjail.so config=$B/nsjail.conf helper=$NSJ_BUILD/nsjail-helper"
floor="$bin/pam_floor.so helper=$bin/floor-helper"
fh=() fr=(ROOT)
for p in "${hidden[@]}"; do fh+=("H:$p"); done
for p in "${tmpfs[@]}"; do fh+=("T:$p:0755"); done
for l in "${links[@]}"; do fr+=("L:$l"); done
fr+=("B:/usr:/usr" "A:$tty_gid")
svc bench-permit "$P_free" "required pam_permit.so"
svc bench-nsjail-hidden "$P_hidden" "required $nsj"
svc bench-nsjail-ro "$P_ro" "required $nsj"
svc bench-nsjail-root "$P_root" "required $nsj"
svc bench-nsjail-pids "$P_hidden" "required $nsj"
svc bench-nsjail-net "$P_hidden" "required $nsj"
svc bench-nsjail-ipc "$P_hidden" "required $nsj"
svc bench-nsjail-nnp "$P_hidden" "required $nsj"
svc bench-nsjail-free "$P_free" "required $nsj" "required pam_permit.so"
svc bench-nsjail-shared-hold "$P_hidden" "required $nsj"
# "record" (first): the session's start time, read before the module
# joins the jail, whose /proc (its own PID namespace) does not show the
# caller; "built" compares the keeper's start with it.
svc bench-nsjail-shared-first "$P_hidden built" "optional $bin/pam_probe.so record" "required $nsj"
# bench-nsjail-shared-join: written once the holder is in the jail (below)
svc bench-floor-hidden "$P_hidden" "required $floor ${fh[*]}"
svc bench-floor-ro "$P_ro" "required $floor R:/"
svc bench-floor-root "$P_root" "required $floor ${fr[*]}"
svc bench-namespace "$P_hidden" "required pam_namespace.so"
svc bench-chroot "gone=$H/h0/secret seen=/tmp" "required pam_chroot.so"
mount --bind "$B/pam.d" /etc/pam.d

# pam_namespace: the same 10 paths, method tmpfs. /etc/security is a copy
# without namespace.init, so no script runs per directory (its fastest
# setup); pam_chroot: a small root-owned directory.
cp -a /etc/security "$B/security"
rm -f "$B/security/namespace.init"
: >"$B/security/namespace.conf"
for p in "${hidden[@]}" "${tmpfs[@]}"; do
	echo "$p $B/inst/ tmpfs root,benchfree" >>"$B/security/namespace.conf"
done
echo "bench $B/chroot" >"$B/security/chroot.conf"
mkdir -p "$B/chroot/bin" "$B/chroot/etc" "$B/chroot/tmp"
mount --bind "$B/security" /etc/security

# The small /etc a root jail gets, for bwrap's root.
printf 'root:x:0:0:root:/root:/bin/sh\nbench:x:60001:60001::/:/bin/sh\n' >"$B/jetc/passwd"
printf 'root:x:0:\ntty:x:%s:\nbench:x:60001:\n' "$tty_gid" >"$B/jetc/group"
printf 'passwd: files\ngroup: files\n' >"$B/jetc/nsswitch.conf"

# --- the shared jail's holder ---------------------------------------------------
# nsjail-shared-join times a login of a user whose shared jail is live: the
# holder (tests/bench/pamhold.c) opens a session in it first and stays
# there until the end, so its keeper lives and every timed session only
# joins. The join's proof: the hidden paths are gone AND the session's
# mount namespace is the holder's (pam_probe mntns=); after the runs the
# registry still holds exactly the one entry, with the same keeper.
hold_ns="" hold_pid="" hold_entry=""
if [ "$NSJ_HAVE_NSJAIL" = 1 ]; then
	"$bin/pamhold" bench-nsjail-shared-hold bench >"$B/out/hold.ns" 2>"$B/out/hold.err" &
	hold_pid=$!
	trap 'kill "$hold_pid" 2>/dev/null; wait "$hold_pid" 2>/dev/null' EXIT
	for _ in $(seq 100); do
		[ -s "$B/out/hold.ns" ] || ! kill -0 "$hold_pid" 2>/dev/null && break
		sleep 0.05
	done
	hold_ns=$(cat "$B/out/hold.ns")
	hold_entry=$(cat /run/nsjail/shared/60001-* 2>/dev/null || true)
	case $hold_ns in
	*:*) svc bench-nsjail-shared-join "$P_hidden mntns=$hold_ns" "required $nsj" ;;
	*) log "FAIL: the shared jail's holder: $(cat "$B/out/hold.err")"; failed=1 ;;
	esac
fi
# The registry still names the holder's jail and its keeper, alone: no
# timed join built (or registered) another.
shared_check() {
	[ -n "$hold_entry" ] || return 0
	local n now
	n=$(find /run/nsjail/shared -name '60001-*' ! -name '*.tmp' | wc -l)
	now=$(cat /run/nsjail/shared/60001-* 2>/dev/null || true)
	if [ "$n" != 1 ] || [ "$now" != "$hold_entry" ] || ! kill -0 "$hold_pid" 2>/dev/null ||
		! grep -qx "mnt=$hold_ns" <<<"$now"; then
		log "FAIL: shared: the registry no longer holds the holder's one jail ($n entries)"
		failed=1
	fi
}

# --- contenders ------------------------------------------------------------
bwrap=$(command -v bwrap || true)
firejail=$(command -v firejail || true)
bw_hidden="" fj_hidden="" bw_root=""
for p in "${hidden[@]}"; do
	bw_hidden+=" --perms 0000 --tmpfs $p --remount-ro $p"
	fj_hidden+=" --blacklist=$p"
done
for p in "${tmpfs[@]}"; do
	bw_hidden+=" --tmpfs $p"
	fj_hidden+=" --tmpfs=$p"
done
bw_root="--tmpfs / --ro-bind /usr /usr"
for l in "${links[@]}"; do bw_root+=" --symlink ${l#*:} /${l%%:*}"; done
bw_root+=" --proc /proc --ro-bind /sys /sys --dev /dev --tmpfs /tmp --ro-bind $B/jetc /etc"

main=() scale=() conc=()
main+=("permit=pam:bench-permit:bench:free")
if [ "$NSJ_HAVE_NSJAIL" = 1 ]; then
	main+=("nsjail-hidden=pam:bench-nsjail-hidden:bench:jail"
	       "nsjail-ro=pam:bench-nsjail-ro:bench:jail"
	       "nsjail-root=pam:bench-nsjail-root:bench:jail"
	       "nsjail-pids=pam:bench-nsjail-pids:bench:jail"
	       "nsjail-net=pam:bench-nsjail-net:bench:jail"
	       "nsjail-ipc=pam:bench-nsjail-ipc:bench:jail"
	       "nsjail-nnp=pam:bench-nsjail-nnp:bench:jail")
	[ -n "$hold_ns" ] && main+=("nsjail-shared-join=pam:bench-nsjail-shared-join:bench:jail")
	main+=("nsjail-shared-first=pam:bench-nsjail-shared-first:benchf%100:jail")
	scale+=("nsjail-hidden=pam:bench-nsjail-hidden:bench:jail"
		"nsjail-ro=pam:bench-nsjail-ro:bench:jail")
	conc+=("nsjail-hidden=pam:bench-nsjail-hidden:bench:jail"
	       "nsjail-root=pam:bench-nsjail-root:bench:jail")
	[ -n "$hold_ns" ] && conc+=("nsjail-shared-join=pam:bench-nsjail-shared-join:bench:jail")
else
	missing+=("pam_nsjail (the project did not build; --partial)")
fi
main+=("floor-hidden=pam:bench-floor-hidden:bench:jail"
       "floor-ro=pam:bench-floor-ro:bench:jail"
       "floor-root=pam:bench-floor-root:bench:jail"
       "namespace=pam:bench-namespace:bench:jail")
scale+=("floor-hidden=pam:bench-floor-hidden:bench:jail"
	"floor-ro=pam:bench-floor-ro:bench:jail"
	"namespace=pam:bench-namespace:bench:jail")
conc+=("permit=pam:bench-permit:bench:free"
       "floor-hidden=pam:bench-floor-hidden:bench:jail")
if compgen -G '/lib/*/security/pam_chroot.so' >/dev/null ||
	compgen -G '/usr/lib/*/security/pam_chroot.so' >/dev/null; then
	main+=("chroot=pam:bench-chroot:bench:jail")
else
	missing+=("pam_chroot (libpam-chroot)")
fi
if [ -n "$bwrap" ]; then
	main+=("bwrap-hidden=cmd:$bwrap --bind / /$bw_hidden $test $T_hidden"
	       "bwrap-ro=cmd:$bwrap --ro-bind / / $test $T_ro"
	       "bwrap-root=cmd:$bwrap $bw_root $test $T_root")
	scale+=("bwrap-hidden=cmd:$bwrap --bind / /$bw_hidden $test $T_hidden"
		"bwrap-ro=cmd:$bwrap --ro-bind / / $test $T_ro")
else
	missing+=("bwrap (bubblewrap)")
fi
if [ -n "$firejail" ]; then
	main+=("firejail-hidden=cmd:$firejail --quiet --noprofile$fj_hidden $test $T_hidden"
	       "firejail-ro=cmd:$firejail --quiet --noprofile --read-only=/ $test $T_ro")
else
	missing+=("firejail")
fi
main+=("true=cmd:$test $T_free")

pb() { # pb TAG ARGS...: pambench, failures recorded but not fatal here
	local tag=$1; shift
	if ! "$bin/pambench" -o "$out" -t "$tag" "$@"; then
		failed=1
	fi
}

# Why a peer cannot do its work here, when run.sh knows the reason; empty
# when it does not (then its failed proof fails the run).
why_unable() { # why_unable LABEL
	case $1 in
	firejail-*)
		if "$firejail" --noprofile /bin/true 2>&1 | grep -q 'existing sandbox was detected'; then
			echo "firejail detects a sandbox here (a PID namespace or container) and runs its command without one"
			return
		fi ;;
	esac
	case $1 in
	firejail-ro)
		# / itself read-only but not the mounts below it: not the job.
		# shellcheck disable=SC2086 # the test's words
		if "$firejail" --quiet --noprofile --read-only=/ $test $T_ro_top >/dev/null 2>&1; then
			echo "--read-only=/ is not recursive: $H (another mount, under /srv) stays writable"
		fi ;;
	esac
}

# Each contender runs once first, alone, with its proof. Ours and the
# floor must pass; a peer that fails for a reason why_unable knows is "not
# measured: <reason>" in the table; any other failed proof fails the run.
precheck() {
	local keep=() c l why
	for c in "$@"; do
		l=${c%%=*}
		if "$bin/pambench" -n 1 -w 0 -v "$c" >/dev/null 2>"$B/out/precheck.err"; then
			keep+=("$c")
			continue
		fi
		why=$(why_unable "$l")
		if [ -n "$why" ]; then
			log "not measured: $l: $why"
			printf '%s\n' "${notmeasured[@]+"${notmeasured[@]}"}" | grep -q "^$l	" ||
				notmeasured+=("$l	$why")
		else
			log "FAIL: $l: its proof or its run failed: $(tail -3 "$B/out/precheck.err" | tr '\n' ' ')"
			failed=1
			printf '%s\n' "${notmeasured[@]+"${notmeasured[@]}"}" | grep -q "^$l	" ||
				notmeasured+=("$l	FAILED: $(tail -1 "$B/out/precheck.err")")
		fi
	done
	checked=("${keep[@]+"${keep[@]}"}")
}

mounts() { wc -l </proc/self/mountinfo; }
add_mounts() { "$bin/mkmounts" "$1" "$B/m"; } # until $1 mounts exist

# --exec CMD: run CMD in the prepared sandbox instead of the benchmark (for
# profiling: $bin, $B, $NSJ_BUILD and the services bench-* are there).
if [ -n "${NSJ_BENCH_EXEC:-}" ]; then
	export bin B NSJ_BUILD
	bash -c "$NSJ_BENCH_EXEC"
	exit $?
fi

# --- 1. session cost, all contenders, at the sandbox's base mount count --------
base=$(mounts)
load_start=$(cut -d' ' -f1 /proc/loadavg)
log "sandbox ready: $base mounts; checking contenders"
precheck "${main[@]}"
main=("${checked[@]}")
log "session cost: ${#main[@]} contenders x $iters iterations (interleaved)"
pb "main" -n "$iters" -w "$warm" "${main[@]}"

# --- 1b. whole process: a fresh pamtester per login -------------------------
# What su or a cron job pays: exec, pam_start, dlopen of the module and its
# libraries, config, NSS, the spawn, the helper, setns, exit. Measured from
# outside (fork + exec pamtester + wait), interleaved; "added" is a
# contender's median minus pam_permit's.
pamtester=$(command -v pamtester || true)
if [ -n "$pamtester" ]; then
	proc=("permit=cmd:$pamtester bench-permit bench open_session close_session")
	[ "$NSJ_HAVE_NSJAIL" = 1 ] && for k in hidden ro root; do
		proc+=("nsjail-$k=cmd:$pamtester bench-nsjail-$k bench open_session close_session")
	done
	[ "$NSJ_HAVE_NSJAIL" = 1 ] && [ -n "$hold_ns" ] &&
		proc+=("nsjail-shared-join=cmd:$pamtester bench-nsjail-shared-join bench open_session close_session")
	[ "$NSJ_HAVE_NSJAIL" = 1 ] &&
		proc+=("nsjail-shared-first=cmd:$pamtester bench-nsjail-shared-first benchf%100 open_session close_session")
	proc+=("namespace=cmd:$pamtester bench-namespace bench open_session close_session")
	for k in hidden ro root; do
		proc+=("floor-$k=cmd:$pamtester bench-floor-$k bench open_session close_session")
	done
	precheck "${proc[@]}"
	proc=("${checked[@]}")
	# 3x the iterations: the added costs are differences of medians
	log "whole process: ${#proc[@]} contenders x $((iters * 3)) pamtester runs (interleaved)"
	pb "process" -n "$((iters * 3))" -w "$warm" "${proc[@]}"
else
	missing+=("the whole-process rows (pamtester)")
fi

# --- 2. the unmatched user: in-process, no fork ------------------------------
if [ "$NSJ_HAVE_NSJAIL" = 1 ]; then
	log "unmatched user"
	pb "unmatched" -i -n $((iters * 5)) -w "$warm" \
		"nsjail-unmatched=pam:bench-nsjail-free:benchfree:free" \
		"permit-unmatched=pam:bench-permit:benchfree:free"
	# Processes it starts: pambench -i itself never forks.
	if command -v strace >/dev/null; then
		strace -f -qq -e trace=clone,clone3,fork,vfork,execve -o "$B/out/unmatched.strace" \
			"$bin/pambench" -i -n 3 -w 0 \
			"nsjail-unmatched=pam:bench-nsjail-free:benchfree:free" >/dev/null || failed=1
		spawned=$(grep -cE '^[0-9]+ +(clone|clone3|fork|vfork|execve)\(' "$B/out/unmatched.strace" || true)
		# the one execve is pambench's own
		printf 'unmatched\tspawn\tnsjail-unmatched\tprocesses\t3\t0\t%d\t%d\t%d\n' \
			$((spawned - 1)) $((spawned - 1)) $((spawned - 1)) >>"$out"
	fi
fi

# --- 3. concurrency ----------------------------------------------------------
precheck "${conc[@]}"
conc=("${checked[@]}")
log "concurrency 1, 8, 64"
pb "concurrency" -c 1,8,64 -n "$crounds" -w "$cwarm" "${conc[@]}"

# --- 4. matching in a huge config ------------------------------------------------
if [ "$NSJ_HAVE_NSJAIL" = 1 ]; then
	log "matching: $mjails jails, $musers users"
	"$bin/matchbench" -j "$mjails" -u "$musers" -n "$miters" -o "$out" -t config "$B/out" || failed=1
fi

# --- 5. where the time goes: the module's steps next to the floor -----------
if [ "$NSJ_HAVE_NSJAIL" = 1 ] && [ -x "$bin/phases" ]; then
	log "phases"
	for k in hidden ro root; do
		fl=$(sed -n "s/^session required [^ ]*pam_floor.so helper=[^ ]* //p" "/etc/pam.d/bench-floor-$k")
		case $k in ro) cp=(-r "$H") ;; *) cp=(-g "$H/h0/secret") ;; esac
		# shellcheck disable=SC2086 # the request lines are words
		"$bin/phases" "${cp[@]}" -n "$(( iters / 2 > 3 ? iters / 2 : 3 ))" -c "$B/nsjail.conf" \
			-H "$NSJ_BUILD/nsjail-helper" -s "bench-nsjail-$k" -u bench \
			-F "$bin/floor-helper" $fl >"$B/out/phases-$k.txt" || failed=1
		cat "$B/out/phases-$k.txt"
		awk -v t="phases-$k" 'NR > 1 { v = $NF; $NF = ""; sub(/^ +/, ""); sub(/ +$/, "");
			printf "%s\tphases\t%s\tus\t0\t0\t%s\t%s\t%s\n", t, $0, v, v, v }' \
			"$B/out/phases-$k.txt" >>"$out"
	done
fi

# --- 5a. a login that joins a live shared jail, step by step ----------------
if [ -n "$hold_ns" ] && [ -x "$bin/joinphases" ]; then
	log "join phases"
	"$bin/joinphases" -n "$(( iters / 2 > 3 ? iters / 2 : 3 ))" -c "$B/nsjail.conf" \
		-H "$NSJ_BUILD/nsjail-helper" -s bench-nsjail-shared-join -u bench \
		-m "$hold_ns" -g "$H/h0/secret" >"$B/out/joinphases.txt" || failed=1
	cat "$B/out/joinphases.txt"
	awk 'NR > 1 { v = $NF; $NF = ""; sub(/^ +/, ""); sub(/ +$/, "");
		printf "joinphases\tphases\t%s\tus\t0\t0\t%s\t%s\t%s\n", $0, v, v, v }' \
		"$B/out/joinphases.txt" >>"$out"
fi

# --- 5b. the same for a cold process: what a whole login process pays -------
if [ "$NSJ_HAVE_NSJAIL" = 1 ] && [ -x "$bin/coldphases" ]; then
	log "cold phases"
	for k in hidden ro root; do
		fl=$(sed -n "s/^session required [^ ]*pam_floor.so helper=[^ ]* //p" "/etc/pam.d/bench-floor-$k")
		case $k in ro) cp=(-r "$H") ;; *) cp=(-g "$H/h0/secret") ;; esac
		# shellcheck disable=SC2086 # the request lines are words
		"$bin/coldphases" "${cp[@]}" -n "$(( iters / 2 > 3 ? iters / 2 : 3 ))" -m "$NSJ_BUILD/pam_nsjail.so" \
			-L "$bin/nsjphases.so" -c "$B/nsjail.conf" -H "$NSJ_BUILD/nsjail-helper" \
			-s "bench-nsjail-$k" -u bench -f "$bin/pam_floor.so" -F "$bin/floor-helper" $fl \
			>"$B/out/cold-$k.txt" || failed=1
		cat "$B/out/cold-$k.txt"
		awk -v t="cold-$k" 'NR > 1 { v = $NF; $NF = ""; sub(/^ +/, ""); sub(/ +$/, "");
			printf "%s\tphases\t%s\tus\t0\t0\t%s\t%s\t%s\n", t, $0, v, v, v }' \
			"$B/out/cold-$k.txt" >>"$out"
	done
fi

# --- 6. scale: host mount count (last: the mounts stay) -----------------------
precheck "${scale[@]}"
scale=("${checked[@]}")
for level in "$base" 500 2000; do
	add_mounts "$level"
	log "scale: $(mounts) mounts"
	pb "mounts=$(mounts)" -n "$siters" -w "$warm" "${scale[@]}"
done

# --- report ----------------------------------------------------------------
shared_check
for nm in "${notmeasured[@]+"${notmeasured[@]}"}"; do
	printf 'notmeasured\t-\t%s\t%s\t0\t1\t\t\t\n' "${nm%%	*}" "${nm#*	}" >>"$out"
done
cp "$out" "$dest/results.tsv"
NSJ_LOAD_START=$load_start NSJ_MISSING=$(printf '%s\n' "${missing[@]+"${missing[@]}"}") \
	bash "$here/report.sh" "$out" "$dest" "$iters" "$base" || failed=1
log "wrote $dest/results.md and $dest/results.png"
[ "$failed" = 0 ] || log "FAIL: some sessions that must work did not (see above)"
exit "$failed"
