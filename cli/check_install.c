/* nsjailctl check: is the helper the module runs there, safe to run as
 * root, and of this build's protocol? (check_install.h)
 *
 * The protocol is asked, not read from the file: `nsjail-helper --version`
 * prints it (helper/main.c). A marker string read from the binary would
 * avoid running it, but proves only that some file contains the bytes
 * (nsjailctl itself does); running it also proves that it is an
 * executable this machine can start. It is run only after the ownership
 * and mode checks passed, so nothing that a user other than root could
 * have written is ever run: the same trust as the module's own spawn. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_install.h"
#include "pamstack.h"
#include "util.h"
#include "wire.h"

#define VERSION_TIMEOUT_MS 2000
#define VERSION_PREFIX "nsjail-helper protocol "

void install_protocol(char buf[8])
{
	uint32_t m = WIRE_MAGIC; /* the bytes on the wire: "NSJ4" */
	for (int i = 0; i < 4; i++)
		buf[i] = (char)((m >> (8 * i)) & 0xff);
	buf[4] = '\0';
}

static void problem(struct helper_report *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void problem(struct helper_report *h, const char *fmt, ...)
{
	char msg[sizeof(h->problems[0])];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < h->nproblems; i++)
		if (strcmp(h->problems[i], msg) == 0)
			return; /* one directory above both paths */
	if (h->nproblems < HELPER_MAX_PROBLEMS)
		memcpy(h->problems[h->nproblems++], msg, sizeof(msg));
}

/* Writable by group or others: whoever that is can replace what is in it. */
static bool others_write(const struct stat *st)
{
	return st->st_mode & (S_IWGRP | S_IWOTH);
}

/* Every directory above PATH (absolute): root's, not writable by group or
 * others (sshd's ChrootDirectory rule; a sticky bit does not help: the
 * module's own rules for jail roots and links are as strict). stat follows
 * a link in the path: the directory holding the link is checked as the
 * next one up, the target's chain by the caller with the resolved path. */
static void check_chain(struct helper_report *h, const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *slash = strrchr(dir, '/'); slash; slash = strrchr(dir, '/')) {
		*slash = '\0';
		const char *d = dir[0] ? dir : "/";
		struct stat st;
		if (stat(d, &st) < 0)
			problem(h, "directory %s: %s", d, strerror(errno));
		else if (st.st_uid != 0)
			problem(h, "directory %s is owned by uid %u, not root", d,
				(unsigned)st.st_uid);
		else if (others_write(&st))
			problem(h, "directory %s is writable by group or others (mode %04o)",
				d, (unsigned)(st.st_mode & 07777));
	}
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs `PATH --version` with an empty environment, stdin and stderr on
 * /dev/null, stdout a pipe and no other fd (fd 3 closed: the helper's
 * request path needs a socket there), for at most VERSION_TIMEOUT_MS. The
 * first line it printed, or "" (killed, failed, silent). */
static void run_version(const char *path, char *line, size_t len)
{
	line[0] = '\0';
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null < 0 || dup2(null, 0) < 0 || dup2(p[1], 1) < 0 || dup2(null, 2) < 0 ||
		    close_range(3, ~0u, 0) < 0)
			_exit(127);
		char *const argv[] = { (char *)"nsjail-helper", (char *)"--version", NULL };
		char *const envp[] = { NULL };
		execve(path, argv, envp);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return;
	}
	size_t got = 0;
	long long deadline = now_ms() + VERSION_TIMEOUT_MS;
	for (;;) {
		long long left = deadline - now_ms();
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		if (left <= 0 || got + 1 >= len)
			break;
		int ready = poll(&pf, 1, (int)left);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			break;
		ssize_t n = read(p[0], line + got, len - 1 - got);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(p[0]);
	line[got] = '\0';
	int status = 0;
	if (now_ms() >= deadline)
		kill(pid, SIGKILL); /* a hung child: it is ours, not yet reaped */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		line[0] = '\0';
	line[strcspn(line, "\n")] = '\0';
}

/* The protocol token of a --version line: letters and digits only (what
 * the helper prints is shown to the administrator). */
static bool protocol_of(const char *line, char *out, size_t len)
{
	size_t pl = strlen(VERSION_PREFIX);
	if (strncmp(line, VERSION_PREFIX, pl) != 0)
		return false;
	const char *t = line + pl;
	size_t n = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
	if (n == 0 || n >= len || t[n] != '\0')
		return false;
	snprintf(out, len, "%.*s", (int)n, t);
	return true;
}

