/* pam_nsjail: a PAM session module that puts a login into the private mount
 * namespace its policy names. Glue only: the core decides (lib/), the helper
 * builds (helper/), this file joins and reports.
 *
 *   session required pam_nsjail.so [config=FILE] [helper=PATH]
 *                                  [exempt=USER,@GROUP,...] [debug]
 *   session required pam_nsjail.so capture_ssh_key   (first in sshd's stack)
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

#include "breakglass.h"
#include "build.h"
#include "config.h"
#include "match.h"
#include "plan.h"
#include "session.h"
#include "sshkey.h"
#include "enter.h"
#include "joined.h"
#include "leftover.h"
#include "user.h"
#include "util.h"
#include "workers.h"

struct options {
	const char *config;
	const char *helper;
	bool debug;
	struct breakglass exempt; /* exempt=: empty when any was bad */
	const char *bad; /* the first unknown or bad argument */
	char why[400];   /* what is wrong with it, for the log */
};

static void parse_options(int argc, const char **argv, struct options *o)
{
	*o = (struct options){ .config = NSJAIL_CONFIG_PATH, .helper = NSJAIL_HELPER_PATH };
	bool exempt_bad = false;
	for (int i = 0; i < argc; i++) {
		char why[128] = "";
		if (strncmp(argv[i], "config=", 7) == 0 && argv[i][7] == '/') {
			o->config = argv[i] + 7;
			continue;
		} else if (strncmp(argv[i], "helper=", 7) == 0 && argv[i][7] == '/') {
			o->helper = argv[i] + 7;
			continue;
		} else if (strcmp(argv[i], "debug") == 0) {
			o->debug = true;
			continue;
		} else if (strncmp(argv[i], "exempt=", 7) == 0) {
			/* A bad one empties the list (breakglass_parse), and
			 * later ones add nothing: it unlocks nobody. */
			if (exempt_bad)
				snprintf(why, sizeof(why), "after a bad exempt=");
			else if (breakglass_parse(argv[i] + 7, &o->exempt, why,
						  sizeof(why)) == 0)
				continue;
			exempt_bad = true;
		}
		if (!o->bad) {
			o->bad = argv[i];
			snprintf(o->why, sizeof(o->why), why[0] ? "bad module option "
				 "'%s': %s" : "unknown module option '%s'%s", argv[i], why);
		}
	}
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

/* ---------------------------------------------------------- ssh keys
 * sshd sets SSH_AUTH_INFO_0 in the PAM environment right before
 * pam_open_session (OpenSSH auth-pam.c, do_pam_session). In the account
 * phase it is still empty for a one-method login (monitor.c records the
 * method after pam_acct_mgmt; seen with Debian 12's sshd 9.2p1), and
 * inside the session stack pam_env user_readenv=1 lets the user's
 * ~/.pam_environment replace it. So a line of its own, first in sshd's
 * session stack, copies it into module data, where no other module and
 * no user file reaches; the building line reads only that copy. */
#define SSH_AUTH_DATA "pam_nsjail.ssh_auth_info"

static void free_data(pam_handle_t *pamh, void *data, int error_status)
{
	(void)pamh;
	(void)error_status;
	free(data);
}

/* capture_ssh_key: records the value once per handle (a second capture
 * line, later in the stack, may already see a forged one) and decides
 * nothing. */
static int capture_ssh_key(pam_handle_t *pamh)
{
	const void *had = NULL;
	if (pam_get_data(pamh, SSH_AUTH_DATA, &had) == PAM_SUCCESS)
		return PAM_IGNORE;
	const char *v = pam_getenv(pamh, "SSH_AUTH_INFO_0");
	if (!v)
		return PAM_IGNORE; /* not an sshd login */
	char *copy = strdup(v);
	if (!copy || pam_set_data(pamh, SSH_AUTH_DATA, copy, free_data) != PAM_SUCCESS) {
		free(copy);
		/* Nothing captured: a jail with ssh_keys refuses the login. */
		pam_syslog(pamh, LOG_ERR, "capture_ssh_key: cannot keep SSH_AUTH_INFO_0 "
			   "(out of memory)");
	}
	return PAM_IGNORE;
}

/* What the capture line recorded on this handle, parsed; false when it
 * recorded nothing (then matching treats the key as unknown). */
static bool ssh_auth_get(pam_handle_t *pamh, struct ssh_auth *a)
{
	const void *v = NULL;
	if (pam_get_data(pamh, SSH_AUTH_DATA, &v) != PAM_SUCCESS || !v)
		return false;
	ssh_auth_parse(v, a);
	return true;
}

/* The capture line: "capture_ssh_key" among the arguments. It records
 * and decides nothing else (no config, no user look-up). */
static bool capture_line(int argc, const char **argv)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], "capture_ssh_key") == 0)
			return true;
	return false;
}

