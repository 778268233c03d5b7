/* The driver: a private mount namespace (and the others the plan asks
 * for), then the passes over the plan, each step on an fd from the safe
 * resolver. Phase 0 covers the hidden paths on the host's tree, phase 1
 * opens every bind source before anything changes (sources are host paths
 * as they were before the jail), phase 2 runs the steps in order (one
 * function per kind, in the step files), the last pass makes what is
 * read-only so (the only one that does), then pivot_root. */
#include "apply.h"
#include "paths.h"
#include "util.h"

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

struct source {
	int fd;   /* clone of the bind source, or -1 */
	bool dir;
	bool skip; /* optional and missing */
	char *link; /* an etc_host piece that is a symlink: its target */
};

/* Whether the jail binds a host tree onto another path: only then can the
 * jail reach a hidden path under a second name of its own making.
 * Without such a bind each hidden path has one name, covered by its own
 * step (an on-disk root and sysfs's fallback are cloned onto themselves).
 * The login records' automatic binds do not count: each is one file onto
 * its own path, and a hidden record is never bound (compile_records). */
static bool binds_host(const struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		enum step_kind k = p->v[i].kind;
		bool user_bind = (k == STEP_BIND || k == STEP_BIND_RO) && !(p->v[i].flags & STEP_F_AUTO);
		if (user_bind || k == STEP_ETC_HOST)
			return true;
	}
	return false;
}

/* Phase 0: every hidden path is covered on the host's tree of our
 * namespace, under the host's other names for it too (another mount of the
 * same file system: a bind the host made), before phase 1 clones the bind
 * sources (and an on-disk root), so each recursive clone carries the
 * covers, whatever name (another bind, a root-owned symlink) reaches the
 * path. The step still runs at its place later (a bind may have put other
 * content there): double cover is harmless. A path missing on the host is
 * left to that step. The path's own name needs the early cover only when
 * the jail binds a host tree (binds_host); its other names always do. */
static int hide_early(struct jail_ctx *cx, bool own_name, struct herr *e, long *at)
{
	const struct plan *p = cx->p;
	struct mount_table mt = { 0 };
	int r = 0;
	for (size_t i = 0; i < p->n && r == 0; i++) {
		const struct step *s = &p->v[i];
		char buf[PATH_MAX];
		const char *path = s->kind == STEP_INACCESSIBLE ? plan_host_path(p, s, buf, sizeof(buf)) : NULL;
		if (!path)
			continue;
		*at = (long)i;
		e->dst = s->dst;
		/* Read once, before the first cover: our covers are not names. */
		if (!mt.v && mount_table_read(&mt, e) < 0) {
			r = -1;
			break;
		}
		r = hide_aliases(cx, &mt, path, e);
		if (r == 0 && own_name)
			r = hide_path(cx, cx->host, path, e);
		if (r == RES_MISSING)
			r = 0;
	}
	mount_table_free(&mt);
	if (r < 0)
		return -1;
	e->ne.msg[0] = '\0';
	return 0;
}

/* Phase 1: a detached clone of every bind source, from the host's "/". */
static int open_sources(int host, const struct plan *p, struct source *src,
			struct herr *e, long *at)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct step *s = &p->v[i];
		struct stat st;
		src[i].fd = -1;
		if (!plan_shows_host(s->kind))
			continue;
		*at = (long)i;
		e->dst = s->dst;
		if (s->kind == STEP_ETC_HOST) {
			int r = etc_piece_open(host, s, &src[i].fd, &src[i].dir, &src[i].link, e);
			if (r == RES_MISSING && (s->flags & STEP_F_OPTIONAL))
				src[i].skip = true;
			else if (r < 0)
				return -1;
			continue;
		}
		int cleanup_fd fd = resolve(host, s->src, 0, &st, e);
		if (fd == RES_MISSING && (s->flags & STEP_F_OPTIONAL)) {
			src[i].skip = true;
			continue;
		}
		if (fd < 0 || (src[i].fd = clone_tree(fd, s->src, e)) < 0)
			return -1;
		src[i].dir = S_ISDIR(st.st_mode);
		if (s->kind == STEP_BIND_RO &&
		    set_attr(src[i].fd, MOUNT_ATTR_RDONLY, 0, true, s->src, e) < 0)
			return -1;
	}
	return 0;
}

static int apply_step(struct jail_ctx *cx, size_t i, const struct source *src, struct herr *e)
{
	const struct step *s = &cx->p->v[i];
	int root = cx->root;
	switch (s->kind) {
	case STEP_SYMLINK: return auto_symlink(cx, s, e);
	case STEP_PROC: return auto_proc(cx, s, e);
	case STEP_SYS: return auto_sys(cx, s, e);
	case STEP_DEV: return auto_dev(cx, s, e);
	case STEP_ETC: return auto_etc(cx, s, e);
	case STEP_INACCESSIBLE: return hide_path(cx, root, s->dst, e);
	case STEP_BIND:
	case STEP_BIND_RO: return src[i].skip ? 0 : step_bind(cx, s, src[i].fd, src[i].dir, e);
	case STEP_TMPFS: return step_tmpfs(cx, s, e);
	case STEP_READ_ONLY: return 0; /* in the last pass */
	case STEP_READ_WRITE: return step_read_write(cx, s, e);
	case STEP_NOSUID: return set_attr(root, MOUNT_ATTR_NOSUID, 0, true, "/", e);
	case STEP_PIDS: return auto_pids(cx, s, e);
	case STEP_ETC_HOST:
		return src[i].skip ? 0 : etc_piece(cx, s, src[i].fd, src[i].dir, src[i].link, e);
	default: return fail_check(e, EINVAL, "unexpected step", NULL);
	}
}

