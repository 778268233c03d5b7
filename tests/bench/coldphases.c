/* coldphases: where a whole login process's pam_nsjail time goes, for a
 * COLD process (what su, cron or pamtester pay per login: nothing loaded,
 * nothing touched yet), next to the floor. tests/bench/phases times the
 * steps in a forked child of a warm process; this one execs itself afresh
 * for every sample.
 *
 *   coldphases [-n N] -m MODULE -L NSJPHASES.so -c CONFIG -H HELPER
 *              -s SERVICE -u USER -f PAM_FLOOR.so -F FLOORHELPER
 *              [-g GONE] [-r ROFS] [LINE...]
 *
 * An nsjail sample (a fresh process, linked with libpam like any PAM
 * application):
 *   dlopen libconfig (the module's library, alone), dlopen MODULE
 *   (pam_nsjail.so itself), then from
 *   NSJPHASES.so (the same lib/policy and lib/jail code, built as a shared
 *   object like the module, whose pages are as cold as the module's):
 *   config_load, user_lookup_passwd (NSS, cold), session_plan (match and
 *   compile), jail_build_ns (spawn + helper + reply), the seccomp filter,
 *   setns. Page faults per step too.
 * A floor sample: dlopen PAM_FLOOR.so, its pam_sm_open_session (spawn
 * floor-helper with LINEs, setns).
 * Two start-up samples: spawn each helper as build.c does and hand it a
 * request it refuses at once: posix_spawn (vfork + exec), and spawn to its
 * answer (exec and the helper's start-up; no mounts).
 * Samples alternate nsjail/floor/start-ups; medians in microseconds over N (default
 * 100). Each sample proves, after its setns, that it is in the jail: GONE
 * must not exist, ROFS must refuse writes with EROFS (not timed); a failed
 * proof fails the run. This file is also NSJPHASES.so (-DNSJPHASES_LIB). */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sample.h"

enum { C_DL_CONFIG, C_DL_MODULE, C_CONFIG, C_USER, C_PLAN, C_BUILD,
       C_FILTER, C_SETNS, C_SUM, C_F_CONFIG, C_F_USER, C_F_PLAN, C_F_BUILD,
       C_F_FILTER, C_F_DL, C_FL_DL, C_FL_OPEN, C_FL_SUM, C_F_FL_DL, C_F_FL_OPEN,
       C_N_SPAWN, C_N_START, C_NF_SPAWN, C_NF_START, C__N };

#ifdef NSJPHASES_LIB
#include "build.h"
#include "config.h"
#include "match.h"
#include "plan.h"
#include "session.h"
#include "user.h"

/* The module's open_session (pam_nsjail.c), step by step; t in us, f in
 * page faults. 0, or the failing step's number. */
__attribute__((visibility("default")))
int nsjphases_run(const char *config, const char *helper, const char *service,
		  const char *user, double *t)
{
	struct policy *p = NULL;
	struct diags d = { 0 };
	struct user_info u = { 0 };
	struct plan plan = { 0 };
	struct nsj_error e = { 0 };
	struct jail_ns ns;
	struct match m;
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
	if (session_plan(p, &u, service, NULL, &m, &plan, &d) < 0 || !m.jail)
		return 3;
	double t3 = now_us();
	long f3 = faults();
	if (jail_build_ns(helper, &plan, NSJAIL_HELPER_TIMEOUT_MS, &ns, &e) < 0) {
		fprintf(stderr, "coldphases: %s\n", e.msg);
		return 4;
	}
	double t4 = now_us();
	long f4 = faults();
	/* jail_join without a PID namespace: the filter, then setns */
	if (jail_filter_install(&e) < 0) {
		fprintf(stderr, "coldphases: %s\n", e.msg);
		return 5;
	}
	double t5 = now_us();
	long f5 = faults();
	if (setns(ns.mnt, CLONE_NEWNS) < 0)
		return 6;
	double t6 = now_us();
	t[C_CONFIG] = t1 - t0, t[C_USER] = t2 - t1, t[C_PLAN] = t3 - t2;
	t[C_BUILD] = t4 - t3, t[C_FILTER] = t5 - t4, t[C_SETNS] = t6 - t5;
	t[C_F_CONFIG] = (double)(f1 - f0), t[C_F_USER] = (double)(f2 - f1);
	t[C_F_PLAN] = (double)(f3 - f2), t[C_F_BUILD] = (double)(f4 - f3);
	t[C_F_FILTER] = (double)(f5 - f4);
	return 0;
}
#else
#include <security/pam_appl.h>
#include <security/pam_modules.h>

