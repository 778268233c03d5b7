/* The host's other names of a hidden path: another mount of the same file
 * system (a bind the host made) shows it too, and the helper covers it
 * there as well. explain lists them, found as the helper finds them: the
 * mount table, then each name checked on the object itself. */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cli.h"
#include "mountinfo.h"
#include "util.h"

static int read_mountinfo(struct mount_table *t)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -1;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	char chunk[8192];
	size_t n;
	while (mem && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, mem);
	int r = mem && !ferror(f) && fclose(mem) == 0 ? mount_table_parse(buf, len, t) : -1;
	fclose(f);
	free(buf);
	return r;
}

/* Prints "(host) NAME hides PATH too" for each other name of each hidden
 * host path of p. Nothing when the mount table cannot be read: explain
 * still shows the plan, the helper decides at login. */
void explain_host_aliases(const struct plan *p)
{
	struct mount_table mt;
	if (read_mountinfo(&mt) < 0)
		return;
	for (size_t i = 0; i < p->n; i++) {
		const struct step *s = &p->v[i];
		char buf[PATH_MAX], real[PATH_MAX];
		const char *path = s->kind == STEP_INACCESSIBLE ? plan_host_path(p, s, buf, sizeof(buf)) : NULL;
		struct statx stx;
		if (!path || !realpath(path, real) ||
		    statx(AT_FDCWD, real, AT_SYMLINK_NOFOLLOW, STATX_INO | STATX_MNT_ID, &stx) < 0 ||
		    !(stx.stx_mask & STATX_MNT_ID))
			continue;
		char *alias[64];
		int n = mount_aliases(&mt, (unsigned)stx.stx_mnt_id, real, alias, ARRAY_SIZE(alias));
		for (int k = 0; k < n; k++) {
			struct stat st;
			if (lstat(alias[k], &st) == 0 && st.st_ino == stx.stx_ino &&
			    major(st.st_dev) == stx.stx_dev_major && minor(st.st_dev) == stx.stx_dev_minor)
				out("  (host) inaccessible %s  (another mount of %s's file system)\n",
				    alias[k], s->dst);
			free(alias[k]);
		}
	}
	mount_table_free(&mt);
}
