#!/bin/bash
# README command 2:  sudo bash scripts/test.sh
# Installs every build, test and benchmark dependency (Debian/Ubuntu:
# NSJ_DEPS in scripts/deps.sh; the quick start installs only the demo's),
# then runs every
# test three ways:
#   1. build-asan: the whole tree with ASan+UBSan (-DNSJAIL_SANITIZE=ON,
#      Debug) and the whole ctest suite on it (unit, integration, escape);
#   2. build-fuzz: the libFuzzer targets (clang-14), each fuzzed for
#      NSJ_FUZZ_SECONDS (default 60; both at once, one core each);
#   3. build-clang: the whole tree with clang-14 (-Werror) and the whole
#      ctest suite on it;
#   4. build: the normal tree (RelWithDebInfo, -DNSJAIL_WERROR=ON: -O2 warnings are errors)
#      and the whole ctest suite again;
#   5. the mutation smoke run (tests/mutation/run.sh build): each defence
#      of tests/mutation/mutants.txt removed alone, in a copy of the tree
#      under build/mutation/, must fail a test (a few minutes);
#   6. the benchmark once at a tiny size (tests/bench/run.sh --quick), as a
#      smoke test only: results in build/bench/, docs/ untouched.
# The integration and escape tests need root and run each in a throw-away
# mount namespace (the host is never changed). The last line sums up all
# six; the exit status is non-zero when anything failed.
#   NSJ_SANITIZE=0        skip step 1
#   NSJ_FUZZ_SECONDS=0    skip step 2
#   NSJ_CLANG=0           skip step 3
#   NSJ_MUTATION=0        skip step 5
#   NSJ_CTEST_ARGS='-R t_load'  passed to every ctest run
#
# scripts/test.sh --quick: a contributor's tier, a few minutes, no root.
# Installs nothing (lists what is missing, and stops); builds once in
# build-quick (-DNSJAIL_WERROR=ON); runs the unit tests, the helper's layer
# check (release/t_helper_layers), the mutation list check and the mutants
# that unit tests kill (tests/mutation/run.sh --unit-only). The full run
# above is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/deps.sh
jobs=$(nproc 2>/dev/null || echo 2)

if [ "${1:-}" = --quick ]; then
	nsj_missing_deps quick || exit 1
	b=build-quick
	rc=0 summary=() t0=$SECONDS
	# quick NAME CMD...: runs CMD, adds "NAME: ok|FAILED in N s" to the summary.
	quick() {
		local name=$1 t=$SECONDS r=ok
		shift
		echo "== $name"
		"$@" || { r=FAILED; rc=1; }
		summary+=("$name: $r in $((SECONDS - t)) s")
	}
	quick "build ($b)" sh -c "cmake -S . -B $b -DBUILD_TESTING=ON -DNSJAIL_WERROR=ON >/dev/null &&
		cmake --build $b -j$jobs >/dev/null"
	[ "$rc" -eq 0 ] || { echo "quick: the build failed: cmake --build $b" >&2; exit 1; }
	quick "unit tests" ctest --test-dir "$b" -L unit -j"$jobs" --output-on-failure
	quick "layer check" ctest --test-dir "$b" -R '^release/t_helper_layers$' --output-on-failure
	quick "mutation list" bash tests/mutation/run.sh --check-list
	quick "unit-only mutants" bash tests/mutation/run.sh --unit-only "$b"
	echo
	echo "== quick tier summary ($((SECONDS - t0)) s; the full run: scripts/test.sh as root)"
	printf '%s\n' "${summary[@]}"
	exit "$rc"
fi
nsj_install_deps all

do_sanitize=${NSJ_SANITIZE:-1}
fuzz_secs=${NSJ_FUZZ_SECONDS:-60}
do_clang=${NSJ_CLANG:-1}
do_mutation=${NSJ_MUTATION:-1}
# The harness reads the build's CMakeCache to know whether it is sanitized.
unset NSJ_SANITIZE
read -r -a ctest_args <<<"${NSJ_CTEST_ARGS:-}"
if [ "$(id -u)" -ne 0 ]; then
	echo "note: not root: integration and escape tests will be skipped" >&2
fi

