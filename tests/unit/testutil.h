/* Shared fixtures for the core's unit tests: a user without NSS and a
 * policy parsed from a string. */
#ifndef NSJAIL_TESTUTIL_H
#define NSJAIL_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "user.h"

/* A user with a primary group and supplementary groups given as
 * "name:gid" strings; the primary group is "pgroup:gid". */
static inline struct user_info fake_user(const char *name, unsigned uid,
					 const char *home, const char *pgroup,
					 unsigned pgid, size_t nsupp,
					 const char *const *supp)
{
	struct user_info u = { 0 };
	u.name = strdup(name);
	u.uid = uid;
	u.gid = pgid;
	u.group = pgroup ? strdup(pgroup) : NULL;
	u.home = strdup(home);
	u.shell = strdup("/bin/sh");
	u.gids_loaded = true;
	u.groups_loaded = true;
	u.ngroups = 1 + nsupp;
	u.gids = calloc(u.ngroups, sizeof(gid_t));
	u.group_names = calloc(u.ngroups, sizeof(char *));
	u.gids[0] = pgid;
	u.group_names[0] = pgroup ? strdup(pgroup) : NULL;
	for (size_t i = 0; i < nsupp; i++) {
		const char *colon = strchr(supp[i], ':');
		u.group_names[i + 1] = strndup(supp[i], (size_t)(colon - supp[i]));
		u.gids[i + 1] = (gid_t)atoi(colon + 1);
	}
	return u;
}

/* What NSS said of a group the policy names, as user_resolve_group
 * records it. */
static inline void fake_ref(struct user_info *u, const char *name,
			    enum group_state state, int err, unsigned gid,
			    bool lists_user)
{
	u->refs = realloc(u->refs, (u->nrefs + 1) * sizeof(*u->refs));
	u->refs[u->nrefs++] = (struct group_ref){ strdup(name), state, err,
						  (gid_t)gid, lists_user };
}

/* Parses text as the main file "test.conf"; fails the test on errors. */
static inline struct policy *parse_ok(const char *text)
{
	struct diags d = { 0 };
	struct policy *p = policy_new("test.conf");
	assert_non_null(p);
	config_parse_buffer("test.conf", text, false, p, &d);
	for (size_t i = 0; i < d.n; i++) {
		char buf[1024];
		diag_format(&d.v[i], buf, sizeof(buf));
		print_message("%s\n", buf);
	}
	assert_int_equal(d.nerrors, 0);
	diags_free(&d);
	return p;
}

#endif
