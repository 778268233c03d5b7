/* pam_floor: the "floor" contender of the benchmark, as a PAM session
 * module so it pays exactly what pam_nsjail pays around it (pam_start,
 * dlopen, the PAM dispatch). It spawns floor-helper the way
 * lib/jail/build.c spawns nsjail-helper (posix_spawn with
 * POSIX_SPAWN_USEVFORK, empty environment, 0-2 on /dev/null, the socket as
 * fd 3, everything else closed, signals reset), sends the request, receives
 * the namespace fd over SCM_RIGHTS, checks it is a mount namespace and
 * setns()es into it. No config, no NSS, no plan: that is the point.
 *
 *   session required /path/pam_floor.so helper=/path/floor-helper LINE...
 *
 * Each LINE is one request line of floor-helper with ':' for ' ', e.g.
 * H:/srv/bench/h0  T:/srv/bench/t0:0755  R:/  ROOT  B:/usr:/usr  A:5 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>
#include <linux/nsfs.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

static pid_t spawn(const char *helper, int sock)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	pid_t pid = -1;
	char *const argv[] = { (char *)"floor-helper", NULL };
	char *const envp[] = { NULL };

	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDWR, 0);
	posix_spawn_file_actions_adddup2(&fa, 0, 1);
	posix_spawn_file_actions_adddup2(&fa, 0, 2);
	posix_spawn_file_actions_adddup2(&fa, sock, 3);
	posix_spawn_file_actions_addclosefrom_np(&fa, 4);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
					 POSIX_SPAWN_SETSIGDEF |
					 POSIX_SPAWN_USEVFORK);
	int err = posix_spawn(&pid, helper, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return err ? -1 : pid;
}

static int recv_fd(int sock, int32_t *status)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
	struct iovec iov = { status, sizeof(*status) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	ssize_t n;
	do
		n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n != sizeof(*status))
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	int fd = -1;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
				   const char **argv)
{
	(void)flags;
	const char *helper = NULL;
	char req[8192];
	size_t len = sizeof(uint32_t);
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "helper=", 7) == 0) {
			helper = argv[i] + 7;
			continue;
		}
		size_t n = strlen(argv[i]);
		if (len + n + 1 >= sizeof(req))
			return PAM_SESSION_ERR;
		for (size_t k = 0; k < n; k++)
			req[len + k] = argv[i][k] == ':' ? ' ' : argv[i][k];
		req[len + n] = '\n';
		len += n + 1;
	}
	if (!helper)
		return PAM_SESSION_ERR;
	uint32_t body = (uint32_t)(len - sizeof(uint32_t));
	memcpy(req, &body, sizeof(body));

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return PAM_SESSION_ERR;
	pid_t pid = spawn(helper, sv[1]);
	close(sv[1]);
	int32_t status = -1;
	int fd = -1;
	if (pid > 0 && send(sv[0], req, len, MSG_NOSIGNAL) == (ssize_t)len)
		fd = recv_fd(sv[0], &status);
	close(sv[0]);
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	int r = PAM_SESSION_ERR;
	if (fd >= 0 && status == 0 && ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNS &&
	    setns(fd, CLONE_NEWNS) == 0)
		r = PAM_SUCCESS;
	else
		pam_syslog(pamh, LOG_ERR, "floor-helper failed (status %d)", status);
	if (fd >= 0)
		close(fd);
	return r;
}

PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
				    const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}
