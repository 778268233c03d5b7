/* nsjailctl status | stop: the live shared jails (shared = true) of the
 * registry (lib/jail/shared.h). Only entries whose keeper is proven (the
 * same checks as a joining login; a keeper of a helper replaced on disk
 * since is proven too and shown as "old version") are listed or stopped;
 * others are stale and ignored (the next login of their user replaces
 * them). A jail's processes are those in its mount namespace and those in
 * its PID namespace or below it: a process that made namespaces of its own
 * is still one of them. */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "shared.h"
#include "wire.h"

/* An entry that is not proven: en NULL when it cannot be read. */
typedef void stale_fn(const char *name, const struct shared_entry *en, void *arg);

/* Calls fn on each live entry (its keeper proven, its pidfd given; old: a
 * keeper of a helper replaced on disk since), stale (if set) on each
 * other one; the count of live ones, or -1. */
static int each_live(const char *helper, int (*fn)(const char *, const struct shared_entry *,
						    int, bool, void *), stale_fn *stale, void *arg)
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
		bool old = false;
		if (de->d_name[0] == '.' || !strncmp(de->d_name, "lock", 4) ||
		    strstr(de->d_name, ".tmp"))
			continue;
		bool read = shared_entry_read(dirfd(d), de->d_name, &en) == 0;
		int pidfd = read ? shared_keeper(&en, helper, &old) : -1;
		if (pidfd < 0) {
			if (stale)
				stale(de->d_name, read ? &en : NULL, arg);
			continue;
		}
		n++;
		if (fn(de->d_name, &en, pidfd, old, arg) < 0)
			bad = 1;
		close(pidfd);
	}
	closedir(d);
	return bad ? -1 : n;
}

/* What status and stop say when the helper is not where they look: a
 * keeper is proven by being that program. */
static int helper_present(const char *cmd, const char *helper)
{
	if (access(helper, F_OK) == 0)
		return 0;
	warn("%s: no helper at %s (a keeper is proven by being that program; "
	     "name the installed one with --helper PATH)", cmd, helper);
	return -1;
}

/* status: gathered first (struct shared_live), printed after. */
struct gathered {
	struct shared_live *v;
	size_t n, max;
	struct stale_entry {
		char name[64], user[64];
		pid_t keeper; /* 0: the entry could not be read */
		char reason[256];
	} *stale;
	size_t nstale;
	const char *helper;
};

static int gather(const char *name, const struct shared_entry *en, int pidfd, bool old,
		  void *arg)
{
	(void)pidfd;
	struct gathered *g = arg;
	if (g->n == g->max) {
		size_t max = g->max ? 2 * g->max : 16;
		struct shared_live *v = realloc(g->v, max * sizeof(*v));
		if (!v)
			return -1;
		g->v = v;
		g->max = max;
	}
	struct shared_live *l = &g->v[g->n++];
	*l = (struct shared_live){ .en = *en, .old = old };
	snprintf(l->name, sizeof(l->name), "%s", name);
	int pidns = shared_pidns(en->pid);
	l->procs = shared_procs(en, pidns, SHARED_NO_INIT);
	if (pidns >= 0)
		close(pidns);
	return 0;
}

/* Kept for the end: an entry whose keeper cannot be proven. */
static void unproven(const char *name, const struct shared_entry *en, void *arg)
{
	struct gathered *a = arg;
	struct stale_entry *v = realloc(a->stale, (a->nstale + 1) * sizeof(*v));
	if (!v)
		err(1, "realloc");
	a->stale = v;
	struct stale_entry *x = &v[a->nstale++];
	*x = (struct stale_entry){ .keeper = en ? en->pid : 0 };
	snprintf(x->name, sizeof(x->name), "%s", name);
	snprintf(x->user, sizeof(x->user), "%s", en ? en->user : "");
	if (!en)
		snprintf(x->reason, sizeof(x->reason), "the entry cannot be read");
	else if (kill(en->pid, 0) < 0 && errno == ESRCH)
		snprintf(x->reason, sizeof(x->reason), "keeper %d is gone (a stale entry: "
			 "the user's next login replaces it)", (int)en->pid);
	else
		snprintf(x->reason, sizeof(x->reason), "keeper %d not proven: not the "
			 "process the entry recorded (its start time, its executable, "
			 "%s or the one recorded, and its mount namespace)", (int)en->pid,
			 a->helper);
}

static void show(const struct shared_live *l)
{
	long long age = (long long)time(NULL) - l->en.start;
	out("%-12s %-16s %5d %8lld %016" PRIx64 " %d%s\n", l->en.user, l->en.jail, l->procs,
	    age < 0 ? 0 : age, l->en.gen, (int)l->en.pid, l->old ? " (old version)" : "");
}

static void show_json(struct json *j, const struct shared_live *l)
{
	long long age = (long long)time(NULL) - l->en.start;
	char gen[17];
	snprintf(gen, sizeof(gen), "%016" PRIx64, l->en.gen);
	json_object(j);
	json_kstr(j, "entry", l->name);
	json_kstr(j, "user", l->en.user);
	json_kint(j, "uid", l->en.uid);
	json_kstr(j, "jail", l->en.jail);
	json_kint(j, "procs", l->procs);
	json_kint(j, "age", age < 0 ? 0 : age);
	json_kstr(j, "generation", gen);
	json_kint(j, "keeper", l->en.pid);
	json_kbool(j, "old_version", l->old);
	json_object_end(j);
}

