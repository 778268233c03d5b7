/* The host's top-level links into /usr (bin -> usr/bin, ...), which a tmpfs
 * root recreates so merged-/usr binaries find their interpreter. Read-only. */
#include "compile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "util.h"

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "usr/bin" or "/usr/bin" -> "usr/bin"; anything else is not a /usr link. */
static const char *usr_target(const char *t)
{
	if (t[0] == '/')
		t++;
	if (strncmp(t, "usr/", 4) != 0 || strstr(t, "..") || !t[4])
		return NULL;
	return t;
}

static int add_link(struct host_links *l, const char *name, const char *target)
{
	char **n = realloc(l->name, (l->n + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	l->name = n;
	char **t = realloc(l->target, (l->n + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	l->target = t;
	l->name[l->n] = strdup(name);
	l->target[l->n] = strdup(target);
	if (!l->name[l->n] || !l->target[l->n]) {
		free(l->name[l->n]);
		free(l->target[l->n]);
		return -ENOMEM;
	}
	l->n++;
	return 0;
}

int host_links_read(const char *root, struct host_links *out)
{
	*out = (struct host_links){ 0 };
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	DIR *dir = fdopendir(fd);
	if (!dir) {
		int e = errno;
		close(fd);
		return -e;
	}
	struct dirent *de;
	int r = 0;
	while (r == 0 && (de = readdir(dir))) {
		char target[PATH_MAX];
		if (de->d_type != DT_LNK || !name_is_safe(de->d_name))
			continue;
		ssize_t n = readlinkat(dirfd(dir), de->d_name, target,
				       sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		const char *t = usr_target(target);
		if (t)
			r = add_link(out, de->d_name, t);
	}
	closedir(dir);
	if (r < 0) {
		host_links_free(out);
		return r;
	}
	/* Same order every time, so explain and the helper agree. */
	for (size_t i = 0; i < out->n; i++) {
		size_t m = i;
		for (size_t k = i + 1; k < out->n; k++)
			if (cmp_names(&out->name[k], &out->name[m]) < 0)
				m = k;
		char *tn = out->name[i], *tt = out->target[i];
		out->name[i] = out->name[m];
		out->target[i] = out->target[m];
		out->name[m] = tn;
		out->target[m] = tt;
	}
	return 0;
}

void host_links_free(struct host_links *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->name[i]);
		free(l->target[i]);
	}
	free(l->name);
	free(l->target);
	*l = (struct host_links){ 0 };
}