struct session {
	const struct options *o;
	const char *user;
	const char *service;
	const char *rhost; /* PAM_RHOST, PAM_TTY: "-" when unset */
	const char *tty;
	/* From the local files first (breakglass.h), only when needed: a
	 * directory user costs a search. */
	bool looked_up;
	bool known;        /* uid, gid are set */
	uid_t uid;
	gid_t gid;
	bool breakglass;   /* in the PAM line's exempt= */
	char cause[512];   /* why the policy cannot be (fully) used */
	struct policy *policy;
	struct user_info u;
	struct plan plan;
	struct diags d;
	struct timespec t0;
	struct ssh_auth auth; /* how sshd authenticated the login (ssh_auth_get) */
	bool auth_captured;
	const char *key;      /* for the log line: key_of, NULL: none */
	int over_limit; /* refused by max_jails_per_user: her live jails */
};

static void session_free(struct session *s)
{
	policy_free(s->policy);
	user_info_free(&s->u);
	plan_free(&s->plan);
	diags_free(&s->d);
}

/* For the log line: the key that chose the jail, else the login's first,
 * else NULL (no key= field). */
static const char *key_of(const struct session *s, const struct match *m)
{
	if (m->key)
		return m->key;
	return s->auth_captured && s->auth.known && s->auth.nkeys ? s->auth.keys[0] : NULL;
}

static void account_once(struct session *s)
{
	if (!s->looked_up)
		s->known = account_lookup(BREAKGLASS_PASSWD, s->user, &s->uid,
					  &s->gid) == 0;
	s->looked_up = true;
}

/* In the PAM line's exempt=: by name, or (with a look-up) by group. */
static bool in_breakglass(struct session *s)
{
	const struct breakglass *b = &s->o->exempt;
	if (strlist_contains(&b->users, s->user))
		return true;
	if (!b->groups.n)
		return false;
	account_once(s);
	return breakglass_has(b, BREAKGLASS_GROUP, s->user, s->known, s->gid);
}

/* The policy cannot be used (s->cause): fail closed, except for uid 0 (by
 * uid: an alias such as toor too, an account merely named root not) and
 * the PAM line's exempt= accounts, so a bad push never locks out the
 * administrators. Each one let in is logged at LOG_CRIT: someone is on
 * the host unjailed while the policy is broken. */
static int config_failed(pam_handle_t *pamh, struct session *s)
{
	account_once(s);
	if (s->breakglass || (s->known && s->uid == 0)) {
		pam_syslog(pamh, LOG_CRIT, "user=%s service=%s: configuration unusable "
			   "(%s); break-glass: letting %s (uid %u) in unjailed",
			   s->user, s->service, s->cause, s->user, (unsigned)s->uid);
		return PAM_IGNORE;
	}
	pam_syslog(pamh, LOG_ERR, "user=%s service=%s: configuration unusable (%s); "
		   "denying the session", s->user, s->service, s->cause);
	return PAM_SESSION_ERR;
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
		   "mounts=%zu%s time=%.1fms%s%s", s->user, s->service, s->rhost,
		   s->tty, s->plan.jail, s->plan.n, jail_entry_how(&je),
		   ms_since(&s->t0), s->key ? " key=" : "", s->key ? s->key : "");
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
	/* For a later open_session in this same process (joined.h). The
	 * session itself is whole without it: a failure is logged only. */
	char mark[400];
	snprintf(mark, sizeof(mark), "%s's jail '%s'", s->user, s->plan.jail);
	if (jail_joined_mark(mark, &e) < 0)
		pam_syslog(pamh, LOG_WARNING, "user=%s service=%s jail=%s: %s", s->user,
			   s->service, s->plan.jail, nsj_error_text(&e));
	return PAM_SUCCESS;
}

