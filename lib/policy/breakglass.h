/* The PAM line's break-glass list, exempt=USER,@GROUP,...: read before the
 * config file and resolved from the local files first (/etc/passwd,
 * /etc/group, then NSS), so neither a broken policy nor a directory outage
 * keeps these accounts out. */
#ifndef NSJAIL_BREAKGLASS_H
#define NSJAIL_BREAKGLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "strlist.h"

#define BREAKGLASS_PASSWD "/etc/passwd"
#define BREAKGLASS_GROUP "/etc/group"

struct breakglass {
	struct strlist users;
	struct strlist groups; /* without the '@' */
};

/* Adds the items of value ("erin,@ops") to b. An empty item or a bad name
 * (control characters, '/', an empty group after '@') is refused: returns
 * -1 with the reason in why and b emptied, so a bad argument unlocks
 * nobody. 0 otherwise. */
int breakglass_parse(const char *value, struct breakglass *b, char *why,
		     size_t len);

/* name's uid and primary gid from passwd (fgetpwent), else from NSS.
 * 0, or -1 when neither knows the name. */
int account_lookup(const char *passwd, const char *name, uid_t *uid,
		   gid_t *gid);

/* Whether user is in b: named, or in one of its groups. A group is looked
 * up in group (fgetgrent), else NSS; its members are its member list and,
 * when has_gid, the accounts whose primary group it is. */
bool breakglass_has(const struct breakglass *b, const char *group,
		    const char *user, bool has_gid, gid_t gid);

void breakglass_free(struct breakglass *b);

#endif
