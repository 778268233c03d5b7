/* pam_nsjail: a PAM session module that puts a login into the private mount
 * namespace its policy names. Glue only: the core decides (lib/), the helper
 * builds (helper/), this file joins and reports.
 *
 *   session required pam_nsjail.so [config=FILE] [helper=PATH] [debug]
 *
 * It belongs last among the session modules: pam_unix, pam_limits,
 * pam_loginuid, pam_systemd and friends must act in the host namespace, and
 * after this module returns the caller (sshd's monitor, su's parent) lives in
 * the jail. */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "build.h"
#include "config.h"
#include "match.h"
#include "plan.h"
#include "session.h"
#include "enter.h"
#include "leftover.h"
#include "user.h"
#include "util.h"

struct options {
	const char *config;
	const char *helper;
	bool debug;
	const char *bad; /* the first unknown argument */
};

static struct options parse_options(int argc, const char **argv)
{
	struct options o = { NSJAIL_CONFIG_PATH, NSJAIL_HELPER_PATH, false, NULL };
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "config=", 7) == 0 && argv[i][7] == '/')
			o.config = argv[i] + 7;
		else if (strncmp(argv[i], "helper=", 7) == 0 && argv[i][7] == '/')
			o.helper = argv[i] + 7;
		else if (strcmp(argv[i], "debug") == 0)
			o.debug = true;
		else if (!o.bad)
			o.bad = argv[i];
	}
	return o;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Logs every error of d, each with its FILE:LINE. */
static void log_diags(pam_handle_t *pamh, const struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		char line[1200];
		diag_format(&d->v[i], line, sizeof(line));
		pam_syslog(pamh, d->v[i].level == DIAG_ERROR ? LOG_ERR : LOG_WARNING,
			   "%s", line);
	}
}

/* The config could not be used: fail closed, except for the default exempt
 * user, so a broken file never locks root out. */
static int config_failed(pam_handle_t *pamh, const char *user)
{
	if (strcmp(user, "root") == 0) {
		pam_syslog(pamh, LOG_WARNING,
			   "configuration unusable; letting root in unjailed");
		return PAM_IGNORE;
	}
	pam_syslog(pamh, LOG_ERR, "configuration unusable; denying session of '%s'",
		   user);
	return PAM_SESSION_ERR;
}

struct session {
	const struct options *o;
	const char *user;
	const char *service;
	const char *rhost; /* PAM_RHOST, PAM_TTY: "-" when unset */
	const char *tty;
	struct policy *policy;
	struct user_info u;
	struct plan plan;
	struct diags d;
	struct timespec t0;
	int over_limit; /* refused by max_jails_per_user: her live jails */
};

static void session_free(struct session *s)
{
	policy_free(s->policy);
	user_info_free(&s->u);
	plan_free(&s->plan);
	diags_free(&s->d);
}

/* The one report of a failure to build or join s's jail: e's text as it
 * is (nsj_error.h: the errno is in it once already). PAM_SESSION_ERR. */
static int report(pam_handle_t *pamh, const struct session *s,
		  const struct nsj_error *e)
{
	pam_syslog(pamh, LOG_ERR, "user=%s service=%s jail=%s: %s", s->user,
		   s->service, s->plan.jail, nsj_error_text(e));
	return PAM_SESSION_ERR;
}

/* Builds the jail of s->plan, or with shared = true joins the user's live
 * one (enter.h), and moves the caller into it. Any failure refuses the
 * session: never unjailed, never a jail that is not proven ours. */
static int join_jail(pam_handle_t *pamh, struct session *s)
{
	struct nsj_error e = { 0 };
	struct jail_entry je;
	if (jail_entry_open(&je, s->o->helper, &s->plan, s->u.uid,
			    s->policy->max_jails_per_user, &e) < 0) {
		s->over_limit = je.over_limit;
		return report(pamh, s, &e);
	}
	/* Logged before setns: inside a root jail there is no /dev/log, and a
	 * failing setns (caller still on the host) is logged right after. */
	pam_syslog(pamh, LOG_INFO, "user=%s service=%s rhost=%s tty=%s jail=%s "
		   "mounts=%zu%s time=%.1fms", s->user, s->service, s->rhost, s->tty,
		   s->plan.jail, s->plan.n, jail_entry_how(&je), ms_since(&s->t0));
	/* After pivot_root in the helper, setns also resets our root and cwd
	 * to the jail's root: no chroot() here. With private_pids we stay
	 * outside the PID namespace; the children we fork next (sshd's
	 * session child, su's shell) are born in it. A shared jail built is
	 * registered once we are in it (the keeper counts us); the registry
	 * fd works from inside the jail. */
	int r = jail_join(&je.ns, &e);
	if (r == 0)
		r = jail_entry_register(&je, s->user, s->plan.jail, &e);
	jail_entry_close(&je);
	if (r < 0)
		return report(pamh, s, &e);
	return PAM_SUCCESS;
}

