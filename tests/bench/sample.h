/* What the benchmark programs share: the clock, the sort order of samples,
 * a sample taken in a fresh child (the jail moves the process that joins
 * it, so every sample that joins one is its own process), the page-fault
 * count, the proof that a sample's jail did its work, and a helper started
 * as build.c starts it and given a request it refuses at once. */
#ifndef NSJBENCH_SAMPLE_H
#define NSJBENCH_SAMPLE_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

/* Minor and major page faults of this process so far. */
static inline long faults(void)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return r.ru_minflt + r.ru_majflt;
}

/* -g, -r: after its setns a sample proves it is in a jail that did its
 * work (GONE does not exist, ROFS refuses writes with EROFS); not timed.
 * 0, or 30/31 and a line naming prog. */
static inline int jail_proof(const char *prog, const char *gone, const char *rofs)
{
	struct stat st;
	if (gone && lstat(gone, &st) == 0) {
		fprintf(stderr, "%s: proof failed: %s is visible\n", prog, gone);
		return 30;
	}
	if (rofs && !(access(rofs, W_OK) < 0 && errno == EROFS)) {
		fprintf(stderr, "%s: proof failed: %s is not read-only\n", prog, rofs);
		return 31;
	}
	return 0;
}

/* Spawns PROG as build.c does and sends it a request it refuses at once
 * (length 0xffffffff: both helpers refuse it without reading on), then
 * waits for it: what starting a helper costs, without mounts. *spawn_us:
 * posix_spawn alone; *total_us: until it was reaped. 0, or 1-3 (socket,
 * spawn, write). */
static inline int spawn_refused(const char *prog, double *spawn_us, double *total_us)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return 1;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	char *const argv[] = { (char *)"helper", NULL };
	char *const envp[] = { NULL };
	sigemptyset(&none);
	sigfillset(&all);
	double t0 = now_us();
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDWR, 0);
	posix_spawn_file_actions_adddup2(&fa, 0, 1);
	posix_spawn_file_actions_adddup2(&fa, 0, 2);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 3);
	posix_spawn_file_actions_addclosefrom_np(&fa, 4);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
					 POSIX_SPAWN_USEVFORK);
	pid_t pid;
	int err = posix_spawn(&pid, prog, &fa, &attr, argv, envp);
	double t1 = now_us();
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(sv[1]);
	if (err) {
		close(sv[0]);
		return 2;
	}
	static const unsigned char bad[8] = { 'N', 'S', 'J', '1', 0xff, 0xff, 0xff, 0xff };
	if (write(sv[0], bad, sizeof(bad)) < 0) {
		close(sv[0]);
		waitpid(pid, NULL, 0);
		return 3;
	}
	char buf[2048];
	while (read(sv[0], buf, sizeof(buf)) > 0)
		;
	waitpid(pid, NULL, 0);
	*spawn_us = t1 - t0;
	*total_us = now_us() - t0;
	close(sv[0]);
	return 0;
}

#endif