static int open_session(pam_handle_t *pamh, struct session *s)
{
	/* This process moved into a jail for an earlier session on another
	 * handle: a login process never opens a second session, a worker
	 * that serves several logins does (joined.h). Whoever this login is
	 * for, it would be opened inside that jail: refused, before any
	 * exemption (root's session there would be the user's to tamper
	 * with too). */
	char had[400];
	if (jail_joined(had, sizeof(had))) {
		pam_syslog(pamh, LOG_ERR, "user=%s service=%s: this process (pid %d) "
			   "joined %s for an earlier session: it serves more than one "
			   "login, which a login process never does; refusing to open "
			   "another session inside that jail", s->user, s->service,
			   (int)getpid(), had);
		return PAM_SESSION_ERR;
	}
	s->breakglass = in_breakglass(s);
	if (s->o->bad) {
		snprintf(s->cause, sizeof(s->cause), "%s", s->o->why);
		pam_syslog(pamh, LOG_ERR, "%s", s->cause);
		return config_failed(pamh, s);
	}
	/* partial: with only include_dir unreadable the file's exempt lists
	 * and first jails still hold; what a drop-in could decide is refused
	 * below (MATCH_INCOMPLETE). */
	if (config_load(s->o->config, &(struct config_opts){ .partial = true },
			&s->policy, &s->d) < 0) {
		log_diags(pamh, &s->d);
		diags_first_error(&s->d, s->cause, sizeof(s->cause));
		if (!s->policy)
			return config_failed(pamh, s);
		diags_free(&s->d); /* logged once; later errors are logged anew */
	}
	/* Exempt by the PAM line, as exempt_users are by the file. */
	if (s->breakglass && s->cause[0])
		return config_failed(pamh, s);
	if (s->breakglass) {
		if (s->o->debug)
			pam_syslog(pamh, LOG_DEBUG, "user=%s service=%s: exempt: "
				   "in the PAM line's exempt=", s->user, s->service);
		return PAM_IGNORE;
	}
	if (user_lookup_passwd(s->user, &s->u, &s->d) < 0) {
		log_diags(pamh, &s->d);
		diags_first_error(&s->d, s->cause, sizeof(s->cause));
		return config_failed(pamh, s);
	}

	/* The caller's terminal (login's, su's) goes into the plan as it is
	 * compiled and validated: what the helper gets is what explain
	 * --tty shows. */
	struct match m;
	char tty[64];
	const char *terminal = session_terminal(STDIN_FILENO, tty, sizeof(tty));
	const struct ssh_auth *auth = s->auth_captured ? &s->auth : NULL;
	if (session_plan_auth(s->policy, &s->u, s->service, terminal, auth, &m, &s->plan, &s->d) < 0) {
		log_diags(pamh, &s->d);
		return m.kind == MATCH_INCOMPLETE ? config_failed(pamh, s)
						  : PAM_SESSION_ERR;
	}
	if (s->o->debug) {
		char why[512];
		match_describe(&m, &s->u, why, sizeof(why));
		pam_syslog(pamh, LOG_DEBUG, "user=%s service=%s: %s", s->user,
			   s->service, why);
	}
	if (!m.jail)
		return PAM_IGNORE;
	s->key = key_of(s, &m);
	/* A service known to open sessions in a long-lived worker that goes
	 * on serving other users (workers.h): joining would move the worker
	 * into this user's jail and serve the next logins from there, and
	 * the user's own session, a child of another process, would not be
	 * jailed anyway. Refused before anything is built. */
	const char *worker = shared_worker(s->service);
	if (worker) {
		pam_syslog(pamh, LOG_ERR, "user=%s service=%s jail=%s: %s; refusing "
			   "to move that process into the jail", s->user, s->service,
			   s->plan.jail, worker);
		return PAM_SESSION_ERR;
	}
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

/* Whether PAM_TTY names a terminal: "/dev/pts/3", "pts/3", "tty1",
 * "console" (login, su on a terminal). sshd sets "ssh" for every session:
 * it opens the session right after authentication, before the client asks
 * for a pty or a command, and prints a refused session's conversation text
 * into the channel, where sftp, scp and rsync read it as protocol ("Received
 * message too long"). cron sets "cron"; a display manager ":0". */
static bool tty_is_terminal(const char *tty)
{
	return strncmp(tty, "/dev/", 5) == 0 || strncmp(tty, "tty", 3) == 0 ||
	       strncmp(tty, "pts/", 4) == 0 || strncmp(tty, "hvc", 3) == 0 ||
	       strcmp(tty, "console") == 0;
}

/* One line for the refused user where there is a terminal to tell (su or
 * login on a tty): no internals, they are in syslog. Elsewhere the caller's
 * own failure is all the user sees (su: "cannot open session"; ssh: the
 * connection closes with status 254). */
static void tell_refused(pam_handle_t *pamh, int flags, const struct session *s)
{
	pam_syslog(pamh, LOG_ERR, "user=%s service=%s rhost=%s tty=%s: session refused",
		   s->user, s->service, s->rhost, s->tty);
	if ((flags & PAM_SILENT) || !tty_is_terminal(s->tty))
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
	if (capture_line(argc, argv))
		return capture_ssh_key(pamh);
	struct session s = { 0 };
	clock_gettime(CLOCK_MONOTONIC, &s.t0);

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

	struct options o;
	parse_options(argc, argv, &o);
	s.o = &o;
	s.user = user;
	s.service = service;
	s.rhost = item_or_dash(pamh, PAM_RHOST);
	s.tty = item_or_dash(pamh, PAM_TTY);
	s.auth_captured = ssh_auth_get(pamh, &s.auth);
	int r = open_session(pamh, &s);
	r = opened_set(pamh, r, s.plan.jail ? s.plan.jail : "", s.u.uid);
	if (r == PAM_SESSION_ERR)
		tell_refused(pamh, flags, &s);
	session_free(&s);
	breakglass_free(&o.exempt);
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
	if (capture_line(argc, argv))
		return PAM_IGNORE;
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
