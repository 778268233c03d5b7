/* The jail root and its automatic mounts: /proc, /sys, /dev, /etc, the
 * top-level symlinks of a tmpfs root, and pivot_root into it. Nothing is
 * ever written into an on-disk root: writes go only to tmpfs made here
 * (an on-disk root is shown on a tmpfs root of its own, root_dir). */
#include "steps.h"
#include "util.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/major.h>

#define NOX (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)
/* fs/devpts/inode.c: the root of every instance is inode 1. */
#define DEVPTS_ROOT_INO 1

/* A tmpfs root, stacked on "/" of our namespace: the fd is what the steps
 * resolve against; the process root stays the host's until root_enter. */
int root_tmpfs(struct jail_ctx *cx, struct herr *e)
{
	char size[32], inodes[32];
	plan_tmpfs_opts(cx->p, size, inodes);
	const char *const opts[] = { "mode=0755", size, inodes, NULL };
	int cleanup_fd slash = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (slash < 0)
		return fail_sys(e, errno, "open", "/");
	int cleanup_fd r = fs_new("tmpfs", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, "tmpfs root", e);
	if (r < 0 || attach(r, slash, "/", e) < 0 || jail_tmpfs_add(cx, r, "/", e) < 0)
		return -1;
	return steal_fd(&r);
}

/* Whether a later step of P always mounts over "/NAME" (/proc, /sys,
 * /dev, /tmp, a bind onto /usr): the entry needs only its mount point. */
static bool covered(const struct plan *p, const char *name)
{
	for (size_t i = 1; i < p->n; i++) {
		const struct step *s = &p->v[i];
		enum step_kind k = s->kind;
		bool mounts = k == STEP_PROC || k == STEP_PIDS || k == STEP_SYS || k == STEP_DEV ||
			      k == STEP_TMPFS || k == STEP_BIND || k == STEP_BIND_RO;
		if (mounts && !(s->flags & STEP_F_OPTIONAL) && !strcmp(s->dst + 1, name))
			return true;
	}
	return false;
}

/* One entry NAME of an on-disk root (fd DIR) shown in the jail's tmpfs
 * root R: a link copied as it is (root made it: the directory is root's
 * and not writable by others), anything else a recursive bind of it onto
 * a node of its type made in R (only the node where a step mounts over
 * it anyway). */
static int root_entry(const struct plan *p, int dir, int r, const char *name, struct herr *e)
{
	struct stat st;
	int cleanup_fd fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		return fail_sys(e, errno, "openat", name);
	if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlinkat(fd, "", target, sizeof(target));
		if (n < 0 || n >= (ssize_t)sizeof(target))
			return fail_sys(e, n < 0 ? errno : ENAMETOOLONG, "readlink", name);
		target[n] = '\0';
		return symlinkat(target, r, name) < 0 ? fail_sys(e, errno, "symlinkat", name) : 0;
	}
	bool isdir = S_ISDIR(st.st_mode);
	if ((isdir ? mkdirat(r, name, 0755) : mknodat(r, name, S_IFREG | 0644, 0)) < 0)
		return fail_sys(e, errno, isdir ? "mkdirat" : "mknodat", name);
	if (covered(p, name))
		return 0;
	int cleanup_fd c = clone_tree(fd, name, e);
	int cleanup_fd t = c < 0 ? -1 : openat(r, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (c < 0)
		return -1;
	return t < 0 ? fail_sys(e, errno, "openat", name) : attach(c, t, name, e);
}

/* An on-disk root: every component from "/" down root-owned and not
 * group/world-writable (sshd's ChrootDirectory rule), so no user can swap
 * it or anything above it, nor an entry in it. The jail's "/" is a tmpfs
 * (root_tmpfs) with each entry of the directory bound in (recursively,
 * with its own flags), so a mount point the directory lacks (/proc, /dev,
 * /etc, a bind target at the top) is made in the tmpfs, never in the
 * directory: an sftp drop box needs only the upload directory. Below an
 * entry nothing is created. Entries are those at login. */
