#!/bin/bash
# Regenerates the committed seed corpus (a maintainer's tool, not run by CI):
#   tests/fuzz/mkcorpus.sh BUILD-FUZZ-DIR
# corpus/config: conf/nsjail.conf*, every configuration the integration and
# escape tests write (nsj_config / nsj_dropin here-documents) and a few hand
# written edge cases (seed-*.conf, kept); corpus/wire: the plans of all of
# them for the fuzzers' user, encoded by the current wire format.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:?usage: mkcorpus.sh BUILD-FUZZ-DIR}
out=$here/corpus/config
mkdir -p "$out" "$here/corpus/wire"
find "$out" -name 'test-*' -delete
cp "$src/conf/nsjail.conf" "$out/conf-nsjail.conf"
cp "$src/conf/nsjail.conf.example" "$out/conf-nsjail.conf.example"
for t in "$src"/tests/integration/t_*.sh "$src"/tests/escape/t_*.sh; do
	[ -e "$t" ] || continue
	# Unquoted here-documents still hold $T etc.; good enough for seeds.
	awk -v out="$out" -v name="$(basename "$t" .sh)" '
		!inside && /(nsj_config|nsj_dropin [^ ]+) *<<-?'"'"'?EOF/ {
			inside = 1; n++; f = sprintf("%s/test-%s-%d.conf", out, name, n); next }
		inside && /^EOF$/ { inside = 0; close(f); next }
		inside { print > f }
	' "$t"
done
find "$here/corpus/wire" -name '*.bin' -delete
"$build/tests/fuzz/wire_seeds" "$here/corpus/wire" "$out"/*
echo "config seeds: $(find "$out" -type f | wc -l), wire seeds: $(find "$here/corpus/wire" -type f | wc -l)"
