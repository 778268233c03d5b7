/* esc_probe: one syscall per invocation for the escape tests
 * (tests/escape/t_*.sh), so a test can assert the exact errno an attack
 * gets instead of a tool's paraphrase of it (util-linux umount prints
 * "not mounted" for EINVAL).
 *
 *   esc_probe umount PATH          umount2(PATH, 0)
 *   esc_probe umount-l PATH        umount2(PATH, MNT_DETACH)
 *   esc_probe move FROM TO         mount(FROM, TO, MS_MOVE)
 *   esc_probe bind FROM TO         mount(FROM, TO, MS_BIND)  (not recursive)
 *   esc_probe remount-rw PATH      mount(PATH, MS_REMOUNT)  (clears ro)
 *   esc_probe remount-bind-rw PATH mount(PATH, MS_REMOUNT|MS_BIND)
 *   esc_probe remount-bind-suid PATH  mount(PATH, MS_REMOUNT|MS_BIND), nosuid off
 *   esc_probe setattr-rw PATH      mount_setattr(PATH, clear MOUNT_ATTR_RDONLY)
 *   esc_probe open-tree PATH       open_tree(PATH, OPEN_TREE_CLONE), no AT_RECURSIVE
 *   esc_probe chroot DIR           chroot(DIR)
 *   esc_probe chroot-escape DIR    the double escape: mkdir DIR, chroot(DIR)
 *                                  keeping the cwd outside it, chdir("..")
 *                                  256 times, chroot("."); then as updir
 *   esc_probe updir                chdir("..") 256 times; prints "DEV:INO" of
 *                                  "." then of "/" and the entries of "."
 *   esc_probe fdwalk               for every open fd that is a directory:
 *                                  fchdir, chdir("..") 256 times; prints
 *                                  "fd N: DEV:INO" (compare with "/")
 *   esc_probe fds                  prints "N TARGET" for every fd it inherited
 *   esc_probe stat PATH            stat(PATH); prints "DEV:INO" when it succeeds
 *   esc_probe swap SECS A B [A B ...]  renameat2(RENAME_EXCHANGE) of each pair,
 *                                  round after round, for SECS seconds (or
 *                                  until killed); prints the number of swaps
 *   esc_probe euid                 prints the effective uid
 *   esc_probe ptrace PID           PTRACE_ATTACH
 *
 * Prints "ok" (status 0) when the call succeeded, else the errno's name
 * (EINVAL, EPERM, ...) on stdout with status 1. Statically linked by the
 * tests so it runs in any jail root. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int result(int r)
{
	if (r == 0) {
		puts("ok");
		return 0;
	}
	const char *name = strerrorname_np(errno);
	puts(name ? name : "E?");
	return 1;
}

static void print_id(const char *label, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		printf("%s: %s\n", label, strerrorname_np(errno));
	else
		printf("%s: %lu:%lu\n", label, (unsigned long)st.st_dev, (unsigned long)st.st_ino);
}

static void climb(void)
{
	for (int i = 0; i < 256; i++)
		if (chdir("..") < 0)
			break;
}

static int updir(void)
{
	climb();
	print_id("dot", ".");
	print_id("root", "/");
	DIR *d = opendir(".");
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			printf("entry: %s\n", de->d_name);
	if (d)
		closedir(d);
	return 0;
}

static int fdwalk(void)
{
	for (int fd = 0; fd < 1024; fd++) {
		struct stat st;
		if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode) || fchdir(fd) < 0)
			continue;
		climb();
		char label[32];
		snprintf(label, sizeof(label), "fd %d", fd);
		print_id(label, ".");
	}
	print_id("root", "/");
	return 0;
}

static int swap(int secs, int n, char **pairs)
{
	time_t end = time(NULL) + secs;
	unsigned long done = 0;
	while (time(NULL) < end)
		for (int i = 0; i + 1 < n; i += 2)
			if (renameat2(AT_FDCWD, pairs[i], AT_FDCWD, pairs[i + 1], RENAME_EXCHANGE) == 0)
				done++;
	printf("%lu\n", done);
	return done ? 0 : 1;
}

static int fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		char path[300], target[4096];
		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		printf("%s %s\n", de->d_name, target);
	}
	if (d)
		closedir(d);
	return d ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	const char *a = argc > 2 ? argv[2] : NULL, *b = argc > 3 ? argv[3] : NULL;
	struct mount_attr rw = { .attr_clr = MOUNT_ATTR_RDONLY };

	if (!strcmp(op, "euid")) {
		printf("%u\n", (unsigned)geteuid());
		return 0;
	}
	if (!strcmp(op, "updir"))
		return updir();
	if (!strcmp(op, "fdwalk"))
		return fdwalk();
	if (!strcmp(op, "fds"))
		return fds();
	if (!strcmp(op, "swap") && argc >= 5)
		return swap(atoi(argv[2]), argc - 3, argv + 3);
	if (!a)
		goto usage;
	if (!strcmp(op, "umount"))
		return result(umount2(a, 0));
	if (!strcmp(op, "umount-l"))
		return result(umount2(a, MNT_DETACH));
	if (!strcmp(op, "remount-rw"))
		return result(mount(NULL, a, NULL, MS_REMOUNT, NULL));
	if (!strcmp(op, "remount-bind-rw"))
		return result(mount(NULL, a, NULL, MS_REMOUNT | MS_BIND, NULL));
	if (!strcmp(op, "remount-bind-suid"))
		return result(mount(NULL, a, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
	if (!strcmp(op, "setattr-rw"))
		return result((int)syscall(SYS_mount_setattr, AT_FDCWD, a, AT_RECURSIVE, &rw, sizeof(rw)));
	if (!strcmp(op, "open-tree")) {
		int fd = (int)syscall(SYS_open_tree, AT_FDCWD, a, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		return result(fd < 0 ? -1 : 0);
	}
	if (!strcmp(op, "chroot"))
		return result(chroot(a));
	if (!strcmp(op, "chroot-escape")) {
		if ((mkdir(a, 0700) < 0 && errno != EEXIST) || chroot(a) < 0)
			return result(-1);
		climb();
		if (chroot(".") < 0)
			return result(-1);
		return updir();
	}
	if (!strcmp(op, "stat")) {
		struct stat st;
		if (stat(a, &st) < 0)
			return result(-1);
		printf("%lu:%lu\n", (unsigned long)st.st_dev, (unsigned long)st.st_ino);
		return 0;
	}
	if (!strcmp(op, "ptrace")) {
		pid_t pid = (pid_t)atoi(a);
		int r = (int)ptrace(PTRACE_ATTACH, pid, NULL, NULL);
		int saved = errno;
		if (r == 0) {
			waitpid(pid, NULL, __WALL);
			ptrace(PTRACE_DETACH, pid, NULL, NULL);
		}
		errno = saved;
		return result(r);
	}
	if (!b)
		goto usage;
	if (!strcmp(op, "move"))
		return result(mount(a, b, NULL, MS_MOVE, NULL));
	if (!strcmp(op, "bind"))
		return result(mount(a, b, NULL, MS_BIND, NULL));
usage:
	fprintf(stderr, "usage: esc_probe OP [ARG...] (see the source)\n");
	return 2;
}
