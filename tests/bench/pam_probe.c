/* pam_probe: the proof that a PAM contender of the benchmark did its work.
 * Stacked after the module under test, so it runs in the session's view
 * (the jail the module joined, the chroot it entered): every check must
 * hold, or the session fails and the run with it. A few lstat/access calls,
 * the same for every contender (pam_permit included), so it adds nothing to
 * the differences the benchmark reports.
 *
 *   session required /path/pam_probe.so CHECK...
 *
 *   gone=PATH   lstat(PATH) fails: hidden, covered or outside the root
 *   seen=PATH   lstat(PATH) succeeds: the positive control
 *   rofs=PATH   access(PATH, W_OK) fails with EROFS: a read-only mount
 *   mntns=DEV:INO  /proc/self/ns/mnt is that namespace: the session joined
 *               a live shared jail (run.sh's holder is in it), not a new one
 *   built       this session built its shared jail: the registry entry of
 *               the user naming the session's mount namespace has a keeper
 *               that started after this process did (a jail joined would
 *               have an older one)
 *
 * The caller is root, so "hidden" cannot mean EACCES on a mode-0000 node:
 * the checks name a file inside the hidden directory (it must be gone). */
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "ownns.h"

/* /proc/self/stat's start time (field 22), clock ticks; -1 if unknown. */
static long long self_start(void)
{
	char buf[1024];
	FILE *f = fopen("/proc/self/stat", "re");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	return p ? strtoll(p + 1, NULL, 10) : -1;
}

/* The "built" check: NULL when the registry (pam_nsjail/shared.h) has an
 * entry of USER's naming our mount namespace whose keeper started after
 * we did. */
static long long recorded_start = -1; /* "record": before the module */

static const char *built(const char *user, char *why, size_t n)
{
	struct stat ns;
	struct passwd *pw = getpwnam(user);
	/* Our start, read by the "record" line before the module joined the
	 * jail (its /proc may not show us any more), else now. */
	long long me = recorded_start >= 0 ? recorded_start : self_start();
	DIR *d = opendir("/run/nsjail/shared");
	if (!pw || me < 0 || !d || own_mntns(&ns) < 0) {
		snprintf(why, n, "built: cannot read the user, the registry or /proc/self");
		if (d)
			closedir(d);
		return why;
	}
	char prefix[32], want[64];
	snprintf(prefix, sizeof(prefix), "%u-", (unsigned)pw->pw_uid);
	snprintf(want, sizeof(want), "mnt=%llu:%llu\n", (unsigned long long)ns.st_dev,
		 (unsigned long long)ns.st_ino);
	long long kstart = -1;
	struct dirent *de;
	while ((de = readdir(d))) {
		char path[300], buf[1024];
		if (strncmp(de->d_name, prefix, strlen(prefix)) || strstr(de->d_name, ".tmp"))
			continue;
		snprintf(path, sizeof(path), "/run/nsjail/shared/%s", de->d_name);
		FILE *f = fopen(path, "re");
		size_t len = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
		if (f)
			fclose(f);
		buf[len] = '\0';
		char *k = strstr(buf, "\nkstart=");
		if (strstr(buf, want) && k)
			kstart = strtoll(k + 8, NULL, 10);
	}
	closedir(d);
	if (kstart < 0)
		snprintf(why, n, "built: no registry entry of %s names the session's mount namespace", user);
	else if (kstart < me)
		snprintf(why, n, "built: the jail's keeper (start %lld) is older than the session "
			 "(start %lld): it joined a live jail", kstart, me);
	else
		return NULL;
	return why;
}

static const char *probe_user; /* PAM_USER, for "built" */

/* NULL when CHECK holds, else why it does not. */
static const char *check(const char *c, char *why, size_t n)
{
	struct stat st;
	if (strncmp(c, "gone=", 5) == 0) {
		if (lstat(c + 5, &st) < 0)
			return NULL;
		snprintf(why, n, "%s is visible (expected hidden)", c + 5);
	} else if (strncmp(c, "seen=", 5) == 0) {
		if (lstat(c + 5, &st) == 0)
			return NULL;
		snprintf(why, n, "%s: %s (expected visible)", c + 5, strerror(errno));
	} else if (strncmp(c, "rofs=", 5) == 0) {
		int r = access(c + 5, W_OK);
		if (r < 0 && errno == EROFS)
			return NULL;
		snprintf(why, n, "%s is %s (expected a read-only file system)", c + 5,
			 r == 0 ? "writable" : strerror(errno));
	} else if (strncmp(c, "mntns=", 6) == 0) {
		unsigned long long dev, ino;
		if (sscanf(c + 6, "%llu:%llu", &dev, &ino) != 2) {
			snprintf(why, n, "bad check '%s'", c);
		} else if (own_mntns(&st) < 0) {
			snprintf(why, n, "/proc/self/ns/mnt: %s", strerror(errno));
		} else if ((unsigned long long)st.st_dev == dev &&
			   (unsigned long long)st.st_ino == ino) {
			return NULL;
		} else {
			snprintf(why, n, "the session's mount namespace is %llu:%llu, not the "
				 "live jail's %s (it did not join that jail)",
				 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino, c + 6);
		}
	} else if (strcmp(c, "built") == 0) {
		return built(probe_user ? probe_user : "", why, n);
	} else {
		snprintf(why, n, "unknown check '%s'", c);
	}
	return why;
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
				   const char **argv)
{
	(void)flags;
	char why[4200];
	const void *u = NULL;
	probe_user = pam_get_item(pamh, PAM_USER, &u) == PAM_SUCCESS ? u : NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "record") == 0) {
			recorded_start = self_start();
			continue;
		}
		if (!check(argv[i], why, sizeof(why)))
			continue;
		/* stderr: pambench's precheck and the harness show it */
		fprintf(stderr, "pam_probe: proof failed: %s\n", why);
		pam_syslog(pamh, LOG_ERR, "proof failed: %s", why);
		return PAM_SESSION_ERR;
	}
	return PAM_SUCCESS;
}

PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
				    const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}
