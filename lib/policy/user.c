#include "user.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* NSS may answer with thousands of groups (LDAP); beyond this we refuse
 * rather than silently matching on a truncated list. */
#define USER_MAX_GROUPS 65536

static int nss_buf_grow(char **buf, size_t *len)
{
	if (*len >= (1u << 24))
		return -ERANGE;
	size_t n = *len ? *len * 2 : 4096;
	char *b = realloc(*buf, n);
	if (!b)
		return -ENOMEM;
	*buf = b;
	*len = n;
	return 0;
}

static char *group_name(gid_t gid)
{
	cleanup_free char *buf = NULL;
	size_t len = 0;
	struct group gr, *res = NULL;
	int r;

	do {
		if (nss_buf_grow(&buf, &len) < 0)
			return NULL;
		r = getgrgid_r(gid, &gr, buf, len, &res);
	} while (r == ERANGE);
	if (r != 0 || !res || !res->gr_name || !res->gr_name[0])
		return NULL;
	return strdup(res->gr_name);
}

/* One getgrouplist with room for the kernel's limit: each call is a full
 * initgroups through every source (a directory search or two), so a
 * too-small first guess would double a login's cost. */
static int lookup_gids(const char *name, struct user_info *u,
		       struct diags *d)
{
	long max = sysconf(_SC_NGROUPS_MAX);
	int n = max > 0 && max < USER_MAX_GROUPS ? (int)max + 1 : USER_MAX_GROUPS;
	for (;;) {
		gid_t *g = realloc(u->gids, (size_t)n * sizeof(*g));
		if (!g)
			return -ENOMEM;
		u->gids = g;
		int want = n;
		if (getgrouplist(name, u->gid, u->gids, &want) >= 0) {
			n = want;
			break;
		}
		if (want <= n || want > USER_MAX_GROUPS) {
			diags_add(d, DIAG_ERROR, NULL, 0,
				  "user '%s': NSS returned an unusable group list (%d groups)",
				  name, want);
			return -1;
		}
		n = want;
	}
	/* getgrouplist puts the primary group first; keep that order. */
	u->ngroups = (size_t)n;
	gid_t *g = realloc(u->gids, (n ? (size_t)n : 1) * sizeof(*g));
	if (g)
		u->gids = g;
	return 0;
}

/* The name of gid when it is the primary group or a group the policy
 * names: never a look-up per group of the user (a directory search each). */
static const char *known_name(const struct user_info *u, gid_t gid)
{
	if (gid == u->gid && u->group)
		return u->group;
	for (size_t i = 0; i < u->nrefs; i++)
		if (u->refs[i].state == GROUP_FOUND && u->refs[i].gid == gid)
			return u->refs[i].name;
	return NULL;
}

static int name_groups(struct user_info *u)
{
	const struct group_ref *pr = NULL;
	for (size_t i = 0; i < u->nrefs && !pr; i++)
		if (u->refs[i].state == GROUP_FOUND && u->refs[i].gid == u->gid)
			pr = &u->refs[i];
	u->group = pr ? strdup(pr->name) : group_name(u->gid);
	if (pr && !u->group)
		return -ENOMEM;
	u->group_names = calloc(u->ngroups ? u->ngroups : 1, sizeof(char *));
	if (!u->group_names)
		return -ENOMEM;
	for (size_t i = 0; i < u->ngroups; i++) {
		const char *g = known_name(u, u->gids[i]);
		if (g && !(u->group_names[i] = strdup(g)))
			return -ENOMEM;
	}
	return 0;
}

int user_lookup_passwd(const char *name, struct user_info *u, struct diags *d)
{
	cleanup_free char *buf = NULL;
	size_t len = 0;
	struct passwd pw, *res = NULL;
	int r;

	*u = (struct user_info){ 0 };
	if (!name || !name[0]) {
		diags_add(d, DIAG_ERROR, NULL, 0, "empty user name");
		return -1;
	}
	do {
		if ((r = nss_buf_grow(&buf, &len)) < 0)
			break;
		r = getpwnam_r(name, &pw, buf, len, &res);
	} while (r == ERANGE);
	if (r != 0 || !res) {
		diags_add(d, DIAG_ERROR, NULL, 0, "user '%s': %s", name,
			  r ? strerror(r < 0 ? -r : r) : "no such user");
		return -1;
	}
	if (!res->pw_name || strcmp(res->pw_name, name) != 0) {
		diags_add(d, DIAG_ERROR, NULL, 0,
			  "user '%s': NSS answered with another name", name);
		return -1;
	}
	u->uid = res->pw_uid;
	u->gid = res->pw_gid;
	u->name = strdup(res->pw_name);
	u->home = strdup(res->pw_dir ? res->pw_dir : "");
	u->shell = strdup(res->pw_shell && res->pw_shell[0] ? res->pw_shell
							    : "/bin/sh");
	if (!u->name || !u->home || !u->shell)
		goto nomem;
	return 0;
nomem:
	user_info_free(u);
	diags_add(d, DIAG_ERROR, NULL, 0, "user '%s': out of memory", name);
	return -1;
}

