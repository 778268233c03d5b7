/* shared = true: the keeper of a shared jail, the process that holds the
 * jail's namespaces while any process is in it.
 *
 * keeper_fork forks it right after the plan is read, before any step, so
 * that the helper can drop CAP_SYS_PTRACE before it touches a path. While
 * still in the host's namespaces it opens the host's /proc, the registry
 * directory and the registry lock of the jail's user (plan.owner), makes
 * a session of its own and closes every other fd but 0-2.
 *
 * keeper_start, once the jail is complete, sends it one message: the
 * init's pid and exactly the namespaces the plan made (mount; PID,
 * network, IPC when made: every shared jail has a PID namespace, compile.c).
 * It enters them (the PID namespace for its children only), opens the
 * jail's own procfs, drops every capability but CAP_SYS_PTRACE (what lets
 * it read another user's /proc/PID/ns/mnt) and answers 'k'. It execs
 * nothing, is not dumpable and owns no path of the jail.
 *
 * Then, every NSJAIL_KEEPER_TICK_MS, it looks for a process in the jail
 * besides itself and the init: first any in the jail's PID namespace (its
 * procfs lists the namespaces below it too, and a process cannot leave a
 * PID namespace; a tick is then a few reads of a small procfs, however
 * many processes the host has), only then any of the host's in its mount
 * namespace (a login's sshd monitor or su parent, which stay outside the
 * PID namespace, alone only while the session's child is ending). When the init dies it exits. When nobody is left it
 * takes the registry lock (the one a joining login holds from its check
 * until it is inside the mount namespace), looks again, removes its
 * registry entry and exits: a login cannot join a jail that is going away.
 *
 * The module finds it by its registry entry (lib/jail/shared.c) and joins
 * its namespaces; the init watches the keeper's pidfd instead of the
 * caller's, so the PID namespace lives as long as the keeper. */
#include "steps.h"
#include "util.h"
#include "wire.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/magic.h>

/* Whether pid is a process in the jail's mount namespace. */
static bool in_jail(int proc, const struct stat *mnt, long pid)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "%ld/ns/mnt", pid);
	return fstatat(proc, path, &st, 0) == 0 && st.st_dev == mnt->st_dev &&
	       st.st_ino == mnt->st_ino;
}

/* 1 when the jail's PID namespace holds a process besides its init (pid
 * 1 there), 0 when not, -1 when its procfs cannot be read. JPROC is the
 * jail's own procfs: it lists the processes of the namespace and of every
 * namespace below it. */
static int anyone_in_pidns(int jproc)
{
	int dfd = dup(jproc);
	DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	rewinddir(d);
	int found = 0;
	struct dirent *de;
	while (!found && (de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		found = !*end && pid > 1;
	}
	closedir(d);
	return found;
}

/* 1 when a process other than us and the init is in the jail, 0 when
 * none is, -1 when /proc cannot be read. The jail's PID namespace first:
 * while a session lives, its processes are there, and a tick costs a few
 * reads of the jail's procfs, not a walk of every process of the host
 * (2,000 processes: 150 ms of CPU per 10 s per keeper). */
static int anyone_else(int proc, int jproc, const struct stat *mnt, pid_t skip)
{
	int in_pidns = jproc >= 0 ? anyone_in_pidns(jproc) : 0;
	if (in_pidns != 0)
		return in_pidns < 0 ? -1 : 1;
	int dfd = dup(proc);
	if (dfd < 0)
		return -1;
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -1;
	}
	rewinddir(d);
	pid_t self = getpid();
	struct dirent *de;
	int found = 0;
	while (!found && (de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid == self || pid == skip)
			continue;
		found = in_jail(proc, mnt, pid);
	}
	closedir(d);
	return found;
}

/* With the user's registry lock, when the jail's last process is gone:
 * our entry goes with us, so ended jails leave no entry behind (a later
 * login of the same user and policy would only find it stale; one of an
 * older policy nobody would); `nsjailctl stop` removes the entry of a
 * keeper it kills.
 * The entry is the one whose first line names our pid: the module writes
 * "pid=KEEPER" first (lib/jail/shared.c). Best effort: a leftover entry is
 * never joined, only swept by the next login that finds it. */
static void unregister(int reg)
{
	char want[32];
	int wl = snprintf(want, sizeof(want), "pid=%d\n", (int)getpid());
	int dfd = dup(reg);
	DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_type != DT_REG || strncmp(de->d_name, "lock", 4) == 0)
			continue;
		char head[32];
		int fd = openat(reg, de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : pread(fd, head, (size_t)wl, 0);
		if (fd >= 0)
			close(fd);
		if (n == wl && memcmp(head, want, (size_t)wl) == 0)
			(void)unlinkat(reg, de->d_name, 0);
	}
	closedir(d);
}

