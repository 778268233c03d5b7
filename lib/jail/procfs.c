/* See procfs.h. */
#include "procfs.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

bool proc_runs_as(int pdir, uid_t uid)
{
	struct stat st;
	if (fstat(pdir, &st) < 0)
		return false;
	if (st.st_uid == uid)
		return true;
	if (st.st_uid != 0)
		return false;
	int fd = openat(pdir, "status", O_RDONLY | O_CLOEXEC);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "re");
	if (!f) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	char line[256];
	bool as = false;
	while (fgets(line, sizeof(line), f)) {
		unsigned r, e, s, fs;
		if (sscanf(line, "Uid: %u %u %u %u", &r, &e, &s, &fs) == 4) {
			as = r == uid || e == uid || s == uid || fs == uid;
			break;
		}
	}
	fclose(f);
	return as;
}