static int open_session(pam_handle_t *pamh, struct session *s)
{
	if (config_load(s->o->config, &(struct config_opts){ 0 }, &s->policy,
			&s->d) < 0) {
		log_diags(pamh, &s->d);
		return config_failed(pamh, s->user);
	}
	if (s->o->bad) {
		pam_syslog(pamh, LOG_ERR, "unknown module option '%s'", s->o->bad);
		return config_failed(pamh, s->user);
	}
	if (user_lookup_passwd(s->user, &s->u, &s->d) < 0) {
		log_diags(pamh, &s->d);
		return config_failed(pamh, s->user);
	}

	/* The caller's terminal (login's, su's) goes into the plan as it is
	 * compiled and validated: what the helper gets is what explain
	 * --tty shows. */
	struct match m;
	char tty[64];
	const char *terminal = session_terminal(STDIN_FILENO, tty, sizeof(tty));
	if (session_plan(s->policy, &s->u, s->service, terminal, &m, &s->plan, &s->d) < 0) {
		log_diags(pamh, &s->d);
		return PAM_SESSION_ERR;
	}
	if (s->o->debug) {
		char why[512];
		match_describe(&m, &s->u, why, sizeof(why));
		pam_syslog(pamh, LOG_DEBUG, "user=%s service=%s: %s", s->user,
			   s->service, why);
	}
	if (!m.jail)
		return PAM_IGNORE;
	/* systemd's user@.service (PAM service systemd-user) runs the user
	 * manager in the very process that opens the session, never in a
	 * child: with private_pids it would live outside the session's PID
	 * namespace, under a /proc that does not show it. Refused, with the
	 * reason, before anything is built (it never runs unjailed). */
	if (strcmp(s->service, "systemd-user") == 0 && plan_has(&s->plan, STEP_PIDS)) {
		pam_syslog(pamh, LOG_ERR, "user=%s service=%s jail=%s: %s: "
			   "the user manager would run outside the session's PID "
			   "namespace; refusing it", s->user, s->service, s->plan.jail,
			   (s->plan.isolate & PLAN_ISO_SHARED) ? "shared (a PID namespace of its own)"
							       : "private_pids");
		return PAM_SESSION_ERR;
	}
	return join_jail(pamh, s);
}

/* One build per PAM handle (SPEC §3a). A stack can run this module twice
 * (su-l includes su; pamtester open_session open_session): a second build
 * would read the config, the helper and the bind sources through the first
 * jail's view and nest a jail in it. The first open that decided (jailed:
 * PAM_SUCCESS, or not jailed: PAM_IGNORE) marks the handle with its result;
 * later opens on it return that result and build nothing. A failed open
 * marks nothing: the caller is where it was, and another try decides
 * afresh (and fails closed the same way). */
#define OPENED_DATA "pam_nsjail.opened"

struct opened {
	int rc;       /* PAM_SUCCESS or PAM_IGNORE */
	uid_t uid;    /* the user's (jailed: PAM_SUCCESS) */
	char jail[];  /* the jail's name, "" if none */
};

/* Frees only, whatever error_status says: nothing to undo (the namespace
 * dies with its last process) and nothing to print, which also honours
 * PAM_DATA_SILENT (su's child calls pam_end before exec). */
static void opened_cleanup(pam_handle_t *pamh, void *data, int error_status)
{
	(void)pamh;
	(void)error_status;
	free(data);
}

static const struct opened *opened_get(pam_handle_t *pamh)
{
	const void *d = NULL;
	if (pam_get_data(pamh, OPENED_DATA, &d) != PAM_SUCCESS)
		return NULL;
	return d;
}

/* Marks the handle with the open's result r; returns r, or
 * PAM_SESSION_ERR when the mark cannot be kept (a later open would nest a
 * jail: refuse rather than risk it). */
