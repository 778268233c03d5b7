/* Spawning nsjail-helper and receiving the namespace it built. */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <linux/nsfs.h>
#include <sched.h>

#include "fdpass.h"
#include "util.h"
#include "wire.h"

_Static_assert(WIRE_MAX_FDS <= FDPASS_MAX, "recv_fds carries every namespace fd");

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events or the deadline passes. */
static int wait_fd(int fd, short events, long long deadline)
{
	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		struct pollfd p = { .fd = fd, .events = events };
		int r = poll(&p, 1, (int)left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

/* Reaps pid by the deadline, never blocking past it: 1 reaped (or already
 * gone: a caller's SIGCHLD handler may reap for us), 0 not yet. The pidfd
 * (or, without one, a short sleep) paces the retries; waitid() decides, as
 * a pidfd also turns readable for a zombie we may not reap (one held by a
 * tracer), so its poll() is capped rather than trusted. */
static int reap_by(pid_t pid, int pidfd, long long deadline)
{
	for (;;) {
		siginfo_t si = { 0 };
		/* By the pidfd when there is one: never another child that
		 * got the pid after a caller's handler reaped ours. */
		idtype_t how = pidfd >= 0 ? P_PIDFD : P_PID;
		id_t id = pidfd >= 0 ? (id_t)pidfd : (id_t)pid;
		if (waitid(how, id, &si, WEXITED | WNOHANG) == 0) {
			if (si.si_pid == pid)
				return 1;
		} else if (errno == ECHILD) {
			return 1;
		} else if (errno != EINTR) {
			return 0;
		}
		long long left = deadline - now_ms();
		if (left <= 0)
			return 0;
		int step = left < 50 ? (int)left : 50;
		if (pidfd >= 0) {
			struct pollfd p = { .fd = pidfd, .events = POLLIN };
			poll(&p, 1, step);
		} else {
			nanosleep(&(struct timespec){ 0, step * 1000000L }, NULL);
		}
	}
}

static pid_t spawn_helper(const char *helper, int sock, int *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	pid_t pid = -1;
	char *const argv[] = { (char *)"nsjail-helper", NULL };
	char *const envp[] = { NULL };

	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	/* fds 0-2 on /dev/null, the socket as fd 3, nothing else: the
	 * caller's fds (sshd's sockets, su's tty) never reach the helper. */
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDWR, 0);
	posix_spawn_file_actions_adddup2(&fa, 0, 1);
	posix_spawn_file_actions_adddup2(&fa, 0, 2);
	posix_spawn_file_actions_adddup2(&fa, sock, NSJAIL_HELPER_FD);
	posix_spawn_file_actions_addclosefrom_np(&fa, NSJAIL_HELPER_FD + 1);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
					 POSIX_SPAWN_SETSIGDEF |
					 POSIX_SPAWN_USEVFORK);
	*err = posix_spawn(&pid, helper, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return *err ? -1 : pid;
}

static int send_plan(int sock, const uint8_t *buf, size_t len,
		     long long deadline, struct nsj_error *e)
{
	for (size_t off = 0; off < len;) {
		int r = wait_fd(sock, POLLOUT, deadline);
		if (r < 0)
			return nsj_error_set(e, -r, "sending the plan to the helper");
		ssize_t n = send(sock, buf + off, len - off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return nsj_error_set(e, errno, "sending the plan to the helper");
		off += (size_t)n;
	}
	return 0;
}

/* Reads the whole reply; the namespace fds, if any (at most WIRE_MAX_FDS,
 * wire.h's order), ride on its first byte. *nfds says how many came. */
static int recv_reply(int sock, struct wire_reply *rep, int fds[WIRE_MAX_FDS],
		      size_t *nfds, long long deadline, struct nsj_error *e)
{
	size_t off = 0;
	bool got_fds = false;
	*nfds = 0;
	for (size_t i = 0; i < WIRE_MAX_FDS; i++)
		fds[i] = -1;
	while (off < sizeof(*rep)) {
		int r = wait_fd(sock, POLLIN, deadline);
		if (r < 0)
			return nsj_error_set(e, -r, "waiting for the helper");
		int got[WIRE_MAX_FDS];
		size_t nfd;
		ssize_t n = recv_fds(sock, (char *)rep + off, sizeof(*rep) - off, got, 1,
				     WIRE_MAX_FDS, &nfd, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0 && errno == EPROTO) /* recv_fds closed what came */
			return nsj_error_set(e, 0, "unexpected file descriptors from the helper");
		if (n < 0)
			return nsj_error_set(e, errno, "reading the helper's answer");
		if (n == 0)
			return nsj_error_set(e, 0, "the helper exited without an answer");
		for (size_t i = 0; i < nfd; i++) {
			if (got_fds)
				close(got[i]); /* one set of fds only */
			else
				fds[i] = got[i];
		}
		if (nfd && !got_fds) {
			*nfds = nfd;
			got_fds = true;
		}
		off += (size_t)n;
	}
	rep->msg[sizeof(rep->msg) - 1] = '\0';
	return 0;
}

/* A namespace of TYPE that is not the caller's own (at /proc/self/ns/NAME):
 * a new one, as the plan asked. */
static bool is_new_ns(int fd, int type, const char *name)
{
	char path[64];
	struct stat own, st;
	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	return fd >= 0 && ioctl(fd, NS_GET_NSTYPE) == type && fstat(fd, &st) == 0 &&
	       stat(path, &own) == 0 &&
	       !(own.st_dev == st.st_dev && own.st_ino == st.st_ino);
}

/* A PID namespace that is a child of ours: new, and one we may enter. */
static bool is_child_pidns(int fd)
{
	struct stat own, parent;
	int cleanup_fd par = ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWPID
				     ? ioctl(fd, NS_GET_PARENT) : -1;
	return par >= 0 && fstat(par, &parent) == 0 &&
	       stat("/proc/self/ns/pid", &own) == 0 &&
	       own.st_dev == parent.st_dev && own.st_ino == parent.st_ino;
}

void jail_ns_close(struct jail_ns *ns)
{
	int *fds[] = { &ns->mnt, &ns->pid, &ns->net, &ns->ipc };
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

/* Joining a mount namespace resets the caller's root to the namespace's.
 * A caller in a chroot (its root is not its namespace's root) would land
 * outside the chroot, where a jail built on the chroot's paths does not
 * apply: refuse it before anything is built. Judged against PID 1 when the
 * caller shares its mount namespace (a host's sshd, su, cron); a caller in
 * another mount namespace (a session inside a jail) is not chrooted by it. */
static int check_not_chrooted(struct nsj_error *e)
{
	struct stat own_ns, init_ns;
	struct statx own, init;
	if (stat("/proc/self/ns/mnt", &own_ns) < 0)
		return nsj_error_set(e, errno, "cannot tell whether the caller runs in "
				     "a chroot (is /proc mounted?)");
	/* PID 1 out of our reach (the kernel's ptrace check: it lives in an
	 * ancestor user namespace, as in a container) is not in our mount
	 * namespace either: nothing to compare with. */
	if (stat("/proc/1/ns/mnt", &init_ns) < 0)
		return errno == EACCES || errno == EPERM ? 0 :
		       nsj_error_set(e, errno, "cannot tell whether the caller runs in a chroot");
	if (own_ns.st_dev != init_ns.st_dev || own_ns.st_ino != init_ns.st_ino)
		return 0;
	/* The mount too: a chroot into a bind of "/" has the same inode. */
	if (statx(AT_FDCWD, "/", 0, STATX_INO | STATX_MNT_ID, &own) < 0 ||
	    statx(AT_FDCWD, "/proc/1/root/", 0, STATX_INO | STATX_MNT_ID, &init) < 0)
		return nsj_error_set(e, errno, "cannot tell whether the caller runs in a chroot");
	if (!(own.stx_mask & init.stx_mask & STATX_MNT_ID) || own.stx_mnt_id != init.stx_mnt_id ||
	    own.stx_ino != init.stx_ino || own.stx_dev_major != init.stx_dev_major ||
	    own.stx_dev_minor != init.stx_dev_minor)
		return nsj_error_set(e, 0, "the caller runs in a chroot: joining the "
				     "jail would leave it (not supported)");
	return 0;
}

int jail_build_ns(const char *helper, const struct plan *p, int timeout_ms,
		  struct jail_ns *ns, struct nsj_error *e)
{
	cleanup_free uint8_t *buf = NULL;
	size_t len;
	int sv[2];
	int r;

	*ns = (struct jail_ns){ .mnt = -1, .pid = -1, .net = -1, .ipc = -1, .keeper = -1 };
	*e = (struct nsj_error){ 0 };
	if (check_not_chrooted(e) < 0)
		return -1;
	if ((r = wire_encode(p, &buf, &len)) < 0)
		return nsj_error_set(e, -r, "encoding the plan");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return nsj_error_set(e, errno, "socketpair");
	cleanup_fd int ours = sv[0];
	cleanup_fd int theirs = sv[1];

	int err;
	pid_t pid = spawn_helper(helper, theirs, &err);
	if (pid < 0)
		return nsj_error_set(e, err, "starting %s", helper);
	close(steal_fd(&theirs));
	/* Our unreaped child: its pid cannot be reused before we wait. */
	cleanup_fd int helperfd = (int)syscall(SYS_pidfd_open, pid, 0);

	long long deadline = now_ms() + timeout_ms;
	struct wire_reply rep = { 0 };
	int fds[WIRE_MAX_FDS] = { -1, -1, -1, -1 };
	size_t nfds = 0;
	cleanup_fd int fd = -1;
	cleanup_fd int pidfd = -1;
	cleanup_fd int netfd = -1;
	cleanup_fd int ipcfd = -1;
	r = send_plan(ours, buf, len, deadline, e);
	if (r == 0)
		r = recv_reply(ours, &rep, fds, &nfds, deadline, e);
	/* wire.h's order: mount, then each one the plan asks for. */
	bool want_pid = plan_has(p, STEP_PIDS), want_net = p->isolate & PLAN_ISO_NET,
	     want_ipc = p->isolate & PLAN_ISO_IPC;
	size_t want = 1 + want_pid + want_net + want_ipc, k = 0;
	fd = fds[k++];
	pidfd = want_pid ? fds[k++] : -1;
	netfd = want_net ? fds[k++] : -1;
	ipcfd = want_ipc ? fds[k++] : -1;
	for (; k < WIRE_MAX_FDS; k++) /* more than asked: refused below */
		if (fds[k] >= 0)
			close(fds[k]);
	/* Never an unbounded wait: a helper that answered exits at once; one
	 * that did not, or does not exit, is killed and given a short grace to
	 * die; one that cannot (uninterruptible sleep on a dead NFS home, a
	 * tracer holding its zombie) is left behind and the session refused. */
	bool reaped = r == 0 && reap_by(pid, helperfd, deadline);
	if (!reaped) {
		/* Through the pidfd: a caller's SIGCHLD handler may have reaped
		 * the helper already and its pid been reused (reap_by). */
		if (helperfd >= 0)
			(void)syscall(SYS_pidfd_send_signal, helperfd, SIGKILL, NULL, 0);
		else
			kill(pid, SIGKILL);
		reaped = reap_by(pid, helperfd, now_ms() + NSJAIL_HELPER_GRACE_MS);
	}
	if (!reaped) {
		/* After the first failure's text (complete already), if any. */
		char first[sizeof(e->msg)];
		int err0 = r < 0 ? e->err : 0;
		snprintf(first, sizeof(first), "%s", r < 0 ? e->msg : "");
		return nsj_error_as_is(e, err0, "%s%sthe helper (pid %d) did not exit "
				       "within %d s of SIGKILL; not waiting for it", first,
				       r < 0 ? "; " : "", (int)pid,
				       NSJAIL_HELPER_GRACE_MS / 1000);
	}
	if (r < 0)
		return -1;
	if (rep.status != 0) {
		/* Complete as the helper wrote it (the same contract). */
		nsj_error_as_is(e, rep.err, "%s", rep.msg[0] ? rep.msg : "the helper failed");
		return -1;
	}
	/* Join nothing that is not a mount namespace, and with private_pids
	 * nothing but a new PID namespace below ours: never a session that
	 * silently lacks what its jail says. */
	if (fd < 0 || ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNS)
		return nsj_error_set(e, 0, "the helper did not return a mount namespace");
	if (nfds != want)
		return nsj_error_set(e, 0, "the helper returned %zu namespaces, not %zu", nfds, want);
	struct jail_ns got = { .mnt = fd, .pid = pidfd, .net = netfd, .ipc = ipcfd };
	if (jail_check_ns(p, &got, "the helper", e) < 0)
		return -1;
	/* shared: the keeper the module registers; its pid is proven at
	 * every later join (shared.c), never trusted from the entry alone. */
	if ((p->isolate & PLAN_ISO_SHARED) && rep.keeper <= 1)
		return nsj_error_set(e, 0, "the helper did not start the shared jail's keeper");
	ns->mnt = steal_fd(&fd);
	ns->pid = steal_fd(&pidfd);
	ns->net = steal_fd(&netfd);
	ns->ipc = steal_fd(&ipcfd);
	ns->no_new_privs = p->isolate & PLAN_ISO_NNP;
	ns->restrict_ns = p->isolate & PLAN_ISO_RESTRICT_NS;
	ns->scope_ipc = p->isolate & PLAN_ISO_SCOPE_IPC;
	ns->keeper = (p->isolate & PLAN_ISO_SHARED) ? rep.keeper : -1;
	return 0;
}

int jail_check_ns(const struct plan *p, const struct jail_ns *ns, const char *who,
		  struct nsj_error *e)
{
	bool want_pid = plan_has(p, STEP_PIDS), want_net = p->isolate & PLAN_ISO_NET,
	     want_ipc = p->isolate & PLAN_ISO_IPC;
	if (ns->mnt < 0 || ioctl(ns->mnt, NS_GET_NSTYPE) != CLONE_NEWNS)
		return nsj_error_set(e, 0, "%s did not return a mount namespace", who);
	if (want_pid != (ns->pid >= 0) || want_net != (ns->net >= 0) ||
	    want_ipc != (ns->ipc >= 0))
		return nsj_error_set(e, 0, "%s did not return the namespaces the plan asks for", who);
	if (want_pid && !is_child_pidns(ns->pid))
		return nsj_error_set(e, 0, "%s did not return the session's PID namespace", who);
	if (want_net && !is_new_ns(ns->net, CLONE_NEWNET, "net"))
		return nsj_error_set(e, 0, "%s did not return a new network namespace", who);
	if (want_ipc && !is_new_ns(ns->ipc, CLONE_NEWIPC, "ipc"))
		return nsj_error_set(e, 0, "%s did not return a new IPC namespace", who);
	if (!is_new_ns(ns->mnt, CLONE_NEWNS, "mnt"))
		return nsj_error_set(e, 0, "%s returned the caller's own mount namespace", who);
	return 0;
}

/* The namespaces jail_join enters before the mount namespace, in order. */
static const struct {
	int type;
	const char *name, *what;
} join_order[] = {
	{ CLONE_NEWPID, "pid", "PID" },
	{ CLONE_NEWNET, "net", "network" },
	{ CLONE_NEWIPC, "ipc", "IPC" },
};

int jail_join(const struct jail_ns *ns, struct nsj_error *e)
{
	const int fds[] = { ns->pid, ns->net, ns->ipc };
	int own[ARRAY_SIZE(fds)] = { -1, -1, -1 };
	size_t joined = 0;
	int r = -1, err = 0;
	const char *what = NULL;

	/* setns resets our root to the namespace's: never from a chroot. A
	 * shared jail is joined without a build, whose check this repeats. */
	int chrooted = check_not_chrooted(e);
	if (chrooted < 0)
		return -1;
	/* scope_ipc: a kernel without Landlock ABI 6 refuses the session
	 * here, with the caller as it was. */
	cleanup_fd int scope = -1;
	if (ns->scope_ipc && jail_scope_prepare(&scope, e) < 0)
		return -1;
	/* Before setns: a filter that cannot be installed refuses the
	 * session with the caller where it was. The session's processes
	 * inherit it from us. */
	if (jail_filter_install(e) < 0)
		return -1;
	/* Our own namespaces, to go back to (setns to the one we are in is
	 * always allowed), opened before we move at all. */
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/self/ns/%s", join_order[i].name);
		if (fds[i] >= 0 && (own[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			nsj_error_set(e, errno, "open %s", path);
			goto out;
		}
	}
	/* PID (only our future children are born in it), network, IPC: none
	 * of them changes what a path means. The mount namespace last, since
	 * it is the one we cannot leave again as we were (setns resets root
	 * and cwd): when it fails, the others are undone. */
	for (; joined < ARRAY_SIZE(fds); joined++) {
		if (fds[joined] >= 0 && setns(fds[joined], join_order[joined].type) < 0) {
			err = errno;
			what = join_order[joined].what;
			break;
		}
	}
	if (!what && setns(ns->mnt, CLONE_NEWNS) < 0) {
		err = errno;
		what = "mount";
	}
	if (what) {
		bool undone = true;
		while (joined-- > 0)
			if (own[joined] >= 0 && setns(own[joined], join_order[joined].type) < 0)
				undone = false;
		nsj_error_set(e, err, "setns (%s namespace%s)", what,
			      undone ? "" : "; and going back to ours failed");
		goto out;
	}
	/* From here on nothing can be undone: a failure refuses the session.
	 * The namespace filter after the last setns, which it forbids. */
	if (ns->restrict_ns && jail_nsfilter_install(e) < 0)
		goto out;
	if (ns->scope_ipc && jail_scope_apply(scope, e) < 0)
		goto out;
	/* Last: nothing that could fail comes after it, and it cannot be
	 * undone. Inherited by every process the caller forks (the session)
	 * and kept across execve. The caller itself (sshd's monitor, su's
	 * and login's parent, cron's job child) only waits, closes the
	 * session as root and exits: it execs nothing that needs to gain
	 * privileges. */
	if (ns->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		nsj_error_set(e, errno, "prctl PR_SET_NO_NEW_PRIVS");
		goto out;
	}
	r = 0;
out:
	for (size_t i = 0; i < ARRAY_SIZE(own); i++)
		if (own[i] >= 0)
			close(own[i]);
	return r;
}
