/* Which jail, if any, applies to a (user, groups, service). Pure: the
 * groups the policy names are resolved beforehand (user_resolve_group). */
#ifndef NSJAIL_MATCH_H
#define NSJAIL_MATCH_H

#include "config.h"
#include "sshkey.h"
#include "user.h"

enum match_kind {
	MATCH_NONE,         /* no jail names this user: not jailed */
	MATCH_EXEMPT_USER,  /* settings.exempt_users */
	MATCH_EXEMPT_GROUP, /* settings.exempt_groups */
	MATCH_USER,         /* jail.users names the user */
	MATCH_GROUP,        /* jail.groups names one of the user's groups */
	MATCH_REFUSED,      /* the answer rests on a group NSS could not give */
	MATCH_INCOMPLETE,   /* a drop-in's jail could apply: include_dir unread */
};

struct match {
	enum match_kind kind;
	/* MATCH_USER, MATCH_GROUP; MATCH_REFUSED: the jail that could apply
	 * through the unknown group (NULL: the unknown is an exempt group) */
	const struct jail *jail;
	/* the group that matched, exempted or is unknown (its name, without
	 * an optional entry's '-'); MATCH_INCOMPLETE: the unread include_dir */
	const char *group;
	const struct group_ref *ref; /* MATCH_REFUSED: what NSS said of it */
	/* Some group was found without the user in it: the answer holds only
	 * if the user's gid list is complete (user_probe_list). */
	bool rests_on_absence;
	/* MATCH_USER, MATCH_GROUP of a jail with ssh_keys: the login's key it
	 * lists (points into the struct ssh_auth given). MATCH_REFUSED with
	 * key_why set: such a jail applies to the user but the login's key is
	 * unknown, for this reason. */
	const char *key;
	const char *key_why;
};

/* Membership compares gids: the user's primary gid and getgrouplist's, and
 * the group's own member list. A group the policy names is unknown when
 * getgrnam_r failed, when NSS has no such group (nscd answers so when it
 * cannot reach the directory), or when it was found without the user while
 * u->list_err says the list may lack a source. In policy order, an unknown
 * group that could change the answer refuses the session (MATCH_REFUSED):
 * a user is never let in unjailed, nor into another jail, because a
 * look-up failed. Users in exempt_users, and uid 0 (its groups are local),
 * are never refused. An optional entry ("-name") whose group NSS says does
 * not exist matches nobody (a failed look-up of it is still unknown).
 * With p->include_unread, a session that no jail of the main file decides
 * is MATCH_INCOMPLETE: any drop-in could have jailed it. */
struct match policy_match(const struct policy *p, const struct user_info *u,
			  const char *service);

/* The PAM service whose logins jails with ssh_keys can match. */
#define SSH_KEYS_SERVICE "sshd"

/* policy_match, for a login that authenticated as auth says (NULL:
 * nothing was captured; policy_match passes NULL). A jail with ssh_keys
 * is passed over for every service but sshd, and for an sshd login none
 * of whose keys it lists (password logins have none): the later entries
 * decide, as for a user the jail does not name. When it applies to the
 * user and auth is NULL or not known, the session is refused
 * (MATCH_REFUSED, key_why): an unknown key never picks a looser jail. */
struct match policy_match_auth(const struct policy *p, const struct user_info *u,
			       const char *service, const struct ssh_auth *auth);

/* "matched by user carol", "matched by group contractors", "exempt ...",
 * "no jail matches", "refused: group ... cannot be resolved: ...": for
 * explain and syslog. */
void match_describe(const struct match *m, const struct user_info *u,
		    char *buf, size_t len);

#endif
