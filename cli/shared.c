/* nsjailctl status | stop: the live shared jails (shared = true) of the
 * registry (lib/jail/shared.h). Only entries whose keeper is proven (the
 * same checks as a joining login) are listed or stopped; others are stale
 * and ignored (the next login of their user replaces them). */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "shared.h"
#include "wire.h"

/* Calls fn on each live entry; the count of them, or -1. */
static int each_live(const char *helper, int (*fn)(const char *, const struct shared_entry *,
						    int, void *), void *arg)
{
	struct nsj_error e = { 0 };
	int dir;
	if (shared_open_dir(&dir, &e) < 0) {
		warnx("%s", nsj_error_text(&e));
		return -1;
	}
	DIR *d = fdopendir(dir);
	if (!d) {
		warn("%s", NSJAIL_SHARED_DIR);
		close(dir);
		return -1;
	}
	int n = 0, bad = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		struct shared_entry en;
		if (de->d_name[0] == '.' || !strncmp(de->d_name, "lock", 4) ||
		    strstr(de->d_name, ".tmp") || shared_entry_read(dirfd(d), de->d_name, &en) < 0)
			continue;
		int pidfd = shared_keeper(&en, helper);
		if (pidfd < 0)
			continue;
		n++;
		if (fn(de->d_name, &en, pidfd, arg) < 0)
			bad = 1;
		close(pidfd);
	}
	closedir(d);
	return bad ? -1 : n;
}

static int show(const char *name, const struct shared_entry *en, int pidfd, void *arg)
{
	(void)name;
	(void)pidfd;
	(void)arg;
	long long age = (long long)time(NULL) - en->start;
	out("%-12s %-16s %5d %8lld %016" PRIx64 " %d\n", en->user, en->jail,
	    shared_procs(en, 0), age < 0 ? 0 : age, en->gen, (int)en->pid);
	return 0;
}

int cmd_status(int argc, char **argv)
{
	struct cli_opts o;
	int argi = cli_parse(argc, argv, CLI_HELPER, &o);
	if (argi != argc) {
		warnx("status: no operand expected");
		cli_usage_exit(1);
	}
	out("%-12s %-16s %5s %8s %-16s %s\n", "USER", "JAIL", "PROCS", "AGE(s)",
	    "GENERATION", "KEEPER");
	int n = each_live(o.helper, show, NULL);
	out_close();
	return n < 0 ? 1 : 0;
}

struct stop_arg {
	const char *user, *jail;
	int stopped;
};

static int stop_one(const char *name, const struct shared_entry *en, int pidfd, void *arg)
{
	struct stop_arg *a = arg;
	if (strcmp(en->user, a->user) != 0 || (a->jail && strcmp(en->jail, a->jail) != 0))
		return 0;
	/* The keeper first (with private_pids its init, and so every
	 * process of the PID namespace, follows), then whatever else is in
	 * the mount namespace, until nothing is: a process may fork while
	 * we look. The keeper dies and its entry goes under the registry
	 * lock, together: no login joins a jail being stopped, and none
	 * that registered a fresh jail meanwhile loses its entry. */
	struct shared sh;
	struct nsj_error e = { 0 };
	if (shared_lock(&sh, en->uid, en->gen, &e) < 0) {
		warnx("stop: %s", nsj_error_text(&e));
		return -1;
	}
	struct shared_entry now;
	bool same = shared_entry_read(sh.dir, name, &now) == 0 && now.pid == en->pid &&
		    now.kstart == en->kstart;
	if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0) {
		warn("stop: keeper %d", (int)en->pid);
		shared_unlock(&sh);
		return -1;
	}
	if (same && unlinkat(sh.dir, name, 0) < 0 && errno != ENOENT)
		warn("stop: removing %s/%s", NSJAIL_SHARED_DIR, name);
	shared_unlock(&sh);
	int left = -1;
	for (int i = 0; i < 100 && left != 0; i++) {
		left = shared_procs(en, 1);
		if (left != 0)
			usleep(20000);
	}
	if (left != 0) {
		warnx("stop: %s/%s: %d processes did not die", en->user, en->jail, left);
		return -1;
	}
	out("stopped %s/%s\n", en->user, en->jail);
	a->stopped++;
	return 0;
}

int cmd_stop(int argc, char **argv)
{
	struct cli_opts o;
	int argi = cli_parse(argc, argv, CLI_HELPER, &o);
	if (argc - argi < 1 || argc - argi > 2) {
		warnx("stop: expected USER [JAIL]");
		cli_usage_exit(1);
	}
	struct stop_arg a = { argv[argi], argc - argi == 2 ? argv[argi + 1] : NULL, 0 };
	int n = each_live(o.helper, stop_one, &a);
	out_close();
	if (n >= 0 && a.stopped == 0) {
		warnx("stop: no live shared jail of %s%s%s", a.user, a.jail ? " in " : "",
		      a.jail ? a.jail : "");
		return 1;
	}
	return n < 0 ? 1 : 0;
}
