#include "user.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

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

static int lookup_groups(const char *name, struct user_info *u,
			 struct diags *d)
{
	int n = 64;
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
	u->group_names = calloc(u->ngroups ? u->ngroups : 1, sizeof(char *));
	if (!u->group_names)
		return -ENOMEM;
	for (size_t i = 0; i < u->ngroups; i++)
		u->group_names[i] = group_name(u->gids[i]);
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

int user_load_groups(struct user_info *u, struct diags *d)
{
	if (u->groups_loaded)
		return 0;
	int r = lookup_groups(u->name, u, d);
	if (r == -ENOMEM)
		diags_add(d, DIAG_ERROR, NULL, 0, "user '%s': out of memory", u->name);
	if (r < 0)
		return -1;
	u->group = u->ngroups && u->gids[0] == u->gid && u->group_names[0]
			   ? strdup(u->group_names[0])
			   : group_name(u->gid);
	u->groups_loaded = true;
	return 0;
}

int user_lookup(const char *name, struct user_info *u, struct diags *d)
{
	if (user_lookup_passwd(name, u, d) < 0)
		return -1;
	if (user_load_groups(u, d) < 0) {
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
	*u = (struct user_info){ 0 };
}
