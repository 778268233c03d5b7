/* The mount namespace of the calling process, also after it joined a jail
 * whose /proc is the procfs of the jail's own PID namespace (shared jails,
 * private_pids): there the caller, which stays outside that namespace (as
 * sshd's monitor and su's parent do), has no /proc/self. A child born in
 * the namespace (the caller's children are) shares the caller's mount
 * namespace and names it. Header-only: the bench's PAM probe is built
 * alone. */
#ifndef NSJ_BENCH_OWNNS_H
#define NSJ_BENCH_OWNNS_H

#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static inline int own_mntns(struct stat *st)
{
	if (stat("/proc/self/ns/mnt", st) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t c = fork();
	if (c == 0) {
		struct stat s;
		close(p[0]);
		_exit(stat("/proc/self/ns/mnt", &s) == 0 &&
		      write(p[1], &s, sizeof(s)) == (ssize_t)sizeof(s) ? 0 : 1);
	}
	close(p[1]);
	ssize_t n = c > 0 ? read(p[0], st, sizeof(*st)) : -1;
	close(p[0]);
	int status = 0;
	if (c > 0)
		while (waitpid(c, &status, 0) < 0 && errno == EINTR)
			;
	return n == (ssize_t)sizeof(*st) && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

#endif
