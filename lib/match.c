#include "match.h"

#include <stdio.h>
#include <string.h>

/* The first of the user's group names listed in l, or NULL. */
static const char *group_in(const struct strlist *l, const struct user_info *u)
{
	for (size_t i = 0; i < u->ngroups; i++)
		if (u->group_names[i] && strlist_contains(l, u->group_names[i]))
			return u->group_names[i];
	return NULL;
}

struct match policy_match(const struct policy *p, const struct user_info *u,
			  const char *service)
{
	const char *g;

	if (strlist_contains(&p->exempt_users, u->name))
		return (struct match){ MATCH_EXEMPT_USER, NULL, NULL };
	if ((g = group_in(&p->exempt_groups, u)))
		return (struct match){ MATCH_EXEMPT_GROUP, NULL, g };

	for (size_t i = 0; i < p->njails; i++) {
		const struct jail *j = &p->jails[i];
		if (j->has_services &&
		    (!service || !strlist_contains(&j->services, service)))
			continue;
		if (strlist_contains(&j->users, u->name))
			return (struct match){ MATCH_USER, j, NULL };
		if ((g = group_in(&j->groups, u)))
			return (struct match){ MATCH_GROUP, j, g };
	}
	return (struct match){ MATCH_NONE, NULL, NULL };
}

void match_describe(const struct match *m, const struct user_info *u,
		    char *buf, size_t len)
{
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
		snprintf(buf, len, "jail '%s' (%s:%d): matched by user '%s'",
			 m->jail->name, m->jail->file, m->jail->line, u->name);
		break;
	case MATCH_GROUP:
		snprintf(buf, len, "jail '%s' (%s:%d): matched by group '%s'",
			 m->jail->name, m->jail->file, m->jail->line, m->group);
		break;
	}
}
