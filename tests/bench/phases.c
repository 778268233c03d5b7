/* phases: where a pam_nsjail session's time goes, step by step, next to
 * the floor. A profiling aid for tests/bench/run.sh --exec=..., not part of
 * the results table.
 *
 *   phases [-n N] -c CONFIG -H HELPER -s SERVICE -u USER -F FLOORHELPER
 *          [-X OTHERHELPER] [-W] [-g GONE] [-r ROFS] [LINE...]
 *
 * Per iteration, in a fresh child (the jail moves it), the module's steps
 * as pam_nsjail/pam_nsjail.c does them, each timed:
 *   config_load, user_lookup_passwd, session_plan (match, groups when the
 *   plan uses them, host links, tty gid,
 *   plan_compile), jail_build_ns (spawn nsjail-helper, send, helper works,
 *   reply), setns;
 * then, in another child, the floor: pam_floor's open_session with the
 * floor-helper request LINEs (pam_floor.c syntax);
 * and the bare cost of starting each helper: spawn it, send a request it
 * refuses at once, wait for its answer (exec + its start-up, no mounts).
 * -X: also time jail_build_ns with another build of the helper (an
 * experiment), interleaved with the rest.
 * And, as the unit of the page-fault counts, what one copy-on-write fault
 * costs in a fresh child on this machine.
 * Medians in microseconds over N iterations (default 100), interleaved. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_modules.h>

#include "sample.h"

#include "build.h"
#include "config.h"
#include "match.h"
#include "plan.h"
#include "session.h"
#include "user.h"

enum { P_CONFIG, P_USER, P_MATCH, P_COMPILE, P_BUILD, P_SETNS, P_TOTAL,
       P_FLOOR, P_NULL_HELPER, P_NULL_FLOOR, P_FLT_CONFIG, P_FLT_USER,
       P_FLT_FLOOR, P_COW, P_BUILD_ALT, P__N };
static const char *const pname[P__N] = {
	"config_load", "user_lookup_passwd", "-", "session_plan (match, groups if used, links, tty gid, compile)",
	"jail_build_ns (spawn+helper+reply)", "setns", "pam_nsjail open (sum)",
	"floor open (pam_floor)", "start nsjail-helper (refused request)",
	"start floor-helper (refused request)",
	"page faults in config_load (count)",
	"page faults in user_lookup_passwd (count)",
	"page faults in the floor's open (count)",
	"one copy-on-write page fault (this machine)",
	"jail_build_ns with the -X helper",
};

static const char *config, *helper, *service, *user, *floor_helper, *alt, *gone,
	*rofs;

/* -g, -r: after its setns each child proves it is in a jail that did its
 * work (sample.h); not timed. */
static int proof(void) { return jail_proof("phases", gone, rofs); }
static int nlines;
static char **lines;

/* The module's open_session, timed step by step (pam_nsjail.c). With
 * ALT set, only jail_build_ns is timed, with that helper instead. */
static int nsjail_child(double *t, const char *alt_helper)
{
	struct policy *p = NULL;
	struct diags d = { 0 };
	struct user_info u = { 0 };
	struct plan plan = { 0 };
	struct nsj_error e = { 0 };
	struct jail_ns ns;
	long f0 = faults();
	double t0 = now_us();
	if (config_load(config, &(struct config_opts){ 0 }, &p, &d) < 0)
		return 1;
	double t1 = now_us();
	long f1 = faults();
	if (user_lookup_passwd(user, &u, &d) < 0)
		return 2;
	double t2 = now_us();
	long f2 = faults();
	double t3 = t2;
	struct match m;
	if (session_plan(p, &u, service, NULL, &m, &plan, &d) < 0)
		return 5;
	if (!m.jail)
		return 3;
	double t4 = now_us();
	if (jail_build_ns(alt_helper ? alt_helper : helper, &plan,
			  NSJAIL_HELPER_TIMEOUT_MS, &ns, &e) < 0) {
		fprintf(stderr, "phases: %s\n", e.msg);
		return 6;
	}
	double t5 = now_us();
	if (jail_join(&ns, &e) < 0)
		return 7;
	double t6 = now_us();
	int r = proof();
	if (r)
		return r;
	if (alt_helper) {
		t[P_BUILD_ALT] = t5 - t4;
		return 0;
	}
	t[P_CONFIG] = t1 - t0, t[P_USER] = t2 - t1, t[P_MATCH] = t3 - t2;
	t[P_COMPILE] = t4 - t3, t[P_BUILD] = t5 - t4, t[P_SETNS] = t6 - t5;
	t[P_TOTAL] = t6 - t0;
	/* +0.001: a count of 0 still reports */
	t[P_FLT_CONFIG] = (double)(f1 - f0) + 0.001;
	t[P_FLT_USER] = (double)(f2 - f1) + 0.001;
	return 0;
}

int pam_sm_open_session(pam_handle_t *, int, int, const char **);

