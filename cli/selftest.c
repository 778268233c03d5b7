/* nsjailctl check --selftest: "module + helper work on this host", for a
 * monitoring probe. A policy written to a scratch directory is loaded,
 * matched and compiled by the module's own code for user nobody, the jail
 * built by the helper the module would run, and a probe in it, as nobody,
 * checks each effect; then the caller's side is checked unchanged. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/magic.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "check_install.h"
#include "cli.h"
#include "util.h"

#define SELFTEST_USER "nobody"

static int fail(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* The scratch directory D: D/ro (0777, a file in it) read-only in the
 * jail, D/tmp (a file in it) a tmpfs, D/hidden (0755, a file in it)
 * inaccessible; D/selftest.conf the policy saying so. */
struct scratch {
	char d[64], ro[96], tmp[96], hidden[96], conf[96];
};

static int write_file(const char *path, const char *text, mode_t mode)
{
	cleanup_fd int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	size_t n = strlen(text);
	return fd >= 0 && write(fd, text, n) == (ssize_t)n && fchmod(fd, mode) == 0 ? 0 : -1;
}

static int scratch_make(struct scratch *s, char *why, size_t len)
{
	/* /run is root's on every systemd host; /tmp otherwise. */
	snprintf(s->d, sizeof(s->d), "%s/nsjailctl-selftest.XXXXXX",
		 access("/run", W_OK) == 0 ? "/run" : "/tmp");
	if (!mkdtemp(s->d))
		return fail(why, len, "mkdtemp %s: %s", s->d, strerror(errno));
	snprintf(s->ro, sizeof(s->ro), "%s/ro", s->d);
	snprintf(s->tmp, sizeof(s->tmp), "%s/tmp", s->d);
	snprintf(s->hidden, sizeof(s->hidden), "%s/hidden", s->d);
	snprintf(s->conf, sizeof(s->conf), "%s/selftest.conf", s->d);
	char f1[128], f2[128], f3[128], conf[1024];
	snprintf(f1, sizeof(f1), "%s/file", s->ro);
	snprintf(f2, sizeof(f2), "%s/host", s->tmp);
	snprintf(f3, sizeof(f3), "%s/secret", s->hidden);
	snprintf(conf, sizeof(conf),
		 "version = 1;\njails = ( { name = \"selftest\"; users = [ \"%s\" ];\n"
		 "  read_only = [ \"%s\" ];\n  tmpfs = [ \"%s\" ];\n"
		 "  inaccessible = [ \"%s\" ]; } );\n",
		 SELFTEST_USER, s->ro, s->tmp, s->hidden);
	if (chmod(s->d, 0755) < 0 || mkdir(s->ro, 0755) < 0 || chmod(s->ro, 0777) < 0 ||
	    mkdir(s->tmp, 0755) < 0 || mkdir(s->hidden, 0755) < 0 ||
	    write_file(f1, "selftest\n", 0644) < 0 || write_file(f2, "host\n", 0644) < 0 ||
	    write_file(f3, "secret\n", 0644) < 0 || write_file(s->conf, conf, 0644) < 0)
		return fail(why, len, "making %s: %s", s->d, strerror(errno));
	return 0;
}

static void scratch_remove(const struct scratch *s)
{
	const char *const files[] = { "ro/file", "ro/new", "tmp/host", "hidden/secret",
				      "selftest.conf" };
	const char *const dirs[] = { "ro", "tmp", "hidden", "" };
	char p[160];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", s->d, files[i]);
		(void)unlink(p);
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", s->d, dirs[i]);
		(void)rmdir(p);
	}
}

/* In the jail, as the user: each effect the policy asks for. */
static int probe(const struct scratch *s, ino_t host_mnt, char *why, size_t len)
{
	char p[160];
	struct stat st;
	struct statfs sf;
	if (stat("/proc/self/ns/mnt", &st) < 0 || st.st_ino == host_mnt)
		return fail(why, len, "the probe is in the host's mount namespace");
	if (statfs(s->tmp, &sf) < 0 || sf.f_type != TMPFS_MAGIC)
		return fail(why, len, "tmpfs %s: not a tmpfs in the jail", s->tmp);
	snprintf(p, sizeof(p), "%s/host", s->tmp);
	if (access(p, F_OK) == 0)
		return fail(why, len, "tmpfs %s: shows the host's files", s->tmp);
	snprintf(p, sizeof(p), "%s/file", s->ro);
	if (access(p, R_OK) < 0)
		return fail(why, len, "read_only %s: cannot read %s: %s", s->ro, p, strerror(errno));
	snprintf(p, sizeof(p), "%s/new", s->ro);
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd >= 0 || errno != EROFS) {
		if (fd >= 0)
			close(fd);
		return fail(why, len, "read_only %s: creating %s %s, not EROFS", s->ro, p,
			    fd >= 0 ? "worked" : strerror(errno));
	}
	snprintf(p, sizeof(p), "%s/secret", s->hidden);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 || errno != EACCES) {
		if (fd >= 0)
			close(fd);
		return fail(why, len, "inaccessible %s: opening %s %s, not EACCES", s->hidden,
			    p, fd >= 0 ? "worked" : strerror(errno));
	}
	return 0;
}

