#!/bin/bash
# Release-grade binaries (issue 10 item 11), checked on the built files with
# readelf; needs no root. t_hardening BUILD-DIR
#   * nsjail-helper is static-pie: ELF type DYN, no PT_INTERP, no NEEDED;
#   * the helper, the module and nsjailctl: full RELRO (GNU_RELRO + BIND_NOW);
#   * _FORTIFY_SOURCE took effect: fortified __*_chk symbols in each;
#   * the build is optimised (CMAKE_BUILD_TYPE not Debug or empty; with gcc,
#     the compiler's recorded flags say -O2 and -D_FORTIFY_SOURCE=2).
# The sanitizer build (NSJAIL_SANITIZE=ON) is Debug and unfortified by
# design (ASan needs -O0-ish code and its runtime cannot be linked
# statically): the test skips there, saying so (ctest status 77).
set -u
B=${1:-${NSJ_BUILD:-build}}
export LC_ALL=C
n=0 nfail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); nfail=$((nfail + 1)); echo "not ok $n - $1"; shift; printf '#   %s\n' "$@"; }
check() { local d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else no "$d" "command: $*"; fi; }

command -v readelf >/dev/null || { echo "# t_hardening: SKIP: no readelf"; exit 77; }
cache=$B/CMakeCache.txt
[ -r "$cache" ] || { echo "# t_hardening: no $cache"; exit 1; }
if grep -qs '^NSJAIL_SANITIZE:BOOL=ON$' "$cache"; then
	echo "# t_hardening: SKIP: ASan build (Debug by design, no _FORTIFY_SOURCE, dynamic helper); the normal build runs this test"
	exit 77
fi
type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")
H=$B/nsjail-helper M=$B/pam_nsjail.so C=$B/nsjailctl

# Facts about one file, printed for the log.
header() { readelf -W -h "$1" | sed -n 's/^ *Type: *//p'; }
has_seg() { readelf -W -l "$1" | grep -Eq "^ *$2 "; }
has_dyn() { readelf -W -d "$1" | grep -Eq "$2"; }
bind_now() { has_dyn "$1" '\((FLAGS|FLAGS_1)\).* (BIND_NOW|NOW)'; }
chk_syms() { readelf -W -s "$1" | awk '{ print $8 }' | grep -E '^__[a-z_]+_chk(@|$)' | sed 's/@.*//' | sort -u; }

case $type in
Debug|'') no "an optimised build type (CMAKE_BUILD_TYPE is '${type}')" "cmake -S . -B build defaults to RelWithDebInfo; Debug is for the ASan build" ;;
*) ok "an optimised build type ($type)" ;;
esac
for f in "$H" "$M" "$C"; do
	[ -e "$f" ] || { no "$f is built"; continue; }
	prod=$(readelf --debug-dump=info "$f" 2>/dev/null | grep -m 1 'DW_AT_producer' || true)
	case $prod in
	*"GNU C"*)
		case $prod in *" -O0"*|*" -Og"*) no "${f##*/}: compiled optimised" "$prod" ;;
		*" -O"[1-3s]*) ok "${f##*/}: compiled optimised" ;;
		*) no "${f##*/}: compiled optimised" "$prod" ;; esac
		;;
	*) echo "# ${f##*/}: no gcc producer string (${prod:-none}); the build type stands for -O" ;;
	esac
done

static=1
if grep -qs '^NSJAIL_STATIC_HELPER:BOOL=OFF$' "$cache"; then
	static=0
	echo "# the helper is dynamic by choice (-DNSJAIL_STATIC_HELPER=OFF): static-pie checks skipped"
fi
[ -e "$H" ] && [ $static = 1 ] && {
	t=$(header "$H")
	case $t in DYN*) ok "helper: ELF type DYN ($t)" ;; *) no "helper: ELF type DYN (static-pie)" "type: $t" ;; esac
	if has_seg "$H" INTERP; then no "helper: no PT_INTERP (static)" "$(readelf -W -l "$H" | grep -A1 INTERP)"
	else ok "helper: no PT_INTERP (static)"; fi
	if has_dyn "$H" '\(NEEDED\)'; then no "helper: no NEEDED libraries" "$(readelf -W -d "$H" | grep NEEDED)"
	else ok "helper: no NEEDED libraries"; fi
}
# No dead code in the privileged binary: the plan library's functions only
# the module and nsjailctl use (printing a plan for explain, encoding a
# request) are dropped by --gc-sections. The build directory's helper is
# never stripped; a stripped one cannot be judged, and fails here.
if [ -e "$H" ] && command -v nm >/dev/null; then
	syms=$(nm "$H" 2>&1)
	case $syms in
	*"no symbols"*) no "helper: has a symbol table to check for dead code" "$syms" ;;
	*)
		for s in plan_print wire_encode; do
			if awk -v s="$s" '$NF == s { f = 1 } END { exit !f }' <<<"$syms"
			then no "helper: no $s (dead code: link with -ffunction-sections, --gc-sections)" "$(grep -w "$s" <<<"$syms")"
			else ok "helper: no $s (dead code dropped by --gc-sections)"; fi
		done
		;;
	esac
fi
for f in "$H" "$M" "$C"; do
	[ -e "$f" ] || continue
	check "${f##*/}: GNU_RELRO segment" has_seg "$f" GNU_RELRO
	check "${f##*/}: BIND_NOW (full RELRO)" bind_now "$f"
	s=$(chk_syms "$f" | tr '\n' ' ')
	if [ -n "$s" ]; then ok "${f##*/}: fortified calls: $s"
	else no "${f##*/}: fortified calls (__*_chk symbols)" "none found: built without -D_FORTIFY_SOURCE or at -O0"; fi
done
if has_dyn "$M" 'TEXTREL'; then no "module: no TEXTREL" ; else ok "module: no TEXTREL"; fi
echo "1..$n"
echo "# t_hardening: $((n - nfail)) passed, $nfail failed"
[ "$nfail" -eq 0 ]