int user_load_gids(struct user_info *u, struct diags *d)
{
	if (u->gids_loaded)
		return 0;
	int r = lookup_gids(u->name, u, d);
	if (r == -ENOMEM)
		diags_add(d, DIAG_ERROR, NULL, 0, "user '%s': out of memory", u->name);
	if (r < 0)
		return -1;
	u->gids_loaded = true;
	return 0;
}

int user_load_groups(struct user_info *u, struct diags *d)
{
	if (u->groups_loaded)
		return 0;
	if (user_load_gids(u, d) < 0)
		return -1;
	if (name_groups(u) < 0) {
		diags_add(d, DIAG_ERROR, NULL, 0, "user '%s': out of memory", u->name);
		return -1;
	}
	u->groups_loaded = true;
	return 0;
}

const struct group_ref *user_group_ref(const struct user_info *u,
				       const char *name)
{
	for (size_t i = 0; i < u->nrefs; i++)
		if (strcmp(u->refs[i].name, name) == 0)
			return &u->refs[i];
	return NULL;
}

/* getgrnam_r with a buffer grown on ERANGE: 0 and *res (NULL: no such
 * group), or getgrnam_r's error. */
static int grnam(const char *name, struct group *gr, char **buf, size_t *len,
		 struct group **res)
{
	int r;
	do {
		if ((r = nss_buf_grow(buf, len)) < 0)
			return -r;
		*res = NULL;
		r = getgrnam_r(name, gr, *buf, *len, res);
	} while (r == ERANGE);
	if (r != 0)
		*res = NULL;
	return r;
}

int user_resolve_group(struct user_info *u, const char *name)
{
	if (user_group_ref(u, name))
		return 0;
	struct group_ref *v = realloc(u->refs, (u->nrefs + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	u->refs = v;
	struct group_ref *g = &v[u->nrefs];
	*g = (struct group_ref){ .name = strdup(name) };
	if (!g->name)
		return -ENOMEM;
	u->nrefs++;

	cleanup_free char *buf = NULL;
	size_t len = 0;
	struct group gr, *res;
	int r = grnam(name, &gr, &buf, &len, &res);
	if (r != 0) {
		g->state = GROUP_UNAVAILABLE;
		g->err = r;
	} else if (!res) {
		g->state = GROUP_MISSING;
	} else {
		g->state = GROUP_FOUND;
		g->gid = res->gr_gid;
		for (char **m = res->gr_mem; m && *m && !g->lists_user; m++)
			g->lists_user = strcmp(*m, u->name) == 0;
	}
	return 0;
}

void user_probe_list(struct user_info *u)
{
	if (u->list_probed)
		return;
	cleanup_free char *buf = NULL;
	size_t len = 0;
	struct group gr, *res;
	u->list_err = grnam(USER_PROBE_GROUP, &gr, &buf, &len, &res);
	u->list_probed = true;
}

int user_lookup(const char *name, struct user_info *u, struct diags *d)
{
	if (user_lookup_passwd(name, u, d) < 0)
		return -1;
	if (user_load_gids(u, d) < 0) {
		user_info_free(u);
		return -1;
	}
	return 0;
}

void user_info_free(struct user_info *u)
{
	free(u->name);
	free(u->group);
	free(u->home);
	free(u->shell);
	for (size_t i = 0; u->group_names && i < u->ngroups; i++)
		free(u->group_names[i]);
	free(u->group_names);
	free(u->gids);
	for (size_t i = 0; i < u->nrefs; i++)
		free(u->refs[i].name);
	free(u->refs);
	*u = (struct user_info){ 0 };
}
