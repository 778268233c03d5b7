/* nsprobe: tries to make or enter a namespace (restrict_namespaces), or to
 * run what must keep working under its filter. One door per MODE:
 *   unshare       unshare(CLONE_NEWUSER)
 *   clone         clone(CLONE_NEWUSER | SIGCHLD) (raw: flags are arg 0)
 *   clone3        clone3 with no flags (a plain fork through clone3)
 *   clone3-user   clone3 with CLONE_NEWUSER
 *   setns PATH    setns(open(PATH), 0)
 *   i386          unshare(CLONE_NEWUSER) through the i386 ABI (int $0x80,
 *                 unshare = 310) from this 64-bit program
 *   i386-clone    clone(CLONE_NEWUSER | SIGCHLD) through the i386 ABI (120)
 *   i386-setns PATH  setns through the i386 ABI (346)
 *   x32           unshare(CLONE_NEWUSER) through the x32 ABI (0x40000000 | 272)
 *   fork          fork() and wait
 *   threads       a pthread (glibc: clone3, then clone on ENOSYS), joined
 * Prints "nsprobe MODE: ok" or "nsprobe MODE: ERRNO-NAME"; exits 0 on ok,
 * 1 on EPERM, 2 on another error.
 * Build: cc -static -pthread nsprobe.c -o nsprobe */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

struct clone3_args { /* struct clone_args, CLONE_ARGS_SIZE_VER0 */
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

#if defined(__x86_64__)
static long int80(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}
#endif

/* A raw clone-like return: the child exits at once, the parent waits. */
static long reap(long r)
{
	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return r > 0 ? 0 : r;
}

static long int80_errno(long r)
{
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

static void *thread(void *arg) { return arg; }

static long probe(const char *mode, const char *arg)
{
	if (!strcmp(mode, "unshare"))
		return unshare(CLONE_NEWUSER);
	if (!strcmp(mode, "clone"))
		return reap(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0));
	if (!strcmp(mode, "clone3") || !strcmp(mode, "clone3-user")) {
		struct clone3_args ca = { .exit_signal = SIGCHLD,
					  .flags = mode[6] ? CLONE_NEWUSER : 0 };
		return reap(syscall(SYS_clone3, &ca, sizeof(ca)));
	}
	if (!strcmp(mode, "setns") && arg) {
		int fd = open(arg, O_RDONLY | O_CLOEXEC);
		return fd < 0 ? -1 : setns(fd, 0);
	}
#if defined(__x86_64__)
	if (!strcmp(mode, "i386"))
		return int80_errno(int80(310, CLONE_NEWUSER, 0, 0));
	if (!strcmp(mode, "i386-clone"))
		return reap(int80_errno(int80(120, CLONE_NEWUSER | SIGCHLD, 0, 0)));
	if (!strcmp(mode, "i386-setns") && arg) {
		int fd = open(arg, O_RDONLY | O_CLOEXEC);
		return fd < 0 ? -1 : int80_errno(int80(346, fd, 0, 0));
	}
	if (!strcmp(mode, "x32"))
		return syscall(0x40000000L | 272, CLONE_NEWUSER);
#endif
	if (!strcmp(mode, "fork"))
		return reap(fork());
	if (!strcmp(mode, "threads")) {
		pthread_t t;
		int r = pthread_create(&t, NULL, thread, NULL);
		if (r == 0)
			r = pthread_join(t, NULL);
		errno = r;
		return r ? -1 : 0;
	}
	fprintf(stderr, "nsprobe: unknown mode %s\n", mode);
	errno = EINVAL;
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: nsprobe MODE [PATH]\n");
		return 2;
	}
	long r = probe(argv[1], argv[2]);
	int err = r < 0 ? errno : 0;
	printf("nsprobe %s: %s\n", argv[1], err ? strerrorname_np(err) : "ok");
	fflush(stdout);
	return err == 0 ? 0 : err == EPERM ? 1 : 2;
}
