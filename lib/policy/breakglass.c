#include "breakglass.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static bool name_ok(const char *v, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x21 || v[i] == 0x7f || v[i] == '/' ||
		    v[i] == ':')
			return false;
	return true;
}

static int parse_item(const char *item, size_t n, struct breakglass *b,
		      char *why, size_t len)
{
	bool group = n && item[0] == '@';
	const char *name = item + group;
	size_t nn = n - group;
	if (n == 0) {
		snprintf(why, len, "empty item");
		return -1;
	}
	if (!name_ok(name, nn)) {
		snprintf(why, len, "bad %s name \"%.*s\"", group ? "group" : "user",
			 (int)(nn > 64 ? 64 : nn), name);
		return -1;
	}
	cleanup_free char *s = strndup(name, nn);
	if (!s || strlist_add(group ? &b->groups : &b->users, s, 0) < 0) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	return 0;
}

int breakglass_parse(const char *value, struct breakglass *b, char *why,
		     size_t len)
{
	for (const char *p = value;;) {
		size_t n = strcspn(p, ",");
		if (parse_item(p, n, b, why, len) < 0) {
			breakglass_free(b);
			return -1;
		}
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/* The local file first: an account in /etc/passwd is found without asking
 * a directory that may be down (or slow: sshd's LoginGraceTime). */
int account_lookup(const char *passwd, const char *name, uid_t *uid,
		   gid_t *gid)
{
	char buf[16384];
	struct passwd pw, *res = NULL;
	FILE *f = fopen(passwd, "re");
	while (f && fgetpwent_r(f, &pw, buf, sizeof(buf), &res) == 0)
		if (strcmp(res->pw_name, name) == 0)
			break;
	if (f)
		fclose(f);
	if (res && strcmp(res->pw_name, name) == 0) {
		*uid = res->pw_uid;
		*gid = res->pw_gid;
		return 0;
	}
	res = NULL;
	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || !res)
		return -1;
	*uid = res->pw_uid;
	*gid = res->pw_gid;
	return 0;
}

static bool group_has(const struct group *g, const char *user, bool has_gid,
		      gid_t gid)
{
	if (has_gid && g->gr_gid == gid)
		return true;
	for (char **m = g->gr_mem; m && *m; m++)
		if (strcmp(*m, user) == 0)
			return true;
	return false;
}

/* 1: user is in the group, 0: not, -1: the local file does not have it
 * (or has a line too long to read: NSS decides then). */
static int local_group_has(const char *path, const char *name,
			   const char *user, bool has_gid, gid_t gid)
{
	cleanup_free char *buf = malloc(1 << 16);
	struct group gr, *g = NULL;
	FILE *f = buf ? fopen(path, "re") : NULL;
	int r = -1;
	while (f && r < 0 && fgetgrent_r(f, &gr, buf, 1 << 16, &g) == 0)
		if (strcmp(g->gr_name, name) == 0)
			r = group_has(g, user, has_gid, gid);
	if (f)
		fclose(f);
	return r;
}

static bool nss_group_has(const char *name, const char *user, bool has_gid,
			  gid_t gid)
{
	size_t len = 16384;
	for (int tries = 0; tries < 8; tries++, len *= 2) {
		cleanup_free char *buf = malloc(len);
		struct group gr, *res = NULL;
		if (!buf)
			return false;
		int r = getgrnam_r(name, &gr, buf, len, &res);
		if (r == ERANGE)
			continue;
		return r == 0 && res && group_has(res, user, has_gid, gid);
	}
	return false;
}

bool breakglass_has(const struct breakglass *b, const char *group,
		    const char *user, bool has_gid, gid_t gid)
{
	if (strlist_contains(&b->users, user))
		return true;
	for (size_t i = 0; i < b->groups.n; i++) {
		const char *name = b->groups.v[i];
		int r = local_group_has(group, name, user, has_gid, gid);
		if (r < 0 ? nss_group_has(name, user, has_gid, gid) : r)
			return true;
	}
	return false;
}

void breakglass_free(struct breakglass *b)
{
	strlist_free(&b->users);
	strlist_free(&b->groups);
}
