/* nolandlock: runs CMD as a kernel without Landlock would (booted without
 * it in lsm=): landlock_create_ruleset(NULL, 0, VERSION), the ABI query,
 * fails with EOPNOTSUPP for CMD and everything it starts. Everything else,
 * the other Landlock calls included, goes through. The test side of
 * scope_ipc's "no ABI 6: the session is refused".
 * Usage (as root, which needs no no_new_privs for it): nolandlock CMD [ARG...] */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#define LANDLOCK_CREATE_RULESET_NR 444 /* the same in every ABI */
#define VERSION_FLAG 1                 /* LANDLOCK_CREATE_RULESET_VERSION */

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: nolandlock CMD [ARG...]\n");
		return 2;
	}
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LANDLOCK_CREATE_RULESET_NR, 0, 3),
		/* flags, the third argument: its low 32 bits (little endian) */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, VERSION_FLAG, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EOPNOTSUPP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
		perror("nolandlock: seccomp");
		return 2;
	}
	execvp(argv[1], argv + 1);
	perror("nolandlock: exec");
	return 127;
}
