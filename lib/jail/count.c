/* Counting a user's live non-shared jails. See count.h. */
#include "count.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procfs.h"
#include "shared.h"
#include "util.h"

struct ns_id {
	dev_t dev;
	ino_t ino;
};

struct ns_set {
	struct ns_id *v;
	size_t n, max;
};

static bool ns_has(const struct ns_set *s, const struct stat *st)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].dev == st->st_dev && s->v[i].ino == st->st_ino)
			return true;
	return false;
}

static int ns_add(struct ns_set *s, dev_t dev, ino_t ino)
{
	if (s->n == s->max) {
		size_t max = s->max ? 2 * s->max : 16;
		struct ns_id *v = realloc(s->v, max * sizeof(*v));
		if (!v)
			return -1;
		s->v = v;
		s->max = max;
	}
	s->v[s->n++] = (struct ns_id){ dev, ino };
	return 0;
}

/* The mount namespaces that never count: the caller's, PID 1's, and the
 * user's live shared jails' (entries of the registry). */
static int not_counted(uid_t uid, struct ns_set *skip)
{
	struct stat st;
	if ((stat("/proc/self/ns/mnt", &st) == 0 && ns_add(skip, st.st_dev, st.st_ino) < 0) ||
	    (stat("/proc/1/ns/mnt", &st) == 0 && ns_add(skip, st.st_dev, st.st_ino) < 0))
		return -1;
	struct nsj_error e = { 0 };
	int dir;
	if (shared_open_dir(&dir, &e) < 0)
		return 0; /* no registry: no shared jail */
	DIR *d = fdopendir(dir);
	if (!d) {
		close(dir);
		return 0;
	}
	int r = 0;
	struct dirent *de;
	/* Her entries are named UID-GEN (shared_lock): only those are read,
	 * not every user's. */
	char mine[24];
	int len = snprintf(mine, sizeof(mine), "%u-", (unsigned)uid);
	while (r == 0 && (de = readdir(d))) {
		struct shared_entry en;
		if (strncmp(de->d_name, mine, (size_t)len) == 0 && !strstr(de->d_name, ".tmp") &&
		    shared_entry_read(dirfd(d), de->d_name, &en) == 0 && en.uid == uid)
			r = ns_add(skip, (dev_t)en.dev, (ino_t)en.ino);
	}
	closedir(d);
	return r;
}

struct cand {
	long pid;
	struct ns_id ns;
};

struct cand_list {
	struct cand *v;
	size_t n, max;
};

static int cand_add(struct cand_list *l, long pid, const struct stat *st)
{
	if (l->n == l->max) {
		size_t max = l->max ? 2 * l->max : 64;
		struct cand *v = realloc(l->v, max * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->max = max;
	}
	l->v[l->n++] = (struct cand){ pid, { st->st_dev, st->st_ino } };
	return 0;
}

/* Pass 1, one fstatat per process: the processes outside the namespaces
 * that never count, and the distinct namespaces they are in. */
static int candidates(DIR *d, const struct ns_set *skip, struct cand_list *l,
		      struct ns_set *distinct)
{
	int r = 0;
	struct dirent *de;
	while (r == 0 && (de = readdir(d))) {
		char *end, path[64];
		struct stat st;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "%ld/ns/mnt", pid);
		if (fstatat(dirfd(d), path, &st, 0) < 0 || ns_has(skip, &st))
			continue;
		r = cand_add(l, pid, &st);
		if (r == 0 && !ns_has(distinct, &st))
			r = ns_add(distinct, st.st_dev, st.st_ino);
	}
	return r;
}

/* Pass 2: the candidates' namespaces in which a process runs as UID,
 * counted up to STOP. */
static int count_hers(int proc, const struct cand_list *l, uid_t uid, int stop)
{
	struct ns_set seen = { 0 };
	int n = 0;
	for (size_t i = 0; n >= 0 && n < stop && i < l->n; i++) {
		struct stat st = { .st_dev = l->v[i].ns.dev, .st_ino = l->v[i].ns.ino };
		if (ns_has(&seen, &st))
			continue;
		char name[32];
		snprintf(name, sizeof(name), "%ld", l->v[i].pid);
		cleanup_fd int pdir = openat(proc, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pdir < 0 || !proc_runs_as(pdir, uid))
			continue;
		n = ns_add(&seen, st.st_dev, st.st_ino) < 0 ? -1 : n + 1;
	}
	free(seen.v);
	return n;
}

int jail_count_user(uid_t uid, int stop, struct nsj_error *e)
{
	struct ns_set skip = { 0 }, distinct = { 0 };
	struct cand_list l = { 0 };
	DIR *d = not_counted(uid, &skip) < 0 ? NULL : opendir("/proc");
	if (!d) {
		free(skip.v);
		return nsj_error_set(e, errno, "max_jails_per_user: counting in /proc");
	}
	int n = candidates(d, &skip, &l, &distinct);
	/* Her jails are among the distinct namespaces: fewer of those than
	 * STOP, and she is below it without reading who runs where (the
	 * common case, and the cheap one: no process's status is read). */
	if (n == 0)
		n = distinct.n < (size_t)stop ? (int)distinct.n : count_hers(dirfd(d), &l, uid, stop);
	closedir(d);
	free(skip.v);
	free(distinct.v);
	free(l.v);
	return n < 0 ? nsj_error_set(e, ENOMEM, "max_jails_per_user: counting") : n;
}
