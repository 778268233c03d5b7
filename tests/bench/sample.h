/* What the benchmark programs share: the clock, the sort order of samples,
 * and a sample taken in a fresh child (the jail moves the process that
 * joins it, so every sample that joins one is its own process). */
#ifndef NSJBENCH_SAMPLE_H
#define NSJBENCH_SAMPLE_H

#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* qsort order of doubles. */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Runs fn in a fresh child, which fills n timings (0: not measured); the
 * ones it measured are copied to t. 0, or -1 (and a line naming prog) when
 * the child failed: a sample that did not do its work is never counted. */
static inline int in_child(int (*fn)(double *), double *t, size_t n, const char *prog)
{
	int p[2];
	if (n > 64 || pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		double v[64] = { 0 };
		int r = fn(v);
		if (write(p[1], v, n * sizeof(double)) != (ssize_t)(n * sizeof(double)))
			_exit(99);
		_exit(r);
	}
	close(p[1]);
	double v[64];
	int ok = pid > 0 && read(p[0], v, n * sizeof(double)) == (ssize_t)(n * sizeof(double));
	close(p[0]);
	int status = 0;
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (!ok || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "%s: child failed (status %d)\n", prog,
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (v[i] > 0)
			t[i] = v[i];
	return 0;
}

#endif
