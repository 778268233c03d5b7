/* kernelcost: what restrict_namespaces and scope_ipc add to a login, step
 * by step, in the module's own code (docs/bench/kernel.md). Each sample is
 * a fresh child (filters and Landlock domains cannot be undone) that times
 *   terminal      jail_filter_install (every jailed login already pays it)
 *   nsfilter      jail_nsfilter_install (restrict_namespaces)
 *   scope         jail_scope_prepare + jail_scope_apply (scope_ipc)
 * and reports them to the parent; prints median, p10 and p90 in us.
 * Needs root (the filters are loaded without no_new_privs).
 *   kernelcost [N]   (default 1000) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "build.h"

enum { T_TERM, T_NS, T_SCOPE, T__N };
static const char *const names[T__N] = { "terminal filter (every jail)",
					 "namespace filter (restrict_namespaces)",
					 "Landlock domain (scope_ipc)" };

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One sample, in a child: 0, or 1 when a step failed. */
static int sample(int fd)
{
	struct nsj_error e = { 0 };
	double t[T__N + 1];
	int scope = -1;
	t[0] = now_us();
	int r = jail_filter_install(&e);
	t[1] = now_us();
	r |= jail_nsfilter_install(&e);
	t[2] = now_us();
	r |= jail_scope_prepare(&scope, &e) | jail_scope_apply(scope, &e);
	t[3] = now_us();
	double d[T__N] = { t[1] - t[0], t[2] - t[1], t[3] - t[2] };
	if (r < 0) {
		fprintf(stderr, "kernelcost: %s\n", nsj_error_text(&e));
		return 1;
	}
	return write(fd, d, sizeof(d)) == (ssize_t)sizeof(d) ? 0 : 1;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	if (n < 1)
		n = 1;
	double *v[T__N];
	for (int k = 0; k < T__N; k++)
		if (!(v[k] = calloc((size_t)n, sizeof(double))))
			return 1;
	for (int i = 0; i < n; i++) {
		int p[2];
		if (pipe(p) < 0)
			return 1;
		pid_t pid = fork();
		if (pid == 0)
			_exit(sample(p[1]));
		close(p[1]);
		double d[T__N];
		int status;
		ssize_t got = read(p[0], d, sizeof(d));
		close(p[0]);
		waitpid(pid, &status, 0);
		if (got != (ssize_t)sizeof(d) || status != 0)
			return 1;
		for (int k = 0; k < T__N; k++)
			v[k][i] = d[k];
	}
	printf("| step | median us | p10 | p90 |\n| --- | ---: | ---: | ---: |\n");
	for (int k = 0; k < T__N; k++) {
		qsort(v[k], (size_t)n, sizeof(double), cmp);
		printf("| %s | %.1f | %.1f | %.1f |\n", names[k], v[k][n / 2], v[k][n / 10],
		       v[k][n * 9 / 10]);
	}
	return 0;
}
