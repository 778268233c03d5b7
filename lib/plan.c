/* Compiling a jail for one user into a normalised mount plan. Pure: the
 * result is data the unit tests compare and the helper re-validates. */
#include "plan.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "expand.h"
#include "paths.h"
#include "user.h"
#include "util.h"

static const enum step_kind list_step[PL__COUNT] = {
	[PL_INACCESSIBLE] = STEP_INACCESSIBLE,
	[PL_BIND] = STEP_BIND,
	[PL_BIND_RO] = STEP_BIND_RO,
	[PL_TMPFS] = STEP_TMPFS,
	[PL_READ_ONLY] = STEP_READ_ONLY,
	[PL_READ_WRITE] = STEP_READ_WRITE,
};

struct compiler {
	const struct jail *j;
	const struct user_info *u;
	struct plan *p;
	struct diags *d;
};

/* Appends a step; takes ownership of src, dst and data (freed on error). */
static int add_step(struct compiler *c, struct step s)
{
	struct plan *p = c->p;
	if (p->n >= PLAN_MAX_STEPS) {
		diags_add(c->d, DIAG_ERROR, c->j->file, c->j->line,
			  "jail '%s' has more than %d mounts", c->j->name,
			  PLAN_MAX_STEPS);
		goto fail;
	}
	struct step *v = realloc(p->v, (p->n + 1) * sizeof(*v));
	if (!v) {
		diags_add(c->d, DIAG_ERROR, c->j->file, c->j->line, "out of memory");
		goto fail;
	}
	p->v = v;
	p->v[p->n++] = s;
	return 0;
fail:
	free(s.src);
	free(s.dst);
	free(s.data);
	return -1;
}

static int add_auto(struct compiler *c, enum step_kind kind, unsigned flags,
		    unsigned arg, const char *src, const char *dst)
{
	struct step s = { .kind = kind, .flags = flags | STEP_F_AUTO, .arg = arg,
			  .file = c->j->file, .line = c->j->line };
	s.dst = strdup(dst);
	s.src = src ? strdup(src) : NULL;
	if (!s.dst || (src && !s.src)) {
		free(s.dst);
		free(s.src);
		diags_add(c->d, DIAG_ERROR, c->j->file, c->j->line, "out of memory");
		return -1;
	}
	return add_step(c, s);
}

static int expand_at(struct compiler *c, const char *key, const char *tmpl,
		     int line, char **out)
{
	char err[512];
	if (expand_path(tmpl, c->u, out, err, sizeof(err)) == 0)
		return 0;
	diags_add(c->d, DIAG_ERROR, c->j->file, line, "%s: %s", key, err);
	return -1;
}

/* One entry of a path list: "[-]PATH" or, for binds, "[-]SRC:DST". */
static int compile_entry(struct compiler *c, enum path_list l,
			 const char *entry, int line)
{
	const char *key = path_list_key[l];
	struct step s = { .kind = list_step[l], .file = c->j->file,
			  .line = line ? line : c->j->line };
	if (entry[0] == '-') {
		s.flags |= STEP_F_OPTIONAL;
		entry++;
	}
	if (s.kind == STEP_TMPFS)
		s.arg = 0755;

	cleanup_free char *src_tmpl = NULL;
	const char *dst_tmpl = entry;
	if (s.kind == STEP_BIND || s.kind == STEP_BIND_RO) {
		const char *colon = strchr(entry, ':');
		src_tmpl = colon ? strndup(entry, (size_t)(colon - entry))
				 : strdup(entry);
		if (!src_tmpl)
			return -1;
		if (colon)
			dst_tmpl = colon + 1;
		if (expand_at(c, key, src_tmpl, s.line, &s.src) < 0)
			return -1;
	}
	if (expand_at(c, key, dst_tmpl, s.line, &s.dst) < 0) {
		free(s.src);
		return -1;
	}
	const char *refused = NULL;
	if (c->j->private_pids && strcmp(s.dst, "/proc") == 0)
		refused = "'/proc' is the session's own procfs with private_pids";
	else if (strcmp(s.dst, "/") == 0 && s.kind != STEP_READ_ONLY &&
		 s.kind != STEP_READ_WRITE)
		refused = "cannot mount over '/' (use root = \"tmpfs\" or a directory)";
	if (refused) {
		diags_add(c->d, DIAG_ERROR, c->j->file, s.line, "%s: %s", key, refused);
		free(s.src);
		free(s.dst);
		return -1;
	}
	return add_step(c, s);
}

