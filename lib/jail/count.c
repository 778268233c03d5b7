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

/* Mount namespaces by inode number: they are all inodes of the one nsfs
 * (so the number alone names one), and readlink of /proc/PID/ns/mnt
 * ("mnt:[INO]") costs half a stat of it, which makes an nsfs inode. */
struct ns_set {
	ino_t *v;
	size_t n, max;
};

static bool ns_has(const struct ns_set *s, ino_t ino)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == ino)
			return true;
	return false;
}

static int ns_add(struct ns_set *s, ino_t ino)
{
	if (s->n == s->max) {
		size_t max = s->max ? 2 * s->max : 16;
		ino_t *v = realloc(s->v, max * sizeof(*v));
		if (!v)
			return -1;
		s->v = v;
		s->max = max;
	}
	s->v[s->n++] = ino;
	return 0;
}

/* The mount namespace of the process of /proc/PATH (relative to PROC):
 * its inode number, or 0. */
static ino_t ns_of(int proc, const char *path)
{
	char link[64];
	ssize_t n = readlinkat(proc, path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	unsigned long long ino;
	char end;
	if (sscanf(link, "mnt:[%llu%c", &ino, &end) != 2 || end != ']')
		return 0;
	return (ino_t)ino;
}

/* The mount namespaces that never count: the caller's, PID 1's, and the
 * user's live shared jails' (entries of the registry). */
static int not_counted(uid_t uid, struct ns_set *skip)
{
	ino_t self = ns_of(AT_FDCWD, "/proc/self/ns/mnt"), init = ns_of(AT_FDCWD, "/proc/1/ns/mnt");
	if ((self && ns_add(skip, self) < 0) || (init && ns_add(skip, init) < 0))
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
			r = ns_add(skip, (ino_t)en.ino);
	}
	closedir(d);
	return r;
}

struct cand {
	long pid;
	ino_t ns;
};

struct cand_list {
	struct cand *v;
	size_t n, max;
};

static int cand_add(struct cand_list *l, long pid, ino_t ns)
{
	if (l->n == l->max) {
		size_t max = l->max ? 2 * l->max : 64;
		struct cand *v = realloc(l->v, max * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->max = max;
	}
	l->v[l->n++] = (struct cand){ pid, ns };
	return 0;
}

/* Pass 1, one readlinkat per process: the processes outside the
 * namespaces that never count, and the distinct namespaces they are in. */
static int candidates(DIR *d, const struct ns_set *skip, struct cand_list *l,
		      struct ns_set *distinct)
{
	int r = 0;
	struct dirent *de;
	while (r == 0 && (de = readdir(d))) {
		char *end, path[64];
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "%ld/ns/mnt", pid);
		ino_t ns = ns_of(dirfd(d), path);
		if (!ns || ns_has(skip, ns))
			continue;
		r = cand_add(l, pid, ns);
		if (r == 0 && !ns_has(distinct, ns))
			r = ns_add(distinct, ns);
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
		if (ns_has(&seen, l->v[i].ns))
			continue;
		char name[32];
		snprintf(name, sizeof(name), "%ld", l->v[i].pid);
		cleanup_fd int pdir = openat(proc, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pdir < 0 || !proc_runs_as(pdir, uid))
			continue;
		n = ns_add(&seen, l->v[i].ns) < 0 ? -1 : n + 1;
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
