/* The helper's first act: trust nothing inherited from whoever spawned it
 * (fds, signals, environment, limits) and keep only the capabilities that
 * building a mount namespace needs. */
#include "helper.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <unistd.h>

#define HELPER_TIMEOUT_S 8 /* below NSJAIL_HELPER_TIMEOUT_MS: we die first */

/* CAP_SYS_ADMIN: unshare, the mount API, pivot_root, procfs/sysfs/devpts.
 * CAP_DAC_READ_SEARCH: walk into a user's 0700 directory to open a bind
 * source or target. CAP_MKNOD: the 0:0 char/block nodes that cover hidden
 * devices, made only in a private nodev tmpfs. Nothing else: no chown, no
 * DAC override, no setuid, no ptrace, no raw I/O. */
static const cap_value_t keep[] = { CAP_SYS_ADMIN, CAP_DAC_READ_SEARCH, CAP_MKNOD };

static void die(const char *what)
{
	/* fd 2 is /dev/null when spawned properly; useful by hand. */
	fprintf(stderr, "nsjail-helper: %s: %s\n", what, strerror(errno));
	_exit(1);
}

static void trim_caps(void)
{
	/* The bounding set first: dropping from it needs CAP_SETPCAP, which
	 * the cap_set_proc below gives up. */
	for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++) {
		bool kept = false;
		for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
			kept |= keep[i] == c;
		if (!kept && CAP_IS_SUPPORTED(c) && cap_drop_bound(c) < 0)
			die("cap_drop_bound");
	}
	cap_t caps = cap_init(); /* all clear: inheritable stays empty */
	if (!caps ||
	    cap_set_flag(caps, CAP_EFFECTIVE, sizeof(keep) / sizeof(keep[0]), keep, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_PERMITTED, sizeof(keep) / sizeof(keep[0]), keep, CAP_SET) < 0 ||
	    cap_set_proc(caps) < 0)
		die("cap_set_proc");
	cap_free(caps);
	if (cap_reset_ambient() < 0)
		die("cap_reset_ambient");
}

void harden(void)
{
	/* Only 0-2 and the socket survive: a leaked fd of the caller (a
	 * directory outside the jail, a pty) must never reach anything we do. */
	if (close_range(HELPER_FD + 1, ~0U, 0) < 0)
		die("close_range");
	/* 0-2 must be taken, or the next open() could become "stdout". */
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			die("open /dev/null");
	/* No core dumps and no ptrace by the caller's uid; no privilege gain
	 * through exec (we exec nothing). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("prctl");
	struct rlimit core = { 0, 0 }, nofile;
	if (setrlimit(RLIMIT_CORE, &core) < 0)
		die("setrlimit");
	/* One fd per bind source is held until the end. */
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
		nofile.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}
	/* Default dispositions, nothing blocked: an inherited SIG_IGN for
	 * SIGALRM would defeat the timeout. A hung step then dies by SIGALRM
	 * and the half-built namespace dies with us. */
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL); /* fails harmlessly for KILL/STOP/RT gaps */
	sigset_t all;
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	alarm(HELPER_TIMEOUT_S);
	umask(022);
	clearenv();

	struct stat st;
	if (geteuid() != 0) {
		errno = EPERM;
		die("must run as root");
	}
	if (fstat(HELPER_FD, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		errno = ENOTSOCK;
		die("fd 3 is not the request socket");
	}
	trim_caps();
}
