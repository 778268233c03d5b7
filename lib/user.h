/* The user a session is for, looked up once through NSS. */
#ifndef NSJAIL_USER_H
#define NSJAIL_USER_H

#include <stdbool.h>
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
	bool groups_loaded; /* group, ngroups, gids, group_names are set */
	size_t ngroups; /* primary first, then supplementary (getgrouplist) */
	gid_t *gids;
	char **group_names; /* NULL entry when a gid has no name */
};

/* Fills *u from NSS, groups included. Returns 0, or -1 with the cause in d
 * (no such user, NSS error, garbage such as an empty name). */
int user_lookup(const char *name, struct user_info *u, struct diags *d);

/* The passwd entry only: the module's fast path, since group look-ups cost
 * most of an unjailed login and are needed only when the policy names a
 * group or a jail applies. Complete it with user_load_groups. */
int user_lookup_passwd(const char *name, struct user_info *u,
		       struct diags *d);

/* Loads the groups once (a no-op when already loaded). 0, or -1 with d. */
int user_load_groups(struct user_info *u, struct diags *d);
void user_info_free(struct user_info *u);

#endif
