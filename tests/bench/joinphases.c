/* joinphases: where the time of a login that joins a live shared jail
 * goes, step by step (as pam_nsjail.c's open_session and join_jail run
 * them). A profiling aid run by tests/bench/run.sh next to the holder of
 * nsjail-shared-join.
 *
 *   joinphases [-n N] -c CONFIG -H HELPER -s SERVICE -u USER -m DEV:INO
 *              [-g GONE]
 *
 * Per iteration, in a fresh child (the join moves it): config_load,
 * user_lookup_passwd, session_plan, shared_gen, shared_lock (open the
 * registry, flock), shared_find (read the entry; prove the keeper: pidfd,
 * start time, uid, exe, mount namespace; open its namespaces; the same
 * namespace checks as for a jail just built), jail_join (seccomp filter,
 * setns), shared_unlock. Each child proves the join: its mount namespace
 * is DEV:INO (the holder's) and GONE is not visible; it fails otherwise.
 * In another child, the seccomp filter's load alone (part of jail_join).
 * Medians in microseconds over N iterations (default 100), interleaved. */
#include <errno.h>
#include <pwd.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sample.h"

#include "build.h"
#include "config.h"
#include "match.h"
#include "plan.h"
#include "session.h"
#include "shared.h"
#include "user.h"
#include "ownns.h"

enum { J_CONFIG, J_USER, J_PLAN, J_GEN, J_LOCK, J_FIND, J_JOIN, J_UNLOCK, J_TOTAL,
       J_FILTER, J__N };
static const char *const jname[J__N] = {
	"config_load", "user_lookup_passwd", "session_plan", "shared_gen (encode + hash)",
	"shared_lock (open registry, flock)",
	"shared_find (entry, keeper proof, open + check ns)",
	"jail_join (seccomp filter + setns)", "shared_unlock", "join open (sum)",
	"seccomp filter alone (in jail_join)",
};

static const char *config, *helper, *service, *user, *gone;
static unsigned long long want_dev, want_ino;

static int join_child(double *t)
{
	struct policy *p = NULL;
	struct diags d = { 0 };
	struct user_info u = { 0 };
	struct plan plan = { 0 };
	struct nsj_error e = { 0 };
	struct jail_ns ns;
	struct shared sh;
	struct match m;
	double t0 = now_us();
	if (config_load(config, &(struct config_opts){ 0 }, &p, &d) < 0)
		return 1;
	double t1 = now_us();
	if (user_lookup_passwd(user, &u, &d) < 0)
		return 2;
	double t2 = now_us();
	if (session_plan(p, &u, service, NULL, &m, &plan, &d) < 0 || !m.jail ||
	    !(plan.isolate & PLAN_ISO_SHARED))
		return 3;
	double t3 = now_us();
	uint64_t gen = shared_gen(&plan);
	double t4 = now_us();
	if (!gen || shared_lock(&sh, u.uid, gen, &e) < 0) {
		fprintf(stderr, "joinphases: %s\n", e.msg);
		return 4;
	}
	double t5 = now_us();
	int found = shared_find(&sh, helper, &plan, &ns, &e);
	double t6 = now_us();
	if (found != 1) {
		fprintf(stderr, "joinphases: no live jail to join (%d) %s\n", found, e.msg);
		return 5;
	}
	if (jail_join(&ns, &e) < 0) {
		fprintf(stderr, "joinphases: %s\n", e.msg);
		return 6;
	}
	double t7 = now_us();
	shared_unlock(&sh);
	jail_ns_close(&ns);
	double t8 = now_us();
	/* the proof: joined the holder's jail, which hides GONE */
	struct stat st;
	if (own_mntns(&st) < 0 || (unsigned long long)st.st_dev != want_dev ||
	    (unsigned long long)st.st_ino != want_ino) {
		fprintf(stderr, "joinphases: proof failed: not in the holder's mount namespace\n");
		return 30;
	}
	if (gone && lstat(gone, &st) == 0) {
		fprintf(stderr, "joinphases: proof failed: %s is visible\n", gone);
		return 31;
	}
	t[J_CONFIG] = t1 - t0, t[J_USER] = t2 - t1, t[J_PLAN] = t3 - t2;
	t[J_GEN] = t4 - t3, t[J_LOCK] = t5 - t4, t[J_FIND] = t6 - t5;
	t[J_JOIN] = t7 - t6, t[J_UNLOCK] = t8 - t7, t[J_TOTAL] = t8 - t0;
	return 0;
}

static int filter_child(double *t)
{
	struct nsj_error e;
	double t0 = now_us();
	if (jail_filter_install(&e) < 0)
		return 7;
	t[J_FILTER] = now_us() - t0;
	return 0;
}

int main(int argc, char **argv)
{
	int n = 100, ch;
	const char *mnt = NULL;
	while ((ch = getopt(argc, argv, "n:c:H:s:u:m:g:")) != -1) {
		switch (ch) {
		case 'n': n = atoi(optarg); break;
		case 'c': config = optarg; break;
		case 'H': helper = optarg; break;
		case 's': service = optarg; break;
		case 'u': user = optarg; break;
		case 'm': mnt = optarg; break;
		case 'g': gone = optarg; break;
		default: return 2;
		}
	}
	if (!config || !helper || !service || !user || !mnt || n < 1 ||
	    sscanf(mnt, "%llu:%llu", &want_dev, &want_ino) != 2) {
		fprintf(stderr, "usage: joinphases [-n N] -c CONFIG -H HELPER -s SERVICE "
				"-u USER -m DEV:INO [-g GONE]\n");
		return 2;
	}
	/* as the PAM application would have: NSS loaded */
	struct passwd *pw = getpwnam(user);
	gid_t g[64];
	int ng = 64;
	if (pw)
		getgrouplist(user, pw->pw_gid, g, &ng);

	double *v[J__N];
	for (int i = 0; i < J__N; i++)
		v[i] = calloc((size_t)n, sizeof(double));
	int (*fns[])(double *) = { join_child, filter_child };
	for (int it = -3; it < n; it++)
		for (int k = 0; k < 2; k++) {
			double t[J__N] = { 0 };
			if (in_child(fns[(k + it + 3) % 2], t, J__N, "joinphases") < 0)
				return 1;
			for (int i = 0; it >= 0 && i < J__N; i++)
				if (t[i] > 0)
					v[i][it] = t[i];
		}
	printf("phases of a login joining a live shared jail (%s, %s), median of %d, "
	       "microseconds\n", service, user, n);
	for (int i = 0; i < J__N; i++) {
		qsort(v[i], (size_t)n, sizeof(double), cmp_double);
		printf("  %-50s %10.1f\n", jname[i], v[i][n / 2]);
	}
	return 0;
}
