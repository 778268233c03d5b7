/* The host's pieces of a root jail's synthesized /etc (etc_host steps):
 * alternatives, the time zone, shell start-up files, what the PAM modules
 * after ours read. The compiler planned only paths plan_etc_piece_ok
 * allows (never a known secret; plan_validate checked it again); here,
 * on the opened file, a piece must also be world-readable: the jail shows
 * only what the host shows to everyone. A directory is checked itself and
 * entry by entry, one level (links are resolved in the jail, where they
 * reach only what the jail has); the default pieces are flat. */
#include "steps.h"
#include "util.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static bool readable(const struct stat *st)
{
	return (st->st_mode & S_IROTH) && (!S_ISDIR(st->st_mode) || (st->st_mode & S_IXOTH));
}

static int not_public(const char *path, const char *name, const struct stat *st, struct herr *e)
{
	return fail_msg(e, EACCES, "%s%s%s is not world-readable (mode %04o): a piece of the jail's "
			"/etc must be (or drop it with etc_remove)", path, name ? "/" : "",
			name ? name : "", (unsigned)(st->st_mode & 07777));
}

/* FD (PATH) and, for a directory, each entry in it: world-readable,
 * files and directories only (links pass: resolved in the jail). */
static int public_piece(int fd, const struct stat *st, const char *path, struct herr *e)
{
	if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))
		return fail_msg(e, EPERM, "%s is not a file, directory or symlink", path);
	if (!readable(st))
		return not_public(path, NULL, st, e);
	if (!S_ISDIR(st->st_mode))
		return 0;
	int d = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = d < 0 ? NULL : fdopendir(d);
	if (!dir) {
		int err = errno;
		if (d >= 0)
			close(d);
		return fail_sys(e, err, "opendir", path);
	}
	int r = 0;
	struct dirent *de;
	errno = 0;
	while (r == 0 && (de = readdir(dir))) {
		struct stat est;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(dir), de->d_name, &est, AT_SYMLINK_NOFOLLOW) < 0)
			r = fail_sys(e, errno, "fstatat", de->d_name);
		else if (!S_ISLNK(est.st_mode) && !readable(&est))
			r = not_public(path, de->d_name, &est, e);
		errno = 0;
	}
	if (r == 0 && errno)
		r = fail_sys(e, errno, "readdir", path);
	closedir(dir);
	return r;
}

/* S's dst split at its last '/' (dst is normal and below /etc). */
static void split(const char *path, char *parent, size_t len, const char **name)
{
	const char *slash = strrchr(path, '/');
	size_t n = (size_t)(slash - path);
	if (n >= len)
		n = len - 1;
	memcpy(parent, path, n);
	parent[n] = '\0';
	*name = slash + 1;
}

int etc_piece_open(int host, const struct step *s, int *fd, bool *dir, char **link,
		   struct herr *e)
{
	char parent[PATH_MAX];
	const char *name;
	struct stat st;
	split(s->src, parent, sizeof(parent), &name);
	int cleanup_fd p = resolve(host, parent, 0, &st, e);
	if (p < 0)
		return p;
	if (!S_ISDIR(st.st_mode))
		return fail_check(e, ENOTDIR, "parent", parent);
	int cleanup_fd f = openat(p, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (f < 0 && errno == ENOENT) {
		fail_msg(e, ENOENT, "%s does not exist", s->src);
		return RES_MISSING;
	}
	if (f < 0 || fstat(f, &st) < 0)
		return fail_sys(e, errno, "openat", s->src);
	if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlinkat(f, "", target, sizeof(target));
		if (n < 0 || n >= (ssize_t)sizeof(target))
			return fail_sys(e, n < 0 ? errno : ENAMETOOLONG, "readlink", s->src);
		target[n] = '\0';
		*link = strdup(target);
		return *link ? 0 : fail_sys(e, ENOMEM, "strdup", NULL);
	}
	if (public_piece(f, &st, s->src, e) < 0)
		return -1;
	int cleanup_fd c = clone_tree(f, s->src, e);
	if (c < 0 || set_attr(c, MOUNT_ATTR_RDONLY, 0, true, s->src, e) < 0)
		return -1;
	*dir = S_ISDIR(st.st_mode);
	*fd = steal_fd(&c);
	return 0;
}

/* Only into the /etc tmpfs auto_etc made: over an on-disk root's own
 * populated /etc the administrator's files are what the jail shows. */
int etc_piece(const struct jail_ctx *cx, const struct step *s, int fd, bool dir,
	      const char *link, struct herr *e)
{
	struct stat st;
	if (!cx->etc_made)
		return 0;
	if (link) {
		char parent[PATH_MAX];
		const char *name;
		split(s->dst, parent, sizeof(parent), &name);
		int cleanup_fd p = resolve_jail(cx, parent, RES_CREATE_DIR, &st, e);
		if (p < 0)
			return -1;
		if (!jail_tmpfs_has(cx, p))
			return fail_msg(e, EPERM, "%s: not in the jail's /etc", parent);
		return symlinkat(link, p, name) < 0 ? fail_sys(e, errno, "symlinkat", NULL) : 0;
	}
	int cleanup_fd t = resolve_jail(cx, s->dst, dir ? RES_CREATE_DIR : RES_CREATE_FILE, &st, e);
	if (t < 0)
		return -1;
	if (S_ISDIR(st.st_mode) != dir)
		return fail_msg(e, dir ? ENOTDIR : EISDIR, "%s: a file and a directory", s->dst);
	return attach(fd, t, s->dst, e);
}
