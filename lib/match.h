/* Which jail, if any, applies to a (user, groups, service). Pure. */
#ifndef NSJAIL_MATCH_H
#define NSJAIL_MATCH_H

#include "config.h"
#include "user.h"

enum match_kind {
	MATCH_NONE,         /* no jail names this user: not jailed */
	MATCH_EXEMPT_USER,  /* settings.exempt_users */
	MATCH_EXEMPT_GROUP, /* settings.exempt_groups */
	MATCH_USER,         /* jail.users names the user */
	MATCH_GROUP,        /* jail.groups names one of the user's groups */
};

struct match {
	enum match_kind kind;
	const struct jail *jail; /* set for MATCH_USER and MATCH_GROUP */
	const char *group;       /* the group that matched or exempted */
};

struct match policy_match(const struct policy *p, const struct user_info *u,
			  const char *service);

/* "matched by user carol", "matched by group contractors", "exempt ...",
 * "no jail matches": for explain and syslog. */
void match_describe(const struct match *m, const struct user_info *u,
		    char *buf, size_t len);

#endif
