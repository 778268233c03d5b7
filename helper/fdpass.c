/* Sending file descriptors over a Unix socket (SCM_RIGHTS): the reply to
 * the module and the init's procfs context to the helper. */
#include "helper.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

int send_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	union { struct cmsghdr h; char buf[CMSG_SPACE(4 * sizeof(int))]; } c;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (nfds > 4)
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
