/* Applying a plan: a private mount namespace, then the plan's steps in
 * order, each on an fd from the safe resolver. Phase 1 opens every bind
 * source before anything changes (sources are host paths as they were
 * before the jail); phase 2 mounts, one small function per kind. */
#include "helper.h"
#include "util.h"

#include <fcntl.h>
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

/* Mounts made read-only after pivot_root, once their mount points exist. */
static struct { int fd; const char *path; } deferred[8];
static size_t ndeferred;

int defer_read_only(int mntfd, const char *path)
{
	if (ndeferred >= ARRAY_SIZE(deferred))
		return -1; /* never silently leave one writable */
	deferred[ndeferred].fd = mntfd;
	deferred[ndeferred++].path = path;
	return 0;
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
static int do_bind(int root, const struct step *s, int src, bool src_dir, struct herr *e)
{
	struct stat st;
	int cleanup_fd t = resolve(root, s->dst, src_dir ? RES_CREATE_DIR : RES_CREATE_FILE, &st, e);
	if (t < 0)
		return t;
	if (S_ISDIR(st.st_mode) != src_dir)
		return fail_msg(e, src_dir ? ENOTDIR : EISDIR, "%s is a %s but %s is %s", s->dst,
				S_ISDIR(st.st_mode) ? "directory" : "non-directory", s->src,
				src_dir ? "a directory" : "not");
	return attach(src, t, s->dst, e);
}

static int do_tmpfs(int root, const struct plan *p, const struct step *s, struct herr *e)
{
	struct stat st;
	char mode[16], size[32], inodes[32];
	int cleanup_fd t = resolve(root, s->dst, RES_CREATE_DIR, &st, e);
	if (t < 0)
		return t;
	snprintf(mode, sizeof(mode), "mode=%04o", s->arg);
	plan_tmpfs_opts(p, size, inodes);
	const char *const opts[] = { mode, size, inodes, NULL };
	int m = fs_new("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, s->dst, e);
	if (m < 0 || attach(m, t, s->dst, e) < 0) {
		if (m >= 0)
			close(m);
		return -1;
	}
	jail_tmpfs_add(m);
	return 0;
}

static bool is_mount_root(int fd)
{
	struct statx stx;
	return statx(fd, "", AT_EMPTY_PATH, 0, &stx) == 0 &&
	       (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	       (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

/* read_only / read_write / nosuid: one mount_setattr over the subtree (the
 * kernel walks it; no mountinfo scan). A path that is not a mount root is
 * first bound onto itself, so the change stops at that path. */
static int do_attr(int root, const struct step *s, unsigned set, unsigned clr, struct herr *e)
{
	struct stat st;
	int cleanup_fd t = resolve(root, s->dst, 0, &st, e);
	if (t < 0)
		return t;
	if (!is_mount_root(t)) {
		int self = clone_tree(t, s->dst, e);
		if (self < 0 || attach(self, t, s->dst, e) < 0) {
			if (self >= 0)
				close(self);
			return -1;
		}
		close(t);
		t = self;
	}
	return set_attr(t, set, clr, true, s->dst, e);
}

/* --- the plan ------------------------------------------------------------ */

struct source {
	int fd;   /* clone of the bind source, or -1 */
	bool dir;
	bool skip; /* optional and missing */
};

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

static int apply_step(int root, int host, const struct plan *p, size_t i,
		      const struct source *src, struct herr *e)
{
	const struct step *s = &p->v[i];
	bool tmpfs_root = p->v[0].kind == STEP_ROOT_TMPFS;
	switch (s->kind) {
	case STEP_SYMLINK: return auto_symlink(root, s, e);
	case STEP_PROC: return auto_proc(root, s, e);
	case STEP_SYS: return auto_sys(root, host, s, e);
	case STEP_DEV: return auto_dev(root, host, p, s, e);
	case STEP_ETC: return auto_etc(root, tmpfs_root, s, e);
	case STEP_INACCESSIBLE: return do_inaccessible(root, s, e);
	case STEP_BIND:
	case STEP_BIND_RO: return src[i].skip ? 0 : do_bind(root, s, src[i].fd, src[i].dir, e);
	case STEP_TMPFS: return do_tmpfs(root, p, s, e);
	case STEP_READ_ONLY: return do_attr(root, s, MOUNT_ATTR_RDONLY, 0, e);
	case STEP_READ_WRITE: return do_attr(root, s, 0, MOUNT_ATTR_RDONLY, e);
	case STEP_NOSUID: return set_attr(root, MOUNT_ATTR_NOSUID, 0, true, "/", e);
	case STEP_PIDS: return auto_pids(root, s, e);
	default: return fail_sys(e, EINVAL, "unexpected step", NULL);
	}
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
	/* The init joins this mount namespace at once: pivot_root moves its
	 * root with ours. */
	if (plan_has(p, STEP_PIDS) && pidns_start(e) < 0)
		return -1;
	int cleanup_fd host = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (host < 0)
		return fail_sys(e, errno, "open", "/");

	struct source cleanup_free *src = calloc(p->n ? p->n : 1, sizeof(*src));
	if (!src)
		return fail_sys(e, ENOMEM, "calloc", NULL);
	if (open_sources(host, p, src, e, at) < 0)
		return -1; /* we exit next: fds and memory go with us */

	int root;
	size_t first = p->has_root ? 1 : 0;
	*at = 0;
	if (p->has_root)
		e->dst = p->v[0].dst;
	root = !p->has_root ? dup(host) :
	       p->v[0].kind == STEP_ROOT_DIR ? root_dir(&p->v[0], e) : root_tmpfs(p, e);
	if (root < 0)
		return e->msg[0] ? -1 : fail_sys(e, errno, "dup", "/");

	for (size_t i = first; i < p->n; i++) {
		const struct step *s = &p->v[i];
		*at = (long)i;
		e->dst = s->dst;
		int r = apply_step(root, host, p, i, src, e);
		if (r == RES_MISSING && (s->flags & STEP_F_OPTIONAL))
			continue;
		if (r < 0)
			return -1;
		if (src[i].fd >= 0)
			close(src[i].fd);
	}
	*at = -1;
	e->dst = NULL;
	if (p->has_root && root_enter(root, e) < 0)
		return -1;
	for (size_t i = 0; i < ndeferred; i++)
		if (set_attr(deferred[i].fd, MOUNT_ATTR_RDONLY, 0, false, deferred[i].path, e) < 0)
			return -1;
	close(root);
	return nsfd;
}
