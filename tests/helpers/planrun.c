/* planrun: a test driver for nsjail-helper. Builds a plan from the command
 * line, runs the helper as pam_nsjail would (empty environment, socket on
 * fd 3), joins the namespace it returns and runs a command there.
 *
 *   planrun [-H HELPER] [-u UID[:GID]] [-p] STEP... [-- CMD ARG...]
 *
 * STEP is KIND:DST[:EXTRA]; a leading '-' makes it optional. EXTRA is the
 * source of bind/bind_ro (host path), the target of symlink, the mode of
 * tmpfs (octal), the tty gid of dev. "etc:/etc" gets small passwd/group/
 * nsswitch.conf files. Without CMD it prints "ok" once joined. On a helper
 * error it prints "planrun: error: MSG (errno N)" and exits 2.
 *
 * Build (run as root, inside `unshare --mount --propagation private`):
 *   gcc -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Ilib/plan tests/helpers/planrun.c \
 *       lib/plan/paths.c lib/plan/plan.c lib/plan/wire.c -o /tmp/planrun
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <grp.h>

#include "plan.h"
#include "wire.h"

static const char etc_data[] =
	"passwd\0root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n\0"
	"group\0root:x:0:\ntty:x:5:\nnogroup:x:65534:\n\0"
	"nsswitch.conf\0passwd: files\ngroup: files\n\0";

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "planrun: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(3);
}

static void parse_step(char *arg, struct step *s)
{
	if (*arg == '-') {
		s->flags |= STEP_F_OPTIONAL;
		arg++;
	}
	char *kind = strsep(&arg, ":"), *dst = strsep(&arg, ":"), *extra = arg;
	int k;
	for (k = 0; k < STEP__COUNT && strcmp(step_kind_name[k], kind); k++)
		;
	if (k == STEP__COUNT || !dst)
		die("bad step '%s'", kind);
	s->kind = k;
	s->dst = strdup(dst);
	if (k == STEP_BIND || k == STEP_BIND_RO || k == STEP_SYMLINK)
		s->src = extra ? strdup(extra) : strdup(dst);
	else if ((k == STEP_TMPFS || k == STEP_DEV) && extra)
		s->arg = (unsigned)strtoul(extra, NULL, k == STEP_TMPFS ? 8 : 10);
	else if (k == STEP_TMPFS)
		s->arg = 0755;
	if (k == STEP_ETC) {
		s->data = malloc(sizeof(etc_data));
		memcpy(s->data, etc_data, sizeof(etc_data));
		s->data_len = sizeof(etc_data) - 1;
	}
}

/* Runs the helper; returns the namespace fd or exits 2 with its message. */
static int build(const char *helper, const struct plan *p)
{
	uint8_t *buf;
	size_t len;
	int sv[2];
	if (wire_encode(p, &buf, &len) < 0)
		die("%s", "wire_encode failed");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair: %s", strerror(errno));
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)"nsjail-helper", NULL }, *envp[] = { NULL };
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		if (!getenv("PLANRUN_STDERR"))
			dup2(null, 2);
		dup2(sv[1], 3);
		execve(helper, argv, envp);
		_exit(127);
	}
	close(sv[1]);
	if (write(sv[0], buf, len) != (ssize_t)len)
		die("write: %s", strerror(errno));
	struct wire_reply r;
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } c;
	struct iovec iov = { &r, sizeof(r) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b,
			    .msg_controllen = sizeof(c.b) };
	ssize_t n = recvmsg(sv[0], &m, MSG_CMSG_CLOEXEC);
	int status;
	waitpid(pid, &status, 0);
	if (n != (ssize_t)sizeof(r)) {
		fprintf(stderr, "planrun: no reply (helper status %#x)\n", status);
		exit(2);
	}
	if (r.status != 0) {
		fprintf(stderr, "planrun: error: %s (errno %d)\n", r.msg, r.err);
		exit(2);
	}
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	if (!h || h->cmsg_type != SCM_RIGHTS)
		die("%s", "no fd in the reply");
	int fd;
	memcpy(&fd, CMSG_DATA(h), sizeof(fd));
	free(buf);
	return fd;
}

int main(int argc, char **argv)
{
	const char *helper = "/tmp/nsjail-helper";
	long uid = -1, gid = -1;
	bool print = false;
	int o;
	while ((o = getopt(argc, argv, "+H:u:p")) != -1) {
		if (o == 'H')
			helper = optarg;
		else if (o == 'u')
			uid = strtol(optarg, &optarg, 10), gid = *optarg == ':' ? strtol(optarg + 1, NULL, 10) : uid;
		else if (o == 'p')
			print = true;
		else
			return 3;
	}
	struct plan p = { .jail = strdup("planrun"), .tmpfs_size = PLAN_TMPFS_SIZE_DEFAULT,
			  .tmpfs_inodes = PLAN_TMPFS_INODES_DEFAULT };
	p.v = calloc((size_t)argc, sizeof(*p.v));
	for (; optind < argc && strcmp(argv[optind], "--"); optind++)
		parse_step(argv[optind], &p.v[p.n++]);
	p.has_root = p.n && (p.v[0].kind == STEP_ROOT_DIR || p.v[0].kind == STEP_ROOT_TMPFS);
	char err[512];
	if (print) {
		plan_print(&p, stdout);
		fflush(stdout);
	}
	if (plan_validate(&p, err, sizeof(err)) < 0)
		fprintf(stderr, "planrun: note: plan_validate: %s (sending anyway)\n", err);
	int ns = build(helper, &p);
	if (setns(ns, CLONE_NEWNS) < 0)
		die("setns: %s", strerror(errno));
	if (chdir("/") < 0)
		die("chdir: %s", strerror(errno));
	if (gid >= 0 && (setgroups(0, NULL) < 0 || setgid((gid_t)gid) < 0))
		die("setgid: %s", strerror(errno));
	if (uid >= 0 && setuid((uid_t)uid) < 0)
		die("setuid: %s", strerror(errno));
	if (optind + 1 >= argc) {
		puts("ok");
		return 0;
	}
	execvp(argv[optind + 1], argv + optind + 1);
	die("exec: %s", strerror(errno));
}
