/* The host's pieces of a root jail's synthesized /etc (etc_host steps):
 * alternatives, the time zone, shell start-up files, what the PAM modules
 * after ours read. The compiler planned only paths plan_etc_piece_ok
 * allows (never a known secret; plan_validate checked it again); here,
 * on the opened file, a piece must also be world-readable: the jail shows
 * only what the host shows to everyone. A directory is checked itself and
 * entry by entry, one level (links are resolved in the jail, where they
 * reach only what the jail has); the default pieces are flat.
 * A small regular file (ETC_COPY_MAX, no x bit) is copied into the /etc
 * tmpfs from the fd opened and checked here, not bound: a mount costs more
 * than a write, at login and at the namespace's end. The copy is the file
 * as it was at login; the rest are read-only binds. */
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

/* The largest file copied (auto_etc sizes the /etc tmpfs for one of these
 * per piece). Bound instead: a file with an x bit (the tmpfs is noexec),
 * one not owned by root:root (the copy is ours, we have no CAP_CHOWN). */
#define ETC_COPY_MAX (64 * 1024)

static bool copied(const struct stat *st)
{
	return S_ISREG(st->st_mode) && st->st_size <= ETC_COPY_MAX && !(st->st_mode & 0111) &&
	       st->st_uid == 0 && st->st_gid == 0;
}

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
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || de->d_type == DT_LNK)
			continue; /* a link passes (resolved in the jail): no fstatat */
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
	/* To be copied: opened for reading, the same file (not one put in its
	 * place since), and from here on checked on that fd. */
	if (copied(&st)) {
		struct stat rst;
		int r = openat(p, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (r < 0 || fstat(r, &rst) < 0) {
			int err = errno;
			if (r >= 0)
				close(r);
			return fail_sys(e, err, "open", s->src);
		}
		close(f);
		f = r;
		if (rst.st_dev != st.st_dev || rst.st_ino != st.st_ino)
			return fail_msg(e, EAGAIN, "%s was replaced while it was opened", s->src);
		st = rst;
	}
	if (public_piece(f, &st, s->src, e) < 0)
		return -1;
	if (copied(&st)) {
		*fd = steal_fd(&f);
		return 0;
	}
	int cleanup_fd c = clone_tree(f, s->src, e);
	if (c < 0 || set_attr(c, MOUNT_ATTR_RDONLY, 0, true, s->src, e) < 0)
		return -1;
	*dir = S_ISDIR(st.st_mode);
	*fd = steal_fd(&c);
	return 0;
}

/* SRC's bytes (at most ETC_COPY_MAX: it did not grow since) into the new
 * file DST (ours: root:root, as the host's), then its mode and times. */
static int copy_bytes(int src, int dst, const struct stat *st, const char *path, struct herr *e)
{
	char buf[16384];
	size_t total = 0;
	for (;;) {
		ssize_t n = pread(src, buf, sizeof(buf), (off_t)total);
		if (n < 0)
			return fail_sys(e, errno, "read", path);
		if (n == 0)
			break;
		total += (size_t)n;
		if (total > ETC_COPY_MAX)
			return fail_msg(e, EFBIG, "%s grew past %d bytes while it was copied", path,
					ETC_COPY_MAX);
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(dst, buf + done, (size_t)(n - done));
			if (w < 0)
				return fail_sys(e, errno, "write", path);
			done += w;
		}
	}
	const struct timespec times[2] = { st->st_atim, st->st_mtim };
	if (fchmod(dst, st->st_mode & 0666) < 0 || futimens(dst, times) < 0)
		return fail_sys(e, errno, "fchmod/futimens", path);
	return 0;
}

/* A piece etc_piece_open opened to copy (a readable fd: a clone to bind
 * is an O_PATH one). */
static bool to_copy(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl >= 0 && !(fl & O_PATH);
}

/* The file FD copied to a new S->dst, made only in the jail's own
 * tmpfs; 1 (nothing done) when it is to be bound instead: its directory is
 * a bound host one (an etc_add below a bound piece directory), where only
 * a mount puts something. */
static int etc_copy(const struct jail_ctx *cx, const struct step *s, int fd, struct herr *e)
{
	char parent[PATH_MAX];
	const char *name;
	struct stat st;
	split(s->dst, parent, sizeof(parent), &name);
	int cleanup_fd p = resolve_jail(cx, parent, RES_CREATE_DIR, &st, e);
	if (p < 0)
		return -1;
	if (!jail_tmpfs_has(cx, p))
		return 1; /* never write outside the jail's /etc tmpfs */
	int cleanup_fd t = openat(p, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (t < 0)
		return fail_sys(e, errno, "create", s->dst);
	if (fstat(fd, &st) < 0)
		return fail_sys(e, errno, "fstat", s->src);
	return copy_bytes(fd, t, &st, s->src, e);
}

/* Only into the /etc tmpfs auto_etc made: over an on-disk root's own
 * populated /etc the administrator's files are what the jail shows. */
int etc_piece(const struct jail_ctx *cx, const struct step *s, int fd, bool dir,
	      const char *link, struct herr *e)
{
	struct stat st;
	if (!cx->etc_made)
		return 0;
	int cleanup_fd clone = -1;
	if (!link && to_copy(fd)) {
		int r = etc_copy(cx, s, fd, e);
		if (r <= 0)
			return r;
		clone = clone_tree(fd, s->src, e);
		if (clone < 0 || set_attr(clone, MOUNT_ATTR_RDONLY, 0, true, s->src, e) < 0)
			return -1;
		fd = clone;
	}
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
