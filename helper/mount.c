/* Mount primitives: the new mount API on fds only (a path string is only
 * ever a message), and the record of the tmpfs the jail made itself. */
#include "mounts.h"
#include "util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* --- tmpfs mounts the jail made ----------------------------------------- */

int jail_tmpfs_add(struct jail_ctx *cx, int mntfd, const char *path, struct herr *e)
{
	struct stat st;
	if (fstat(mntfd, &st) < 0)
		return fail_sys(e, errno, "fstat", path);
	if (cx->n_own_tmpfs >= cx->own_tmpfs_max)
		return fail_msg(e, ENOSPC, "%s: more than %zu tmpfs in one jail", path, cx->own_tmpfs_max);
	cx->own_tmpfs[cx->n_own_tmpfs++] = st.st_dev;
	return 0;
}

bool jail_tmpfs_has(const struct jail_ctx *cx, int fd)
{
	struct stat st;
	if (!cx || fstat(fd, &st) < 0)
		return false;
	for (size_t i = 0; i < cx->n_own_tmpfs; i++)
		if (cx->own_tmpfs[i] == st.st_dev)
			return true;
	return false;
}

/* The mount table of our namespace, as /proc/self/mountinfo shows it now. */
int mount_table_read(struct mount_table *t, struct herr *e)
{
	int cleanup_fd fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail_sys(e, errno, "open", "/proc/self/mountinfo");
	size_t len = 0, cap = 1 << 16;
	char cleanup_free *buf = malloc(cap);
	for (;;) {
		if (!buf)
			return fail_sys(e, ENOMEM, "malloc", "/proc/self/mountinfo");
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail_sys(e, errno, "read", "/proc/self/mountinfo");
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap) {
			char *nb = cap < (64u << 20) ? realloc(buf, cap *= 2) : NULL;
			if (!nb)
				return fail_sys(e, ENOMEM, "realloc", "/proc/self/mountinfo");
			buf = nb;
		}
	}
	if (mount_table_parse(buf, len, t) < 0)
		return fail_sys(e, ENOMEM, "parse", "/proc/self/mountinfo");
	return 0;
}
