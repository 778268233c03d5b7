/* Passing file descriptors over a Unix socket (SCM_RIGHTS). The receiver
 * follows systemd's receive_one_fd_iov: a message is taken whole or not at
 * all, and an fd that arrived is never left open in a refused one. */
#include "fdpass.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

union fd_ctl {
	struct cmsghdr h;
	char buf[CMSG_SPACE(FDPASS_MAX * sizeof(int))];
};

int send_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	union fd_ctl c;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (nfds > FDPASS_MAX)
		return -1;
	memset(&c, 0, sizeof(c));
	if (nfds) {
		m.msg_control = c.buf;
		m.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		struct cmsghdr *h = CMSG_FIRSTHDR(&m);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(h), fds, nfds * sizeof(int));
	}
	ssize_t n;
	do
		n = sendmsg(sock, &m, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len ? 0 : -1;
}

/* The fds in one control message (0 for anything but SCM_RIGHTS). */
static size_t cmsg_nfds(const struct cmsghdr *h)
{
	if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS ||
	    h->cmsg_len < CMSG_LEN(0))
		return 0;
	return (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
}

/* Closes every fd a message brought (in whatever control message). */
static void cmsg_close_all(struct msghdr *m)
{
	for (struct cmsghdr *h = CMSG_FIRSTHDR(m); h; h = CMSG_NXTHDR(m, h)) {
		int fd;
		for (size_t i = 0; i < cmsg_nfds(h); i++) {
			memcpy(&fd, CMSG_DATA(h) + i * sizeof(int), sizeof(int));
			close(fd);
		}
	}
}

ssize_t recv_fds(int sock, void *buf, size_t len, int *fds, size_t min, size_t max,
		 size_t *nfds, int flags)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	union fd_ctl c;
	/* Room for MAX fds only: more sets MSG_CTRUNC. */
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.buf,
			    .msg_controllen = max ? CMSG_SPACE(max * sizeof(int)) : 0 };
	*nfds = 0;
	if (max > FDPASS_MAX || min < 1 || min > max) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < max; i++)
		fds[i] = -1;
	memset(&c, 0, sizeof(c));
	ssize_t n;
	do
		n = recvmsg(sock, &m, flags | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	struct cmsghdr *h = CMSG_FIRSTHDR(&m);
	size_t got = h ? cmsg_nfds(h) : 0;
	bool ok = !(m.msg_flags & (MSG_CTRUNC | MSG_TRUNC)) &&
		  (!h || (got >= min && got <= max &&
			  h->cmsg_len == CMSG_LEN(got * sizeof(int)) &&
			  !CMSG_NXTHDR(&m, h)));
	if (!ok) {
		cmsg_close_all(&m);
		errno = EPROTO;
		return -1;
	}
	if (got)
		memcpy(fds, CMSG_DATA(h), got * sizeof(int));
	*nfds = got;
	return n;
}

int close_all_but(const int *keep, size_t n)
{
	int k[8];
	size_t m = 0;
	if (n > 8)
		return -1;
	/* The fds to keep, ascending (insertion sort: a handful). */
	for (size_t i = 0; i < n; i++) {
		if (keep[i] < 0)
			continue;
		size_t j = m++;
		for (; j > 0 && k[j - 1] > keep[i]; j--)
			k[j] = k[j - 1];
		k[j] = keep[i];
	}
	unsigned lo = 0;
	for (size_t i = 0; i < m; i++) {
		if ((unsigned)k[i] > lo && close_range(lo, (unsigned)k[i] - 1, 0) < 0)
			return -1;
		lo = (unsigned)k[i] + 1;
	}
	return close_range(lo, ~0U, 0);
}
