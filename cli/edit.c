/* nsjailctl edit: visudo for /etc/nsjail.conf. The live file is only ever
 * replaced, atomically, by a copy that the module's own loader accepts
 * together with the drop-ins already installed; concurrent edits are
 * refused. Nothing is written over the live file in place. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

static const char template_text[] =
	"# The pam_nsjail policy: see nsjail.conf(5).\n"
	"version = 1;\n"
	"\n"
	"settings = {\n"
	"  exempt_users = [ \"root\" ];\n"
	"};\n"
	"\n"
	"jails = ( );\n";

/* The copy being edited; removed on every way out. */
static char tmp_path[4096];

static void tmp_remove(void)
{
	if (tmp_path[0])
		unlink(tmp_path);
	tmp_path[0] = '\0';
}

static void on_fatal_signal(int sig)
{
	if (tmp_path[0])
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Reads a whole regular file from fd. Returns 0, or -1 with errno. */
static int read_all(int fd, char **buf, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	size_t cap = 4096, n = 0;
	char *b = malloc(cap);
	for (;;) {
		if (!b)
			return -1;
		if (n == cap) {
			if (cap >= NSJAIL_CONFIG_MAX_BYTES) {
				free(b);
				errno = EFBIG;
				return -1;
			}
			char *nb = realloc(b, cap *= 2);
			if (!nb)
				free(b);
			b = nb;
			continue;
		}
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(b);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*buf = b;
	*len = n;
	return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* $VISUAL, $EDITOR or vi, through the shell so "vim -n" works. */
static int run_editor(const char *path)
{
	const char *ed = getenv("VISUAL");
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	cleanup_free char *cmd = NULL;
	if (asprintf(&cmd, "%s \"$1\"", ed) < 0)
		errx(1, "out of memory");

	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		err(1, "fork");
	if (pid == 0) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(1, "waitpid");
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		warnx("editor '%s' killed by signal %d", ed, WTERMSIG(status));
	else
		warnx("editor '%s' exited with status %d", ed, WEXITSTATUS(status));
	return -1;
}

/* "e" to edit again, "x" (or end of input) to give up. */
static bool ask_edit_again(void)
{
	char line[128];
	for (;;) {
		fprintf(stderr, "What now? (e)dit again, e(x)it without saving: ");
		fflush(stderr);
		if (!fgets(line, sizeof(line), stdin)) {
			fputc('\n', stderr);
			return false;
		}
		if (line[0] == 'e' || line[0] == 'E')
			return true;
		if (line[0] == 'x' || line[0] == 'X')
			return false;
	}
}

/* Checks the copy with the module's loader; diagnostics name FILE. */
static bool candidate_ok(const char *file, size_t *njails)
{
	struct config_opts opts = { .owner = 0 };
	struct diags d = { 0 };
	struct policy *p = NULL;
	int r = config_load(tmp_path, &opts, &p, &d);
	bool ok = r == 0 && p && !d.nerrors;
	if (ok) {
		policy_lint(p, &d);
		ok = !d.nerrors; /* a jail that does not compile refuses its logins */
		*njails = p->njails;
	}
	print_diags(&d, tmp_path, file);
	if (p)
		policy_free(p);
	diags_free(&d);
	return ok;
}

static int edit_loop(const char *file, const char *dir, const char *orig,
		     size_t orig_len)
{
	for (;;) {
		if (run_editor(tmp_path) != 0) {
			fprintf(stderr, "%s: not changed\n", file);
			return 1;
		}
		/* The editor may have replaced the copy: open it again. */
		cleanup_fd int fd = open(tmp_path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		cleanup_free char *text = NULL;
		size_t len = 0;
		if (fd < 0 || read_all(fd, &text, &len) != 0)
			err(1, "%s", tmp_path);
		if (len == orig_len && memcmp(text, orig, len) == 0) {
			out("%s: unchanged\n", file);
			return 0;
		}
		/* What the module requires of the file, before it is checked. */
		if (fchown(fd, 0, 0) != 0 || fchmod(fd, 0644) != 0)
			err(1, "%s", tmp_path);

		size_t njails = 0;
		if (candidate_ok(file, &njails)) {
			cleanup_fd int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fsync(fd) != 0)
				err(1, "fsync %s", tmp_path);
			if (rename(tmp_path, file) != 0)
				err(1, "cannot install %s", file);
			tmp_path[0] = '\0';
			if (dfd < 0 || fsync(dfd) != 0)
				warn("fsync %s", dir);
			out("%s: installed (%zu jail%s)\n", file, njails,
			    njails == 1 ? "" : "s");
			return 0;
		}
		if (!ask_edit_again()) {
			fprintf(stderr, "%s: not changed\n", file);
			return 1;
		}
	}
}

int cmd_edit(int argc, char **argv)
{
	struct cli_opts o;
	int argi = cli_parse(argc, argv, 0, &o);
	const char *file = o.file;
	if (argi != argc) {
		warnx("edit: unexpected argument '%s'", argv[argi]);
		cli_usage_exit(1);
	}
	if (geteuid() != 0)
		errx(1, "edit: must be root");

	cleanup_free char *dcopy = strdup(file), *bcopy = strdup(file);
	if (!dcopy || !bcopy)
		errx(1, "out of memory");
	const char *dir = dirname(dcopy), *base = basename(bcopy);

	/* One editor at a time. The lock file stays (as /etc/.pwd.lock does):
	 * removing it would let two editors lock two different files. */
	cleanup_free char *lock = NULL;
	if (asprintf(&lock, "%s.lock", file) < 0)
		errx(1, "out of memory");
	cleanup_fd int lfd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (lfd < 0)
		err(1, "%s", lock);
	if (flock(lfd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			errx(1, "%s is being edited by someone else (%s is locked); "
			     "try again later", file, lock);
		err(1, "flock %s", lock);
	}

	cleanup_free char *orig = NULL;
	size_t orig_len = 0;
	const char *start = template_text;
	size_t start_len = sizeof(template_text) - 1;
	cleanup_fd int ofd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (ofd >= 0) {
		if (read_all(ofd, &orig, &orig_len) != 0)
			err(1, "%s", file);
		start = orig;
		start_len = orig_len;
	} else if (errno != ENOENT) {
		err(1, "%s", file);
	}

	if ((size_t)snprintf(tmp_path, sizeof(tmp_path), "%s/.%s.XXXXXX", dir, base) >=
	    sizeof(tmp_path))
		errx(1, "%s: name too long", file);
	int tfd = mkostemp(tmp_path, O_CLOEXEC);
	if (tfd < 0) {
		tmp_path[0] = '\0';
		err(1, "cannot create a copy of %s in %s", file, dir);
	}
	atexit(tmp_remove);
	static const int sigs[] = { SIGHUP, SIGTERM, SIGPIPE };
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		signal(sigs[i], on_fatal_signal);
	if (write_all(tfd, start, start_len) != 0 || close(tfd) != 0)
		err(1, "%s", tmp_path);

	int r = edit_loop(file, dir, start, start_len);
	tmp_remove();
	return r;
}
