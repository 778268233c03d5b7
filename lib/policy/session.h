/* From (policy, user, service) to the plan a login gets: the one path the
 * module and nsjailctl share, so `explain` shows exactly what a login gets. */
#ifndef NSJAIL_SESSION_H
#define NSJAIL_SESSION_H

#include "config.h"
#include "diag.h"
#include "match.h"
#include "compile.h"
#include "user.h"

/* Matches u and, when a jail applies, compiles its plan into *plan (host
 * links are read only for a tmpfs root; the tty gid comes from NSS, 5 when
 * it has none; terminal is the login's, or NULL: compile_env). u's groups
 * are loaded only when the policy names a group or the matched jail's plan
 * uses them (%g, a root jail's /etc/group): a login in a policy of user
 * names and plain paths costs no group look-up.
 * Returns 0 with *m set (m->jail NULL: not jailed, *plan empty), or -1 with
 * the errors in d. Read-only syscalls only. */
int session_plan(const struct policy *p, struct user_info *u,
		 const char *service, const char *terminal, struct match *m,
		 struct plan *plan, struct diags *d);

/* session_plan for a login that authenticated as auth says
 * (policy_match_auth; session_plan passes NULL: nothing captured). */
int session_plan_auth(const struct policy *p, struct user_info *u,
		      const char *service, const char *terminal,
		      const struct ssh_auth *auth, struct match *m,
		      struct plan *plan, struct diags *d);

/* The login's terminal for session_plan: fd's name in buf when fd is a
 * terminal a root jail can show (a pty of the host's devpts, a console, a
 * serial line: login's, or the one a plain su runs in), else NULL.
 * Read-only syscalls only. */
const char *session_terminal(int fd, char *buf, size_t len);

#endif
