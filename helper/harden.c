/* The helper's first act: trust nothing inherited from whoever spawned it
 * (fds, signals, environment, limits) and keep only the capabilities that
 * building a mount namespace needs. */
#include "leaves.h"
#include "util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <grp.h>
#include <unistd.h>

/* CAP_SYS_ADMIN: unshare, the mount API, pivot_root, procfs/sysfs/devpts.
 * CAP_DAC_READ_SEARCH: walk into a user's 0700 directory to open a bind
 * source or target. CAP_MKNOD: the 0:0 char/block nodes that cover hidden
 * devices, made only in a private nodev tmpfs. CAP_NET_ADMIN: loopback up
 * in a private_network namespace; dropped before the first step
 * (isolate_start), whatever the plan. Nothing else: no chown, no DAC
 * override, no setuid, no ptrace, no raw I/O. */
static const cap_value_t keep[] = { CAP_SYS_ADMIN, CAP_DAC_READ_SEARCH, CAP_MKNOD,
				    CAP_NET_ADMIN };
/* CAP_SYS_PTRACE and CAP_SYS_CHROOT stay permitted (never effective)
 * until the plan is read: a shared jail's keeper (keeper.c) needs them to
 * enter the jail's mount namespace and see which processes are in it;
 * harden_drop_ptrace() takes them away from the helper before the first
 * step. They leave the bounding set with the others (no exec could regain
 * them); only the permitted set holds them for the keeper's fork. */
static const cap_value_t keeper_cap[] = { CAP_SYS_PTRACE, CAP_SYS_CHROOT };

static void die(const char *what)
{
	/* fd 2 is /dev/null when spawned properly; useful by hand. */
	fprintf(stderr, "nsjail-helper: %s: %s\n", what, strerror(errno));
	_exit(1);
}

static bool is_kept(cap_value_t c)
{
	for (size_t i = 0; i < ARRAY_SIZE(keep); i++)
		if (keep[i] == c)
			return true;
	return false;
}

static void trim_caps(void)
{
	/* The bounding set first: dropping from it needs CAP_SETPCAP, which
	 * the capset below gives up. One prctl per capability and no probing
	 * (EINVAL: this kernel does not have it); the helper never execs, so
	 * this is defence in depth and must stay cheap. */
	for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++)
		if (!is_kept(c) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 &&
		    errno != EINVAL)
			die("PR_CAPBSET_DROP");
	cap_t caps = cap_init(); /* all clear: inheritable stays empty */
	if (!caps ||
	    cap_set_flag(caps, CAP_EFFECTIVE, ARRAY_SIZE(keep), keep, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_PERMITTED, ARRAY_SIZE(keep), keep, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_PERMITTED, ARRAY_SIZE(keeper_cap), keeper_cap, CAP_SET) < 0 ||
	    cap_set_proc(caps) < 0)
		die("cap_set_proc");
	cap_free(caps);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		die("PR_CAP_AMBIENT_CLEAR_ALL");
}

void harden(void)
{
	/* Only 0-2 and the socket survive: a leaked fd of the caller (a
	 * directory outside the jail, a pty) must never reach anything we do. */
	if (close_range(NSJAIL_HELPER_FD + 1, ~0U, 0) < 0)
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
	/* One fd per bind source is held until the end: raise the soft
	 * limit to the hard one. Best effort: too few fds only fails a step
	 * later, with EMFILE in its message. */
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
		nofile.rlim_cur = nofile.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &nofile);
	}
	/* Our own alarm must kill us: an inherited SIG_IGN or blocked SIGALRM
	 * would defeat the timeout (exec already reset every handler; other
	 * inherited dispositions cannot hurt a process that execs nothing). A
	 * hung step then dies by SIGALRM and the half-built namespace with us. */
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t all;
	sigemptyset(&all);
	if (sigaction(SIGALRM, &dfl, NULL) < 0 ||
	    sigprocmask(SIG_SETMASK, &all, NULL) < 0)
		die("signals");
	alarm(NSJAIL_HELPER_ALARM_S); /* wire.h: fires before the module's deadline */
	umask(022);
	clearenv();

	struct stat st;
	if (geteuid() != 0) {
		errno = EPERM;
		die("must run as root");
	}
	if (fstat(NSJAIL_HELPER_FD, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		errno = ENOTSOCK;
		die("fd 3 is not the request socket");
	}
	/* A user who runs su herself is our real uid: she could signal us.
	 * All ids 0 and no supplementary group of hers (they would open her
	 * groups' files to us) before the capabilities (CAP_SETUID) go. */
	if (setgroups(0, NULL) < 0)
		die("setgroups");
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		die("setresuid");
	trim_caps();
}

void harden_drop_ptrace(void)
{
	cap_t caps = cap_init();
	if (!caps ||
	    cap_set_flag(caps, CAP_EFFECTIVE, ARRAY_SIZE(keep), keep, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_PERMITTED, ARRAY_SIZE(keep), keep, CAP_SET) < 0 ||
	    cap_set_proc(caps) < 0)
		die("dropping CAP_SYS_PTRACE, CAP_SYS_CHROOT");
	cap_free(caps);
}
