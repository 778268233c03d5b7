/* The user's steps: hidden paths, bind, bind_ro, tmpfs, read_write, and
 * read_only (run by the driver's last pass). Each works on fds from the
 * safe resolver, on what the driver passes in (the jail's context, the
 * clone of a bind source). */
#include "steps.h"
#include "paths.h"
#include "util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <limits.h>
#include <unistd.h>

/* The nodes that cover hidden paths, one per file type, mode 0000, in a
 * private tmpfs that is never attached: only single-node clones of it are
 * mounted, read-only, nosuid, nodev, noexec. Devices are covered by a 0:0
 * device of the same type (no driver; nodev anyway). */
static int inaccessible_node(struct jail_ctx *cx, mode_t type, const char *path,
			     struct herr *e)
{
	static const struct { const char *name; mode_t mode; } nodes[] = {
		{ "reg", S_IFREG }, { "fifo", S_IFIFO }, { "sock", S_IFSOCK },
		{ "chr", S_IFCHR }, { "blk", S_IFBLK },
	};
	if (cx->hidden_nodes < 0) {
		static const char *const opts[] = { "mode=0700", "size=4k", "nr_inodes=16", NULL };
		int m = cx->hidden_nodes = fs_new("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
					   MOUNT_ATTR_NOEXEC, "inaccessible nodes", e);
		if (m < 0)
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
		return fail_check(e, EINVAL, "inaccessible: unknown file type", path);
	int c = open_tree(cx->hidden_nodes, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	return c < 0 ? fail_sys(e, errno, "open_tree", name) : c;
}

/* An inaccessible step, and the driver's early cover of a hidden path on
 * the host's tree. */
int hide_path(struct jail_ctx *cx, int root, const char *path, struct herr *e)
{
	struct stat st;
	int cleanup_fd t = resolve(root, path, 0, &st, e);
	if (t < 0)
		return t;
	int cleanup_fd node = inaccessible_node(cx, st.st_mode, path, e);
	return node < 0 ? -1 : attach(node, t, path, e);
}

/* The kernel's name of the object FD is open on, in our namespace. */
static int fd_name(int fd, char *buf, size_t len, struct herr *e)
{
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, buf, len - 1);
	if (n < 0)
		return fail_sys(e, errno, "readlink", link);
	buf[n] = '\0';
	return 0;
}

static int mount_id(int fd, unsigned *id, struct herr *e, const char *path)
{
	struct statx stx;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0)
		return fail_sys(e, errno, "statx", path);
	if (!(stx.stx_mask & STATX_MNT_ID))
		return fail_check(e, ENOSYS, "statx: no mount id", path);
	*id = (unsigned)stx.stx_mnt_id;
	return 0;
}

/* Covers PATH (a hidden path on the host's tree) under every other name
 * MT, our namespace's mount table read before the first cover, gives it:
 * another mount of the same file system whose root holds it (a bind the
 * host made). A name counts only when it reaches the very object (same
 * device and inode): a mount stacked on top of the one the table lists
 * shows something else, left alone. PATH missing passes RES_MISSING. */
int hide_aliases(struct jail_ctx *cx, const struct mount_table *mt, const char *path,
		 struct herr *e)
{
	struct stat st;
	char name[PATH_MAX];
	unsigned id = 0;
	int cleanup_fd t = resolve(cx->host, path, 0, &st, e);
	if (t < 0)
		return t;
	if (fd_name(t, name, sizeof(name), e) < 0 || mount_id(t, &id, e, path) < 0)
		return -1;
	char *alias[64];
	int n = mount_aliases(mt, id, name, alias, ARRAY_SIZE(alias));
	if (n < 0)
		return fail_sys(e, ENOMEM, "mount_aliases", path);
	int r = 0;
	for (int i = 0; i < n; i++) {
		struct stat ast;
		int cleanup_fd a = r < 0 ? -1 : resolve(cx->host, alias[i], 0, &ast, e);
		if (a >= 0 && ast.st_dev == st.st_dev && ast.st_ino == st.st_ino) {
			int cleanup_fd node = inaccessible_node(cx, ast.st_mode, alias[i], e);
			r = node < 0 ? -1 : attach(node, a, alias[i], e);
		} else if (a == -1 && r == 0) {
			r = -1;
		}
		free(alias[i]);
	}
	return r;
}

/* SRC is the phase-1 clone (already read-only for bind_ro). A missing
 * target is created only inside a tmpfs this jail made. */
int step_bind(const struct jail_ctx *cx, const struct step *s, int src, bool src_dir,
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

int step_tmpfs(struct jail_ctx *cx, const struct step *s, struct herr *e)
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
int step_read_only(const struct jail_ctx *cx, size_t i, struct herr *e)
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
		if (!cx->applied[j] || !keeps_flags(x->kind) || !path_is_under(x->dst, s->dst) ||
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

/* read_write: nothing to mount (read_only leaves it alone); the path must
 * exist, like every other step's. */
int step_read_write(const struct jail_ctx *cx, const struct step *s, struct herr *e)
{
	struct stat st;
	int cleanup_fd t = resolve(cx->root, s->dst, 0, &st, e);
	return t < 0 ? t : 0;
}

