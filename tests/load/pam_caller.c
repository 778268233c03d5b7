/* A long-lived PAM application for tests/integration/t_load.sh, built by the
 * test with cc. It does what sshd's listener and su do many times over:
 *
 *   pam_caller jailed USER SERVICE N: N forked children, each pam_start,
 *     pam_open_session (must be PAM_SUCCESS and move the child to another
 *     mount namespace), pam_close_session, pam_end. Each child checks that
 *     its open fds after pam_end are the ones it had before pam_start (the
 *     module's socket and namespace fd are closed); the parent checks that
 *     its own fd count is the same after the N children as before.
 *   pam_caller unjailed USER SERVICE N: N sessions in the parent itself for
 *     a user no jail names (PAM_IGNORE path: nothing spawned, nothing
 *     joined); the parent's fds and mount namespace must be unchanged.
 *
 * Prints one line per problem and "ok N sessions, fds A -> B"; exit 0 when
 * everything held. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include <security/pam_appl.h>

static int conv(int n, const struct pam_message **msg, struct pam_response **resp,
		void *data)
{
	(void)n;
	(void)msg;
	(void)data;
	*resp = NULL;
	return PAM_CONV_ERR;
}

static const struct pam_conv pamc = { conv, NULL };

/* Writes the open fds of this process (but the one listing them) to buf as
 * "0 1 2 ..."; returns their count. */
static int fds(char *buf, size_t len)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	size_t off = 0;
	if (!d)
		return -1;
	buf[0] = '\0';
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		n++;
		char link[256] = "?", path[64];
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		ssize_t l = readlink(path, link, sizeof(link) - 1);
		link[l < 0 ? 1 : l] = '\0';
		int w = snprintf(buf + off, len - off, "%s%s=%s", off ? " " : "", e->d_name, link);
		if (w > 0 && (size_t)w < len - off)
			off += (size_t)w;
	}
	closedir(d);
	return n;
}

static void mntns(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/ns/mnt", buf, len - 1);
	buf[n < 0 ? 0 : n] = '\0';
}

/* One session; 0 when it went as expected. */
static int session(const char *user, const char *service, int want_jail, int i)
{
	pam_handle_t *ph = NULL;
	char before[64], after[64], fd0[4096], fd1[4096];
	int n0 = fds(fd0, sizeof(fd0)), rc = 0;

	mntns(before, sizeof(before));
	int r = pam_start(service, user, &pamc, &ph);
	if (r == PAM_SUCCESS)
		r = pam_open_session(ph, 0);
	if (r != PAM_SUCCESS) {
		printf("session %d: pam_open_session: %s\n", i, pam_strerror(ph, r));
		rc = 1;
	}
	mntns(after, sizeof(after));
	if (r == PAM_SUCCESS && want_jail == !strcmp(before, after)) {
		printf("session %d: mount namespace %s -> %s (%s)\n", i, before, after,
		       want_jail ? "expected a jail" : "expected none");
		rc = 1;
	}
	if (r == PAM_SUCCESS && (r = pam_close_session(ph, 0)) != PAM_SUCCESS) {
		printf("session %d: pam_close_session: %s\n", i, pam_strerror(ph, r));
		rc = 1;
	}
	if (ph)
		pam_end(ph, r);
	int n1 = fds(fd1, sizeof(fd1));
	if (n0 != n1 || strcmp(fd0, fd1)) {
		printf("session %d: fds before [%s], after pam_end [%s]\n", i, fd0, fd1);
		rc = 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	char fd0[8192], fd1[8192], ns0[64], ns1[64];
	int bad = 0;

	if (argc != 5 || (strcmp(argv[1], "jailed") && strcmp(argv[1], "unjailed"))) {
		fprintf(stderr, "usage: pam_caller jailed|unjailed USER SERVICE N\n");
		return 2;
	}
	int jailed = !strcmp(argv[1], "jailed"), n = atoi(argv[4]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* syslog(3)'s socket, which PAM modules open on their first message and
	 * keep, is open before anything is counted. */
	openlog("pam_caller", LOG_NDELAY | LOG_PID, LOG_AUTHPRIV);
	int n0 = fds(fd0, sizeof(fd0));
	mntns(ns0, sizeof(ns0));
	for (int i = 1; i <= n; i++) {
		if (!jailed) {
			bad += session(argv[2], argv[3], 0, i);
			continue;
		}
		pid_t pid = fork();
		if (pid < 0) {
			printf("fork: %s\n", strerror(errno));
			return 1;
		}
		if (pid == 0)
			exit(session(argv[2], argv[3], 1, i));
		int st;
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			printf("session %d: child status %#x\n", i, st);
			bad++;
		}
	}
	int n1 = fds(fd1, sizeof(fd1));
	mntns(ns1, sizeof(ns1));
	if (n0 != n1 || strcmp(fd0, fd1)) {
		printf("parent: fds before [%s], after %d sessions [%s]\n", fd0, n, fd1);
		bad++;
	}
	if (strcmp(ns0, ns1)) {
		printf("parent: mount namespace changed: %s -> %s\n", ns0, ns1);
		bad++;
	}
	printf("%s %d sessions, fds %d -> %d, %d problems\n", bad ? "FAILED" : "ok", n, n0, n1, bad);
	return bad ? 1 : 0;
}
