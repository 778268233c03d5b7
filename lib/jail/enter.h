/* Getting into the jail of a plan, shared or not: the one sequence the
 * module and `nsjailctl run` follow.
 *
 *   jail_entry_open      shared = true: lock the registry, join the user's
 *                        live jail of this policy when its keeper is proven
 *                        (shared.h); else (and without shared) build one
 *                        with the helper (build.h). Without shared and
 *                        with a max_jails_per_user, the user's lock is
 *                        taken too, and a build that would make one more
 *                        live jail of hers than that is refused (count.h)
 *   jail_join            the caller, or its child, moves in (build.h)
 *   jail_entry_register  a shared jail just built is recorded, once a
 *                        process is in it (the keeper counts it)
 *   jail_entry_close     the registry unlocked, the namespace fds closed
 *
 * The registry stays locked from the look-up until the entry is recorded:
 * two logins at the same instant make one jail, and a keeper never leaves
 * between a login's check and its join. */
#ifndef NSJAIL_ENTER_H
#define NSJAIL_ENTER_H

#include <stdbool.h>
#include <sys/types.h>

#include "build.h"
#include "plan.h"
#include "shared.h"

struct jail_entry {
	struct jail_ns ns;  /* what to join */
	struct shared sh;   /* shared: the registry, locked */
	bool shared;        /* the plan has shared = true */
	bool joined;        /* a live shared jail was found: nothing built */
	long long kstart;   /* a shared jail built: its keeper's start time */
	struct stat kexe;   /* ... and its executable */
	int over_limit;     /* refused: her live jails (>= max_jails), else 0 */
};

/* 0 with *je ready to join, or -1 with e (nothing left locked or open).
 * MAX_JAILS: settings.max_jails_per_user (0: unlimited). */
int jail_entry_open(struct jail_entry *je, const char *helper, const struct plan *p,
		    uid_t uid, unsigned max_jails, struct nsj_error *e);

/* After the join: records a shared jail that was built (nothing to do
 * otherwise). 0, or -1 with e. */
int jail_entry_register(struct jail_entry *je, const char *user, const char *jail,
			struct nsj_error *e);

/* " shared=joined", " shared=built" or "", for the log line. */
const char *jail_entry_how(const struct jail_entry *je);

void jail_entry_close(struct jail_entry *je);

#endif
