#!/bin/bash
# tests/mutation/run.sh [--only ID]... [--list FILE] [BUILD-DIR]
#
# Mutation smoke run (issue 10, "the suite must find the next one"): removes
# one listed defence at a time and proves that a test notices. Each line of
# tests/mutation/mutants.txt names a mutant (format there). Once per run the
# source tree (git's tracked and untracked, not ignored, files) is copied to
# BUILD-DIR/mutation/src and built in BUILD-DIR/mutation/build
# (RelWithDebInfo, the tree the CI's normal suite tested); the tests of that
# build run against the copy (ctest passes NSJ_SRC/NSJ_BUILD of the copy).
# Then:
#   * every mutant's snippet must occur exactly once in its file and its test
#     regex must select at least one test: a list that drifted from the code
#     is an error, reported before anything runs;
#   * baseline: the union of the selected tests passes on the unmutated copy
#     (otherwise a "killed" would mean nothing);
#   * per mutant: apply it, rebuild (incremental: one file), run its tests:
#       KILLED   a test failed (or timed out): the defence is covered;
#       SURVIVED every test passed: a test is missing;
#       BROKEN   the mutant does not compile: fix the list;
#     then restore the file and rebuild, so mutants never add up.
# Ends with "mutation: N passed, N failed" (passed = killed); exit status 1
# when any mutant survived or broke, 2 on a usage/list/baseline error.
# BUILD-DIR defaults to build (the CI's normal build directory); only
# BUILD-DIR/mutation is written, and it is wiped at the start of each run.
# The copy is built with -Wno-error: a mutant may leave a variable unused.
#   --only ID          run only this mutant (repeatable)
#   --list FILE        another mutant list (default: mutants.txt here)
#   --check-list       only check the list against the source tree (every
#                      snippet once in its file, every file there); no root,
#                      no build: run it after editing a listed file
#   --unit-only        only the mutants whose tests are unit tests (their
#                      regex starts with ^unit/): no root needed, and only
#                      those tests' targets are built (scripts/test.sh --quick)
#   NSJ_MUTATION_TIMEOUT=300   seconds for one mutant's ctest run
# Needs root (but for --unit-only): most mutants are killed by integration
# and escape tests.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
list=$here/mutants.txt
only=()
check_only=0
unit_only=0
while [ $# -gt 0 ]; do
	case $1 in
	--only) only+=("$2"); shift 2 ;;
	--list) list=$2; shift 2 ;;
	--check-list) check_only=1; shift ;;
	--unit-only) unit_only=1; shift ;;
	-h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
