/* See procfs.h. */
#include "procfs.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

bool proc_status_has_uid(int proc, const char *path, uid_t uid)
{
	/* One read: the kernel makes the whole file at once; "Uid:" is
	 * in its first few hundred bytes. No stdio: its buffer costs three
	 * more syscalls per process, and a walk reads hundreds. */
	char buf[4096];
	cleanup_fd int fd = openat(proc, path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	const char *l = strstr(buf, "\nUid:");
	unsigned r, e, s, fs;
	if (!l || sscanf(l + 1, "Uid: %u %u %u %u", &r, &e, &s, &fs) != 4)
		return false;
	return r == uid || e == uid || s == uid || fs == uid;
}

bool proc_runs_as(int pdir, uid_t uid)
{
	struct stat st;
	if (fstat(pdir, &st) < 0)
		return false;
	if (st.st_uid == uid)
		return true;
	return st.st_uid == 0 && proc_status_has_uid(pdir, "status", uid);
}
