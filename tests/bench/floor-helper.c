/* floor-helper: the floor of pam_nsjail's architecture. It does only what
 * any helper of this design must do, with nothing else: read one request
 * from fd 3, unshare(CLONE_NEWNS), make "/" recursively private, make the
 * mounts of the jail under test, send the namespace fd back as SCM_RIGHTS,
 * exit. No validation, no safe path resolution, no capability trimming, no
 * plan decoding: whatever nsjail-helper costs above this is overhead of
 * the implementation, not of the architecture.
 *
 * The mounts are built with the same kernel interfaces as nsjail-helper
 * (fsopen/fsmount/move_mount/open_tree/mount_setattr), so the two make the
 * same mount trees. The request is a few text lines (see pam_floor.c):
 *
 *   H PATH          cover PATH (a directory) with a read-only mode-0000
 *                   directory: a clone of one node of a private tmpfs
 *   T PATH MODE     a fresh tmpfs on PATH (octal MODE), nosuid,nodev
 *   R PATH          PATH and everything below read-only (one
 *                   mount_setattr AT_RECURSIVE)
 *   ROOT            an empty tmpfs stacked on "/"; the lines below are
 *                   relative to it, and the helper pivot_roots into it last
 *   L NAME TARGET   a symlink NAME -> TARGET in the root
 *   B SRC DST       read-only recursive bind of host SRC on DST in the root
 *   A GID           the automatic mounts of a root jail: /proc, read-only
 *                   /sys, /dev (tmpfs, 6 device binds, ptmx, the host's devpts,
 *                   /dev/shm), /tmp, a read-only /etc with 3 small files
 *
 * Reply: an int32 status (0 ok, else errno) with the fd on success. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#define REQ_FD 3
#define NOX (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)

static int fail(const char *what, const char *path)
{
	int err = errno ? errno : EINVAL;
	fprintf(stderr, "floor-helper: %s %s: %s\n", what, path ? path : "",
		strerror(err));
	return -err;
}

/* fsopen + fsconfig + fsmount: a detached new file system. */
static int fs_new(const char *type, const char *opts, unsigned attrs)
{
	int fs = fsopen(type, FSOPEN_CLOEXEC);
	if (fs < 0)
		return -1;
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", opts ? opts : "");
	for (char *save = NULL, *o = strtok_r(buf, ",", &save); o;
	     o = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(o, '=');
		if (eq)
			*eq = '\0';
		if ((eq ? fsconfig(fs, FSCONFIG_SET_STRING, o, eq + 1, 0) :
			  fsconfig(fs, FSCONFIG_SET_FLAG, o, NULL, 0)) < 0) {
			close(fs);
			return -1;
		}
	}
	int m = -1;
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		m = fsmount(fs, FSMOUNT_CLOEXEC, attrs);
	close(fs);
	return m;
}

/* Puts detached mount M on DIRFD/PATH and closes it. */
static int put(int m, int dirfd, const char *path)
{
	if (m < 0)
		return fail("mount", path);
	int r = move_mount(m, "", dirfd, path, MOVE_MOUNT_F_EMPTY_PATH);
	close(m);
	return r < 0 ? fail("move_mount", path) : 0;
}

static int set_ro(int dirfd, const char *path, unsigned flags)
{
	struct mount_attr a = { .attr_set = MOUNT_ATTR_RDONLY };
	if (mount_setattr(dirfd, path, flags, &a, sizeof(a)) < 0)
		return fail("mount_setattr", path);
	return 0;
}

static int hidden(const char *path)
{
	static int node = -1;
	if (node < 0) {
		node = fs_new("tmpfs", "mode=0000,size=4k,nr_inodes=16", NOX);
		if (node < 0 || mkdirat(node, "dir", 0) < 0 ||
		    set_ro(node, "", AT_EMPTY_PATH) < 0)
			return fail("inaccessible node", path);
	}
	return put(open_tree(node, "dir", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC),
		   AT_FDCWD, path);
}

static int tmpfs_at(int dirfd, const char *path, const char *opts,
		    unsigned attrs)
{
	if (dirfd != AT_FDCWD)
		mkdirat(dirfd, path, 0755);
	return put(fs_new("tmpfs", opts, attrs), dirfd, path);
}

static int bind_ro(int root, const char *src, const char *dst)
{
	int c = open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
					      AT_RECURSIVE);
	if (c < 0)
		return fail("open_tree", src);
	struct mount_attr a = { .attr_set = MOUNT_ATTR_RDONLY };
	if (mount_setattr(c, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) < 0)
		return fail("mount_setattr", src);
	mkdirat(root, dst, 0755);
	return put(c, root, dst);
}