static void ctx_close(struct jail_ctx *cx)
{
	for (size_t k = 0; k < cx->n_ro_last; k++)
		close(cx->ro_last[k].fd);
	if (cx->root >= 0)
		close(cx->root);
	if (cx->hidden_nodes >= 0)
		close(cx->hidden_nodes);
	free(cx->applied);
	free(cx->own_tmpfs);
}

/* The last pass: everything read-only is made so only now, when every
 * mount point exists (created while the jail tmpfs were still writable).
 * The jail's own /dev and /etc tmpfs first, alone (their submounts keep
 * their flags), so a copy taken by a read_only above them keeps them
 * read-only; then the read_only steps, parents first. */
static int read_only_pass(const struct jail_ctx *cx, struct herr *e, long *at)
{
	for (size_t k = 0; k < cx->n_ro_last; k++)
		if (set_attr(cx->ro_last[k].fd, MOUNT_ATTR_RDONLY, 0, false, cx->ro_last[k].path, e) < 0)
			return -1;
	for (size_t i = 0; i < cx->p->n; i++) {
		const struct step *s = &cx->p->v[i];
		if (s->kind != STEP_READ_ONLY)
			continue;
		*at = (long)i;
		e->dst = s->dst;
		int r = step_read_only(cx, i, e);
		if (r == RES_MISSING && (s->flags & STEP_F_OPTIONAL))
			continue;
		if (r < 0)
			return -1;
	}
	*at = -1;
	e->dst = NULL;
	return 0;
}

/* The steps in order, then the read-only pass; then pivot_root. */
static int build(struct jail_ctx *cx, const struct source *src, struct herr *e, long *at)
{
	const struct plan *p = cx->p;
	*at = 0;
	if (p->has_root) {
		e->dst = p->v[0].dst;
		cx->root = p->v[0].kind == STEP_ROOT_DIR ? root_dir(cx, &p->v[0], e) : root_tmpfs(cx, e);
		if (cx->root < 0)
			return -1;
	} else if ((cx->root = dup(cx->host)) < 0) {
		return fail_sys(e, errno, "dup", "/");
	}
	for (size_t i = p->has_root ? 1 : 0; i < p->n; i++) {
		const struct step *s = &p->v[i];
		*at = (long)i;
		e->dst = s->dst;
		int r = apply_step(cx, i, src, e);
		if (r == RES_MISSING && (s->flags & STEP_F_OPTIONAL))
			continue;
		if (r < 0)
			return -1;
		cx->applied[i] = !src[i].skip; /* a skipped bind made nothing to keep */
		if (src[i].fd >= 0)
			close(src[i].fd);
	}
	if (read_only_pass(cx, e, at) < 0)
		return -1;
	*at = -1;
	e->dst = NULL;
	return p->has_root ? root_enter(cx->root, e) : 0;
}

int apply_plan(const struct plan *p, struct jail_ns *ns, struct herr *e, long *at)
{
	*at = -1;
	/* A new mount namespace, a copy of the caller's; the fd we hand back
	 * is taken before anything else could change what /proc shows. */
	if (unshare(CLONE_NEWNS) < 0)
		return fail_sys(e, errno, "unshare", NULL);
	int nsfd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		return fail_sys(e, errno, "open", "/proc/self/ns/mnt");
	/* Private, not slave: none of ours leaves, and no host mount made
	 * later arrives, since one arriving over a parent of a hidden path
	 * would uncover it, and one under a read_only or nosuid jail would come
	 * without the jail's flags (mount_setattr applies once, at setup). */
	if (mount(NULL, "/", NULL, MS_PRIVATE | MS_REC, NULL) < 0)
		return fail_sys(e, errno, "mount MS_PRIVATE", "/");
	/* Network and IPC namespaces before the init, which is born in them,
	 * and before any mqueue is mounted. */
	if (isolate_start(p, ns, e) < 0)
		return -1;
	/* The init joins this mount namespace at once: pivot_root moves its
	 * root with ours. */
	if (plan_has(p, STEP_PIDS) && pidns_start(ns, e) < 0)
		return -1;
	int cleanup_fd host = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (host < 0)
		return fail_sys(e, errno, "open", "/");
	if (isolate_mqueue(p, host, e) < 0)
		return -1;

	struct source cleanup_free *src = calloc(p->n ? p->n : 1, sizeof(*src));
	/* At most one tmpfs per step, the root, /dev and /etc. */
	struct jail_ctx cx = { .p = p, .ns = ns, .root = -1, .host = host, .hidden_nodes = -1,
			       .applied = calloc(p->n ? p->n : 1, sizeof(*cx.applied)),
			       .own_tmpfs = calloc(p->n + 3, sizeof(*cx.own_tmpfs)),
			       .own_tmpfs_max = p->n + 3 };
	int r = src && cx.applied && cx.own_tmpfs ? 0 : fail_sys(e, ENOMEM, "calloc", NULL);
	if (r == 0)
		r = hide_early(&cx, binds_host(p), e, at);
	if (r == 0)
		r = open_sources(host, p, src, e, at);
	if (r == 0)
		r = build(&cx, src, e, at);
	ctx_close(&cx);
	for (size_t i = 0; src && i < p->n; i++)
		free(src[i].link);
	return r < 0 ? -1 : nsfd; /* on failure we exit next: the other fds go with us */
}