/* Forks the probe into *ns as U; its verdict through a pipe. */
static int run_probe(const struct scratch *s, const struct jail_ns *ns,
		     const struct user_info *u, ino_t host_mnt, char *why, size_t len)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return fail(why, len, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		char msg[512] = "";
		struct nsj_error e = { 0 };
		if (jail_join(ns, &e) < 0)
			snprintf(msg, sizeof(msg), "joining the jail: %s", nsj_error_text(&e));
		else if (setgroups(0, NULL) < 0 || setgid(u->gid) < 0 || setuid(u->uid) < 0)
			snprintf(msg, sizeof(msg), "becoming %s: %s", u->name, strerror(errno));
		else
			(void)probe(s, host_mnt, msg, sizeof(msg));
		size_t n = strlen(msg);
		_exit(write(p[1], msg, n) == (ssize_t)n ? 0 : 1);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return fail(why, len, "fork: %s", strerror(errno));
	}
	char msg[512];
	ssize_t n, got = 0;
	while ((n = read(p[0], msg + got, sizeof(msg) - 1 - (size_t)got)) > 0 ||
	       (n < 0 && errno == EINTR))
		got += n > 0 ? n : 0;
	close(p[0]);
	msg[got] = '\0';
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got > 0)
		return fail(why, len, "%s", msg);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return fail(why, len, "the probe died (status 0x%x)", (unsigned)status);
	return 0;
}

/* The host's side after the jail: nothing of it shows here. */
static int host_unchanged(const struct scratch *s, ino_t host_mnt, char *why, size_t len)
{
	char p[160];
	struct stat st;
	if (stat("/proc/self/ns/mnt", &st) < 0 || st.st_ino != host_mnt)
		return fail(why, len, "nsjailctl's own mount namespace changed");
	struct stat tmp;
	if (stat(s->tmp, &tmp) < 0 || stat(s->d, &st) < 0 || tmp.st_dev != st.st_dev)
		return fail(why, len, "%s: a mount of the jail shows on the host", s->tmp);
	snprintf(p, sizeof(p), "%s/host", s->tmp);
	if (access(p, F_OK) < 0)
		return fail(why, len, "%s: the host's file is gone", p);
	snprintf(p, sizeof(p), "%s/secret", s->hidden);
	if (access(p, R_OK) < 0)
		return fail(why, len, "%s: hidden on the host too", p);
	snprintf(p, sizeof(p), "%s/new", s->ro);
	if (access(p, F_OK) == 0)
		return fail(why, len, "%s: the jail wrote to the host", p);
	return 0;
}

int selftest(const char *helper, char *why, size_t len)
{
	if (geteuid() != 0)
		return fail(why, len, "must be root");
	if (!getpwnam(SELFTEST_USER))
		return fail(why, len, "no user '%s' to run the probe as", SELFTEST_USER);
	struct stat self;
	if (stat("/proc/self/ns/mnt", &self) < 0)
		return fail(why, len, "/proc/self/ns/mnt: %s", strerror(errno));

	struct scratch s;
	if (scratch_make(&s, why, len) < 0) {
		scratch_remove(&s);
		return -1;
	}
	struct verdict v;
	int r = -1;
	if (verdict_get(s.conf, SELFTEST_USER, NSJAILCTL_DEFAULT_SERVICE, NULL, &v) < 0 ||
	    !v.match.jail) {
		fail(why, len, "the policy in %s did not compile for %s (see above)", s.conf,
		     SELFTEST_USER);
	} else {
		struct jail_ns ns;
		struct nsj_error e = { 0 };
		if (jail_build_ns(helper, &v.plan, NSJAIL_HELPER_TIMEOUT_MS, &ns, &e) < 0) {
			fail(why, len, "building the jail with %s: %s", helper, nsj_error_text(&e));
		} else {
			r = run_probe(&s, &ns, &v.user, self.st_ino, why, len);
			jail_ns_close(&ns);
		}
	}
	if (r == 0)
		r = host_unchanged(&s, self.st_ino, why, len);
	verdict_free(&v);
	scratch_remove(&s);
	return r;
}
