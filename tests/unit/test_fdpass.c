/* lib/fdpass: a message's fds are taken whole or not at all. recv_fds
 * accepts none or MIN..MAX fds in one SCM_RIGHTS message; anything else
 * (too many, too few, another control message, a cut datagram) is EPROTO
 * and leaves no fd open. close_all_but keeps exactly the fds it is given. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdpass.h"

/* The lowest free fd: what a leaked fd would change. */
static int next_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	close(fd);
	return fd;
}

static void pair(int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
}

static bool same_file(int a, int b)
{
	struct stat x, y;
	return fstat(a, &x) == 0 && fstat(b, &y) == 0 && x.st_dev == y.st_dev &&
	       x.st_ino == y.st_ino;
}

static void right_count(void **state)
{
	(void)state;
	int sv[2], out[2] = { STDIN_FILENO, STDERR_FILENO }, in[FDPASS_MAX], v = 0;
	size_t n;
	pair(sv);
	assert_int_equal(send_fds(sv[0], "abcd", 4, out, 2), 0);
	assert_int_equal(recv_fds(sv[1], &v, sizeof(v), in, 2, 2, &n, 0), 4);
	assert_int_equal(n, 2);
	assert_memory_equal(&v, "abcd", 4);
	for (size_t i = 0; i < 2; i++) {
		assert_true(same_file(in[i], out[i]));
		assert_true(fcntl(in[i], F_GETFD) & FD_CLOEXEC);
		close(in[i]);
	}
	/* A range: 2 of at most 4. */
	assert_int_equal(send_fds(sv[0], "x", 1, out, 2), 0);
	assert_int_equal(recv_fds(sv[1], &v, 1, in, 1, FDPASS_MAX, &n, 0), 1);
	assert_int_equal(n, 2);
	assert_int_equal(in[2], -1);
	close(in[0]);
	close(in[1]);
	close(sv[0]);
	close(sv[1]);
}

/* An error reply carries no fd: accepted, FDS all -1. */
static void none(void **state)
{
	(void)state;
	int sv[2], in[2] = { 7, 7 };
	char c;
	size_t n = 9;
	pair(sv);
	assert_int_equal(send_fds(sv[0], "e", 1, NULL, 0), 0);
	assert_int_equal(recv_fds(sv[1], &c, 1, in, 2, 2, &n, 0), 1);
	assert_int_equal(n, 0);
	assert_int_equal(in[0], -1);
	assert_int_equal(in[1], -1);
	close(sv[1]); /* EOF */
	close(sv[0]);
}

/* Sends COUNT copies of stdin, receives expecting MIN..MAX: EPROTO and
 * nothing left open. */
static void refused(size_t count, size_t min, size_t max)
{
	int sv[2], out[FDPASS_MAX] = { 0, 0, 0, 0 }, in[FDPASS_MAX];
	char c;
	size_t n;
	pair(sv);
	int free_fd = next_fd();
	assert_int_equal(send_fds(sv[0], "x", 1, out, count), 0);
	errno = 0;
	assert_int_equal(recv_fds(sv[1], &c, 1, in, min, max, &n, 0), -1);
	assert_int_equal(errno, EPROTO);
	assert_int_equal(n, 0);
	for (size_t i = 0; i < max; i++)
		assert_int_equal(in[i], -1);
	assert_int_equal(next_fd(), free_fd);
	close(sv[0]);
	close(sv[1]);
}

static void too_many(void **state)
{
	(void)state;
	refused(3, 2, 2); /* MSG_CTRUNC: the kernel installed 2 */
	refused(2, 1, 1); /* fits CMSG_SPACE(1 int)'s padding: no MSG_CTRUNC */
	refused(FDPASS_MAX, 1, 2);
}

static void too_few(void **state)
{
	(void)state;
	refused(1, 2, 2);
	refused(2, 3, 4);
}

/* Another control message than SCM_RIGHTS (credentials). */
static void wrong_type(void **state)
{
	(void)state;
	int sv[2], in[FDPASS_MAX], on = 1;
	char c;
	size_t n;
	pair(sv);
	assert_int_equal(setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)), 0);
	int free_fd = next_fd();
	assert_int_equal(send_fds(sv[0], "x", 1, NULL, 0), 0);
	errno = 0;
	assert_int_equal(recv_fds(sv[1], &c, 1, in, 1, FDPASS_MAX, &n, 0), -1);
	assert_int_equal(errno, EPROTO);
	assert_int_equal(next_fd(), free_fd);
	close(sv[0]);
	close(sv[1]);
}

/* A datagram longer than the buffer (MSG_TRUNC): its fds closed. */
static void truncated(void **state)
{
	(void)state;
	int sv[2], out[1] = { 0 }, in[1], v;
	size_t n;
	pair(sv);
	int free_fd = next_fd();
	assert_int_equal(send_fds(sv[0], "abcdefgh", 8, out, 1), 0);
	errno = 0;
	assert_int_equal(recv_fds(sv[1], &v, sizeof(v), in, 1, 1, &n, 0), -1);
	assert_int_equal(errno, EPROTO);
	assert_int_equal(in[0], -1);
	assert_int_equal(next_fd(), free_fd);
	close(sv[0]);
	close(sv[1]);
}

/* In a child (it closes cmocka's fds too): exactly KEEP stay open. */
static void close_all_but_keeps(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int a = open("/dev/null", O_RDONLY), b = dup(a), c = dup(a), d = dup(a);
		if (d < 0 || close_all_but((const int[]){ d, -1, b, 1 }, 4) < 0)
			_exit(2);
		for (int fd = 0; fd <= d + 8; fd++) {
			bool open_ = fcntl(fd, F_GETFD) >= 0;
			if (open_ != (fd == 1 || fd == b || fd == d))
				_exit(3);
		}
		(void)c;
		_exit(0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(right_count),
		cmocka_unit_test(none),
		cmocka_unit_test(too_many),
		cmocka_unit_test(too_few),
		cmocka_unit_test(wrong_type),
		cmocka_unit_test(truncated),
		cmocka_unit_test(close_all_but_keeps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
