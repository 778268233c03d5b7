/* The user a session is for, looked up once through NSS, and the groups
 * the policy names, resolved once per login. */
#ifndef NSJAIL_USER_H
#define NSJAIL_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "diag.h"

/* What getgrnam_r said about a group the policy names. glibc returns 0
 * with no result only when every source answered "no such group"; a
 * source that failed (nslcd with slapd down: NSS_STATUS_UNAVAIL) makes it
 * return that source's errno, ENOENT included. nscd answers "no such
 * group" for a name it could not ask its sources about: MISSING is
 * therefore not proof that the group does not exist (see match.h). */
enum group_state {
	GROUP_FOUND,
	GROUP_MISSING,     /* rc 0, no result */
	GROUP_UNAVAILABLE, /* rc != 0: err */
};

struct group_ref {
	char *name;
	enum group_state state;
	int err;         /* getgrnam_r's return, for UNAVAILABLE */
	gid_t gid;       /* FOUND */
	bool lists_user; /* FOUND: the user is in its member list (gr_mem) */
};

/* A name no group should have: looked up when a decision rests on the user
 * not being in a group, to learn whether every group source answers
 * (getgrouplist leaves out a failed source's groups without a word). */
#define USER_PROBE_GROUP "nsjail-probe-absent"

struct user_info {
	char *name;
	uid_t uid;
	gid_t gid;
	char *group;   /* primary group name; NULL when NSS has none */
	char *home;
	char *shell;
	bool gids_loaded;   /* ngroups, gids are set */
	bool groups_loaded; /* gids, group and group_names too */
	size_t ngroups; /* primary first, then supplementary (getgrouplist) */
	gid_t *gids;
	/* Names of the gids, only those known without naming the user's other
	 * groups: the primary group and the groups of refs; NULL elsewhere. */
	char **group_names;
	size_t nrefs;          /* the groups the policy names (user_resolve_group) */
	struct group_ref *refs;
	bool list_probed;      /* user_probe_list ran */
	int list_err;          /* its failure: gids may lack a source's groups */
};

/* Fills *u from NSS, the gid list included (names come with
 * user_load_groups, after the policy's groups are resolved). Returns 0, or
 * -1 with the cause in d (no such user, NSS error, garbage such as an empty
 * name). */
int user_lookup(const char *name, struct user_info *u, struct diags *d);

/* The passwd entry only: the module's fast path, since group look-ups cost
 * most of an unjailed login and are needed only when the policy names a
 * group or a jail applies. Complete it with user_load_gids/groups. */
int user_lookup_passwd(const char *name, struct user_info *u,
		       struct diags *d);

/* The user's gid list (one getgrouplist), no names. 0, or -1 with d. */
int user_load_gids(struct user_info *u, struct diags *d);

/* The gids, the primary group's name and group_names (at most one more
 * look-up: the primary group, unless the policy named it). Once; 0, or -1
 * with d. */
int user_load_groups(struct user_info *u, struct diags *d);

/* Resolves a group the policy names with getgrnam_r, once per name, into
 * u->refs. 0, or -ENOMEM. */
int user_resolve_group(struct user_info *u, const char *name);
const struct group_ref *user_group_ref(const struct user_info *u,
				       const char *name);

/* Looks USER_PROBE_GROUP up once: u->list_err is 0 when every group source
 * answered, else the error (the gid list may be incomplete). */
void user_probe_list(struct user_info *u);

void user_info_free(struct user_info *u);

#endif