static const char *const cname[C__N] = {
	[C_DL_CONFIG] = "dlopen libconfig.so.9",
	[C_DL_MODULE] = "dlopen pam_nsjail.so (itself)",
	[C_CONFIG] = "config_load",
	[C_USER] = "user_lookup_passwd (NSS, cold)",
	[C_PLAN] = "session_plan (match, compile)",
	[C_BUILD] = "jail_build_ns (spawn + helper + reply)",
	[C_FILTER] = "seccomp filter (load)",
	[C_SETNS] = "setns",
	[C_SUM] = "pam_nsjail (sum)",
	[C_F_DL] = "page faults: the dlopens",
	[C_F_CONFIG] = "page faults: config_load",
	[C_F_USER] = "page faults: user_lookup_passwd",
	[C_F_PLAN] = "page faults: session_plan",
	[C_F_BUILD] = "page faults: jail_build_ns",
	[C_F_FILTER] = "page faults: seccomp filter",
	[C_FL_DL] = "floor: dlopen pam_floor.so",
	[C_FL_OPEN] = "floor: open_session (spawn + helper + setns)",
	[C_FL_SUM] = "floor (sum)",
	[C_F_FL_DL] = "page faults: floor dlopen",
	[C_F_FL_OPEN] = "page faults: floor open_session",
	[C_N_SPAWN] = "nsjail-helper: posix_spawn (vfork + exec)",
	[C_N_START] = "nsjail-helper: spawn to its answer (start-up, no mounts)",
	[C_NF_SPAWN] = "floor-helper: posix_spawn (vfork + exec)",
	[C_NF_START] = "floor-helper: spawn to its answer (start-up, no mounts)",
};

static const char *module, *lib, *config, *helper, *service, *user, *pfloor,
	*floor_helper, *gone, *rofs;

/* 0 when the caller is in a jail that did its work (see -g, -r). */
static int proof(void) { return jail_proof("coldphases", gone, rofs); }

static void *must_dlopen(const char *f)
{
	void *h = dlopen(f, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "coldphases: %s\n", dlerror());
		exit(20);
	}
	return h;
}

static int nsjail_sample(double *t)
{
	long f0 = faults();
	double t0 = now_us();
	must_dlopen("libconfig.so.9");
	double t1 = now_us();
	must_dlopen(module);
	double t2 = now_us();
	t[C_F_DL] = (double)(faults() - f0);
	t[C_DL_CONFIG] = t1 - t0, t[C_DL_MODULE] = t2 - t1;
	/* not timed: the module's twin (its libraries are loaded by now) */
	int (*run)(const char *, const char *, const char *, const char *, double *) =
		(int (*)(const char *, const char *, const char *, const char *, double *))
			dlsym(must_dlopen(lib), "nsjphases_run");
	if (!run)
		return 21;
	int r = run(config, helper, service, user, t);
	if (r == 0)
		r = proof();
	t[C_SUM] = t[C_DL_CONFIG] + t[C_DL_MODULE] + t[C_CONFIG] +
		   t[C_USER] + t[C_PLAN] + t[C_BUILD] + t[C_FILTER] + t[C_SETNS];
	return r;
}

static int floor_sample(int nlines, char **lines, double *t)
{
	const char **argv = calloc((size_t)nlines + 2, sizeof(char *));
	char h[4200];
	snprintf(h, sizeof(h), "helper=%s", floor_helper);
	argv[0] = h;
	for (int i = 0; i < nlines; i++)
		argv[i + 1] = lines[i];
	long f0 = faults();
	double t0 = now_us();
	void *m = must_dlopen(pfloor);
	double t1 = now_us();
	long f1 = faults();
	int (*open_fn)(pam_handle_t *, int, int, const char **) =
		(int (*)(pam_handle_t *, int, int, const char **))dlsym(m, "pam_sm_open_session");
	if (!open_fn)
		return 22;
	long f2 = faults();
	double t2 = now_us();
	int r = open_fn(NULL, 0, nlines + 1, argv);
	double t3 = now_us();
	t[C_FL_DL] = t1 - t0, t[C_FL_OPEN] = t3 - t2, t[C_FL_SUM] = t[C_FL_DL] + t[C_FL_OPEN];
	t[C_F_FL_DL] = (double)(f1 - f0), t[C_F_FL_OPEN] = (double)(faults() - f2);
	return r != PAM_SUCCESS ? 23 : proof();
}

