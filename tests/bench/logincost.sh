#!/bin/bash
# tests/bench/logincost.sh: run by
#   tests/bench/run.sh --exec="bash PATH/logincost.sh LABEL=DIR..."
# where each DIR holds a build's pam_nsjail.so and nsjail-helper (e.g. of
# an older commit). Every build gets its own PAM services for run.sh's
# read-only, hidden-path and tmpfs-root jails (the same config, the same
# proofs); pambench interleaves them all (N= iterations, default 300), so
# the load of a shared machine hits every build alike (docs/bench/login-cost.md).
set -euo pipefail
args=()
for j in ro hidden root; do
	svcs="\"bench-nsjail-$j\""
	for lv in "$@"; do
		l=${lv%%=*} d=${lv#*=}
		sed -e "s#$NSJ_BUILD/pam_nsjail.so#$d/pam_nsjail.so#" \
			-e "s#$NSJ_BUILD/nsjail-helper#$d/nsjail-helper#" \
			"/etc/pam.d/bench-nsjail-$j" >"/etc/pam.d/bench-$l-$j"
		svcs+=", \"bench-$l-$j\""
		args+=("$l-$j=pam:bench-$l-$j:bench:jail")
	done
	sed -i "s/services = \[ \"bench-nsjail-$j\" \]/services = [ $svcs ]/" "$B/nsjail.conf"
done
echo "processes on the host: $(ls -d /proc/[0-9]* | wc -l)"
"$bin/pambench" -n "${N:-300}" -w 20 "${args[@]}" floor-ro=pam:bench-floor-ro:bench:jail