/* A name, home or shell that would break a passwd/group line. */
static bool field_ok(const char *s)
{
	return s && !strpbrk(s, ":\n");
}

static int append(char **buf, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int append(char **buf, size_t *len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || *len + (size_t)n + 1 > PLAN_MAX_DATA)
		return -1;
	char *b = realloc(*buf, *len + (size_t)n + 1);
	if (!b)
		return -1;
	*buf = b;
	va_start(ap, fmt);
	vsnprintf(b + *len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	*len += (size_t)n;
	return 0;
}

/* The small /etc of SPEC §1: root, the user, its groups and tty, so sshd's
 * monitor and su's parent can still look names up inside the jail. Encoded
 * as "name\0content\0" pairs. */
static int etc_data(struct compiler *c, unsigned tty_gid, char **data,
		    size_t *len)
{
	const struct user_info *u = c->u;
	if (!field_ok(u->name) || !field_ok(u->home) || !field_ok(u->shell)) {
		diags_add(c->d, DIAG_ERROR, c->j->file, c->j->root_line,
			  "user '%s': name, home or shell contains ':' or a newline",
			  u->name);
		return -1;
	}
	int r = append(data, len, "passwd%c", 0);
	r |= append(data, len, "root:x:0:0:root:/root:/bin/sh\n");
	if (u->uid != 0)
		r |= append(data, len, "%s:x:%u:%u::%s:%s\n", u->name,
			    (unsigned)u->uid, (unsigned)u->gid, u->home, u->shell);
	r |= append(data, len, "%cgroup%c", 0, 0);
	r |= append(data, len, "root:x:0:\n");
	bool tty_seen = false;
	for (size_t i = 0; i < u->ngroups; i++) {
		const char *g = u->group_names[i];
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup |= u->gids[k] == u->gids[i];
		if (!g || !field_ok(g) || u->gids[i] == 0 || dup)
			continue;
		tty_seen |= u->gids[i] == tty_gid;
		r |= append(data, len, "%s:x:%u:%s\n", g, (unsigned)u->gids[i],
			    u->name);
	}
	if (!tty_seen)
		r |= append(data, len, "tty:x:%u:\n", tty_gid);
	r |= append(data, len, "%cnsswitch.conf%c", 0, 0);
	r |= append(data, len, "passwd: files\ngroup: files\nshadow: files\n"
			       "hosts: files dns\n");
	r |= append(data, len, "%c", 0);
	if (r) {
		diags_add(c->d, DIAG_ERROR, c->j->file, c->j->root_line,
			  "user '%s': /etc files larger than %u bytes", u->name,
			  PLAN_MAX_DATA);
		return -1;
	}
	return 0;
}

static int compile_root(struct compiler *c, const struct host_links *links,
			unsigned tty_gid)
{
	const struct jail *j = c->j;
	bool tmpfs = strcmp(j->root, "tmpfs") == 0;
	struct step root = { .kind = tmpfs ? STEP_ROOT_TMPFS : STEP_ROOT_DIR,
			     .file = j->file, .line = j->root_line };
	if (tmpfs)
		root.dst = strdup("/");
	else if (expand_at(c, "root", j->root, j->root_line, &root.dst) < 0)
		return -1;
	if (!root.dst || add_step(c, root) < 0)
		return -1;

	for (size_t i = 0; tmpfs && links && i < links->n; i++) {
		char dst[300];
		snprintf(dst, sizeof(dst), "/%s", links->name[i]);
		if (add_auto(c, STEP_SYMLINK, 0, 0, links->target[i], dst) < 0)
			return -1;
	}
	struct step etc = { .kind = STEP_ETC, .flags = STEP_F_AUTO,
			    .file = j->file, .line = j->root_line };
	if (etc_data(c, tty_gid, &etc.data, &etc.data_len) < 0 ||
	    !(etc.dst = strdup("/etc"))) {
		free(etc.data);
		return -1;
	}
	if (add_auto(c, j->private_pids ? STEP_PIDS : STEP_PROC, 0, 0, NULL,
		     "/proc") < 0 ||
	    add_auto(c, STEP_SYS, 0, 0, NULL, "/sys") < 0 ||
	    add_auto(c, STEP_DEV, 0, tty_gid, NULL, "/dev") < 0 ||
	    add_auto(c, STEP_TMPFS, 0, 01777, NULL, "/tmp") < 0 ||
	    add_step(c, etc) < 0)
		return -1;
	return 0;
}

/* Path order with '/' below every other byte: a parent sorts right before
 * its children ("/a" < "/a/b" < "/a-b"). */
static int path_order(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned ca = *a == '/' ? 1 : *a ? (unsigned char)*a + 1u : 0;
		unsigned cb = *b == '/' ? 1 : *b ? (unsigned char)*b + 1u : 0;
		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (!ca)
			return 0;
	}
}

