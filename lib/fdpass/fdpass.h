/* Passing file descriptors over a Unix socket (SCM_RIGHTS), and closing
 * every fd but a few: the one implementation the helper (its replies, the
 * session's init, the keeper) and lib/jail (the helper's reply) share.
 * Makes the syscalls it says and nothing else; no state. */
#ifndef NSJAIL_FDPASS_H
#define NSJAIL_FDPASS_H

#include <stddef.h>
#include <sys/types.h>

/* The most fds one message carries (wire.h's WIRE_MAX_FDS). */
#define FDPASS_MAX 4

/* One message of LEN bytes with NFDS (at most FDPASS_MAX) fds attached;
 * 0, or -1 when it was not sent whole. */
int send_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds);

/* One message of at most LEN bytes into BUF (FLAGS to recvmsg besides
 * MSG_CMSG_CLOEXEC: every fd received is close-on-exec), and the fds it
 * carries into FDS[0..MAX) (MAX at most FDPASS_MAX), *NFDS how many: none,
 * or between MIN (>= 1) and MAX. Returns the bytes read (0 at EOF), or -1
 * with errno: recvmsg's, or EPROTO when the message carried anything else
 * (another count, a control message other than one SCM_RIGHTS of
 * SOL_SOCKET, control data or a datagram cut short: MSG_CTRUNC,
 * MSG_TRUNC); then every fd it carried is closed and FDS are all -1. */
ssize_t recv_fds(int sock, void *buf, size_t len, int *fds, size_t min, size_t max,
		 size_t *nfds, int flags);

/* Closes every fd but the N in KEEP (any order, -1 entries ignored; N at
 * most 8): 0, or -1 when one could stay open. */
int close_all_but(const int *keep, size_t n);

#endif