/* /dev as nsjail-helper makes it (see helper/rootfs.c auto_dev). */
static int make_dev(int root, unsigned gid, int *devfd)
{
	static const char *const devs[] = { "null", "zero", "full", "random",
					    "urandom", "tty" };
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" },
		{ "stdin", "/proc/self/fd/0" }, { "stdout", "/proc/self/fd/1" },
		{ "stderr", "/proc/self/fd/2" },
	};
	mkdirat(root, "dev", 0755);
	int d = fs_new("tmpfs", "mode=0755,size=64k",
		       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
	if (d < 0 || move_mount(d, "", root, "dev", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return fail("mount", "/dev");
	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		char host[32];
		snprintf(host, sizeof(host), "/dev/%s", devs[i]);
		if (mknodat(d, devs[i], S_IFREG | 0644, 0) < 0)
			return fail("mknodat", host);
		int c = open_tree(AT_FDCWD, host, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (put(c, d, devs[i]) < 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlinkat(links[i][1], d, links[i][0]) < 0)
			return fail("symlinkat", links[i][0]);
	(void)gid; /* the host's devpts keeps its own gid */
	if (mknodat(d, "ptmx", S_IFCHR | 0666, makedev(5, 2)) < 0)
		return fail("mknodat", "/dev/ptmx");
	mkdirat(d, "pts", 0755);
	mkdirat(d, "shm", 01777);
	if (put(open_tree(AT_FDCWD, "/dev/pts", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC), d,
		"pts") < 0 ||
	    put(fs_new("tmpfs", "mode=1777", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV),
		d, "shm") < 0)
		return -1;
	*devfd = d;
	return 0;
}

static int make_etc(int root, int *etcfd)
{
	static const char *const files[][2] = {
		{ "passwd", "root:x:0:0:root:/root:/bin/sh\n"
			    "bench:x:60001:60001::/:/bin/sh\n" },
		{ "group", "root:x:0:\ntty:x:5:\nbench:x:60001:\n" },
		{ "nsswitch.conf", "passwd: files\ngroup: files\n" },
	};
	mkdirat(root, "etc", 0755);
	int m = fs_new("tmpfs", "mode=0755,size=1m", NOX);
	if (m < 0 || move_mount(m, "", root, "etc", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return fail("mount", "/etc");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int f = openat(m, files[i][0], O_WRONLY | O_CREAT | O_EXCL |
						       O_NOFOLLOW | O_CLOEXEC, 0644);
		size_t len = strlen(files[i][1]);
		if (f < 0 || write(f, files[i][1], len) != (ssize_t)len)
			return fail("write", files[i][0]);
		close(f);
	}
	*etcfd = m;
	return 0;
}

static int automatic(int root, unsigned gid, int *devfd, int *etcfd)
{
	mkdirat(root, "proc", 0555);
	mkdirat(root, "sys", 0555);
	if (put(fs_new("proc", NULL, NOX), root, "proc") < 0 ||
	    put(fs_new("sysfs", NULL, NOX | MOUNT_ATTR_RDONLY), root, "sys") < 0 ||
	    make_dev(root, gid, devfd) < 0 ||
	    tmpfs_at(root, "tmp", "mode=1777", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV) < 0 ||
	    make_etc(root, etcfd) < 0)
		return -1;
	return 0;
}

static int enter_root(int root)
{
	if (fchdir(root) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		return fail("pivot_root", NULL);
	return 0;
}

static int apply(char *req)
{
	int root = -1, devfd = -1, etcfd = -1;
	char *save = NULL;
	for (char *l = strtok_r(req, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char a[4096] = "", b[4096] = "", op[8] = "";
		sscanf(l, "%7s %4095s %4095s", op, a, b);
		int r = 0;
		if (strcmp(op, "H") == 0)
			r = hidden(a);
		else if (strcmp(op, "T") == 0) {
			char opts[32];
			snprintf(opts, sizeof(opts), "mode=%s", b[0] ? b : "0755");
			r = tmpfs_at(AT_FDCWD, a, opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
		} else if (strcmp(op, "R") == 0)
			r = set_ro(AT_FDCWD, a, AT_RECURSIVE);
		else if (strcmp(op, "ROOT") == 0) {
			root = fs_new("tmpfs", "mode=0755", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
			if (root < 0 || move_mount(root, "", AT_FDCWD, "/",
						   MOVE_MOUNT_F_EMPTY_PATH) < 0)
				r = fail("mount", "tmpfs root");
		} else if (strcmp(op, "L") == 0 && root >= 0) {
			if (symlinkat(b, root, a) < 0)
				r = fail("symlinkat", a);
		} else if (strcmp(op, "B") == 0 && root >= 0)
			r = bind_ro(root, a, b[0] == '/' ? b + 1 : b);
		else if (strcmp(op, "A") == 0 && root >= 0)
			r = automatic(root, (unsigned)atoi(a), &devfd, &etcfd);
		else {
			errno = EINVAL;
			r = fail("bad request line", l);
		}
		if (r < 0)
			return r;
	}
	if (root >= 0 && enter_root(root) < 0)
		return -1;
	if (devfd >= 0 && set_ro(devfd, "", AT_EMPTY_PATH) < 0)
		return -1;
	if (etcfd >= 0 && set_ro(etcfd, "", AT_EMPTY_PATH) < 0)
		return -1;
	return 0;
}

static int reply(int32_t status, int fd)
{
	struct iovec iov = { &status, sizeof(status) };
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } c;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	memset(&c, 0, sizeof(c));
	if (fd >= 0) {
		m.msg_control = c.buf;
		m.msg_controllen = sizeof(c.buf);
		struct cmsghdr *h = CMSG_FIRSTHDR(&m);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(h), &fd, sizeof(int));
	}
	return sendmsg(REQ_FD, &m, MSG_NOSIGNAL) == sizeof(status) ? 0 : 1;
}

int main(void)
{
	static char req[65536];
	uint32_t len;
	if (read(REQ_FD, &len, sizeof(len)) != sizeof(len) || len >= sizeof(req))
		return reply(EPROTO, -1) + 1;
	for (uint32_t got = 0; got < len;) {
		ssize_t n = read(REQ_FD, req + got, len - got);
		if (n <= 0)
			return reply(EPROTO, -1) + 1;
		got += (uint32_t)n;
	}
	req[len] = '\0';
	if (unshare(CLONE_NEWNS) < 0)
		return reply(errno, -1) + 1;
	int ns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (ns < 0 || mount(NULL, "/", NULL, MS_PRIVATE | MS_REC, NULL) < 0)
		return reply(errno, -1) + 1;
	int r = apply(req);
	if (r < 0)
		return reply(-r, -1) + 1;
	return reply(0, ns);
}
