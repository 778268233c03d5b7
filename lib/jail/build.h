/* Running nsjail-helper on a plan: the one place that spawns it, shared by
 * the module and `nsjailctl run`.
 *
 * The helper is started with posix_spawn (vfork-style) with an empty
 * environment, fds 0-2 on /dev/null, the socket as fd 3 and nothing else;
 * it reads one request (wire.h), builds the namespace and answers with a
 * struct wire_reply, the namespace fd attached as SCM_RIGHTS (with
 * private_pids, the session's PID namespace too).
 *
 * Every failure comes back as a struct nsj_error (nsj_error.h): the text
 * complete (the errno's text in it once), for the caller to print as is. */
#ifndef NSJAIL_BUILD_H
#define NSJAIL_BUILD_H

#include <stdbool.h>

#include "plan.h"

#include "wire.h" /* NSJAIL_HELPER_FD, NSJAIL_HELPER_TIMEOUT_MS, ... */

/* What the helper built, not yet joined (fds O_CLOEXEC). */
struct jail_ns {
	int mnt; /* the jail's mount namespace */
	int pid; /* private_pids: the session's PID namespace, a child of
		  * ours whose init watches us; else -1 */
	int net; /* private_network: a new network namespace; else -1 */
	int ipc; /* private_ipc: a new IPC namespace; else -1 */
	bool no_new_privs; /* no_new_privileges: jail_join sets it last */
	bool restrict_ns;  /* restrict_namespaces: jail_join loads the namespace filter */
	bool scope_ipc;    /* scope_ipc: jail_join puts the caller in a Landlock domain */
	int keeper; /* shared: the keeper's pid; else -1 */
};

/* The namespaces of *ns are what plan p asks for: a mount namespace not
 * ours, and each of PID (a child of ours), network, IPC exactly when the
 * plan has it, new. 0, or -1 with e. */
int jail_check_ns(const struct plan *p, const struct jail_ns *ns, const char *who,
		  struct nsj_error *e);

/* Returns 0 with *ns filled in, or -1 with e filled in (both fds -1). The
 * caller's namespaces are never touched. A plan with private_pids must
 * come back with its PID namespace, one without it without. */
int jail_build_ns(const char *helper, const struct plan *p, int timeout_ms,
		  struct jail_ns *ns, struct nsj_error *e);

/* Puts the calling process (all its threads) and its future children
 * under the session's seccomp filter (filter.c): ioctl TIOCSTI and
 * TIOCLINUX fail with EPERM, in every ABI of the machine. Needs
 * CAP_SYS_ADMIN (the caller is root); sets no no_new_privs. 0, or -1 with e
 * (nothing installed). */
int jail_filter_install(struct nsj_error *e);

/* restrict_namespaces (filter.c): from now on, the caller and its future
 * children create no namespace (unshare, clone with CLONE_NEW*: EPERM;
 * clone3: ENOSYS) and setns into none (EPERM), in every ABI. Needs
 * CAP_SYS_ADMIN. 0, or -1 with e (nothing installed). */
int jail_nsfilter_install(struct nsj_error *e);

/* scope_ipc (landlock.c), in two halves so that what can fail for want of
 * kernel support fails before the caller moves: prepare checks for
 * Landlock ABI 6 and makes the ruleset (*fd); apply makes the calling
 * thread and its future children a Landlock domain of their own, scoped
 * for abstract unix sockets and signals. Each 0, or -1 with e. */
int jail_scope_prepare(int *fd, struct nsj_error *e);
int jail_scope_apply(int fd, struct nsj_error *e);

/* Installs the seccomp filter (jail_filter_install), then moves the caller
 * into *ns: the PID namespace first (only the caller's future children
 * are born in it), the network and IPC namespaces, each undone if a later
 * one fails, then the mount namespace last (root and cwd become the
 * jail's; nothing after it can fail but the last steps). Last, what
 * cannot be undone, each inherited by the session the caller forks (on a
 * failure the session is refused): restrict_namespaces' filter (after the
 * setns calls it forbids), scope_ipc's Landlock domain (its kernel support
 * checked before the caller moved), no_new_privileges
 * (PR_SET_NO_NEW_PRIVS). 0, or -1 with e and the caller's namespaces as they were
 * (an undo that fails says so in e: refuse the session). Closes
 * nothing. ns->pid < 0 skips the PID namespace (nsjailctl run joins it in
 * the parent). */
int jail_join(const struct jail_ns *ns, struct nsj_error *e);

void jail_ns_close(struct jail_ns *ns);

#endif
