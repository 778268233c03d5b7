/* The plan on the socket between the module and the helper.
 *
 * Request (module -> helper), integers in host order (both ends run on the
 * same machine):
 *   u32 magic 'NSJ2', u32 total length, u16 jail-name length, name,
 *   u32 nsteps, then per step: u8 kind, u8 flags, u32 arg,
 *   u16 src length (0 = none), src, u16 dst length, dst, u32 data length, data;
 *   then u64 tmpfs size, u64 tmpfs inodes (the plan's caps).
 * 'NSJ1' (no caps) is refused: a module and helper of different versions
 * fail closed.
 * Strings are not NUL-terminated on the wire.
 *
 * Reply (helper -> module): struct wire_reply, with the namespace fd as
 * SCM_RIGHTS when status is 0; a plan with a STEP_PIDS step gets two fds in
 * that one message, the mount namespace and then the session's PID
 * namespace. */
#ifndef NSJAIL_WIRE_H
#define NSJAIL_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

#define WIRE_MAGIC 0x324a534eu /* "NSJ2" */
#define WIRE_MAX_BYTES (4u << 20)

struct wire_reply {
	int32_t status; /* 0 ok, -1 failed */
	int32_t err;    /* errno of the failing syscall, 0 if none */
	char msg[1024]; /* NUL-terminated; "step 3 (bind_ro /usr): open_tree: ..." */
};

/* Encodes p into a malloc'd buffer. Returns 0 or -errno. */
int wire_encode(const struct plan *p, uint8_t **buf, size_t *len);

/* Decodes and then plan_validate()s. Returns 0, or -1 with a message. */
int wire_decode(const uint8_t *buf, size_t len, struct plan *out,
		char *err, size_t errlen);

#endif