static int opened_set(pam_handle_t *pamh, int r, const char *jail, uid_t uid)
{
	if (r != PAM_SUCCESS && r != PAM_IGNORE)
		return r;
	size_t n = strlen(jail) + 1;
	struct opened *o = malloc(sizeof(*o) + n);
	if (o) {
		o->rc = r;
		o->uid = uid;
		memcpy(o->jail, jail, n);
	}
	if (!o || pam_set_data(pamh, OPENED_DATA, o, opened_cleanup) != PAM_SUCCESS) {
		free(o);
		pam_syslog(pamh, LOG_ERR, "cannot mark the PAM handle as opened "
			   "(out of memory); refusing the session");
		return PAM_SESSION_ERR;
	}
	return r;
}

/* A PAM item for a log line: "-" when unset or empty. */
static const char *item_or_dash(pam_handle_t *pamh, int item)
{
	const void *v = NULL;
	if (pam_get_item(pamh, item, &v) != PAM_SUCCESS || !v || !*(const char *)v)
		return "-";
	return v;
}

/* One line for the refused user, through the application's conversation
 * (sshd prints it before closing, su on its terminal): no internals, they
 * are in syslog. */
static void tell_refused(pam_handle_t *pamh, int flags, const struct session *s)
{
	pam_syslog(pamh, LOG_ERR, "user=%s service=%s rhost=%s tty=%s: session refused",
		   s->user, s->service, s->rhost, s->tty);
	if (flags & PAM_SILENT)
		return;
	/* The one refusal the user can act on herself. */
	if (s->over_limit)
		pam_error(pamh, "your session could not be set up: %d sessions' jails of "
			  "yours are still alive, kept by processes left behind (the "
			  "limit is %u); end them and log in again", s->over_limit,
			  s->policy->max_jails_per_user);
	else
		pam_error(pamh, "your session could not be set up; "
			  "the administrator has the details");
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
				   const char **argv)
{
	struct session s = { 0 };
	clock_gettime(CLOCK_MONOTONIC, &s.t0);

	struct options o = parse_options(argc, argv);
	const char *user = NULL, *service = NULL;
	if (pam_get_item(pamh, PAM_USER, (const void **)&user) != PAM_SUCCESS ||
	    !user || !user[0]) {
		pam_syslog(pamh, LOG_ERR, "no user name");
		return PAM_SESSION_ERR;
	}
	if (pam_get_item(pamh, PAM_SERVICE, (const void **)&service) != PAM_SUCCESS ||
	    !service)
		service = "";

	const struct opened *done = opened_get(pamh);
	if (done) {
		pam_syslog(pamh, LOG_INFO, "user=%s service=%s: already opened on "
			   "this handle (%s%s): building nothing", user, service,
			   done->rc == PAM_SUCCESS ? "jail=" : "not jailed",
			   done->rc == PAM_SUCCESS ? done->jail : "");
		return done->rc;
	}

	s.o = &o;
	s.user = user;
	s.service = service;
	s.rhost = item_or_dash(pamh, PAM_RHOST);
	s.tty = item_or_dash(pamh, PAM_TTY);
	int r = open_session(pamh, &s);
	r = opened_set(pamh, r, s.plan.jail ? s.plan.jail : "", s.u.uid);
	if (r == PAM_SESSION_ERR)
		tell_refused(pamh, flags, &s);
	session_free(&s);
	return r;
}

/* Nothing to undo: the namespace dies with the session's last process, and
 * sshd and su call this from inside the jail. One thing to end: a jailed
 * session's leftovers that still hold the application's terminal (su's or
 * login's: root's, or the next login's), which could read what is typed
 * there next (leftover.h). The open's result, or PAM_IGNORE when this
 * handle opened nothing. The mark stays: the caller is still in the jail,
 * a reopen must not nest another. */
PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
				    const char **argv)
{
	(void)flags;
	(void)argc;
	(void)argv;
	const struct opened *done = opened_get(pamh);
	struct stat tty;
	if (done && done->rc == PAM_SUCCESS && isatty(STDIN_FILENO) &&
	    fstat(STDIN_FILENO, &tty) == 0 && S_ISCHR(tty.st_mode)) {
		struct nsj_error e = { 0 };
		int n = jail_end_tty_holders(done->uid, tty.st_rdev, &e);
		const char *user = item_or_dash(pamh, PAM_USER);
		const char *service = item_or_dash(pamh, PAM_SERVICE);
		if (n < 0)
			pam_syslog(pamh, LOG_ERR, "user=%s service=%s jail=%s: %s", user,
				   service, done->jail, nsj_error_text(&e));
		else if (n > 0)
			pam_syslog(pamh, LOG_NOTICE, "user=%s service=%s jail=%s: ended %d "
				   "process(es) of the session that still held the terminal",
				   user, service, done->jail, n);
	}
	return done ? done->rc : PAM_IGNORE;
}
