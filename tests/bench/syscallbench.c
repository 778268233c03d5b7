/* syscallbench: what the session's seccomp filters and Landlock domain
 * cost a syscall-heavy program (docs/bench/kernel.md). Prints one line per
 * loop, "NAME NS-PER-CALL", the best of 5 runs of each (on a shared machine the
 * least disturbed run is the closest to the cost itself):
 *   getpid   2x10^5 x syscall(SYS_getpid): no argument to look at, so the
 *            kernel's seccomp cache answers ALLOW without running a filter
 *   stat     10^5 x stat("/"): a path lookup (Landlock's hooks run)
 *   ioctl    2x10^5 x ioctl(pipe, FIONREAD): the terminal filter reads its
 *            argument, so every filter runs
 *   fork     1000 x fork + _exit + waitpid: clone, whose flags the
 *            namespace filter reads (the parent's CPU time only)
 * Build: cc -O2 syscallbench.c -o syscallbench (CMake: NSJAIL_BENCH=ON). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS 5

static double now_ns(void)
{
	struct timespec ts;
	/* CPU time of this process, not the wall clock: on a loaded machine
	 * the time others run in between is not counted. */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int fds[2];

static void do_getpid(void) { syscall(SYS_getpid); }
static void do_stat(void) { struct stat st; stat("/", &st); }
static void do_ioctl(void) { int n; ioctl(fds[0], FIONREAD, &n); }
static void do_fork(void)
{
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	if (p > 0)
		waitpid(p, NULL, 0);
}

int main(void)
{
	static const struct {
		const char *name;
		void (*fn)(void);
		long n;
	} loops[] = {
		{ "getpid", do_getpid, 200000 },
		{ "stat", do_stat, 100000 },
		{ "ioctl", do_ioctl, 200000 },
		{ "fork", do_fork, 1000 },
	};
	if (pipe(fds) < 0) {
		perror("pipe");
		return 1;
	}
	for (size_t l = 0; l < sizeof(loops) / sizeof(loops[0]); l++) {
		double t[RUNS];
		for (int r = 0; r < RUNS; r++) {
			double t0 = now_ns();
			for (long i = 0; i < loops[l].n; i++)
				loops[l].fn();
			t[r] = (now_ns() - t0) / loops[l].n;
		}
		qsort(t, RUNS, sizeof(t[0]), cmp);
		printf("%s %.1f\n", loops[l].name, t[0]);
	}
	return 0;
}