static void __attribute__((noreturn)) keeper_main(const struct plan *p, int sock)
{
	bool want_pid = plan_has(p, STEP_PIDS), want_net = p->isolate & PLAN_ISO_NET,
	     want_ipc = p->isolate & PLAN_ISO_IPC;
	size_t want = 1 + want_pid + want_net + want_ipc;
	/* Before we move: the host's /proc, the registry and the lock of
	 * the user whose jail this is (the module made it, and holds it). */
	char name[32];
	snprintf(name, sizeof(name), NSJAIL_SHARED_LOCK, (unsigned)p->owner);
	int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int reg = open(NSJAIL_SHARED_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int lock = reg < 0 ? -1 : openat(reg, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	prctl(PR_SET_NAME, "nsjail-keeper", 0, 0, 0);
	if (proc < 0 || lock < 0 || setsid() < 0)
		_exit(1);
	/* Nothing of the helper's (its request socket) lives on here. */
	if (close_all_but((const int[]){ 0, 1, 2, proc, reg, lock, sock }, 7) < 0)
		_exit(1);
	int init_pid = -1, fds[WIRE_MAX_FDS];
	size_t got;
	if (recv_fds(sock, &init_pid, sizeof(init_pid), fds, want, want, &got, 0) !=
		    sizeof(init_pid) || got != want)
		_exit(1); /* the helper failed: no jail to keep */
	size_t k = 1;
	int pidns = want_pid ? fds[k++] : -1;
	int net = want_net ? fds[k++] : -1;
	int ipc = want_ipc ? fds[k++] : -1;
	cap_t all = cap_get_proc();
	cap_value_t enter[] = { CAP_SYS_CHROOT, CAP_SYS_PTRACE };
	if (!all || cap_set_flag(all, CAP_EFFECTIVE, 2, enter, CAP_SET) < 0 ||
	    cap_set_proc(all) < 0)
		_exit(1);
	cap_free(all);
	if ((net >= 0 && setns(net, CLONE_NEWNET) < 0) ||
	    (ipc >= 0 && setns(ipc, CLONE_NEWIPC) < 0) ||
	    (pidns >= 0 && setns(pidns, CLONE_NEWPID) < 0) ||
	    setns(fds[0], CLONE_NEWNS) < 0)
		_exit(1);
	struct stat mnt;
	if (fstat(fds[0], &mnt) < 0)
		_exit(1);
	/* The jail's procfs (the PID namespace's own, mounted by the helper
	 * where the user cannot touch it), our root being the jail's now. */
	int jproc = -1;
	struct statfs sf;
	if (pidns >= 0 &&
	    ((jproc = open("/proc", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	     fstatfs(jproc, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC))
		_exit(1);
	for (size_t i = 0; i < want; i++)
		close(fds[i]);
	int initfd = init_pid > 0 ? (int)syscall(SYS_pidfd_open, init_pid, 0) : -1;
	if (init_pid > 0 && initfd < 0)
		_exit(1);
	cap_t caps = cap_init();
	cap_value_t keep[] = { CAP_SYS_PTRACE };
	struct sigaction ign = { .sa_handler = SIG_IGN };
	if (!caps || cap_set_flag(caps, CAP_EFFECTIVE, 1, keep, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_PERMITTED, 1, keep, CAP_SET) < 0 ||
	    cap_set_proc(caps) < 0 || chdir("/") < 0 ||
	    sigaction(SIGHUP, &ign, NULL) < 0 || sigaction(SIGPIPE, &ign, NULL) < 0)
		_exit(1);
	cap_free(caps);
	/* In: the helper may answer now, and a login that finds our entry
	 * sees the jail's namespaces at /proc/OURPID/ns. */
	if (send(sock, "k", 1, MSG_NOSIGNAL) != 1)
		_exit(1);
	close(sock);
	for (;;) {
		struct pollfd pf = { .fd = initfd, .events = POLLIN };
		int r = poll(&pf, 1, NSJAIL_KEEPER_TICK_MS);
		if (r > 0)
			_exit(0); /* the init died: the PID namespace is gone */
		if (anyone_else(proc, jproc, &mnt, init_pid) != 0)
			continue; /* someone is there, or /proc failed: stay */
		while (flock(lock, LOCK_EX) < 0 && errno == EINTR)
			;
		if (anyone_else(proc, jproc, &mnt, init_pid) == 0) {
			unregister(reg);
			_exit(0); /* the lock goes with us */
		}
		flock(lock, LOCK_UN);
	}
}

int keeper_fork(struct keeper *k, const struct plan *p, struct herr *e)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return fail_sys(e, errno, "socketpair", "the keeper");
	pid_t pid = fork();
	if (pid == 0) {
		close(sv[0]);
		keeper_main(p, sv[1]);
	}
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return fail_sys(e, errno, "fork", "the keeper");
	}
	k->sock = sv[0];
	k->pid = pid;
	/* Our child, not reaped: the pid is its own. */
	k->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (k->pidfd < 0)
		return fail_sys(e, errno, "pidfd_open", "the keeper");
	return 0;
}

int keeper_start(struct keeper *k, pid_t init, const int *fds, size_t nfds,
		 struct herr *e)
{
	if (k->sock < 0)
		return 0;
	int init_pid = init;
	if (send_fds(k->sock, &init_pid, sizeof(init_pid), fds, nfds) < 0)
		return fail_sys(e, errno, "starting the keeper", NULL);
	char in = 0;
	ssize_t n;
	do
		n = read(k->sock, &in, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1 || in != 'k')
		return fail_msg(e, n < 0 ? errno : EPROTO, "the keeper could not enter the jail");
	close(k->sock);
	k->sock = -1;
	return 0;
}