static int step_order(const void *x, const void *y)
{
	const struct step *a = x, *b = y;
	int r = path_order(a->dst, b->dst);
	if (r)
		return r;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	/* Same path and kind: keep the earlier line (qsort is not stable). */
	return (a->line > b->line) - (a->line < b->line);
}

static void step_clear(struct step *s)
{
	free(s->src);
	free(s->dst);
	free(s->data);
	*s = (struct step){ 0 };
}

/* Sorts the mount steps (after the root and its symlinks) parents first,
 * keeps the strongest step for each path and drops what lies under an
 * inaccessible path: all before the first syscall, as systemd does. */
static void normalise(struct plan *p)
{
	size_t first = 0;
	while (first < p->n && (p->v[first].kind == STEP_ROOT_DIR ||
				p->v[first].kind == STEP_ROOT_TMPFS ||
				p->v[first].kind == STEP_SYMLINK))
		first++;
	if (p->n == first)
		return; /* nothing to sort (p->v may be NULL: no offset on it) */
	qsort(p->v + first, p->n - first, sizeof(*p->v), step_order);

	size_t out = first;
	const char *hidden = NULL;
	for (size_t i = first; i < p->n; i++) {
		struct step *s = &p->v[i];
		bool dup = out > first && strcmp(p->v[out - 1].dst, s->dst) == 0;
		if (dup || (hidden && path_is_under(s->dst, hidden))) {
			step_clear(s);
			continue;
		}
		p->v[out] = *s;
		if (s->kind == STEP_INACCESSIBLE)
			hidden = p->v[out].dst;
		out++;
	}
	p->n = out;
}

int plan_compile(const struct jail *j, const struct user_info *u,
		 const struct host_links *links, unsigned tty_gid,
		 struct plan *out, struct diags *d)
{
	struct compiler c = { j, u, out, d };
	size_t errors = d->nerrors;

	*out = (struct plan){ 0 };
	out->jail = strdup(j->name);
	if (!out->jail)
		return -1;
	out->has_root = j->root != NULL;
	if (j->root && compile_root(&c, links, tty_gid) < 0)
		goto fail;

	for (int l = 0; l < PL__COUNT; l++)
		for (size_t i = 0; i < j->paths[l].n; i++)
			compile_entry(&c, (enum path_list)l, j->paths[l].v[i],
				      j->paths[l].line ? j->paths[l].line[i] : 0);
	if (d->nerrors != errors)
		goto fail;

	/* A root jail has it in place of STEP_PROC (compile_root). */
	if (j->private_pids && !j->root &&
	    add_auto(&c, STEP_PIDS, 0, 0, NULL, "/proc") < 0)
		goto fail;
	if (j->private_tmp) {
		if ((!j->root && add_auto(&c, STEP_TMPFS, 0, 01777, NULL, "/tmp") < 0) ||
		    add_auto(&c, STEP_TMPFS, STEP_F_OPTIONAL, 01777, NULL,
			     "/var/tmp") < 0)
			goto fail;
	}
	normalise(out);
	if (j->nosuid && add_auto(&c, STEP_NOSUID, 0, 0, NULL, "/") < 0)
		goto fail;

	/* The helper will check the same rules; failing here names the line. */
	char err[512];
	if (plan_validate(out, err, sizeof(err)) < 0) {
		diags_add(d, DIAG_ERROR, j->file, j->line, "jail '%s': %s",
			  j->name, err);
		goto fail;
	}
	return 0;
fail:
	if (d->nerrors == errors)
		diags_add(d, DIAG_ERROR, j->file, j->line, "jail '%s': out of memory",
			  j->name);
	plan_free(out);
	return -1;
}