build=${1:-$src/build}
mkdir -p "$build"
build=$(cd "$build" && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
timeout_s=${NSJ_MUTATION_TIMEOUT:-300}

die() { echo "mutation: $*" >&2; echo "mutation: 0 passed, 1 failed"; exit 2; }

if [ "$check_only" -eq 0 ] && [ "$unit_only" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
	die "needs root (the integration and escape tests kill most mutants)"
fi

# ---- the list ------------------------------------------------------------------
# id :: file :: old :: new :: ctest-regex :: why
ids=() files=() olds=() news=() res=() whys=()
declare -A seen=()
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	case $line in '' | '#'*) continue ;; esac
	f=()
	rest=$line
	while [[ $rest == *' :: '* ]]; do
		f+=("${rest%% :: *}")
		rest=${rest#* :: }
	done
	f+=("$rest")
	[ "${#f[@]}" -eq 6 ] || die "$list:$lineno: ${#f[@]} fields, want 6 (id :: file :: old :: new :: tests :: why)"
	for i in "${!f[@]}"; do # trim: columns may be aligned
		f[i]=${f[i]#"${f[i]%%[![:space:]]*}"}
		f[i]=${f[i]%"${f[i]##*[![:space:]]}"}
	done
	if [ -z "${f[0]}" ] || [ -z "${f[2]}" ] || [ -z "${f[4]}" ]; then
		die "$list:$lineno: empty id, snippet or tests"
	fi
	[ -z "${seen[${f[0]}]:-}" ] || die "$list:$lineno: duplicate id ${f[0]}"
	seen[${f[0]}]=$lineno
	[ "${f[3]}" = "${f[2]}" ] && die "$list:$lineno: ${f[0]}: the replacement equals the snippet"
	ids+=("${f[0]}") files+=("${f[1]}") olds+=("${f[2]}") news+=("${f[3]}") res+=("${f[4]}") whys+=("${f[5]}")
done <"$list"
for o in "${only[@]}"; do
	[ -n "${seen[$o]:-}" ] || die "--only $o: no such mutant in $list"
done
sel=()
for i in "${!ids[@]}"; do
	[ "$unit_only" -eq 0 ] || [[ ${res[i]} == '^unit/'* ]] || continue
	if [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" ${ids[i]} "* ]]; then sel+=("$i"); fi
done

if [ "$check_only" -eq 1 ]; then
	bad=0
	for i in "${sel[@]}"; do
		n=$(python3 -c 'import sys; print(open(sys.argv[1]).read().count(sys.argv[2]))' \
			"$src/${files[i]}" "${olds[i]}" 2>/dev/null) || n=missing
		if [ "$n" != 1 ]; then
			echo "mutation: ${ids[i]}: ${files[i]}: the snippet occurs ${n} times (want 1): ${olds[i]}" >&2
			bad=$((bad + 1))
		fi
	done
	echo "mutation list: ${#sel[@]} mutants, $bad drifted"
	[ "$bad" -eq 0 ]
	exit
fi

# ---- the scratch copy -------------------------------------------------------------
work=$build/mutation
scr=$work/src
bld=$work/build
logs=$work/logs
rm -rf "$work"
mkdir -p "$work" "$scr" "$logs" "$work/orig"
chmod 0755 "$work" "$scr" # the tests run programs from here as the test users
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# Tracked files deleted in the work tree are left out.
	# shellcheck disable=SC2016 # expanded by the inner sh
	(cd "$src" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] || [ -L "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf -) | tar -xf - -C "$scr"
else
	(cd "$src" && tar --exclude='./build' --exclude='./build-*' -cf - .) | tar -xf - -C "$scr"
fi

# apply FILE OLD NEW: replaces the one occurrence of OLD in FILE by NEW;
# status 3 (and a message) unless OLD occurs exactly once.
apply() {
	python3 - "$@" <<'EOF'
import sys
path, old, new = sys.argv[1:]
with open(path) as f:
    text = f.read()
n = text.count(old)
if n != 1:
    print(f"the snippet occurs {n} times (want exactly 1): {old}", file=sys.stderr)
    sys.exit(3)
with open(path, "w") as f:
    f.write(text.replace(old, new, 1))
EOF
}

errors=0
for i in "${sel[@]}"; do
	if [ ! -f "$scr/${files[i]}" ]; then
		echo "mutation: ${ids[i]}: no file ${files[i]}" >&2; errors=$((errors + 1)); continue
	fi
	mkdir -p "$work/orig/$(dirname "${files[i]}")"
	cp -p "$scr/${files[i]}" "$work/orig/${files[i]}"
	# A dry run on a throw-away copy: the snippet occurs exactly once.
	cp "$scr/${files[i]}" "$work/dry"
	apply "$work/dry" "${olds[i]}" "${news[i]}" 2>&1 | sed "s|^|mutation: ${ids[i]}: ${files[i]}: |" >&2 ||
		errors=$((errors + 1))
done
rm -f "$work/dry"
[ "$errors" -eq 0 ] || die "$errors mutant(s) do not match the code: update $list"

# A mutant may leave a variable or a function unused: warnings stay
# warnings here (-Wno-error after the tree's -Werror), errors still break.
printf '#!/bin/sh\nexec "$@" -Wno-error\n' >"$work/cc-no-werror"
chmod 0755 "$work/cc-no-werror"

t0=$SECONDS
[ ${#sel[@]} -gt 0 ] || die "no mutant selected"
echo "mutation: building $scr in $bld"
# --unit-only: a unit test's target has the test's name (tests/CMakeLists.txt:
# unit/test_x is test_x); only those are built, once and after each mutant.
targets=()
# unit_targets [I...]: the unit test targets the regexes of mutants I
# (default: every selected one) select.
unit_targets() {
	local f n i
	for f in "$scr"/tests/unit/test_*.c; do
		n=$(basename "$f" .c)
		for i in "${@:-${sel[@]}}"; do
			if [[ unit/$n =~ ${res[i]} ]]; then echo "$n"; break; fi
		done
	done
}
if ! { cmake -S "$scr" -B "$bld" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
	-DCMAKE_C_COMPILER_LAUNCHER="$work/cc-no-werror" &&
	if [ "$unit_only" -eq 1 ]; then
		mapfile -t targets < <(unit_targets)
		[ ${#targets[@]} -gt 0 ] && cmake --build "$bld" -j"$jobs" --target "${targets[@]}"
	else
		cmake --build "$bld" -j"$jobs"
	fi; } >"$logs/build.log" 2>&1; then
	tail -n 40 "$logs/build.log"
	die "the unmutated copy does not build ($logs/build.log)"
fi

# Each regex must select a test; the baseline runs their union.
union=
for i in "${sel[@]}"; do
	n=$(cd "$bld" && ctest -N -R "${res[i]}" | sed -n 's/^Total Tests: //p')
	[ "${n:-0}" -gt 0 ] || { echo "mutation: ${ids[i]}: no test matches '${res[i]}'" >&2; errors=$((errors + 1)); }
	union+="${union:+|}(${res[i]})"
done
[ "$errors" -eq 0 ] || die "$errors mutant(s) name no test: update $list"

echo "mutation: baseline: the selected tests on the unmutated copy"
if ! (cd "$bld" && ctest -j"$jobs" --output-on-failure -R "$union") >"$logs/baseline.log" 2>&1; then
	grep -E '^\s*[0-9]+ - |tests passed|Failed|Not Run' "$logs/baseline.log" >&2 || true
	die "baseline: a test fails without any mutant ($logs/baseline.log)"
fi
if grep -q '\*\*\*Skipped' "$logs/baseline.log"; then
	die "baseline: a test was skipped ($logs/baseline.log): no mutant can be judged by it"
fi
echo "mutation: baseline green in $((SECONDS - t0)) s"

# ---- the mutants -------------------------------------------------------------------
pass=0 fail=0
table=()
for i in "${sel[@]}"; do
	id=${ids[i]} file=${files[i]}
	t=$SECONDS
	apply "$scr/$file" "${olds[i]}" "${news[i]}"
	# --unit-only: this mutant's tests only; a target built with an earlier
	# mutant is rebuilt when next needed (the restored file is newer).
	[ "$unit_only" -eq 0 ] || mapfile -t targets < <(unit_targets "$i")
	if ! cmake --build "$bld" -j"$jobs" ${targets[@]:+--target "${targets[@]}"} >"$logs/$id.build.log" 2>&1; then
		result=BROKEN detail="does not compile ($logs/$id.build.log)"
	else
		rc=0
		(cd "$bld" && timeout -k 10 "$timeout_s" ctest -j"$jobs" --output-on-failure \
			--stop-on-failure -R "${res[i]}") >"$logs/$id.test.log" 2>&1 || rc=$?
		if [ "$rc" -eq 0 ]; then
			result=SURVIVED detail="every test passed: ${res[i]}"
		else
			killers=$(sed -n '/tests FAILED:/,$ s/^[[:space:]]*[0-9][0-9]* - \([^ ]*\) .*/\1/p' \
				"$logs/$id.test.log" | paste -sd ' ')
			[ "$rc" -eq 124 ] && killers+=" (timeout ${timeout_s}s)"
			result=KILLED detail="by ${killers:-ctest status $rc}"
		fi
	fi
	# Restore with a fresh mtime and rebuild now: the next mutant starts
	# from the unmutated binaries.
	cat "$work/orig/$file" >"$scr/$file"
	touch "$scr/$file"
	[ "$unit_only" -eq 1 ] || cmake --build "$bld" -j"$jobs" >"$logs/restore.log" 2>&1 ||
		die "rebuilding after $id failed ($logs/restore.log)"
	if [ "$result" = KILLED ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	line=$(printf '%-24s %-8s %4ss  %s' "$id" "$result" "$((SECONDS - t))" "$detail")
	echo "$line"
	[ "$result" = KILLED ] || echo "    ${whys[i]}"
	table+=("$line")
done

echo
echo "== mutation table ($((SECONDS - t0)) s, logs in $logs)"
printf '%s\n' "${table[@]}"
echo "mutation: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