static int floor_child(double *t)
{
	const char **argv = calloc((size_t)nlines + 2, sizeof(char *));
	char h[4200];
	snprintf(h, sizeof(h), "helper=%s", floor_helper);
	argv[0] = h;
	for (int i = 0; i < nlines; i++)
		argv[i + 1] = lines[i];
	long f0 = faults();
	double t0 = now_us();
	int r = pam_sm_open_session(NULL, 0, nlines + 1, argv);
	t[P_FLOOR] = now_us() - t0;
	t[P_FLT_FLOOR] = (double)(faults() - f0) + 0.001;
	return r != PAM_SUCCESS ? 8 : proof();
}

/* What starting PROG costs, until it is reaped (sample.h). */
static int null_start(const char *prog, double *t)
{
	double spawn_us;
	int r = spawn_refused(prog, &spawn_us, t);
	return r ? 8 + r : 0; /* 9-11 */
}

/* What a first write to a page costs in a fresh child here: the unit of the
 * page-fault counts above. 32 pages the parent wrote before forking. */
#define COW_PAGES 32
static char cow_pages[COW_PAGES * 4096];
static int cow(double *t)
{
	double t0 = now_us();
	for (size_t i = 0; i < COW_PAGES; i++)
		((volatile char *)cow_pages)[i * 4096] = 2;
	t[P_COW] = (now_us() - t0) / COW_PAGES;
	return 0;
}

static int nsj(double *t) { return nsjail_child(t, NULL); }
static int nsj_alt(double *t) { return alt ? nsjail_child(t, alt) : 0; }
static int flr(double *t) { return floor_child(t); }
static int nullh(double *t) { return null_start(helper, &t[P_NULL_HELPER]); }
static int nullf(double *t) { return null_start(floor_helper, &t[P_NULL_FLOOR]); }

int main(int argc, char **argv)
{
	int n = 100, ch;
	bool warm = false;
	while ((ch = getopt(argc, argv, "n:c:H:s:u:F:X:Wg:r:")) != -1) {
		switch (ch) {
		case 'n': n = atoi(optarg); break;
		case 'c': config = optarg; break;
		case 'H': helper = optarg; break;
		case 's': service = optarg; break;
		case 'u': user = optarg; break;
		case 'F': floor_helper = optarg; break;
		case 'X': alt = optarg; break;
		case 'W': warm = true; break;
		case 'g': gone = optarg; break;
		case 'r': rofs = optarg; break;
		default: return 2;
		}
	}
	if (!config || !helper || !service || !user || !floor_helper || n < 1) {
		fprintf(stderr, "usage: phases [-n N] -c CONFIG -H HELPER -s SERVICE -u USER "
				"-F FLOORHELPER [LINE...]\n");
		return 2;
	}
	lines = argv + optind;
	nlines = argc - optind;
	/* -W: run the module's steps once here first, so every child starts
	 * with libconfig bound, the heap grown and NSS loaded (what is left
	 * is the steady-state cost); without it a child pays first use. */
	if (warm) {
		struct policy *p = NULL;
		struct diags d = { 0 };
		struct user_info u = { 0 };
		if (config_load(config, &(struct config_opts){ 0 }, &p, &d) == 0 &&
		    user_lookup(user, &u, &d) == 0) {
			struct match m;
			struct plan plan = { 0 };
			if (session_plan(p, &u, service, NULL, &m, &plan, &d) == 0)
				plan_free(&plan);
		}
		user_info_free(&u);
		policy_free(p);
		diags_free(&d);
	}
	/* as the PAM application would have: NSS loaded */
	struct passwd *pw = getpwnam(user);
	gid_t g[64];
	int ng = 64;
	if (pw)
		getgrouplist(user, pw->pw_gid, g, &ng);

	double *v[P__N];
	for (int i = 0; i < P__N; i++)
		v[i] = calloc((size_t)n, sizeof(double));
	memset(cow_pages, 1, sizeof(cow_pages));
	int (*fns[])(double *) = { nsj, flr, nullh, nullf, cow, nsj_alt };
	int nf = alt ? 6 : 5;
	for (int it = -3; it < n; it++)
		for (int k = 0; k < nf; k++) {
			double t[P__N] = { 0 };
			if (in_child(fns[(k + it + 3) % nf], t, P__N, "phases") < 0)
				return 1;
			for (int i = 0; it >= 0 && i < P__N; i++)
				if (t[i] > 0)
					v[i][it] = t[i];
		}
	printf("phases of one session (%s, %s), median of %d, microseconds\n", service, user, n);
	for (int i = 0; i < (alt ? P__N : P__N - 1); i++) {
		if (i == P_MATCH) /* inside session_plan */
			continue;
		qsort(v[i], (size_t)n, sizeof(double), cmp_double);
		printf("  %-40s %10.1f\n", pname[i], v[i][n / 2]);
	}
	return 0;
}
