/* Ending a jailed session's leftovers that hold the caller's terminal.
 * See leftover.h. */
#include "leftover.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "devtty.h"
#include "procfs.h"
#include "util.h"

/* TTY is its controlling terminal: field 7 of its stat, in the kernel's
 * encoding of a device number. */
static bool ctty_is(int proc, dev_t tty)
{
	char buf[1024];
	int fd = openat(proc, "stat", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* comm may hold anything but ends here */
	int ppid, pgrp, session;
	unsigned long long nr; /* after state, ppid, pgrp, session */
	if (!p || sscanf(p + 1, " %*c %d %d %d %llu", &ppid, &pgrp, &session, &nr) != 4)
		return false;
	unsigned long long maj = major(tty), min = minor(tty);
	return nr != 0 && nr == ((min & 0xff) | (maj << 8) | ((min & ~0xffull) << 12));
}

/* TTY is one of its open files: the terminal itself, or /dev/tty opened
 * while TTY was its controlling terminal (kept after a setsid). */
static bool holds(int proc, long pid, dev_t tty)
{
	int fd = openat(proc, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	bool found = false, devtty = false;
	struct dirent *de;
	while (!found && (de = readdir(d))) {
		struct stat st;
		if (de->d_name[0] == '.' || fstatat(dirfd(d), de->d_name, &st, 0) < 0 ||
		    !S_ISCHR(st.st_mode))
			continue;
		found = st.st_rdev == tty;
		devtty |= st.st_rdev == DEVTTY_DEV;
	}
	closedir(d);
	/* Which terminal a /dev/tty fd is, only the file tells: the costly
	 * look (a pidfd, a copy of the fd) only for the rare process with one. */
	return found || (devtty && devtty_holds(proc, pid, tty));
}

/* Runs as UID, told by the name PID in PROC without opening its
 * directory: the owner (one fstatat), and the status only when that is
 * root (most of a host's processes: one read). */
static bool named_runs_as(int proc, long pid, uid_t uid)
{
	struct stat st;
	char name[32], status[48];
	snprintf(name, sizeof(name), "%ld", pid);
	if (fstatat(proc, name, &st, 0) < 0 || (st.st_uid != uid && st.st_uid != 0))
		return false;
	snprintf(status, sizeof(status), "%ld/status", pid);
	return st.st_uid == uid || proc_status_has_uid(proc, status, uid);
}

/* One pass: the number signalled, or -1. */
static int one_pass(uid_t uid, dev_t tty)
{
	DIR *d = opendir("/proc");
	if (!d)
		return -1;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || !named_runs_as(dirfd(d), pid, uid))
			continue;
		/* Again on the directory fd that is signalled: the pid may
		 * have been another process's a moment ago. */
		cleanup_fd int proc = openat(dirfd(d), de->d_name,
					     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (proc < 0 || !proc_runs_as(proc, uid) || !(ctty_is(proc, tty) || holds(proc, pid, tty)))
			continue;
		/* By the directory fd: the pid may be another namespace's. */
		if (syscall(SYS_pidfd_send_signal, proc, SIGKILL, NULL, 0) == 0)
			n++;
	}
	closedir(d);
	return n;
}

int jail_end_tty_holders(uid_t uid, dev_t tty, struct nsj_error *e)
{
	int total = 0;
	for (int pass = 0; pass < 5; pass++) {
		int n = one_pass(uid, tty);
		if (n < 0)
			return nsj_error_set(e, errno, "leftovers: /proc");
		if (n == 0)
			return total;
		total += n;
		usleep(10000); /* let them die, then look again */
	}
	return total;
}