summary=()
total_pass=0
total_fail=0
# run_ctest NAME DIR [CTEST-ARG...]: ctest in DIR; adds "NAME: N passed, N failed" to the
# summary. Returns ctest's status.
run_ctest() {
	local name=$1 dir=$2 log rc=0 line n f
	shift 2
	log=$(mktemp)
	(cd "$dir" && ctest --output-on-failure -j"$jobs" "$@" "${ctest_args[@]}") 2>&1 | tee "$log" || rc=$?
	line=$(grep -E '[0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1)
	rm -f "$log"
	if [ -n "$line" ]; then
		f=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
		n=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")
	else
		n=1 f=1 # ctest did not get as far as its summary
	fi
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	total_pass=$((total_pass + n - f))
	total_fail=$((total_fail + f))
	summary+=("$name: $((n - f)) passed, $f failed")
	return "$rc"
}

rc=0
t0=$SECONDS

# ---- 1. ASan + UBSan ------------------------------------------------------
if [ "$do_sanitize" != 0 ]; then
	t=$SECONDS
	cmake -S . -B build-asan -DBUILD_TESTING=ON -DNSJAIL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DNSJAIL_WERROR=ON
	cmake --build build-asan -j"$jobs"
	# Excluded under ASan, for a reason of ASan's own: t_escape_helper starts
	# the helper with a hostile LD_PRELOAD (and a cleared environment), and
	# an ASan-built helper (dynamic: the runtime cannot be linked statically)
	# dies at once with "ASan runtime does not come first"; the production
	# helper is static and the normal run below covers the test.
	run_ctest "sanitizer suite (build-asan)" build-asan -E '^escape/t_escape_helper$' || rc=1
	summary[-1]+=" in $((SECONDS - t)) s"
fi

# ---- 2. fuzz smoke ----------------------------------------------------------
if [ "$fuzz_secs" != 0 ]; then
	t=$SECONDS
	fuzz_rc=0
	if command -v clang-14 >/dev/null; then
		CC=clang-14 cmake -S . -B build-fuzz -DNSJAIL_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug
		cmake --build build-fuzz -j"$jobs" --target fuzz_config fuzz_wire wire_seeds
		bash tests/fuzz/smoke.sh build-fuzz "$fuzz_secs" | tee build-fuzz/smoke.log || fuzz_rc=$?
		# Failures: open findings replayed, and fuzzers that found something
		# (possibly an open finding again); a failing seed is one of those.
		f=$(grep -cE '^fuzz: (OPEN|fuzz_[a-z]+: FINDING)' build-fuzz/smoke.log || true)
		[ "$fuzz_rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
		p=$(grep -cE '^fuzz: fuzz_[a-z]+: .*no finding' build-fuzz/smoke.log || true)
	else
		echo "fuzz: clang-14 not installed" >&2
		fuzz_rc=1 p=0 f=1
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	summary+=("fuzz smoke (build-fuzz, ${fuzz_secs} s each): $p passed, $f failed in $((SECONDS - t)) s")
	[ "$fuzz_rc" -eq 0 ] || rc=1
fi

# ---- 3. clang: the whole tree built with clang-14 (-Werror) and tested -------
# gcc and clang warn about different things, and the product must build with
# both (SPEC §7); the same suite runs on the clang binaries.
if [ "$do_clang" != 0 ]; then
	t=$SECONDS
	CC=clang-14 cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNSJAIL_WERROR=ON
	cmake --build build-clang -j"$jobs"
	run_ctest "clang suite (build-clang)" build-clang || rc=1
	summary[-1]+=" in $((SECONDS - t)) s"
fi

# ---- 4. the normal build, last ------------------------------------------------
t=$SECONDS
# (BUILD_TESTING=ON: the quick start configured build/ without the tests)
cmake -S . -B build -DBUILD_TESTING=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNSJAIL_WERROR=ON
cmake --build build -j"$jobs"
run_ctest "suite (build)" build || rc=1
summary[-1]+=" in $((SECONDS - t)) s"

# ---- 5. mutation smoke: each listed defence removed alone must fail a test ----
# Counted per mutant: passed = killed; a survivor, a mutant that does not
# compile, or a list that no longer matches the code is a failure.
if [ "$do_mutation" != 0 ] && [ "$(id -u)" -eq 0 ]; then
	t=$SECONDS
	mut_rc=0
	bash tests/mutation/run.sh build 2>&1 | tee build/mutation-run.log || mut_rc=$?
	line=$(grep -E '^mutation: [0-9]+ passed, [0-9]+ failed$' build/mutation-run.log | tail -n 1)
	if [ -n "$line" ]; then
		p=$(sed -E 's/^mutation: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$line")
		f=$(sed -E 's/^mutation: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$line")
	else
		p=0 f=1 # the run did not get as far as its summary
	fi
	[ "$mut_rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	summary+=("mutation smoke (tests/mutation/run.sh build): $p passed, $f failed in $((SECONDS - t)) s")
	[ "$mut_rc" -eq 0 ] || rc=1
elif [ "$do_mutation" != 0 ]; then
	summary+=("mutation smoke: skipped (needs root)")
fi

# ---- 6. benchmark smoke: one tiny run, results in build/bench/ ---------------
# Not timed, not judged by its numbers: it proves the one command still
# measures every contender (a pam_nsjail or floor session that fails, or any
# contender whose proof of its work fails, fails).
t=$SECONDS
if NSJ_BUILD=build bash tests/bench/run.sh --quick >build/bench-smoke.log 2>&1; then
	total_pass=$((total_pass + 1))
	summary+=("benchmark smoke (tests/bench/run.sh --quick): 1 passed, 0 failed in $((SECONDS - t)) s")
else
	rc=1
	total_fail=$((total_fail + 1))
	tail -n 30 build/bench-smoke.log
	summary+=("benchmark smoke (tests/bench/run.sh --quick): 0 passed, 1 failed in $((SECONDS - t)) s (build/bench-smoke.log)")
fi

echo
echo "== summary ($((SECONDS - t0)) s)"
printf '   %s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
exit "$rc"
