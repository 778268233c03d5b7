#include "mountinfo.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"

/* One space-separated field of a mountinfo line, with the kernel's octal
 * escapes (\040 space, \011 tab, \012 newline, \134 backslash) undone. */
static char *field_dup(const char *s, size_t n)
{
	char *d = malloc(n + 1), *o = d;
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n &&
		    s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			*o++ = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return d;
}

/* Splits LINE (not NUL-terminated, LEN bytes) into its first MAX fields. */
static size_t split(const char *line, size_t len, const char **f, size_t *fl, size_t max)
{
	size_t n = 0, i = 0;
	while (n < max && i < len) {
		while (i < len && line[i] == ' ')
			i++;
		size_t b = i;
		while (i < len && line[i] != ' ')
			i++;
		if (i > b) {
			f[n] = line + b;
			fl[n++] = i - b;
		}
	}
	return n;
}

static void entry_free(struct mount_entry *m)
{
	free(m->root);
	free(m->point);
}

/* Fields 0 id, 2 major:minor, 3 root, 4 mount point. 1: kept, -1: no
 * memory, 0: a line to leave out. */
static int parse_line(const char *line, size_t len, struct mount_entry *m)
{
	const char *f[5];
	size_t fl[5];
	char num[32];
	*m = (struct mount_entry){ 0 };
	if (split(line, len, f, fl, 5) != 5 || fl[0] >= sizeof(num) || fl[2] >= sizeof(num))
		return 0;
	memcpy(num, f[0], fl[0]);
	num[fl[0]] = '\0';
	if (sscanf(num, "%u", &m->id) != 1)
		return 0;
	memcpy(num, f[2], fl[2]);
	num[fl[2]] = '\0';
	if (sscanf(num, "%u:%u", &m->major, &m->minor) != 2)
		return 0;
	m->root = field_dup(f[3], fl[3]);
	m->point = field_dup(f[4], fl[4]);
	if (!m->root || !m->point) {
		entry_free(m);
		return -1;
	}
	if (!path_is_normal(m->root) || !path_is_normal(m->point)) {
		entry_free(m);
		return 0;
	}
	return 1;
}

void mount_table_free(struct mount_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		entry_free(&t->v[i]);
	free(t->v);
	*t = (struct mount_table){ 0 };
}

int mount_table_parse(const char *text, size_t len, struct mount_table *t)
{
	*t = (struct mount_table){ 0 };
	size_t cap = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - (text + i)) : len - i;
		if (t->n == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			struct mount_entry *v = realloc(t->v, ncap * sizeof(*v));
			if (!v) {
				mount_table_free(t);
				return -1;
			}
			t->v = v;
			cap = ncap;
		}
		int r = parse_line(text + i, ll, &t->v[t->n]);
		if (r < 0) {
			mount_table_free(t);
			return -1;
		}
		t->n += (size_t)r;
		i += ll + 1;
	}
	return 0;
}

/* The part of PATH below BASE: "" or "/...", NULL when it is not below. */
static const char *below(const char *path, const char *base)
{
	if (!path_is_under(path, base))
		return NULL;
	if (strcmp(base, "/") == 0)
		return strcmp(path, "/") == 0 ? "" : path;
	return path + strlen(base);
}

/* BASE followed by REST ("" or "/..."), malloc'd. */
static char *join(const char *base, const char *rest)
{
	char *s = NULL;
	if (strcmp(base, "/") == 0)
		s = strdup(*rest ? rest : "/");
	else if (asprintf(&s, "%s%s", base, rest) < 0)
		s = NULL;
	return s;
}

int mount_aliases(const struct mount_table *t, unsigned id, const char *path,
		  char **out, size_t max)
{
	const struct mount_entry *m = NULL;
	for (size_t i = 0; i < t->n && !m; i++)
		if (t->v[i].id == id)
			m = &t->v[i];
	const char *rest = m ? below(path, m->point) : NULL;
	if (!rest)
		return 0;
	char *in_fs = join(m->root, rest); /* PATH's place in its file system */
	if (!in_fs)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < t->n && n < max; i++) {
		const struct mount_entry *o = &t->v[i];
		const char *r = o->id != id && o->major == m->major && o->minor == m->minor ?
					below(in_fs, o->root) : NULL;
		if (!r)
			continue;
		char *name = join(o->point, r);
		if (name && !path_is_normal(name)) { /* too long to name */
			free(name);
			continue;
		}
		if (!name) {
			while (n)
				free(out[--n]);
			free(in_fs);
			return -1;
		}
		out[n++] = name;
	}
	free(in_fs);
	return (int)n;
}
