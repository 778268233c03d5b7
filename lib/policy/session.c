#include "session.h"

#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expand.h"
#include "paths.h"

static bool jail_serves(const struct jail *j, const char *service)
{
	return !j->has_services ||
	       (service && strlist_contains(&j->services, service));
}

/* Resolves each group the policy names for this service, once: the only
 * group look-ups of a login besides getgrouplist and the probe. 0, or -1
 * with d. */
static int resolve_policy_groups(const struct policy *p, struct user_info *u,
				 const char *service, struct diags *d)
{
	int r = 0;
	for (size_t i = 0; i < p->exempt_groups.n && !r; i++)
		r = user_resolve_group(u, group_entry_name(p->exempt_groups.v[i]));
	for (size_t i = 0; i < p->njails && !r; i++) {
		const struct jail *j = &p->jails[i];
		for (size_t k = 0; jail_serves(j, service) && k < j->groups.n && !r; k++)
			r = user_resolve_group(u, group_entry_name(j->groups.v[k]));
	}
	if (r < 0)
		diags_add(d, DIAG_ERROR, NULL, 0, "user '%s': out of memory", u->name);
	return r < 0 ? -1 : 0;
}

/* Whether matching needs the user's groups at all. */
static bool policy_names_groups(const struct policy *p, const char *service)
{
	if (p->exempt_groups.n)
		return true;
	for (size_t i = 0; i < p->njails; i++)
		if (p->jails[i].groups.n && jail_serves(&p->jails[i], service))
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

const char *session_terminal(int fd, char *buf, size_t len)
{
	if (!isatty(fd) || ttyname_r(fd, buf, len) != 0 || !terminal_path_ok(buf))
		return NULL;
	return buf;
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
		 const char *service, const char *terminal, struct match *m,
		 struct plan *plan, struct diags *d)
{
	return session_plan_auth(p, u, service, terminal, NULL, m, plan, d);
}

int session_plan_auth(const struct policy *p, struct user_info *u,
		      const char *service, const char *terminal,
		      const struct ssh_auth *auth, struct match *m,
		      struct plan *plan, struct diags *d)
{
	*plan = (struct plan){ 0 };
	*m = (struct match){ .kind = MATCH_NONE };
	/* Exempt users get in without a group look-up: a directory outage
	 * never locks them out. */
	if (!strlist_contains(&p->exempt_users, u->name) &&
	    policy_names_groups(p, service) &&
	    (resolve_policy_groups(p, u, service, d) < 0 ||
	     user_load_gids(u, d) < 0))
		return -1;
	*m = policy_match_auth(p, u, service, auth);
	/* An answer resting on the user not being in a group holds only if
	 * getgrouplist heard every source: ask once, then match again. */
	if (m->rests_on_absence && m->kind != MATCH_REFUSED &&
	    m->kind != MATCH_INCOMPLETE && u->uid != 0) {
		user_probe_list(u);
		if (u->list_err)
			*m = policy_match_auth(p, u, service, auth);
	}
	if (m->kind == MATCH_REFUSED || m->kind == MATCH_INCOMPLETE) {
		char why[512];
		match_describe(m, u, why, sizeof(why));
		diags_add(d, DIAG_ERROR, NULL, 0, "user '%s' (service %s): %s", u->name,
			  service ? service : "none", why);
		return -1;
	}
	if (!m->jail)
		return 0;
	const struct jail *j = m->jail;
	if (jail_needs_groups(j) && user_load_groups(u, d) < 0)
		return -1;

	/* Both root kinds: a directory root gets them where it has no entry
	 * of the name (compile.c, rootfs.c auto_symlink). */
	struct host_links links = { 0 };
	int r = j->root ? host_links_read("/", &links) : 0;
	if (r < 0) {
		diags_add(d, DIAG_ERROR, j->file, j->root_line,
			  "jail '%s': reading the links of /: %s", j->name,
			  strerror(-r));
		return -1;
	}
	/* user@.service opens PAM service systemd-user for the user manager. */
	bool manager = service && strcmp(service, "systemd-user") == 0;
	struct compile_env env = { .links = &links,
				   .tty_gid = j->root ? tty_gid() : 5,
				   .terminal = terminal, .manager = manager };
	r = plan_compile(j, u, &env, plan, d);
	host_links_free(&links);
	return r;
}
