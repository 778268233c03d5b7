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
	while (r == 0 && (de = readdir(d))) {
		struct shared_entry en;
		if (de->d_name[0] != '.' && strncmp(de->d_name, "lock", 4) != 0 &&
		    !strstr(de->d_name, ".tmp") && shared_entry_read(dirfd(d), de->d_name, &en) == 0 &&
		    en.uid == uid)
			r = ns_add(skip, (dev_t)en.dev, (ino_t)en.ino);
	}
	closedir(d);
	return r;
}

int jail_count_user(uid_t uid, int stop, struct nsj_error *e)
{
	struct ns_set skip = { 0 }, seen = { 0 };
	DIR *d = not_counted(uid, &skip) < 0 ? NULL : opendir("/proc");
	if (!d) {
		free(skip.v);
		return nsj_error_set(e, errno, "max_jails_per_user: counting in /proc");
	}
	int n = 0;
	struct dirent *de;
	while (n >= 0 && n < stop && (de = readdir(d))) {
		char *end, path[64];
		struct stat st;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		/* The namespace first: most processes are the host's. */
		snprintf(path, sizeof(path), "%ld/ns/mnt", pid);
		if (fstatat(dirfd(d), path, &st, 0) < 0 || ns_has(&skip, &st) || ns_has(&seen, &st))
			continue;
		cleanup_fd int pdir = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pdir < 0 || !proc_runs_as(pdir, uid))
			continue;
		n = ns_add(&seen, st.st_dev, st.st_ino) < 0 ? -1 : n + 1;
	}
	closedir(d);
	free(skip.v);
	free(seen.v);
	return n < 0 ? nsj_error_set(e, ENOMEM, "max_jails_per_user: counting") : n;
}