static void check_helper(struct helper_report *h)
{
	struct stat st;
	if (stat(h->path, &st) < 0) {
		if (errno == ENOENT)
			problem(h, "not found");
		else
			problem(h, "cannot be looked at: %s", strerror(errno));
		return;
	}
	if (h->path[0] == '/')
		check_chain(h, h->path);
	cleanup_free char *real = realpath(h->path, NULL);
	if (real)
		check_chain(h, real);
	if (!S_ISREG(st.st_mode)) {
		problem(h, "not a regular file");
		return;
	}
	if (st.st_uid != 0) /* root's alone: its owner could rewrite it */
		problem(h, "owned by uid %u, not root", (unsigned)st.st_uid);
	if (others_write(&st))
		problem(h, "writable by group or others (mode %04o)",
			(unsigned)(st.st_mode & 07777));
	if (!(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
		problem(h, "not executable (mode %04o)", (unsigned)(st.st_mode & 07777));
	if (h->nproblems)
		return; /* never run what someone other than root may have written */

	char line[256], want[8];
	install_protocol(want);
	run_version(real ? real : h->path, line, sizeof(line));
	if (!protocol_of(line, h->protocol, sizeof(h->protocol)))
		problem(h, "does not answer --version with its protocol (a helper "
			"older than this nsjailctl, or not nsjail-helper): the module "
			"expects protocol %s", want);
	else if (strcmp(h->protocol, want) != 0)
		problem(h, "speaks protocol %s, this nsjailctl and its module %s: "
			"install the helper and the module of one build", h->protocol, want);
}

static void add(struct install_report *r, const char *path, const char *from)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].path, path) == 0)
			return;
	struct helper_report *v = realloc(r->v, (r->n + 1) * sizeof(*v));
	if (!v)
		return;
	r->v = v;
	v[r->n] = (struct helper_report){ .path = strdup(path) };
	if (!v[r->n].path)
		return;
	snprintf(v[r->n].from, sizeof(v[r->n].from), "%s", from);
	r->n++;
}

/* The helper= of one PAM line that loads pam_nsjail.so: 1 and *helper
 * (into LINE) when it names one, 0 when it names none, -1 when the line
 * does not load the module. "[...]" controls may hold blanks. */
static int pam_line_helper(char *line, char **helper)
{
	line[strcspn(line, "#\n")] = '\0';
	char *s = line + strspn(line, " \t");
	s += *s == '-';
	s += strcspn(s, " \t"); /* the type */
	s += strspn(s, " \t");
	if (*s == '[') {
		char *end = strchr(s, ']');
		if (!end)
			return -1;
		s = end + 1;
	} else {
		s += strcspn(s, " \t"); /* the control */
	}
	s += strspn(s, " \t");
	char *module = s;
	s += strcspn(s, " \t");
	if (*s)
		*s++ = '\0';
	if (!*module || !pam_is_nsjail(module))
		return -1;
	for (char *tok = strtok(s, " \t"); tok; tok = strtok(NULL, " \t"))
		if (strncmp(tok, "helper=", 7) == 0 && tok[7]) {
			*helper = tok + 7;
			return 1;
		}
	return 0;
}

/* The helpers of the PAM lines in DIR; *lines counts the module's lines,
 * *plain those without helper=. */
static void scan_pam_dir(const char *dir, struct install_report *r, int *lines, int *plain)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *de; (de = readdir(d));) {
		if (de->d_name[0] == '.')
			continue;
		char path[448];
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path))
			continue;
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		char *buf = NULL;
		size_t cap = 0;
		for (int n = 1; getline(&buf, &cap, f) > 0; n++) {
			char *helper = NULL;
			int k = pam_line_helper(buf, &helper);
			if (k < 0)
				continue;
			++*lines;
			if (k == 0) {
				++*plain;
				continue;
			}
			char from[512];
			snprintf(from, sizeof(from), "%s:%d", path, n);
			add(r, helper, from);
		}
		free(buf);
		fclose(f);
	}
	closedir(d);
}

size_t install_check(const char *helper, struct install_report *r)
{
	*r = (struct install_report){ 0 };
	if (helper) {
		add(r, helper, "--helper");
	} else {
		int lines = 0, plain = 0;
		scan_pam_dir("/etc/pam.d", r, &lines, &plain);
		scan_pam_dir("/usr/lib/pam.d", r, &lines, &plain);
		if (plain || !lines)
			add(r, NSJAIL_HELPER_PATH, plain ? "PAM lines without helper=: the default"
						      : "the default (no PAM line loads the module)");
	}
	size_t bad = 0;
	for (size_t i = 0; i < r->n; i++) {
		check_helper(&r->v[i]);
		bad += r->v[i].nproblems > 0;
	}
	return bad;
}

void install_report_free(struct install_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].path);
	free(r->v);
	*r = (struct install_report){ 0 };
}
