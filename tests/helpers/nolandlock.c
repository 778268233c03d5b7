/* nolandlock: runs CMD as a kernel without Landlock ABI 6 would, for CMD
 * and everything it starts: the ABI query, landlock_create_ruleset(NULL,
 * 0, LANDLOCK_CREATE_RULESET_VERSION),
 *   nolandlock CMD [ARG...]           fails with EOPNOTSUPP (a kernel booted
 *                                     without Landlock in lsm=)
 *   nolandlock --abi N CMD [ARG...]   answers N (an older kernel: 5 is Linux
 *                                     6.10-6.11): a supervisor process gets
 *                                     the call through seccomp's user
 *                                     notification and returns N
 * Every other call, the other Landlock calls included, goes through to the
 * real kernel. The test side of scope_ipc's "no ABI 6: the session is
 * refused". As root (which needs no no_new_privs for a filter). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#define LANDLOCK_CREATE_RULESET_NR 444 /* the same in every ABI */
#define VERSION_FLAG 1                 /* LANDLOCK_CREATE_RULESET_VERSION */

/* The supervisor: answers every notification with abi, until the process
 * that exec'd CMD is gone (PR_SET_PDEATHSIG). */
static void __attribute__((noreturn)) supervise(int listener, long abi)
{
	for (;;) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;
		memset(&req, 0, sizeof(req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			_exit(0);
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.val = abi;
		(void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

int main(int argc, char **argv)
{
	long abi = -1;
	int argi = 1;
	if (argc > 3 && strcmp(argv[1], "--abi") == 0) {
		abi = atol(argv[2]);
		argi = 3;
	}
	if (argi >= argc) {
		fprintf(stderr, "usage: nolandlock [--abi N] CMD [ARG...]\n");
		return 2;
	}
	unsigned action = abi < 0 ? SECCOMP_RET_ERRNO | EOPNOTSUPP : SECCOMP_RET_USER_NOTIF;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LANDLOCK_CREATE_RULESET_NR, 0, 3),
		/* flags, the third argument: its low 32 bits (little endian) */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, VERSION_FLAG, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			  abi < 0 ? 0 : SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fd < 0) {
		perror("nolandlock: seccomp");
		return 2;
	}
	if (abi >= 0) {
		pid_t parent = getpid();
		pid_t pid = fork();
		if (pid < 0) {
			perror("nolandlock: fork");
			return 2;
		}
		if (pid == 0) {
			/* Under the filter too, but it never asks for the ABI. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(0);
			supervise((int)fd, abi);
		}
		close((int)fd);
	}
	execvp(argv[argi], argv + argi);
	perror("nolandlock: exec");
	return 127;
}
