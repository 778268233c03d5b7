#include "session.h"

#include <grp.h>
#include <string.h>

/* Whether matching needs the user's groups at all. */
static bool policy_names_groups(const struct policy *p)
{
	if (p->exempt_groups.n)
		return true;
	for (size_t i = 0; i < p->njails; i++)
		if (p->jails[i].groups.n)
			return true;
	return false;
}

/* The group devpts gives pty slaves; 5 on every Linux distribution. */
static unsigned tty_gid(void)
{
	char buf[4096];
	struct group gr, *res = NULL;
	if (getgrnam_r("tty", &gr, buf, sizeof(buf), &res) == 0 && res)
		return (unsigned)res->gr_gid;
	return 5;
}

int session_plan(const struct policy *p, struct user_info *u,
		 const char *service, struct match *m, struct plan *plan,
		 struct diags *d)
{
	*plan = (struct plan){ 0 };
	*m = (struct match){ MATCH_NONE, NULL, NULL };
	if (policy_names_groups(p) && user_load_groups(u, d) < 0)
		return -1;
	*m = policy_match(p, u, service);
	if (!m->jail)
		return 0;
	if (user_load_groups(u, d) < 0)
		return -1;

	const struct jail *j = m->jail;
	bool tmpfs_root = j->root && strcmp(j->root, "tmpfs") == 0;
	struct host_links links = { 0 };
	int r = tmpfs_root ? host_links_read("/", &links) : 0;
	if (r < 0) {
		diags_add(d, DIAG_ERROR, j->file, j->root_line,
			  "jail '%s': reading the links of /: %s", j->name,
			  strerror(-r));
		return -1;
	}
	r = plan_compile(j, u, &links, tmpfs_root || j->root ? tty_gid() : 5,
			 plan, d);
	host_links_free(&links);
	return r;
}
