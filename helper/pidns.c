/* private_pids: the session's PID namespace and its init.
 *
 * A PID namespace lives as long as its PID 1, and the caller (sshd's
 * monitor, su's parent) cannot be that: setns(CLONE_NEWPID) never moves a
 * process, only its children are born inside. So the helper makes the
 * namespace and forks its PID 1, the session's init: in the jail's mount
 * namespace, in a session of its own, without capabilities, holding only a
 * pidfd of the caller. It reaps orphans (SIGCHLD ignored: the kernel reaps
 * them) and exits when the caller exits; the kernel then SIGKILLs whatever
 * is left in the namespace, so nothing of the session outlives it.
 *
 * Before it drops its capabilities the init opens a procfs context
 * (fsopen) and hands it to the helper: procfs takes its PID namespace from
 * the task that opens it, and the helper itself stays outside. This needs
 * no pidns= mount option, so it works on every kernel with fsopen. */
#include "steps.h"
#include "util.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NOX (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)

/* One message: an int (0 or an errno) and, when 0, an fd. */
static int send_fd(int sock, int fd, int err)
{
	return send_fds(sock, &err, sizeof(err), &fd, fd >= 0 ? 1 : 0);
}

static int recv_fd(int sock, int *err)
{
	int fd = -1;
	size_t nfds;
	ssize_t n = recv_fds(sock, err, sizeof(*err), &fd, 1, 1, &nfds, 0);
	if (n != (ssize_t)sizeof(*err)) {
		if (fd >= 0)
			close(fd);
		fd = -1;
		*err = n < 0 ? errno : EPROTO; /* EOF: the init died */
	} else if (fd < 0 && !*err)
		*err = EPROTO;
	return fd;
}

/* PID 1 of the session's namespace. Any failure before "ready" is seen by
 * the helper (EOF); after it, its death only kills the session early (a
 * fork into a namespace without init fails: ENOMEM). */
static void __attribute__((noreturn)) init_main(int sock, int caller)
{
	int fs = fsopen("proc", FSOPEN_CLOEXEC);
	int err = fs < 0 ? errno : 0;
	cap_t none = cap_init(); /* every set empty */
	struct sigaction ign = { .sa_handler = SIG_IGN };
	if (!none || cap_set_proc(none) < 0 || setsid() < 0 ||
	    sigaction(SIGCHLD, &ign, NULL) < 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		_exit(1);
	cap_free(none);
	prctl(PR_SET_NAME, "nsjail-init", 0, 0, 0);
	/* Nothing of the helper's (the request socket, the namespace fds)
	 * may live on in the session's init. */
	if (send_fd(sock, fs, err) < 0 || close_all_but((const int[]){ sock, caller }, 2) < 0)
		_exit(1);
	/* 'g', with a shared jail's keeper's pidfd: then we live as long as
	 * the keeper (which stays while any process is in the jail), not as
	 * long as this one caller. */
	char go = 0;
	int keeper = -1;
	size_t nk;
	if (recv_fds(sock, &go, 1, &keeper, 1, 1, &nk, 0) != 1 || go != 'g')
		_exit(1); /* the helper failed: the namespace goes with us */
	if (keeper >= 0) {
		close(caller);
		caller = keeper;
	}
	close(sock);
	/* The jail's root since pivot_root; let go of the caller's cwd. */
	if (chdir("/") < 0)
		_exit(1);
	struct pollfd p = { .fd = caller, .events = POLLIN };
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	_exit(0);
}

int pidns_start(struct jail_ns *ns, struct herr *e)
{
	/* The caller is our parent. A pidfd for its pid, and the pid still
	 * our parent's afterwards: then it was not reused in between. */
	pid_t ppid = getppid();
	int cleanup_fd caller = (int)syscall(SYS_pidfd_open, ppid, 0);
	if (caller < 0)
		return fail_sys(e, errno, "pidfd_open", "the caller");
	if (getppid() != ppid)
		return fail_msg(e, ESRCH, "the caller exited");
	int cleanup_fd own = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (own < 0)
		return fail_sys(e, errno, "open", "/proc/self/ns/pid");
	if (unshare(CLONE_NEWPID) < 0)
		return fail_sys(e, errno, "unshare", "CLONE_NEWPID");
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return fail_sys(e, errno, "socketpair", NULL);
	pid_t pid = fork();
	if (pid == 0)
		init_main(sv[1], caller);
	close(sv[1]);
	ns->init_sock = sv[0];
	ns->init = pid;
	if (pid < 0)
		return fail_sys(e, errno, "fork", "the session's init");
	int err = 0;
	ns->proc_ctx = recv_fd(ns->init_sock, &err);
	if (ns->proc_ctx < 0)
		return fail_sys(e, err, "the session's init", "fsopen proc");
	/* Only now that it has a process can the namespace be opened; the
	 * caller's /proc is still ours. */
	ns->pid = open("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
	if (ns->pid < 0)
		return fail_sys(e, errno, "open", "/proc/self/ns/pid_for_children");
	/* The init is the only process we put there: anything else we might
	 * clone (a sanitizer's tracer at exit) stays in our own namespace. */
	if (setns(own, CLONE_NEWPID) < 0)
		return fail_sys(e, errno, "setns", "our own PID namespace");
	return 0;
}

/* The session's procfs on /proc, from the init's context: it shows the
 * session's processes only. Over the host's /proc in a jail without root. */
int auto_pids(struct jail_ctx *cx, const struct step *s, struct herr *e)
{
	int proc_ctx = cx->ns->proc_ctx;
	if (proc_ctx < 0)
		return fail_msg(e, EINVAL, "no PID namespace was made");
	int cleanup_fd t = mount_point(cx, s, e);
	if (t < 0)
		return t;
	if (fsconfig(proc_ctx, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return fail_sys(e, errno, "fsconfig create", "proc");
	int cleanup_fd m = fsmount(proc_ctx, FSMOUNT_CLOEXEC, NOX);
	if (m < 0)
		return fail_sys(e, errno, "fsmount", "proc");
	return attach(m, t, s->dst, e);
}

int pidns_release(const struct jail_ns *ns, int keeper, struct herr *e)
{
	if (ns->init_sock < 0)
		return 0;
	if (send_fds(ns->init_sock, "g", 1, &keeper, keeper >= 0 ? 1 : 0) < 0)
		return fail_sys(e, errno, "starting the session's init", NULL);
	return 0;
}
