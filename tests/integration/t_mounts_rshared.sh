#!/bin/bash
# t_mounts_unchanged.sh with the sandbox's "/" made rshared first, as on a
# systemd host (propagation must not carry the jail's mounts out).
NSJ_MAKE_RSHARED=1
. "$NSJ_SRC/tests/integration/t_mounts_unchanged.sh"