int root_dir(struct jail_ctx *cx, const struct step *s, struct herr *e)
{
	struct stat st;
	int cleanup_fd d = resolve(cx->host, s->dst, RES_ROOT_CHAIN, &st, e);
	if (d < 0)
		return -1;
	int rd = openat(d, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = rd < 0 ? NULL : fdopendir(rd);
	if (!dir) {
		int err = errno;
		if (rd >= 0)
			close(rd);
		return fail_sys(e, err, "opendir", s->dst);
	}
	int cleanup_fd r = root_tmpfs(cx, e);
	struct dirent *de;
	int res = r < 0 ? -1 : 0;
	errno = 0;
	while (res == 0 && (de = readdir(dir))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			res = root_entry(cx->p, d, r, de->d_name, e);
		errno = 0;
	}
	if (res == 0 && errno)
		res = fail_sys(e, errno, "readdir", s->dst);
	closedir(dir);
	return res < 0 ? -1 : steal_fd(&r);
}

/* pivot_root(".", ".") puts the old root on top of the new one; detaching
 * it leaves no path back to the host tree in this namespace. */
int root_enter(int root, struct herr *e)
{
	if (fchdir(root) < 0)
		return fail_sys(e, errno, "fchdir", "new root");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return fail_sys(e, errno, "pivot_root", NULL);
	if (umount2(".", MNT_DETACH) < 0)
		return fail_sys(e, errno, "umount2 old root", NULL);
	if (chdir("/") < 0)
		return fail_sys(e, errno, "chdir", "/");
	return 0;
}

/* A link in the tmpfs root, e.g. bin -> usr/bin (target checked relative
 * and free of ".." by plan_validate). In a directory root an entry of the
 * directory by that name is already there (root_dir): it is kept. */
int auto_symlink(const struct jail_ctx *cx, const struct step *s, struct herr *e)
{
	if (symlinkat(s->src, cx->root, s->dst + 1) < 0 &&
	    !(errno == EEXIST && cx->p->v[0].kind == STEP_ROOT_DIR))
		return fail_sys(e, errno, "symlinkat", NULL);
	return 0;
}

static int mount_new(const struct jail_ctx *cx, const struct step *s, const char *type,
		     const char *const *opts, unsigned attrs, struct herr *e)
{
	int cleanup_fd t = mount_point(cx, s, e);
	if (t < 0)
		return t;
	int cleanup_fd m = fs_new(type, opts, attrs, s->dst, e);
	if (m < 0 || attach(m, t, s->dst, e) < 0)
		return -1;
	return steal_fd(&m);
}

/* The jail tmpfs at *M is made read-only (alone) by the last pass, which
 * takes the fd. */
static int ro_last_add(struct jail_ctx *cx, int *m, const char *path, struct herr *e)
{
	if (cx->n_ro_last >= ARRAY_SIZE(cx->ro_last))
		return fail_msg(e, ENOSPC, "%s: more than %zu read-only jail tmpfs", path,
				ARRAY_SIZE(cx->ro_last));
	cx->ro_last[cx->n_ro_last].path = path;
	cx->ro_last[cx->n_ro_last++].fd = steal_fd(m);
	return 0;
}

/* A fresh procfs: the host's /proc mount and its submounts are not taken.
 * It shares the host's PID namespace (no private_pids): hidepid=invisible
 * shows only the processes the user could ptrace, her own, so the host's
 * processes and /proc/1/mountinfo (the host's mount table) are not there. */
int auto_proc(struct jail_ctx *cx, const struct step *s, struct herr *e)
{
	static const char *const opts[] = { "hidepid=invisible", NULL };
	int cleanup_fd m = mount_new(cx, s, "proc", opts, NOX, e);
	return m < 0 ? m : 0;
}

/* A fresh sysfs, read-only; if the kernel refuses one, a read-only
 * recursive clone of the host's /sys instead. */
int auto_sys(struct jail_ctx *cx, const struct step *s, struct herr *e)
{
	int cleanup_fd m = mount_new(cx, s, "sysfs", NULL, NOX | MOUNT_ATTR_RDONLY, e);
	if (m >= 0 || m == RES_MISSING || (e->ne.err != EPERM && e->ne.err != ENODEV))
		return m < 0 ? m : 0;
	struct stat st;
	int cleanup_fd t = mount_point(cx, s, e);
	int cleanup_fd host_sys = t < 0 ? -1 : resolve(cx->host, "/sys", 0, &st, e);
	int cleanup_fd c = host_sys < 0 ? -1 : clone_tree(host_sys, "/sys", e);
	if (c < 0 || set_attr(c, NOX | MOUNT_ATTR_RDONLY, 0, true, "/sys", e) < 0)
		return -1;
	return attach(c, t, s->dst, e);
}

/* A terminal device: a pty slave, a virtual console or a serial line. */
static bool is_terminal(dev_t rdev)
{
	unsigned maj = major(rdev);
	return maj == TTY_MAJOR || (maj >= UNIX98_PTY_SLAVE_MAJOR &&
				    maj < UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT);
}

/* The host's device node at path bound onto an empty file NAME in /dev's
 * tmpfs: no CAP_MKNOD, and only the devices named here exist in the jail.
 * term: the node must be a terminal (the caller's). */
static int dev_node(int dev, int host, const char *path, const char *name,
		    bool term, struct herr *e)
{
	struct stat st;
	if (mknodat(dev, name, S_IFREG | 0644, 0) < 0)
		return fail_sys(e, errno, "mknodat", name);
	int cleanup_fd host_node = resolve(host, path, 0, &st, e);
	if (host_node < 0)
		return -1;
	if (!S_ISCHR(st.st_mode) || (term && !is_terminal(st.st_rdev)))
		return fail_check(e, ENODEV, term ? "host terminal" : "host device", path);
	int cleanup_fd c = clone_tree(host_node, path, e);
	int cleanup_fd t = openat(dev, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (c < 0 || set_attr(c, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, MOUNT_ATTR_NODEV,
			      false, path, e) < 0)
		return -1;
	return t < 0 ? fail_sys(e, errno, "openat", path) : attach(c, t, path, e);
}

/* The host's devpts instance (its root, checked on the fd), bound on the
 * jail's /dev/pts: not an instance of the jail's own, whose names repeat
 * in every jail (pts/0), while utmp keys a login's entry by that name
 * (who, last, pam_limits' maxlogins). Its ptys are the host's, with the
 * host's owners and modes, as in a jail without a root. */
static int host_devpts(const struct jail_ctx *cx, struct herr *e)
{
	char path[] = "/dev/pts";
	struct stat st;
	struct statfs sf;
	int cleanup_fd pts = resolve(cx->host, path, 0, &st, e);
	if (pts < 0)
		return -1;
	if (fstatfs(pts, &sf) < 0)
		return fail_sys(e, errno, "fstatfs", path);
	if (sf.f_type != DEVPTS_SUPER_MAGIC || st.st_ino != DEVPTS_ROOT_INO)
		return fail_msg(e, ENODEV, "%s: not the root of a devpts file system "
				"(a root jail shows the host's ptys)", path);
	struct step s = { .kind = STEP_DEV, .dst = path };
	int cleanup_fd t = mount_point(cx, &s, e);
	int cleanup_fd mnt = t < 0 ? -1 : clone_tree(pts, path, e);
	if (mnt < 0 || set_attr(mnt, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, MOUNT_ATTR_NODEV,
			      false, path, e) < 0)
		return -1;
	return attach(mnt, t, path, e);
}

/* A tmpfs /dev whose device nodes are bind mounts of the host's, except
 * ptmx, made here: the kernel finds the devpts of a ptmx node in its own
 * directory ("pts"), which a bind of the host's node is not in, and the
 * host's pts/ptmx is often mode 000. So /dev is not nodev; only we write
 * it, nobody else may make a node (CAP_MKNOD), and the last pass makes it
 * read-only (ro_last_add). Then the host's devpts, /dev/shm and the usual
 * links. */
int auto_dev(struct jail_ctx *cx, const struct step *s, struct herr *e)
{
	int host = cx->host;
	static const char *const devs[] = { "null", "zero", "full", "random", "urandom", "tty" };
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
	};
	static const char *const dev_opts[] = { "mode=0755", "size=64k", NULL };
	char size[32], inodes[32];
	plan_tmpfs_opts(cx->p, size, inodes);
	const char *const shm_opts[] = { "mode=1777", size, inodes, NULL };

	int cleanup_fd m = mount_new(cx, s, "tmpfs", dev_opts,
				     MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, e);
	if (m < 0)
		return m;
	if (jail_tmpfs_add(cx, m, s->dst, e) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(devs); i++) {
		char path[32];
		snprintf(path, sizeof(path), "/dev/%s", devs[i]);
		if (dev_node(m, host, path, devs[i], false, e) < 0)
			return -1;
	}
	if (mknodat(m, "ptmx", S_IFCHR | 0600, makedev(TTYAUX_MAJOR, 2)) < 0)
		return fail_sys(e, errno, "mknodat", "/dev/ptmx");
	if (fchmodat(m, "ptmx", 0666, 0) < 0) /* not the umask's */
		return fail_sys(e, errno, "fchmodat", "/dev/ptmx");
	/* The caller's terminal when it is a console or a serial line (a pty
	 * of the host is in the host's devpts): under a name of its own,
	 * ttyname() finds it. */
	if (s->src && dev_node(m, host, s->src, "tty-host", true, e) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(links); i++)
		if (symlinkat(links[i][1], m, links[i][0]) < 0)
			return fail_sys(e, errno, "symlinkat", links[i][0]);
	if (host_devpts(cx, e) < 0)
		return -1;
	struct step shm = { .kind = STEP_DEV, .dst = "/dev/shm" };
	int cleanup_fd shm_mnt =
		mount_new(cx, &shm, "tmpfs", shm_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, e);
	if (shm_mnt < 0)
		return -1;
	/* private_ipc: the new IPC namespace's queues (isolate_start made it
	 * before any step), as the host has its own on /dev/mqueue. */
	struct step mq = { .kind = STEP_DEV, .dst = "/dev/mqueue" };
	if (cx->p->isolate & PLAN_ISO_IPC) {
		int cleanup_fd q = mount_new(cx, &mq, "mqueue", NULL, NOX, e);
		if (q < 0)
			return -1;
	}
	return ro_last_add(cx, &m, "/dev", e);
}

/* 1 when the directory FD is empty, 0 when not, -1 (e filled in) when it
 * cannot be read: never a guess. */
static int dir_is_empty(int fd, const char *path, struct herr *e)
{
	int d = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = d < 0 ? NULL : fdopendir(d);
	if (!dir) {
		int err = errno;
		if (d >= 0)
			close(d);
		return fail_sys(e, err, "opendir", path);
	}
	struct dirent *de;
	int empty = 1;
	errno = 0;
	while (empty && (de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	int err = empty ? errno : 0; /* readdir: NULL and errno set on error */
	closedir(dir);
	return err ? fail_sys(e, err, "readdir", path) : empty;
}

/* Small read-only /etc/{passwd,group,nsswitch.conf} on a tmpfs over an
 * empty or missing /etc (made in the jail's tmpfs root); over a populated
 * one (an on-disk root's own /etc) the administrator's files are kept and
 * the host's pieces (etc_host steps) are not shown: cx->etc_made says. */
int auto_etc(struct jail_ctx *cx, const struct step *s, struct herr *e)
{
	struct stat st;
	int cleanup_fd t = resolve_jail(cx, s->dst, RES_CREATE_DIR, &st, e);
	if (t < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return fail_check(e, ENOTDIR, "mount point", NULL);
	int empty = dir_is_empty(t, s->dst, e);
	if (empty <= 0)
		return empty;
	/* 1 MiB for the synthesized files, and room for each etc_host piece
	 * copied whole (etchost.c: at most 64 KiB each). Only we write here:
	 * the last pass makes it read-only. */
	size_t pieces = 0;
	for (size_t i = 0; i < cx->p->n; i++)
		pieces += cx->p->v[i].kind == STEP_ETC_HOST;
	char size[32];
	snprintf(size, sizeof(size), "size=%zuk", 1024 + pieces * 64);
	const char *const opts[] = { "mode=0755", size, NULL };
	int cleanup_fd m = fs_new("tmpfs", opts, NOX, s->dst, e);
	if (m < 0 || attach(m, t, s->dst, e) < 0 || jail_tmpfs_add(cx, m, s->dst, e) < 0)
		return -1;
	for (size_t off = 0; off < s->data_len;) {
		const char *name = s->data + off, *text = name + strlen(name) + 1;
		size_t len = strlen(text);
		off = (size_t)(text - s->data) + len + 1;
		int cleanup_fd f = openat(m, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (f < 0)
			return fail_sys(e, errno, "create", name);
		for (size_t done = 0; done < len;) {
			ssize_t n = write(f, text + done, len - done);
			if (n < 0)
				return fail_sys(e, errno, "write", name);
			done += (size_t)n;
		}
		if (close(steal_fd(&f)) < 0)
			return fail_sys(e, errno, "close", name);
	}
	cx->etc_made = true;
	return ro_last_add(cx, &m, "/etc", e);
}
