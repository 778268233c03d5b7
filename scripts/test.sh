#!/bin/bash
# README command 2:  sudo bash scripts/test.sh
# Installs the build and test dependencies (Debian/Ubuntu), builds in ./build
# and runs every test: cmocka unit tests, then the integration and escape
# tests, which need root and run each in a throw-away mount namespace (the
# host is never changed). The exit status is ctest's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/deps.sh
nsj_install_deps

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build
cmake --build build -j"$jobs"

# ---- Sanitizer build (ASan + UBSan) --------------------------------------
# TODO: enable once the tree is clean under it (SPEC §7). It goes here,
# before the main run, so that this script still ends with ctest's summary:
#   cmake -S . -B build-asan -DNSJAIL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
#   cmake --build build-asan -j"$jobs"
#   (cd build-asan && ctest --output-on-failure -j"$jobs") || sanitize_rc=$?
# Opt in now with NSJ_SANITIZE=1.
sanitize_rc=0
if [ "${NSJ_SANITIZE:-0}" = 1 ]; then
	cmake -S . -B build-asan -DNSJAIL_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-asan -j"$jobs"
	(cd build-asan && ctest --output-on-failure -j"$jobs") || sanitize_rc=$?
fi
# --------------------------------------------------------------------------

if [ "$(id -u)" -ne 0 ]; then
	echo "note: not root: integration and escape tests will be skipped" >&2
fi
rc=0
(cd build && ctest --output-on-failure -j"$jobs") || rc=$?
if [ "$rc" -eq 0 ] && [ "$sanitize_rc" -ne 0 ]; then rc=$sanitize_rc; fi
exit "$rc"
