/* The user a session is for, looked up once through NSS. */
#ifndef NSJAIL_USER_H
#define NSJAIL_USER_H

#include <stddef.h>
#include <sys/types.h>

#include "diag.h"

struct user_info {
	char *name;
	uid_t uid;
	gid_t gid;
	char *group;   /* primary group name; NULL when NSS has none */
	char *home;
	char *shell;
	size_t ngroups; /* primary first, then supplementary (getgrouplist) */
	gid_t *gids;
	char **group_names; /* NULL entry when a gid has no name */
};

/* Fills *u from NSS. Returns 0, or -1 with the cause in d (no such user,
 * NSS error, garbage such as an empty name). */
int user_lookup(const char *name, struct user_info *u, struct diags *d);
void user_info_free(struct user_info *u);

#endif
