/* Running nsjail-helper on a plan: the one place that spawns it, shared by
 * the module and `nsjailctl run`.
 *
 * The helper is started with posix_spawn (vfork-style) with an empty
 * environment, fds 0-2 on /dev/null, the socket as fd 3 and nothing else;
 * it reads one request (wire.h), builds the namespace and answers with a
 * struct wire_reply, the namespace fd attached as SCM_RIGHTS. */
#ifndef NSJAIL_BUILD_H
#define NSJAIL_BUILD_H

#include "plan.h"

#define NSJAIL_HELPER_FD 3
#define NSJAIL_HELPER_TIMEOUT_MS 10000

struct build_error {
	int err;         /* errno of the failing call, 0 if none */
	char msg[1200];  /* what failed, with the step and path */
};

/* Returns 0 and a mount namespace fd (O_CLOEXEC, not yet joined) in *nsfd,
 * or -1 with e filled in. The caller's namespaces are never touched. */
int jail_build(const char *helper, const struct plan *p, int timeout_ms,
	       int *nsfd, struct build_error *e);

#endif
