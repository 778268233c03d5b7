/* join_undo: jail_join (lib/jail/build.c) failing half-way leaves the
 * caller where it was, for t_escape_isolation_fds.sh. It makes a new
 * network and IPC namespace (fds), then asks jail_join to enter them and a
 * "mount namespace" that is not one (MODE mnt: setns fails last, after
 * network and IPC were entered) or an "IPC namespace" that is not one
 * (MODE ipc: fails after network). Prints the error, then whether our
 * network and IPC namespaces and no_new_privs are as they were:
 *   "back net=same ipc=same nnp=0".
 * Build (t_escape_isolation_fds.sh): cc -Ilib/plan -Ilib/jail -Ilib/fdpass -Ibuild/gen
 *        join_undo.c lib/fdpass/fdpass.c lib/jail/build.c lib/jail/filter.c
 *        lib/jail/landlock.c lib/plan/wire.c
 *        lib/plan/plan.c lib/plan/paths.c lib/plan/nsj_error.c */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"

static ino_t ino(const char *ns)
{
	char p[64];
	struct stat st;
	snprintf(p, sizeof(p), "/proc/self/ns/%s", ns);
	return stat(p, &st) == 0 ? st.st_ino : 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "mnt";
	int net0 = open("/proc/self/ns/net", O_RDONLY), ipc0 = open("/proc/self/ns/ipc", O_RDONLY);
	ino_t n0 = ino("net"), i0 = ino("ipc");
	if (unshare(CLONE_NEWNET | CLONE_NEWIPC) < 0)
		return perror("unshare"), 2;
	int net = open("/proc/self/ns/net", O_RDONLY), ipc = open("/proc/self/ns/ipc", O_RDONLY);
	if (setns(net0, CLONE_NEWNET) < 0 || setns(ipc0, CLONE_NEWIPC) < 0)
		return perror("setns back"), 2;
	struct jail_ns ns = { .mnt = net, .pid = -1, .net = net, .ipc = ipc, .no_new_privs = true };
	if (strcmp(mode, "ipc") == 0)
		ns.ipc = net, ns.mnt = -1;
	struct nsj_error e = { 0 };
	int r = jail_join(&ns, &e);
	printf("%s\n", r < 0 ? e.msg : "joined");
	printf("back net=%s ipc=%s nnp=%d\n", ino("net") == n0 ? "same" : "other",
	       ino("ipc") == i0 ? "same" : "other", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	return 0;
}
