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


/* Expands tokens, adds the automatic steps, sorts parents before children,
 * merges the entries of each path (restrictive wins; a warning naming both
 * FILE:LINEs for each merge, an error for two contents on one path or an
 * entry on a root jail's automatic mount), drops steps under an
 * inaccessible path, hides every other name of a hidden path (automatic
 * inaccessible steps at the entry's line) and sets the tmpfs caps.
 * Returns 0, or -1 with FILE:LINE errors in d; warnings may be added
 * either way. */
int plan_compile(const struct jail *j, const struct user_info *u,
		 const struct host_links *links, unsigned tty_gid,
		 struct plan *out, struct diags *d);

/* plan_compile for systemd's user manager (PAM service systemd-user): a
 * root jail also gets what systemd --user needs to run in it. */
int plan_compile_manager(const struct jail *j, const struct user_info *u,
			 const struct host_links *links, unsigned tty_gid,
			 struct plan *out, struct diags *d);

#endif
