/* The plan on the socket between the module and the helper.
 *
 * Request (module -> helper), integers in host order (both ends run on the
 * same machine):
 *   u32 magic 'NSJ4', u32 total length, u16 jail-name length, name,
 *   u32 nsteps, then per step: u8 kind, u8 flags, u32 arg,
 *   u16 src length (0 = none), src, u16 dst length, dst, u32 data length, data;
 *   then u64 tmpfs size, u64 tmpfs inodes (the plan's caps), u64 isolation
 *   flags (PLAN_ISO_*; unknown bits are refused), u32 owner (shared: the
 *   user's uid, whose registry lock the keeper takes; else 0).
 * 'NSJ1' (no caps), 'NSJ2' (no isolation flags) and 'NSJ3' (no owner) are
 * refused: a module and helper of different versions fail closed.
 * Strings are not NUL-terminated on the wire.
 *
 * Reply (helper -> module): struct wire_reply, with the namespace fds as
 * SCM_RIGHTS in that one message when status is 0, in this fixed order,
 * each present only when the plan asks for it:
 *   1. the mount namespace (always),
 *   2. the session's PID namespace (a STEP_PIDS step),
 *   3. the network namespace (PLAN_ISO_NET),
 *   4. the IPC namespace (PLAN_ISO_IPC).
 * The module knows from the plan how many to expect and refuses any other
 * count or type. */
#ifndef NSJAIL_WIRE_H
#define NSJAIL_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "nsj_error.h"
#include "plan.h"

#define WIRE_MAGIC 0x344a534eu /* "NSJ4" */
#define WIRE_MAX_FDS 4
#define WIRE_MAX_BYTES (4u << 20)

/* The helper's end of the socket: the module spawns it with fds 0-2 on
 * /dev/null, the socket as this fd and nothing else (lib/jail/build.c). */
#define NSJAIL_HELPER_FD 3
/* How long the module waits for the reply before it SIGKILLs the helper,
 * then how long the helper may take to die before the session is refused
 * without reaping it (a login never hangs on it). */
#define NSJAIL_HELPER_TIMEOUT_MS 10000
#define NSJAIL_HELPER_GRACE_MS 2000
/* The helper's own deadline (alarm, helper/harden.c): below the module's,
 * so the helper dies first and the module sees its exit, not a timeout. */
#define NSJAIL_HELPER_ALARM_S 8
_Static_assert(NSJAIL_HELPER_ALARM_S * 1000 < NSJAIL_HELPER_TIMEOUT_MS,
	       "the helper's alarm must fire before the module's deadline");

/* shared = true: the registry of live shared jails (root-only), its lock
 * file per user (printf format, the uid: serialises that user's building,
 * joining and her keepers' exits; other users never wait for it), and how
 * often a keeper looks whether its jail still has a process. */
#define NSJAIL_SHARED_DIR "/run/nsjail/shared"
#define NSJAIL_SHARED_LOCK "lock.%u"
#define NSJAIL_KEEPER_TICK_MS 1000

struct wire_reply {
	int32_t status; /* 0 ok, -1 failed */
	int32_t err;    /* errno of the failing syscall, 0 if none (not printed) */
	/* NUL-terminated and complete (nsj_error.h's contract): "step 3
	 * (bind_ro /usr): open_tree: No such file or directory". */
	char msg[NSJ_ERROR_MAX];
	int32_t keeper; /* PLAN_ISO_SHARED: the keeper's pid (0 otherwise) */
};
/* The reply's layout is the protocol's: NSJ_ERROR_MAX does not move it. */
_Static_assert(sizeof(struct wire_reply) == 4 + 4 + 1024 + 4,
	       "struct wire_reply changed size: a new WIRE_MAGIC");

/* Encodes p into a malloc'd buffer. Returns 0 or -errno. */
int wire_encode(const struct plan *p, uint8_t **buf, size_t *len);

/* Decodes and then plan_validate()s. Returns 0, or -1 with a message. */
int wire_decode(const uint8_t *buf, size_t len, struct plan *out,
		char *err, size_t errlen);

#endif