/* The whole status as one document: what gather found (n: its count, or
 * -1), or the error that kept it from looking. */
static void status_json(const struct cli_opts *o, const struct gathered *a, int n,
			const char *error)
{
	struct json j;
	json_init(&j, stdout);
	json_object(&j);
	json_kstr(&j, "command", "status");
	json_kstr(&j, "helper", o->helper);
	json_key(&j, "jails");
	json_array(&j);
	for (size_t i = 0; i < a->n; i++)
		show_json(&j, &a->v[i]);
	json_array_end(&j);
	json_key(&j, "unproven");
	json_array(&j);
	for (size_t i = 0; i < a->nstale; i++) {
		json_object(&j);
		json_kstr(&j, "entry", a->stale[i].name);
		json_kstr(&j, "user", a->stale[i].keeper ? a->stale[i].user : NULL);
		json_key(&j, "keeper");
		if (a->stale[i].keeper)
			json_int(&j, a->stale[i].keeper);
		else
			json_null(&j);
		json_kstr(&j, "reason", a->stale[i].reason);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_kbool(&j, "ok", !error && n >= 0 && a->nstale == 0);
	json_kstr(&j, "error", error ? error : n < 0 ? "the registry cannot be read" : NULL);
	json_object_end(&j);
	if (json_end(&j) < 0)
		errx(1, "status: the JSON document is malformed (a bug)");
}

int cmd_status(int argc, char **argv)
{
	struct cli_opts o;
	int argi = cli_parse(argc, argv, CLI_HELPER | CLI_JSON, &o);
	if (argi != argc) {
		warnx("status: no operand expected");
		cli_usage_exit(1);
	}
	struct gathered g = { .helper = o.helper };
	int n = -1;
	char error[512] = "";
	if (helper_present("status", o.helper) < 0)
		snprintf(error, sizeof(error), "no helper at %s", o.helper);
	else
		n = each_live(o.helper, gather, unproven, &g);
	if (o.json) {
		status_json(&o, &g, n, error[0] ? error : NULL);
	} else if (!error[0]) {
		out("%-12s %-16s %5s %8s %-16s %s\n", "USER", "JAIL", "PROCS", "AGE(s)",
		    "GENERATION", "KEEPER");
		for (size_t i = 0; i < g.n; i++)
			show(&g.v[i]);
		out_close();
		for (size_t i = 0; i < g.nstale; i++)
			warnx("status: registry entry %s%s%s: %s", g.stale[i].name,
			      g.stale[i].keeper ? " of " : "",
			      g.stale[i].keeper ? g.stale[i].user : "", g.stale[i].reason);
	}
	out_close();
	bool ok = !error[0] && g.nstale == 0 && n >= 0;
	free(g.v);
	free(g.stale);
	return ok ? 0 : 1;
}

struct stop_arg {
	const char *user, *jail;
	int stopped;
};

static int stop_one(const char *name, const struct shared_entry *en, int pidfd, bool old,
		    void *arg)
{
	(void)old;
	struct stop_arg *a = arg;
	if (strcmp(en->user, a->user) != 0 || (a->jail && strcmp(en->jail, a->jail) != 0))
		return 0;
	/* The jail's PID namespace, while its keeper is proven: killing its
	 * init ends every process in it and below it. */
	int pidns = shared_pidns(en->pid);
	/* The keeper first, then every process of the jail (the init among
	 * them: the kernel kills the rest of its namespace), until a walk
	 * of /proc finds none: a process may fork while we look. The keeper
	 * dies and its entry goes under the registry lock, together: no
	 * login joins a jail being stopped, and none that registered a fresh
	 * jail meanwhile loses its entry. */
	struct shared sh;
	struct nsj_error e = { 0 };
	if (shared_lock(&sh, en->uid, en->gen, &e) < 0) {
		warnx("stop: %s", nsj_error_text(&e));
		if (pidns >= 0)
			close(pidns);
		return -1;
	}
	struct shared_entry now;
	bool same = shared_entry_read(sh.dir, name, &now) == 0 && now.pid == en->pid &&
		    now.kstart == en->kstart;
	if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0) {
		warn("stop: keeper %d", (int)en->pid);
		shared_unlock(&sh);
		if (pidns >= 0)
			close(pidns);
		return -1;
	}
	if (same && unlinkat(sh.dir, name, 0) < 0 && errno != ENOENT)
		warn("stop: removing %s/%s", NSJAIL_SHARED_DIR, name);
	shared_unlock(&sh);
	int left = -1;
	for (int i = 0; i < 100 && left != 0; i++) {
		left = shared_procs(en, pidns, SHARED_KILL);
		if (left != 0)
			usleep(20000);
	}
	if (pidns >= 0)
		close(pidns);
	/* "stopped" only when a walk of /proc found none left. */
	if (left != 0) {
		if (left < 0)
			warn("stop: %s/%s: cannot read /proc", en->user, en->jail);
		else
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
	if (helper_present("stop", o.helper) < 0)
		return 1;
	int n = each_live(o.helper, stop_one, NULL, &a);
	out_close();
	if (n >= 0 && a.stopped == 0) {
		warnx("stop: no live shared jail of %s%s%s", a.user, a.jail ? " in " : "",
		      a.jail ? a.jail : "");
		return 1;
	}
	return n < 0 ? 1 : 0;
}
