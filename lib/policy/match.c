#include "match.h"

#include <stdio.h>
#include <string.h>

enum member { MEMBER_NO, MEMBER_YES, MEMBER_UNKNOWN };

static bool has_gid(const struct user_info *u, gid_t gid)
{
	if (u->gid == gid)
		return true;
	for (size_t i = 0; i < u->ngroups; i++)
		if (u->gids[i] == gid)
			return true;
	return false;
}

static enum member member_of(const struct user_info *u, const char *entry,
			     bool *absence)
{
	const struct group_ref *g = user_group_ref(u, group_entry_name(entry));
	/* uid 0's groups are local files: a directory outage never locks
	 * root out. */
	enum member unknown = u->uid == 0 ? MEMBER_NO : MEMBER_UNKNOWN;
	/* "-name": the administrator said the group may not exist. A failed
	 * look-up (GROUP_UNAVAILABLE) is no such statement: still unknown. */
	if (g && g->state == GROUP_MISSING && group_entry_optional(entry))
		return MEMBER_NO;
	if (!g || g->state != GROUP_FOUND)
		return unknown;
	if (g->lists_user || has_gid(u, g->gid))
		return MEMBER_YES;
	*absence = true;
	return u->list_err ? unknown : MEMBER_NO;
}

/* The first group of l the user is in (*yes), else the first unknown one
 * (*unknown). */
static void scan(const struct strlist *l, const struct user_info *u,
		 const char **yes, const char **unknown, bool *absence)
{
	*yes = NULL;
	for (size_t i = 0; i < l->n && !*yes; i++) {
		enum member s = member_of(u, l->v[i], absence);
		if (s == MEMBER_YES)
			*yes = group_entry_name(l->v[i]);
		else if (s == MEMBER_UNKNOWN && !*unknown)
			*unknown = group_entry_name(l->v[i]);
	}
}

static struct match refused(const struct user_info *u, const struct jail *j,
			    const char *group, bool absence)
{
	return (struct match){ .kind = MATCH_REFUSED, .jail = j, .group = group,
			       .ref = user_group_ref(u, group),
			       .rests_on_absence = absence };
}

/* Whether jail j may apply to this login as far as keys go: 1 yes (*key
 * set when j names keys), 0 no (pass over it), -1 only if the key were
 * known (*why). */
static int key_allows(const struct jail *j, const char *service,
		      const struct ssh_auth *auth, const char **key,
		      const char **why)
{
	*key = NULL;
	if (!j->ssh_keys.n)
		return 1;
	if (!service || strcmp(service, SSH_KEYS_SERVICE) != 0)
		return 0;
	if (!auth || !auth->known) {
		*why = auth ? auth->why
			    : "the module did not capture sshd's SSH_AUTH_INFO_0 at the start of "
			      "the session stack (add 'session required pam_nsjail.so "
			      "capture_ssh_key' as the first session line of sshd's PAM stack)";
		return -1;
	}
	*key = ssh_auth_listed(auth, &j->ssh_keys);
	return *key != NULL;
}

struct match policy_match(const struct policy *p, const struct user_info *u,
			  const char *service)
{
	return policy_match_auth(p, u, service, NULL);
}

