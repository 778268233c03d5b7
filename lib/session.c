#include "session.h"

#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expand.h"
#include "paths.h"

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

/* Whether the plan needs the user's groups: a root jail's /etc/group, or a
 * %g token. Group look-ups are the costly part of NSS on a host with a
 * directory server; a jail that names neither does without them. */
static bool jail_needs_groups(const struct jail *j)
{
	if (j->root)
		return true;
	for (size_t l = 0; l < PL__COUNT; l++)
		for (size_t i = 0; i < j->paths[l].n; i++)
			if (template_uses(j->paths[l].v[i], 'g'))
				return true;
	return false;
}

int session_terminal(struct plan *plan, int fd)
{
	char name[64];
	if (!plan->has_root || !isatty(fd) || ttyname_r(fd, name, sizeof(name)) != 0 ||
	    !terminal_path_ok(name))
		return 0;
	for (size_t i = 0; i < plan->n; i++) {
		struct step *s = &plan->v[i];
		if (s->kind != STEP_DEV)
			continue;
		free(s->src);
		s->src = strdup(name);
		return s->src ? 0 : -1;
	}
	return 0;
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
	const struct jail *j = m->jail;
	if (jail_needs_groups(j) && user_load_groups(u, d) < 0)
		return -1;

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
