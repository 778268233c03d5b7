/* The safe resolver (SPEC §3 "Safety of paths"). pam_namespace's
 * CVE-2025-6020 came from root following paths a user could change; here a
 * path is walked one component at a time with O_PATH|O_NOFOLLOW and fstat:
 *  - nothing is opened for reading, so a planted FIFO or device is inert;
 *  - a symlink is followed only if root owns it and its directory is root's
 *    and not group/world-writable (Debian's /lib -> usr/lib), so no user can
 *    have planted or replaced it; its target is applied lexically and the
 *    walk restarts from the jail root, so ".." and absolute targets stay in
 *    the jail (like RESOLVE_IN_ROOT), and magic links are never traversed;
 *  - the caller mounts on the returned fd: a later rename cannot redirect it.
 * Renaming a component while we walk only changes which real directory we
 * reach through directories the renamer already controls. */
#include "resolve.h"
#include "util.h"
#include "walkrule.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINKS 40

/* The rule of sshd's ChrootDirectory, for every directory of a root. */
static int check_chain(const char *comp, const struct stat *st, struct herr *e)
{
	if (chain_ok(st))
		return 0;
	return fail_msg(e, EPERM, "%s is owned by uid %u with mode %04o (every component "
			"must be a directory owned by root, not group/world-writable)",
			comp, (unsigned)st->st_uid, (unsigned)(st->st_mode & 07777));
}

/* Creates NAME in DIR, which lies in a tmpfs the jail made: nobody else is
 * in this namespace yet, so nothing can race us there, and nothing in it
 * is read-only before the last pass. */
static int create(int dir, const char *name, bool as_dir)
{
	int r = as_dir ? mkdirat(dir, name, 0755) : mknodat(dir, name, S_IFREG | 0644, 0);
	return r < 0 && errno != EEXIST ? -1 : 0;
}

/* Follows the symlink at FD (named COMP, in the directory DIRST) by
 * rewriting PATH lexically: its target, then the REST not yet walked. */
static int follow(int fd, const struct stat *lst, const struct stat *dirst,
		  const char *comp, const char *rest, const char *orig,
		  char *path, size_t pathlen, struct herr *e)
{
	switch (link_verdict(lst, dirst)) {
	case LINK_FOLLOW:
		break;
	case LINK_USER_LINK:
		return fail_msg(e, EPERM, "%s: refusing to follow symlink %s owned by uid %u "
				"(user-controlled)", orig, comp, (unsigned)lst->st_uid);
	case LINK_USER_DIR:
		return fail_msg(e, EPERM, "%s: refusing to follow symlink %s in a directory "
				"owned by uid %u with mode %04o (user-controlled)", orig, comp,
				(unsigned)dirst->st_uid, (unsigned)(dirst->st_mode & 07777));
	}
	char target[PATH_MAX];
	ssize_t n = readlinkat(fd, "", target, sizeof(target));
	if (n < 0 || n >= (ssize_t)sizeof(target))
		return fail_sys(e, n < 0 ? errno : ENAMETOOLONG, "readlink", comp);
	target[n] = '\0';
	if (link_rewrite(path, pathlen, comp, target, rest) < 0)
		return fail_check(e, ENAMETOOLONG, "resolve", orig);
	return 0;
}

static int walk(int root, const char *orig, unsigned flags, const struct jail_ctx *cx,
		struct stat *st, struct herr *e)
{
	char path[PATH_MAX], comp[PATH_MAX];
	snprintf(path, sizeof(path), "%s", orig);
	for (int links = 0;; links++) {
		if (links > MAX_LINKS)
			return fail_check(e, ELOOP, "resolve", orig);
		int cleanup_fd fd = openat(root, ".", O_PATH | O_CLOEXEC | O_DIRECTORY);
		if (fd < 0 || fstat(fd, st) < 0)
			return fail_sys(e, errno, "open", "/");
		if ((flags & RES_ROOT_CHAIN) && check_chain("/", st, e) < 0)
			return -1;
		bool restarted = false;
		size_t clen = 0;
		comp[0] = '\0';
		for (const char *c = path + 1; *c && !restarted;) {
			const char *end = strchrnul(c, '/');
			char name[NAME_MAX + 1];
			size_t n = (size_t)(end - c);
			if (n > NAME_MAX || clen + 1 + n >= sizeof(comp))
				return fail_check(e, ENAMETOOLONG, "resolve", orig);
			memcpy(name, c, n);
			name[n] = '\0';
			comp[clen++] = '/';
			memcpy(comp + clen, name, n + 1);
			clen += n;
			bool last = !*end;
			if (!S_ISDIR(st->st_mode))
				return fail_check(e, ENOTDIR, "resolve", comp);
			struct stat dirst = *st;
			int nfd = openat(fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
			if (nfd < 0 && errno == ENOENT && (flags & (RES_CREATE_DIR | RES_CREATE_FILE)) &&
			    jail_tmpfs_has(cx, fd)) {
				if (create(fd, name, !last || !(flags & RES_CREATE_FILE)) < 0)
					return fail_sys(e, errno, "create", comp);
				nfd = openat(fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
			}
			if (nfd < 0 && errno == ENOENT) {
				fail_msg(e, ENOENT, "%s does not exist", comp);
				return RES_MISSING;
			}
			if (nfd < 0 || fstat(nfd, st) < 0)
				return fail_sys(e, errno, "openat", comp);
			close(fd);
			fd = nfd;
			if (S_ISLNK(st->st_mode)) {
				if (follow(fd, st, &dirst, comp, end, orig, path, sizeof(path), e) < 0)
					return -1;
				restarted = true;
				continue;
			}
			if ((flags & RES_ROOT_CHAIN) && check_chain(comp, st, e) < 0)
				return -1;
			c = last ? end : end + 1;
		}
		if (!restarted)
			return steal_fd(&fd);
	}
}

int resolve(int root, const char *path, unsigned flags, struct stat *st, struct herr *e)
{
	return walk(root, path, flags & RES_ROOT_CHAIN, NULL, st, e);
}

int resolve_jail(const struct jail_ctx *cx, const char *path, unsigned flags,
		 struct stat *st, struct herr *e)
{
	return walk(cx->root, path, flags, cx, st, e);
}

int mount_point(const struct jail_ctx *cx, const struct step *s, struct herr *e)
{
	struct stat st;
	int fd = resolve_jail(cx, s->dst, RES_CREATE_DIR, &st, e);
	if (fd >= 0 && !S_ISDIR(st.st_mode)) {
		close(fd);
		return fail_check(e, ENOTDIR, "mount point", NULL);
	}
	return fd;
}
