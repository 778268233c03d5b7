/* esc_liar: a stand-in for nsjail-helper that answers "ok" with the wrong
 * namespaces, for t_escape_isolation_fds.sh. It reads the request, makes a
 * real new mount namespace and replies with the fds of LIAR_MODE:
 *   1 "own-net": the caller's own network namespace in the network slot
 *   2 "swapped": network and IPC namespaces (new ones) in swapped slots
 *   3 "missing": the mount namespace only
 * The module must refuse each, joining nothing.
 * Build: cc -DLIAR_MODE=N esc_liar.c */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef LIAR_MODE
#error "define LIAR_MODE"
#endif

struct reply { int32_t status, err; char msg[1024]; int32_t keeper; };

int main(void)
{
	char buf[65536];
	(void)!read(3, buf, sizeof(buf));
	int own_net = open("/proc/self/ns/net", O_RDONLY);
	if (unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC) < 0)
		return 1;
	int fds[3], n = 0;
	fds[n++] = open("/proc/self/ns/mnt", O_RDONLY);
	int net = open("/proc/self/ns/net", O_RDONLY), ipc = open("/proc/self/ns/ipc", O_RDONLY);
	if (LIAR_MODE == 1) {
		fds[n++] = own_net;
		fds[n++] = ipc;
	} else if (LIAR_MODE == 2) {
		fds[n++] = ipc;
		fds[n++] = net;
	}
	struct reply r = { 0 };
	struct iovec iov = { &r, sizeof(r) };
	union { struct cmsghdr h; char b[CMSG_SPACE(3 * sizeof(int))]; } c;
	memset(&c, 0, sizeof(c));
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b,
			    .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	h->cmsg_level = SOL_SOCKET;
	h->cmsg_type = SCM_RIGHTS;
	h->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(h), fds, n * sizeof(int));
	return sendmsg(3, &m, 0) == sizeof(r) ? 0 : 1;
}
