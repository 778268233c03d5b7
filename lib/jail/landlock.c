/* scope_ipc: Landlock scoping of the session (Landlock ABI 6, Linux 6.12).
 * The session's processes share one Landlock domain that grants every file
 * and network access (no handled_access_* at all) and only scopes: a
 * process in it cannot connect to an abstract unix socket created outside
 * the domain, nor send a signal to a process outside it. Its own processes
 * talk to each other and signal each other as before. Each login makes its
 * own domain: two logins of one shared jail are scoped apart too.
 *
 * A kernel without ABI 6 refuses the session, with the reason: a jail that
 * says scope_ipc never runs without it. */
#include "build.h"

#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/landlock.h>

#include "util.h"

/* Debian 12's linux-libc-dev (6.1) predates scoping: the ABI 6 pieces of
 * <linux/landlock.h>, as Linux 6.12 defines them. The struct is the
 * kernel's struct landlock_ruleset_attr of ABI 6 (its size tells the
 * kernel which fields we know). */
struct nsj_landlock_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_restrict_self 446
#endif

#define SCOPE_ABI 6 /* the first with scoped */

int jail_scope_prepare(int *fd, struct nsj_error *e)
{
	*fd = -1;
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < SCOPE_ABI) {
		if (abi < 0)
			return nsj_error_set(e, errno, "scope_ipc: Landlock %s", errno == EOPNOTSUPP
					     ? "is disabled on this kernel (not in its lsm= list)"
					     : "is not available");
		return nsj_error_set(e, 0, "scope_ipc: needs Landlock ABI %d (Linux 6.12), "
				     "this kernel has ABI %ld", SCOPE_ABI, abi);
	}
	struct nsj_landlock_attr attr = {
		.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL,
	};
	long r = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (r < 0)
		return nsj_error_set(e, errno, "scope_ipc: landlock_create_ruleset");
	*fd = (int)r;
	return 0;
}

int jail_scope_apply(int fd, struct nsj_error *e)
{
	/* Without no_new_privs: the caller has CAP_SYS_ADMIN (root), which
	 * the kernel accepts instead. The calling thread only: the PAM
	 * callers (su, login, sshd's monitor, cron's job child) fork the
	 * session from the one thread that opened it. */
	if (syscall(SYS_landlock_restrict_self, fd, 0) < 0)
		return nsj_error_set(e, errno, "scope_ipc: landlock_restrict_self");
	return 0;
}
