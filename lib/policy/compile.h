/* The compiler: a jail of the policy, for one user, into a normalised mount
 * plan (lib/plan/plan.h) that the helper re-validates. Pure, but for
 * host_links_read (hostlinks.c). */
#ifndef NSJAIL_COMPILE_H
#define NSJAIL_COMPILE_H

#include "config.h"
#include "diag.h"
#include "plan.h"
#include "user.h"

/* Host facts the compiler needs for a tmpfs root: the top-level symlinks of
 * the host's "/" (name -> target), e.g. bin -> usr/bin. Read-only syscalls. */
struct host_links {
	size_t n;
	char **name;
	char **target;
};
int host_links_read(const char *root, struct host_links *out);
void host_links_free(struct host_links *l);


/* What the compiler takes from the host and the login, looked up by the
 * caller (session.c) so that compiling stays pure. */
struct compile_env {
	const struct host_links *links; /* a tmpfs root's top-level links; NULL: none */
	unsigned tty_gid;     /* the group devpts gives pty slaves (5) */
	/* The login's terminal ("/dev/pts/N", "/dev/ttyN", "/dev/ttySN":
	 * terminal_path_ok), named in a root jail's dev step, so the helper
	 * binds it as /dev/tty-host and ttyname() works in the jail; NULL:
	 * none. Part of the plan that is validated, shown and sent. */
	const char *terminal;
	/* For systemd's user manager (PAM service systemd-user): a root jail
	 * also gets what systemd --user needs to run in it. */
	bool manager;
};

/* Expands tokens, adds the automatic steps, sorts parents before children,
 * merges the entries of each path (restrictive wins; a warning naming both
 * FILE:LINEs for each merge, an error for two contents on one path or an
 * entry on a root jail's automatic mount), drops steps under an
 * inaccessible path, hides every other name of a hidden path (automatic
 * inaccessible steps at the entry's line), sets the tmpfs caps and the
 * terminal, and validates the result as the helper will.
 * Returns 0, or -1 with FILE:LINE errors in d; warnings may be added
 * either way. */
int plan_compile(const struct jail *j, const struct user_info *u,
		 const struct compile_env *env, struct plan *out, struct diags *d);

#endif