/* What starting PROG costs, without mounts (sample.h). */
static int null_sample(const char *prog, double *spawn_us, double *start_us)
{
	int r = spawn_refused(prog, spawn_us, start_us);
	return r ? 23 + r : 0; /* 24-26 */
}

/* One sample in a fresh process: fork, exec ourselves with -K KIND. */
static int sample(char **argv0, const char *kind, double *t)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char fd[16];
		snprintf(fd, sizeof(fd), "%d", p[1]);
		close(p[0]);
		setenv("COLDPHASES_KIND", kind, 1);
		setenv("COLDPHASES_FD", fd, 1);
		execv("/proc/self/exe", argv0);
		_exit(127);
	}
	close(p[1]);
	int ok = read(p[0], t, sizeof(double) * C__N) == (ssize_t)(sizeof(double) * C__N);
	close(p[0]);
	int status;
	waitpid(pid, &status, 0);
	if (!ok || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "coldphases: %s sample failed (status %d)\n", kind,
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int n = 100, ch;
	while ((ch = getopt(argc, argv, "n:m:L:c:H:s:u:f:F:g:r:")) != -1) {
		switch (ch) {
		case 'n': n = atoi(optarg); break;
		case 'm': module = optarg; break;
		case 'L': lib = optarg; break;
		case 'c': config = optarg; break;
		case 'H': helper = optarg; break;
		case 's': service = optarg; break;
		case 'u': user = optarg; break;
		case 'f': pfloor = optarg; break;
		case 'F': floor_helper = optarg; break;
		case 'g': gone = optarg; break;
		case 'r': rofs = optarg; break;
		default: return 2;
		}
	}
	if (!module || !lib || !config || !helper || !service || !user || !pfloor ||
	    !floor_helper || n < 1) {
		fprintf(stderr, "usage: coldphases [-n N] -m MODULE -L NSJPHASES.so -c CONFIG "
				"-H HELPER -s SERVICE -u USER -f PAM_FLOOR.so -F FLOORHELPER "
				"[LINE...]\n");
		return 2;
	}
	/* A PAM application has libpam (and its libaudit, libcap-ng) loaded
	 * before any module: a real reference, so the linker keeps it. */
	if (!pam_strerror(NULL, PAM_SUCCESS))
		return 2;
	const char *kind = getenv("COLDPHASES_KIND");
	if (kind) { /* a sample */
		double t[C__N] = { 0 };
		int fd = atoi(getenv("COLDPHASES_FD"));
		int r = strcmp(kind, "nsjail") == 0 ? nsjail_sample(t) :
			strcmp(kind, "null-nsjail") == 0 ?
				null_sample(helper, &t[C_N_SPAWN], &t[C_N_START]) :
			strcmp(kind, "null-floor") == 0 ?
				null_sample(floor_helper, &t[C_NF_SPAWN], &t[C_NF_START]) :
			floor_sample(argc - optind, argv + optind, t);
		if (write(fd, t, sizeof(t)) != sizeof(t))
			return 99;
		return r;
	}
	double *v[C__N];
	for (int i = 0; i < C__N; i++)
		v[i] = calloc((size_t)n, sizeof(double));
	for (int it = -3; it < n; it++)
		for (int k = 0; k < 4; k++) {
			static const char *const kinds[] = { "nsjail", "floor", "null-nsjail",
							      "null-floor" };
			double t[C__N] = { 0 };
			const char *what = kinds[(k + it + 4) % 4];
			if (sample(argv, what, t) < 0)
				return 1;
			for (int i = 0; it >= 0 && i < C__N; i++)
				if (t[i] != 0)
					v[i][it] = t[i];
		}
	printf("cold process phases (%s, %s), median of %d, microseconds\n", service, user, n);
	static const int order[] = { C_DL_CONFIG, C_DL_MODULE, C_CONFIG, C_USER,
				     C_PLAN, C_BUILD, C_FILTER, C_SETNS, C_SUM, C_FL_DL,
				     C_FL_OPEN, C_FL_SUM, C_N_SPAWN, C_N_START, C_NF_SPAWN,
				     C_NF_START, C_F_DL, C_F_CONFIG, C_F_USER,
				     C_F_PLAN, C_F_BUILD, C_F_FILTER, C_F_FL_DL, C_F_FL_OPEN };
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		int i = order[k];
		qsort(v[i], (size_t)n, sizeof(double), cmp_double);
		printf("  %-52s %10.1f\n", cname[i], v[i][n / 2]);
	}
	return 0;
}
#endif