struct match policy_match_auth(const struct policy *p, const struct user_info *u,
			       const char *service, const struct ssh_auth *auth)
{
	const char *yes, *unknown = NULL;
	bool absence = false;

	if (strlist_contains(&p->exempt_users, u->name))
		return (struct match){ .kind = MATCH_EXEMPT_USER };
	/* An unknown exempt group matters only when a jail would apply. */
	const char *exempt_unknown = NULL;
	scan(&p->exempt_groups, u, &yes, &exempt_unknown, &absence);
	if (yes)
		return (struct match){ .kind = MATCH_EXEMPT_GROUP, .group = yes, .rests_on_absence = absence };

	for (size_t i = 0; i < p->njails; i++) {
		const struct jail *j = &p->jails[i];
		if (j->has_services &&
		    (!service || !strlist_contains(&j->services, service)))
			continue;
		const char *key, *key_why = NULL;
		int keyed = key_allows(j, service, auth, &key, &key_why);
		if (keyed == 0)
			continue;
		bool named = strlist_contains(&j->users, u->name);
		yes = NULL;
		if (!named)
			scan(&j->groups, u, &yes, &unknown, &absence);
		if ((named || yes) && exempt_unknown)
			return refused(u, NULL, exempt_unknown, absence);
		if ((named || yes) && keyed < 0)
			return (struct match){ MATCH_REFUSED, j, yes, NULL, absence,
					       NULL, key_why };
		if (named)
			return (struct match){ MATCH_USER, j, NULL, NULL, absence, key, NULL };
		if (yes)
			return (struct match){ MATCH_GROUP, j, yes, NULL, absence, key, NULL };
		/* This jail may apply: neither a later one nor none is sure. */
		if (unknown)
			return refused(u, j, unknown, absence);
	}
	/* No jail of the main file decided: one of the unread drop-ins could
	 * have (fail closed, as for an unknown group). */
	if (p->include_unread)
		return (struct match){ .kind = MATCH_INCOMPLETE, .group = p->include_dir };
	return (struct match){ .kind = MATCH_NONE, .rests_on_absence = absence };
}

static void describe_unknown(const struct match *m, const struct user_info *u,
			     char *buf, size_t len)
{
	const struct group_ref *g = m->ref;
	if (!g)
		snprintf(buf, len, "it was not looked up");
	else if (g->state == GROUP_UNAVAILABLE)
		snprintf(buf, len, "getgrnam_r: %s (%s): a group source is unavailable",
			 strerrorname_np(g->err) ? strerrorname_np(g->err) : "?",
			 strerror(g->err));
	else if (g->state == GROUP_MISSING)
		snprintf(buf, len, "NSS has no such group (none by that name, or a "
				   "directory unreachable behind a cache such as nscd)");
	else
		snprintf(buf, len, "the user's group list may be incomplete: "
				   "getgrnam_r of '%s': %s (%s): a group source is unavailable",
			 USER_PROBE_GROUP,
			 strerrorname_np(u->list_err) ? strerrorname_np(u->list_err) : "?",
			 strerror(u->list_err));
}

void match_describe(const struct match *m, const struct user_info *u,
		    char *buf, size_t len)
{
	char why[256];
	switch (m->kind) {
	case MATCH_NONE:
		snprintf(buf, len, "not jailed: no jail names user '%s' or its groups",
			 u->name);
		break;
	case MATCH_EXEMPT_USER:
		snprintf(buf, len, "exempt: '%s' is in settings.exempt_users", u->name);
		break;
	case MATCH_EXEMPT_GROUP:
		snprintf(buf, len, "exempt: group '%s' is in settings.exempt_groups",
			 m->group);
		break;
	case MATCH_USER:
		snprintf(buf, len, "jail '%s' (%s:%d): matched by user '%s'%s%s",
			 m->jail->name, m->jail->file, m->jail->line, u->name,
			 m->key ? " and ssh key " : "", m->key ? m->key : "");
		break;
	case MATCH_GROUP:
		snprintf(buf, len, "jail '%s' (%s:%d): matched by group '%s'%s%s",
			 m->jail->name, m->jail->file, m->jail->line, m->group,
			 m->key ? " and ssh key " : "", m->key ? m->key : "");
		break;
	case MATCH_INCOMPLETE:
		snprintf(buf, len, "refused: settings.include_dir '%s' cannot be read: "
				   "a jail of its drop-ins could apply", m->group);
		break;
	case MATCH_REFUSED:
		if (m->key_why) {
			snprintf(buf, len, "refused: jail '%s' (%s:%d) names ssh_keys and "
					   "applies to this user, but the login's key is "
					   "unknown: %s", m->jail->name, m->jail->file,
				 m->jail->line, m->key_why);
			break;
		}
		describe_unknown(m, u, why, sizeof(why));
		if (m->jail)
			snprintf(buf, len, "refused: jail '%s' (%s:%d) could apply through "
					   "group '%s', which cannot be resolved: %s",
				 m->jail->name, m->jail->file, m->jail->line, m->group, why);
		else
			snprintf(buf, len, "refused: exempt group '%s' (settings.exempt_groups) "
					   "cannot be resolved: %s",
				 m->group, why);
		break;
	}
}
