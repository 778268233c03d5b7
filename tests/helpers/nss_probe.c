/* nss_probe: what glibc's reentrant NSS calls return, as the tests pin it.
 *   nss_probe group NAME   -> "rc=N found=0|1 gid=G members=a,b"
 *   nss_probe passwd NAME  -> "rc=N found=0|1 uid=U gid=G"
 *   nss_probe list NAME GID -> "rc=N n=COUNT" (getgrouplist)
 * rc is the function's return value as an errno name (0 when 0). */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *ename(int e)
{
	const char *n = e ? strerrorname_np(e) : "0";
	return n ? n : "?";
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	if (argc >= 3 && strcmp(argv[1], "group") == 0) {
		struct group gr, *res = NULL;
		errno = 0;
		int r = getgrnam_r(argv[2], &gr, buf, sizeof(buf), &res);
		printf("rc=%s found=%d", ename(r), res != NULL);
		if (res) {
			printf(" gid=%u members=", (unsigned)res->gr_gid);
			for (char **m = res->gr_mem; *m; m++)
				printf("%s%s", *m, m[1] ? "," : "");
		}
		printf("\n");
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "passwd") == 0) {
		struct passwd pw, *res = NULL;
		int r = getpwnam_r(argv[2], &pw, buf, sizeof(buf), &res);
		printf("rc=%s found=%d", ename(r), res != NULL);
		if (res)
			printf(" uid=%u gid=%u", (unsigned)res->pw_uid, (unsigned)res->pw_gid);
		printf("\n");
		return 0;
	}
	if (argc >= 4 && strcmp(argv[1], "list") == 0) {
		static gid_t g[70000];
		int n = 70000;
		errno = 0;
		int r = getgrouplist(argv[2], (gid_t)atoi(argv[3]), g, &n);
		printf("rc=%d errno=%s n=%d\n", r, ename(errno), n);
		return 0;
	}
	fprintf(stderr, "usage: nss_probe group|passwd NAME | list NAME GID\n");
	return 2;
}
