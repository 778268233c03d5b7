#!/bin/bash
# tests/fuzz/smoke.sh BUILD-FUZZ-DIR [SECONDS]
#
# The fuzzers' bounded run of scripts/test.sh: fuzz_config and fuzz_wire side
# by side (one core each) for SECONDS (default 60), starting from the
# committed seeds (tests/fuzz/corpus) plus the wire encoding of every config
# seed made by the current code, and growing a working corpus in
# BUILD/fuzz-out (kept between runs of the same build directory).
#
# First the committed reproducers of tests/fuzz/crashes/ are replayed: one
# that still fails is an open finding. A seed that fails is left out of the
# run (so one known bug does not stop the fuzzer at its first input) and
# reported. Exit status 1 on any open finding, new crash, or missing target.
# Artifacts (the input that crashed) land in BUILD/fuzz-out/artifacts/.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$(cd "${1:?usage: smoke.sh BUILD-FUZZ-DIR [SECONDS]}" && pwd)
secs=${2:-60}
bin=$build/tests/fuzz
out=$build/fuzz-out
rc=0

for t in fuzz_config fuzz_wire wire_seeds; do
	[ -x "$bin/$t" ] || { echo "fuzz: $bin/$t not built (CC=clang-14, -DNSJAIL_FUZZ=ON)"; exit 1; }
done
mkdir -p "$out/artifacts" "$out/seeds-config" "$out/seeds-wire" "$out/corpus-config" "$out/corpus-wire"
rm -f "$out"/seeds-config/* "$out"/seeds-wire/*
# Reports go to stderr whatever the environment says.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"

# 1. Known findings (tests/fuzz/crashes/TARGET-*): still open?
for f in "$here"/crashes/fuzz_*; do
	[ -f "$f" ] || continue
	t=${f##*/}; t=${t%%-*}
	if "$bin/$t" "$f" >"$out/replay.log" 2>&1; then
		echo "fuzz: fixed: ${f#"$here"/} no longer fails (delete it, or move it into corpus/)"
	else
		echo "fuzz: OPEN finding: ${f#"$here"/}:"
		grep -m 1 -E 'ERROR: |runtime error|check failed|SUMMARY' "$out/replay.log" | sed 's/^/fuzz:   /'
		rc=1
	fi
done

# 2. Seeds: the committed ones, plus the plans of the config seeds encoded
# by the current wire format. One that fails is reported and left out.
"$bin/wire_seeds" "$out/seeds-wire" "$here"/corpus/config/* >"$out/wire_seeds.log" 2>&1 ||
	{ echo "fuzz: wire_seeds failed:"; sed 's/^/fuzz:   /' "$out/wire_seeds.log" | head -n 20; rc=1; }
for kind in config wire; do
	for f in "$here/corpus/$kind"/*; do
		[ -f "$f" ] || continue
		if "$bin/fuzz_$kind" "$f" >"$out/seed.log" 2>&1; then
			cp "$f" "$out/seeds-$kind/"
		else
			echo "fuzz: seed corpus/$kind/${f##*/} fails, left out of the run:"
			grep -m 1 -E 'ERROR: |runtime error|check failed' "$out/seed.log" | sed 's/^/fuzz:   /'
			rc=1
		fi
	done
done

# 3. Both fuzzers at once for $secs seconds.
run() {
	local kind=$1 dict=()
	[ -f "$here/$kind.dict" ] && dict=(-dict="$here/$kind.dict")
	"$bin/fuzz_$kind" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 "${dict[@]}" \
		-artifact_prefix="$out/artifacts/fuzz_$kind-" \
		"$out/corpus-$kind" "$out/seeds-$kind" >"$out/$kind.log" 2>&1
}
run config & pc=$!
run wire & pw=$!
wait "$pc"; rcc=$?
wait "$pw"; rcw=$?

for kind in config wire; do
	r=$rcc; [ "$kind" = wire ] && r=$rcw
	log=$out/$kind.log
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	units=$(find "$out/corpus-$kind" -type f | wc -l)
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
	if [ "$r" -eq 0 ]; then
		echo "fuzz: fuzz_$kind: ${secs} s, ${execs:-?} execs, ${speed:-?} execs/s, $cov, corpus $units: no finding"
	else
		echo "fuzz: fuzz_$kind: FINDING (status $r) after ${execs:-?} execs; log $log:"
		grep -m 1 -B 2 -A 30 -E 'ERROR: |runtime error|check failed|deadly signal' "$log" | sed 's/^/fuzz:   /'
		ls "$out"/artifacts/fuzz_"$kind"-* 2>/dev/null | sed 's/^/fuzz:   reproducer: /'
		rc=1
	fi
done
exit "$rc"
