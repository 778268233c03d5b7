/* private_network and private_ipc: namespaces the helper makes for the
 * session besides its mount namespace, and hands back with it.
 *
 * They are made right after the mount namespace, before the session's init
 * is forked (private_pids), so the init and every process of the session
 * are in them; and before any step, so the mqueue file systems mounted by
 * the steps (fsopen takes the IPC namespace of the task that calls it)
 * belong to the new IPC namespace. */
#include "steps.h"
#include "util.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>

/* Not in every linux/magic.h. */
#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202
#endif
#include <unistd.h>

/* A new network namespace has only "lo", down: bring it up (SIOCSIFFLAGS on
 * any AF_INET socket of the namespace; no ip(8), no netlink needed). */
static int lo_up(struct herr *e)
{
	int cleanup_fd s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return fail_sys(e, errno, "socket", "AF_INET");
	struct ifreq ifr = { 0 };
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return fail_sys(e, errno, "ioctl SIOCGIFFLAGS", "lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		return fail_sys(e, errno, "ioctl SIOCSIFFLAGS", "lo");
	return 0;
}

/* CAP_NET_ADMIN is kept by harden() only for lo_up: gone before any step. */
static int drop_net_admin(struct herr *e)
{
	cap_value_t na = CAP_NET_ADMIN;
	cap_t c = cap_get_proc();
	int r = c && cap_set_flag(c, CAP_EFFECTIVE, 1, &na, CAP_CLEAR) == 0 &&
			cap_set_flag(c, CAP_PERMITTED, 1, &na, CAP_CLEAR) == 0 &&
			cap_set_proc(c) == 0 ? 0 : -1;
	int err = errno;
	cap_free(c);
	return r < 0 ? fail_sys(e, err, "cap_set_proc", "dropping CAP_NET_ADMIN") : 0;
}

int isolate_start(const struct plan *p, struct jail_ns *ns, struct herr *e)
{
	if ((p->isolate & PLAN_ISO_NET) && unshare(CLONE_NEWNET) < 0)
		return fail_sys(e, errno, "unshare", "CLONE_NEWNET");
	if ((p->isolate & PLAN_ISO_NET) &&
	    ((ns->net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0))
		return fail_sys(e, errno, "open", "/proc/self/ns/net");
	if ((p->isolate & PLAN_ISO_NET) && lo_up(e) < 0)
		return -1;
	if (drop_net_admin(e) < 0)
		return -1;
	if ((p->isolate & PLAN_ISO_IPC) && unshare(CLONE_NEWIPC) < 0)
		return fail_sys(e, errno, "unshare", "CLONE_NEWIPC");
	if ((p->isolate & PLAN_ISO_IPC) &&
	    ((ns->ipc = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC)) < 0))
		return fail_sys(e, errno, "open", "/proc/self/ns/ipc");
	return 0;
}

/* With private_ipc, a host /dev/mqueue (an mqueue mount) would still list
 * the host's queues and open them by name (an fd of an mqueue file works
 * with mq_send/mq_receive): cover it with the new namespace's own. Done on
 * the host tree before the bind sources are cloned, so a bind of /dev
 * carries the cover. */
int isolate_mqueue(const struct plan *p, int host, struct herr *e)
{
	if (!(p->isolate & PLAN_ISO_IPC))
		return 0;
	struct stat st;
	struct statfs sf;
	int cleanup_fd t = resolve(host, "/dev/mqueue", 0, &st, e);
	if (t == RES_MISSING)
		return 0;
	if (t < 0)
		return -1;
	if (fstatfs(t, &sf) < 0)
		return fail_sys(e, errno, "fstatfs", "/dev/mqueue");
	if (sf.f_type != MQUEUE_MAGIC || !S_ISDIR(st.st_mode))
		return 0; /* not the host's mqueue: nothing of the host to cover */
	int cleanup_fd m = fs_new("mqueue", NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				  MOUNT_ATTR_NOEXEC, "/dev/mqueue", e);
	return m < 0 ? -1 : attach(m, t, "/dev/mqueue", e);
}
