#!/bin/bash
# The helper reads in one sitting (issue 14): checked on the built object
# files with nm/objdump; needs no root. t_helper_layers SRC-DIR BUILD-DIR
#   * every helper/*.c is in the layer table at the top of helper/leaves.h;
#   * a file includes no helper header of a higher layer (each layer has
#     one, including the one below it): an upward call does not compile;
#   * a file calls (has an undefined symbol defined by) only files of a
#     strictly lower layer: no cycle, no call sideways or upward;
#   * no helper object has file-level mutable data: no object symbol in a
#     writable section (.data, .bss, common). .data.rel.ro holds const
#     tables of pointers (nm says 'd' for them): read-only after relocation
#     (full RELRO, t_hardening), so it is allowed.
set -u
S=${1:?usage: t_helper_layers SRC-DIR BUILD-DIR}
B=${2:?usage: t_helper_layers SRC-DIR BUILD-DIR}
export LC_ALL=C
n=0 nfail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
no() { n=$((n + 1)); nfail=$((nfail + 1)); echo "not ok $n - $1"; shift; printf '#   %s\n' "$@"; }

command -v nm >/dev/null && command -v objdump >/dev/null ||
	{ echo "# t_helper_layers: SKIP: no nm/objdump"; exit 77; }
O=$B/CMakeFiles/nsjail-helper.dir/helper
shopt -s nullglob
objs=()
for o in "$O"/*.c.o; do # not a stale one whose source is gone
	f=${o##*/}
	[ -e "$S/helper/${f%.o}" ] && objs+=("$o")
done
[ ${#objs[@]} -gt 0 ] || { echo "# t_helper_layers: no objects in $O (build first)"; exit 1; }

# The table: comment lines " *   N name  a.c b.c ..." between "Layers" and
# the end of the comment.
declare -A layer=()
while read -r num files; do
	for f in $files; do layer[$f]=$num; done
done < <(sed -n '/^ \* Layers/,/\*\//p' "$S/helper/leaves.h" |
	 sed -nE 's/^ \*   ([0-9]+) +[a-z-]+ +(([a-z_]+\.c ?)+)$/\1 \2/p')
[ ${#layer[@]} -gt 0 ] && ok "leaves.h has a layer table (${#layer[@]} files)" ||
	no "leaves.h has a layer table" "expected ' * Layers ...' then lines ' *   N name  a.c b.c'"

for src in "$S"/helper/*.c; do
	f=${src##*/}
	[ -n "${layer[$f]:-}" ] && ok "$f is in layer ${layer[$f]}" || no "$f is in the layer table" "add it to the table at the top of helper/leaves.h"
done

# The layers' headers. A new header is added here.
declare -A hlayer=([leaves.h]=0 [walkrule.h]=0 [mounts.h]=1 [resolve.h]=2 [steps.h]=3 [apply.h]=4)
for h in "$S"/helper/*.h; do
	h=${h##*/}
	[ -n "${hlayer[$h]:-}" ] || no "$h is in the header table" "add it to hlayer in $0"
done
for src in "$S"/helper/*.c "$S"/helper/*.h; do
	f=${src##*/}
	l=${layer[$f]:-${hlayer[$f]:-}}
	[ -n "$l" ] || continue
	up=()
	for h in $(sed -nE 's/^#include "([a-z_]+\.h)".*/\1/p' "$src"); do
		[ -z "${hlayer[$h]:-}" ] || [ "${hlayer[$h]}" -le "$l" ] || up+=("$f (layer $l) includes $h (layer ${hlayer[$h]})")
	done
	[ ${#up[@]} -eq 0 ] && ok "$f includes no higher layer's header" || no "$f includes no higher layer's header" "${up[@]}"
done

# Which file defines each global symbol.
declare -A def=()
for o in "${objs[@]}"; do
	f=${o##*/}; f=${f%.o}
	for s in $(nm --defined-only "$o" | awk '$2 ~ /^[A-Z]$/ { print $3 }'); do def[$s]=$f; done
done
for o in "${objs[@]}"; do
	f=${o##*/}; f=${f%.o}
	bad=() good=()
	for s in $(nm -u "$o" | awk '{ print $2 }'); do
		t=${def[$s]:-}
		[ -n "$t" ] && [ "$t" != "$f" ] || continue
		if [ -n "${layer[$f]:-}" ] && [ -n "${layer[$t]:-}" ] && [ "${layer[$t]}" -lt "${layer[$f]}" ]; then
			good+=("$t:$s")
		else
			bad+=("$f (layer ${layer[$f]:-?}) -> $t (layer ${layer[$t]:-?}): $s")
		fi
	done
	if [ ${#bad[@]} -eq 0 ]; then
		ok "$f calls only downward (${#good[@]} symbols)"
	else
		no "$f calls only downward" "${bad[@]}"
	fi
done

# File-level mutable data: objects in writable sections. Names the
# toolchain adds (sanitizer and coverage tables) are left out.
for o in "${objs[@]}"; do
	f=${o##*/}; f=${f%.o}
	mut=$(objdump -t "$o" | sed -nE 's/^[0-9a-f]+ (.{7}) (\S+)\s+[0-9a-f]+ (.*)$/\1|\2|\3/p' |
	      awk -F'|' '$1 ~ /O/ && ($2 ~ /^\.(data|bss)(\.|$)/ || $2 == "*COM*") && $2 !~ /^\.data\.rel\.ro/ \
		 && $3 !~ /^(\.|__asan|___asan|__odr_asan|__gcov|__llvm|__sancov)/ { print $2 " " $3 }')
	if [ -z "$mut" ]; then
		ok "$f has no file-level mutable data"
	else
		no "$f has no file-level mutable data" $(echo "$mut" | sed 's/ /:/')
	fi
done

echo "1..$n"
[ $nfail -eq 0 ] || { echo "# $nfail of $n failed"; exit 1; }
