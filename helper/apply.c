/* Applying a plan: a private mount namespace, then the plan's steps in
 * order, each on an fd from the safe resolver. Phase 1 opens every bind
 * source before anything changes (sources are host paths as they were
 * before the jail); phase 2 mounts, one small function per kind. */
#include "helper.h"
#include "paths.h"
#include "util.h"

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* --- mount primitives (also used by rootfs.c) --------------------------- */

/* A new, detached file system instance: fsopen + fsconfig + fsmount. Not
 * visible anywhere until attach() puts it on a resolved fd. OPTS are
 * "key=value" or "flag" strings, NULL-terminated. */
int fs_new(const char *type, const char *const *opts, unsigned attrs,
	   const char *what, struct herr *e)
{
	int cleanup_fd fs = fsopen(type, FSOPEN_CLOEXEC);
	if (fs < 0)
		return fail_sys(e, errno, "fsopen", what);
	for (; opts && *opts; opts++) {
		char key[64];
		const char *eq = strchr(*opts, '=');
		snprintf(key, sizeof(key), "%.*s", eq ? (int)(eq - *opts) : (int)strlen(*opts), *opts);
		if ((eq ? fsconfig(fs, FSCONFIG_SET_STRING, key, eq + 1, 0) :
			  fsconfig(fs, FSCONFIG_SET_FLAG, key, NULL, 0)) < 0)
			return fail_sys(e, errno, "fsconfig", what);
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return fail_sys(e, errno, "fsconfig create", what);
	int m = fsmount(fs, FSMOUNT_CLOEXEC, attrs);
	return m < 0 ? fail_sys(e, errno, "fsmount", what) : m;
}

/* Puts the detached mount MNT on the object TARGET is an fd of. Both are
 * fds: the path string is only for the message. */
int attach(int mnt, int target, const char *path, struct herr *e)
{
	if (move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return fail_sys(e, errno, "move_mount", path);
	return 0;
}

int set_attr(int fd, unsigned set, unsigned clr, bool recursive, const char *path,
	     struct herr *e)
{
	struct mount_attr a = { .attr_set = set, .attr_clr = clr };
	if (mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a, sizeof(a)) < 0)
		return fail_sys(e, errno, "mount_setattr", path);
	return 0;
}

/* A detached recursive copy of the mount tree at FD (a bind mount). */
int clone_tree(int fd, const char *path, struct herr *e)
{
	int c = open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
	return c < 0 ? fail_sys(e, errno, "open_tree", path) : c;
}

/* --- user steps ---------------------------------------------------------- */

/* The nodes that cover hidden paths, one per file type, mode 0000, in a
 * private tmpfs that is never attached: only single-node clones of it are
 * mounted, read-only, nosuid, nodev, noexec. Devices are covered by a 0:0
 * device of the same type (no driver; nodev anyway). */
static int inaccessible_node(mode_t type, const char *path, struct herr *e)
{
	static int m = -1;
	static const struct { const char *name; mode_t mode; } nodes[] = {
		{ "reg", S_IFREG }, { "fifo", S_IFIFO }, { "sock", S_IFSOCK },
		{ "chr", S_IFCHR }, { "blk", S_IFBLK },
	};
	if (m < 0) {
		static const char *const opts[] = { "mode=0700", "size=4k", "nr_inodes=16", NULL };
		if ((m = fs_new("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
				"inaccessible nodes", e)) < 0)
			return -1;
		if (mkdirat(m, "dir", 0) < 0)
			return fail_sys(e, errno, "mkdirat", "inaccessible dir");
		for (size_t i = 0; i < ARRAY_SIZE(nodes); i++)
			if (mknodat(m, nodes[i].name, nodes[i].mode, makedev(0, 0)) < 0)
				return fail_sys(e, errno, "mknodat", nodes[i].name);
		if (set_attr(m, MOUNT_ATTR_RDONLY, 0, false, "inaccessible nodes", e) < 0)
			return -1;
	}
	const char *name = S_ISDIR(type) ? "dir" : NULL;
	for (size_t i = 0; !name && i < ARRAY_SIZE(nodes); i++)
		if ((type & S_IFMT) == nodes[i].mode)
			name = nodes[i].name;
	if (!name)
		return fail_sys(e, EINVAL, "inaccessible: unknown file type", path);
	int c = open_tree(m, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	return c < 0 ? fail_sys(e, errno, "open_tree", name) : c;
}

static int do_inaccessible(int root, const struct step *s, struct herr *e)
{
	struct stat st;
	int cleanup_fd t = resolve(root, s->dst, 0, &st, e);
	if (t < 0)
		return t;
	int cleanup_fd node = inaccessible_node(st.st_mode, s->dst, e);
	return node < 0 ? -1 : attach(node, t, s->dst, e);
}

/* SRC is the phase-1 clone (already read-only for bind_ro). A missing
 * target is created only inside a tmpfs this jail made. */
static int do_bind(const struct jail_ctx *cx, const struct step *s, int src, bool src_dir,
		   struct herr *e)
{
	struct stat st;
	int cleanup_fd t = resolve_jail(cx, s->dst, src_dir ? RES_CREATE_DIR : RES_CREATE_FILE, &st, e);
	if (t < 0)
		return t;
	if (S_ISDIR(st.st_mode) != src_dir)
		return fail_msg(e, src_dir ? ENOTDIR : EISDIR, "%s is a %s but %s is %s", s->dst,
				S_ISDIR(st.st_mode) ? "directory" : "non-directory", s->src,
				src_dir ? "a directory" : "not");
	return attach(src, t, s->dst, e);
}

static int do_tmpfs(struct jail_ctx *cx, const struct step *s, struct herr *e)
{
	struct stat st;
	char mode[16], size[32], inodes[32];
	int cleanup_fd t = resolve_jail(cx, s->dst, RES_CREATE_DIR, &st, e);
	if (t < 0)
		return t;
	snprintf(mode, sizeof(mode), "mode=%04o", s->arg);
	plan_tmpfs_opts(cx->p, size, inodes);
	const char *const opts[] = { mode, size, inodes, NULL };
	int cleanup_fd m = fs_new("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, s->dst, e);
	if (m < 0 || attach(m, t, s->dst, e) < 0)
		return -1;
	return jail_tmpfs_add(cx, m, s->dst, e);
}

static bool is_mount_root(int fd)
{
	struct statx stx;
	return statx(fd, "", AT_EMPTY_PATH, 0, &stx) == 0 &&
	       (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	       (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

/* A step whose result may be writable: read_only above it must leave its
 * flags alone (systemd's deny list for ReadOnlyPaths=). bind_ro, hidden
 * paths, /sys and /etc are read-only by themselves. */
static bool keeps_flags(enum step_kind k)
{
	return k == STEP_READ_WRITE || k == STEP_BIND || k == STEP_TMPFS ||
	       k == STEP_PROC || k == STEP_PIDS || k == STEP_DEV;
}

/* A subtree below a read_only path that keeps its own flags: a detached
 * recursive copy (each mount with its flags as they are) taken before the
 * read_only, attached back on the same fd after it. */
struct kept {
	const char *dst;
	int at;   /* the fd the copy goes back on */
	int copy;
};

/* read_only D: one mount_setattr over D's subtree (the kernel walks it; no
 * mountinfo scan), which only ever sets MOUNT_ATTR_RDONLY, so no flag the
 * host put on a mount is ever cleared. The subtrees of the jail's own
 * writable steps below D (read_write, bind, tmpfs, /proc, /dev) are copied
 * first and put back on top: they keep their flags, host read-only mounts
 * inside them included. A D that is not a mount root is first bound onto
 * itself, so the change stops at D. */
static int make_read_only(const struct jail_ctx *cx, size_t i, struct herr *e)
{
	const struct step *s = &cx->p->v[i];
	struct stat st;
	int cleanup_fd t = resolve(cx->root, s->dst, 0, &st, e);
	if (t < 0)
		return t;
	if (!is_mount_root(t)) {
		int cleanup_fd self = clone_tree(t, s->dst, e);
		if (self < 0 || attach(self, t, s->dst, e) < 0)
			return -1;
		close(t);
		t = steal_fd(&self);
	}
	struct kept cleanup_free *keep = calloc(cx->p->n, sizeof(*keep));
	size_t nkeep = 0;
	int r = keep ? 0 : fail_sys(e, ENOMEM, "calloc", NULL);
	for (size_t j = 0; r == 0 && j < cx->p->n; j++) {
		const struct step *x = &cx->p->v[j];
		bool inner = false;
		if (!cx->done[j] || !keeps_flags(x->kind) || !path_is_under(x->dst, s->dst) ||
		    strcmp(x->dst, s->dst) == 0)
			continue;
		for (size_t k = 0; k < nkeep && !inner; k++)
			inner = path_is_under(x->dst, keep[k].dst);
		if (inner)
			continue; /* inside a copy already */
		int at = resolve(cx->root, x->dst, 0, &st, e);
		if (at < 0) {
			r = -1; /* it was there in the first pass: never "optional" now */
			break;
		}
		keep[nkeep] = (struct kept){ x->dst, at, clone_tree(at, x->dst, e) };
		if (keep[nkeep++].copy < 0)
			r = -1;
	}
	if (r == 0)
		r = set_attr(t, MOUNT_ATTR_RDONLY, 0, true, s->dst, e);
	for (size_t k = 0; k < nkeep; k++) {
		if (r == 0)
			r = attach(keep[k].copy, keep[k].at, keep[k].dst, e);
		close(keep[k].copy);
		close(keep[k].at);
	}
	return r;
}

/* The last pass: everything read-only is made so only now, when every
 * mount point exists (created while the jail tmpfs were still writable).
 * The jail's own /dev and /etc tmpfs first, alone (their submounts keep
 * their flags), so a copy taken by a read_only above them keeps them
 * read-only; then the read_only steps, parents first. */
static int read_only_pass(const struct jail_ctx *cx, struct herr *e, long *at)
{
	for (size_t k = 0; k < cx->nlock; k++)
		if (set_attr(cx->lock[k].fd, MOUNT_ATTR_RDONLY, 0, false, cx->lock[k].path, e) < 0)
			return -1;
	for (size_t i = 0; i < cx->p->n; i++) {
		const struct step *s = &cx->p->v[i];
		if (s->kind != STEP_READ_ONLY)
			continue;
		*at = (long)i;
		e->dst = s->dst;
		int r = make_read_only(cx, i, e);
		if (r == RES_MISSING && (s->flags & STEP_F_OPTIONAL))
			continue;
		if (r < 0)
			return -1;
	}
	*at = -1;
	e->dst = NULL;
	return 0;
}

/* read_write: nothing to mount (read_only leaves it alone); the path must
 * exist, like every other step's. */
static int check_exists(int root, const struct step *s, struct herr *e)
{
	struct stat st;
	int cleanup_fd t = resolve(root, s->dst, 0, &st, e);
	return t < 0 ? t : 0;
}

/* --- the plan ------------------------------------------------------------ */

struct source {
	int fd;   /* clone of the bind source, or -1 */
	bool dir;
	bool skip; /* optional and missing */
};

/* Steps that put something over their dst. */
static bool covers(enum step_kind k)
{
	return k == STEP_BIND || k == STEP_BIND_RO || k == STEP_TMPFS || k == STEP_PIDS ||
	       k == STEP_PROC || k == STEP_SYS || k == STEP_DEV || k == STEP_ETC;
}

/* The host path a hidden jail path S is reached by: below the innermost
 * bind over it, the bind's source and the rest; below nothing, the path
 * itself, or in an on-disk root the root and the path. NULL where the
 * host has nothing of it (a tmpfs root, a tmpfs or procfs of the jail's). */
static const char *host_path(const struct plan *p, const struct step *s, char *buf, size_t len)
{
	const struct step *cover = NULL;
	for (size_t i = p->has_root ? 1 : 0; i < p->n; i++) {
		const struct step *c = &p->v[i];
		if (covers(c->kind) && c != s && path_is_under(s->dst, c->dst) &&
		    (!cover || strlen(c->dst) > strlen(cover->dst)))
			cover = c;
	}
	const char *base, *rest = s->dst;
	if (cover && (cover->kind == STEP_BIND || cover->kind == STEP_BIND_RO)) {
		base = cover->src;
		rest += strcmp(cover->dst, "/") == 0 ? 0 : strlen(cover->dst);
	} else if (cover || (p->has_root && p->v[0].kind != STEP_ROOT_DIR)) {
		return NULL;
	} else {
		base = p->has_root ? p->v[0].dst : "/";
	}
	int n = snprintf(buf, len, "%s%s", strcmp(base, "/") == 0 ? "" : base, rest);
	return n <= 0 || (size_t)n >= len ? NULL : buf;
}

/* Phase 0: every hidden path is covered on the host's tree of our
 * namespace before phase 1 clones the bind sources (and an on-disk root),
 * so each recursive clone carries the cover, whatever name (another bind,
 * a root-owned symlink) reaches the path. The step still runs at its place
 * later (a bind may have put other content there): double cover is
 * harmless. A path missing on the host is left to that step. */
static int hide_early(int host, const struct plan *p, struct herr *e, long *at)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct step *s = &p->v[i];
		char buf[PATH_MAX];
		const char *path = s->kind == STEP_INACCESSIBLE ? host_path(p, s, buf, sizeof(buf)) : NULL;
		if (!path)
			continue;
		*at = (long)i;
		e->dst = s->dst;
		struct stat st;
		int cleanup_fd t = resolve(host, path, 0, &st, e);
		if (t == RES_MISSING)
			continue;
		int cleanup_fd node = t < 0 ? -1 : inaccessible_node(st.st_mode, path, e);
		if (node < 0 || attach(node, t, path, e) < 0)
			return -1;
	}
	e->msg[0] = '\0';
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
		if (s->kind != STEP_BIND && s->kind != STEP_BIND_RO)
			continue;
		*at = (long)i;
		e->dst = s->dst;
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
	case STEP_SYMLINK: return auto_symlink(root, s, e);
	case STEP_PROC: return auto_proc(cx, s, e);
	case STEP_SYS: return auto_sys(cx, s, e);
	case STEP_DEV: return auto_dev(cx, s, e);
	case STEP_ETC: return auto_etc(cx, s, e);
	case STEP_INACCESSIBLE: return do_inaccessible(root, s, e);
	case STEP_BIND:
	case STEP_BIND_RO: return src[i].skip ? 0 : do_bind(cx, s, src[i].fd, src[i].dir, e);
	case STEP_TMPFS: return do_tmpfs(cx, s, e);
	case STEP_READ_ONLY: return 0; /* in the last pass */
	case STEP_READ_WRITE: return check_exists(root, s, e);
	case STEP_NOSUID: return set_attr(root, MOUNT_ATTR_NOSUID, 0, true, "/", e);
	case STEP_PIDS: return auto_pids(cx, s, e);
	default: return fail_sys(e, EINVAL, "unexpected step", NULL);
	}
}

static void ctx_close(struct jail_ctx *cx)
{
	for (size_t k = 0; k < cx->nlock; k++)
		close(cx->lock[k].fd);
	if (cx->root >= 0)
		close(cx->root);
	free(cx->done);
	free(cx->made);
}

/* The steps in order, then the read-only pass; then pivot_root. */
static int build(struct jail_ctx *cx, const struct source *src, struct herr *e, long *at)
{
	const struct plan *p = cx->p;
	*at = 0;
	if (p->has_root) {
		e->dst = p->v[0].dst;
		cx->root = p->v[0].kind == STEP_ROOT_DIR ? root_dir(&p->v[0], e) : root_tmpfs(cx, e);
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
		cx->done[i] = !src[i].skip; /* a skipped bind made nothing to keep */
		if (src[i].fd >= 0)
			close(src[i].fd);
	}
	if (read_only_pass(cx, e, at) < 0)
		return -1;
	*at = -1;
	e->dst = NULL;
	return p->has_root ? root_enter(cx->root, e) : 0;
}

int apply_plan(const struct plan *p, struct herr *e, long *at)
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
	if (isolate_start(p, e) < 0)
		return -1;
	/* The init joins this mount namespace at once: pivot_root moves its
	 * root with ours. */
	if (plan_has(p, STEP_PIDS) && pidns_start(e) < 0)
		return -1;
	int cleanup_fd host = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (host < 0)
		return fail_sys(e, errno, "open", "/");
	if (isolate_mqueue(p, host, e) < 0)
		return -1;

	struct source cleanup_free *src = calloc(p->n ? p->n : 1, sizeof(*src));
	/* At most one tmpfs per step, the root, /dev and /etc. */
	struct jail_ctx cx = { .p = p, .root = -1, .host = host,
			       .done = calloc(p->n ? p->n : 1, sizeof(*cx.done)),
			       .made = calloc(p->n + 3, sizeof(*cx.made)), .made_max = p->n + 3 };
	int r = src && cx.done && cx.made ? 0 : fail_sys(e, ENOMEM, "calloc", NULL);
	if (r == 0)
		r = hide_early(host, p, e, at);
	if (r == 0)
		r = open_sources(host, p, src, e, at);
	if (r == 0)
		r = build(&cx, src, e, at);
	ctx_close(&cx);
	return r < 0 ? -1 : nsfd; /* on failure we exit next: the other fds go with us */
}
