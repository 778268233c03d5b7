/* The terminal behind a leftover's fd of /dev/tty. See devtty.h. */
#include "devtty.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/* The kernel's encoding of a device number (new_encode_dev), as TIOCGDEV
 * gives it. */
static dev_t decode(unsigned int nr)
{
	return makedev((nr & 0xfff00) >> 8, (nr & 0xff) | ((nr >> 12) & 0xfff00));
}

/* A decimal name, or -1. Here rather than strtol: also runs in a child
 * forked by a process that may have threads (async-signal-safe only). */
static long number(const char *s)
{
	long n = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > 1000000000)
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n;
}

/* This mount namespace's /proc numbers processes as our PID namespace
 * does, the numbers pidfd_open takes. Not so after su joined a jail's PID
 * namespace (only its children are born in it) while /proc is the jail's:
 * there /proc/self does not exist. */
static bool proc_is_ours(void)
{
	char buf[24];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return number(buf) == getpid();
}

/* The fd NAME of the process of PIDFD is a terminal other than TTY. */
static bool other_terminal(int pidfd, const char *name, dev_t tty)
{
	long fd = number(name);
	cleanup_fd int copy = fd < 0 || fd > INT32_MAX ? -1 :
		(int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0);
	unsigned int nr;
	/* A copy not taken or not answering (hung up) fails safe. */
	return copy >= 0 && ioctl(copy, TIOCGDEV, &nr) == 0 && decode(nr) != tty;
}

/* devtty_holds, in a process whose PID namespace is /proc's. Raw
 * getdents64 on a stack buffer, no malloc: see number(). */
static bool holds_here(int proc, long pid, dev_t tty)
{
	if (!proc_is_ours())
		return true;
	cleanup_fd int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	/* Opened by number: still PROC's process only if that one has not
	 * died since PROC was opened (a live process keeps its pid). */
	if (pidfd < 0 || syscall(SYS_pidfd_send_signal, proc, 0, NULL, 0) < 0)
		return true;
	cleanup_fd int dir = openat(proc, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return true;
	char buf[4096] __attribute__((aligned(8)));
	long n;
	while ((n = syscall(SYS_getdents64, dir, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct {
				uint64_t ino;
				int64_t off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *de = (void *)(buf + off);
			struct stat st;
			off += de->reclen;
			if (de->name[0] != '.' && fstatat(dir, de->name, &st, 0) == 0 &&
			    S_ISCHR(st.st_mode) && st.st_rdev == DEVTTY_DEV &&
			    !other_terminal(pidfd, de->name, tty))
				return true;
		}
	}
	return n < 0;
}

bool devtty_holds(int proc, long pid, dev_t tty)
{
	if (proc_is_ours())
		return holds_here(proc, pid, tty);
	/* /proc is a jail's PID namespace's, which we joined for our children
	 * only: a child of ours is born in it and can name the pid. One byte
	 * back; none (no child, or it failed) fails safe. Our waitpid may find
	 * it reaped by the application's SIGCHLD handler: harmless. */
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return true;
	pid_t child = fork();
	if (child == 0) {
		char held = holds_here(proc, pid, tty);
		_exit(write(p[1], &held, 1) == 1 ? 0 : 1);
	}
	close(p[1]);
	char held = 1;
	ssize_t n = 0;
	while (child > 0 && (n = read(p[0], &held, 1)) < 0 && errno == EINTR)
		;
	if (child > 0 && n != 1)
		held = 1;
	close(p[0]);
	if (child > 0)
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
	return held;
}
