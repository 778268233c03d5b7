/* nsjail-helper: read one plan from fd 3, build the namespace, send back
 * its fd (SCM_RIGHTS; with private_pids, private_network, private_ipc, those
 * namespaces' too) or one
 * error line, exit. Protocol in lib/plan/wire.h. */
#include "apply.h"
#include "wire.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_all(int fd, uint8_t *buf, size_t len)
{
	for (size_t got = 0; got < len;) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = EPROTO; /* the caller hung up mid-request */
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* The header first (magic, total length), then exactly the rest: never
 * more than WIRE_MAX_BYTES is allocated. */
static uint8_t *read_request(size_t *len, struct herr *e)
{
	uint8_t hdr[8];
	uint32_t magic, total;
	if (read_all(NSJAIL_HELPER_FD, hdr, sizeof(hdr)) < 0)
		return fail_sys(e, errno, "read", "request"), NULL;
	memcpy(&magic, hdr, 4);
	memcpy(&total, hdr + 4, 4);
	if (magic != WIRE_MAGIC || total < sizeof(hdr) || total > WIRE_MAX_BYTES)
		return fail_msg(e, EPROTO, "malformed request header"), NULL;
	uint8_t *buf = malloc(total);
	if (!buf)
		return fail_sys(e, ENOMEM, "malloc", NULL), NULL;
	memcpy(buf, hdr, sizeof(hdr));
	if (read_all(NSJAIL_HELPER_FD, buf + sizeof(hdr), total - sizeof(hdr)) < 0) {
		free(buf);
		return fail_sys(e, errno, "read", "request"), NULL;
	}
	*len = total;
	return buf;
}

/* `nsjail-helper --version`: one line naming the protocol this helper
 * speaks, wire.h's magic as its four bytes ("NSJ4"), for `nsjailctl
 * check`. Taken only with exactly that argument and no socket on fd 3: the
 * module and nsjailctl spawn us with no argument and the request socket as
 * fd 3 (lib/jail/build.c), so a request never comes here, and this reads
 * nothing, builds nothing and needs no privilege. */
static bool version_asked(int argc, char **argv)
{
	struct stat st;
	return argc == 2 && strcmp(argv[1], "--version") == 0 &&
	       !(fstat(NSJAIL_HELPER_FD, &st) == 0 && S_ISSOCK(st.st_mode));
}

static int version(void)
{
	char line[] = "nsjail-helper protocol ....\n";
	char *magic = strchr(line, '.');
	for (int i = 0; i < 4; i++)
		magic[i] = (char)((WIRE_MAGIC >> (8 * i)) & 0xff);
	size_t n = strlen(line);
	return write(STDOUT_FILENO, line, n) == (ssize_t)n ? 0 : 1;
}

/* The reply, with nfds (0-4) fds in the order of wire.h. */
static int reply(const struct wire_reply *r, const int *fds, size_t nfds)
{
	return send_fds(NSJAIL_HELPER_FD, r, sizeof(*r), fds, nfds);
}

int main(int argc, char **argv)
{
	if (version_asked(argc, argv))
		return version();
	harden();
	struct herr e = { 0 };
	struct wire_reply r = { 0 };
	struct plan p = { 0 };
	struct jail_ns ns = JAIL_NS_INIT;
	struct keeper k = KEEPER_INIT;
	size_t len = 0;
	long at = -1;
	int nsfd = -1;
	uint8_t *buf = read_request(&len, &e);
	bool ok = buf && wire_decode(buf, len, &p, e.ne.msg, sizeof(e.ne.msg)) == 0;
	if (buf && !ok)
		e.ne.err = EINVAL;
	/* shared: the keeper is forked now, while we still hold
	 * CAP_SYS_PTRACE; no step ever runs with it. */
	if (ok && (p.isolate & PLAN_ISO_SHARED) && keeper_fork(&k, &p, &e) < 0)
		ok = false;
	harden_drop_ptrace();
	if (ok)
		nsfd = apply_plan(&p, &ns, &e, &at);
	free(buf);
	/* wire.h's order: mount, PID, network, IPC; each only when made. */
	int made[WIRE_MAX_FDS] = { nsfd, ns.pid, ns.net, ns.ipc };
	int fds[WIRE_MAX_FDS];
	size_t nfds = 0;
	for (size_t i = 0; nsfd >= 0 && i < WIRE_MAX_FDS; i++)
		if (made[i] >= 0)
			fds[nfds++] = made[i];
	/* The jail is complete: the keeper enters it, then the init may take
	 * over (it exits at once if we die before this; with a keeper it
	 * watches the keeper rather than the caller). */
	if (nsfd >= 0 && keeper_start(&k, ns.init, fds, nfds, &e) < 0)
		nsfd = -1;
	if (nsfd >= 0 && pidns_release(&ns, k.pidfd, &e) < 0)
		nsfd = -1;
	r.keeper = nsfd >= 0 && k.pid > 0 ? k.pid : 0;
	if (nsfd < 0) {
		r.status = -1;
		r.err = e.ne.err;
		if (at >= 0)
			nsj_error_wrap(&e.ne, "step %ld (%s %s)", at + 1,
				       step_kind_name[p.v[at].kind], p.v[at].dst);
		_Static_assert(sizeof(r.msg) == sizeof(e.ne.msg), "the reply carries the error whole");
		snprintf(r.msg, sizeof(r.msg), "%s", nsj_error_text(&e.ne));
	}
	if (nsfd < 0)
		nfds = 0;
	int rc = reply(&r, fds, nfds) < 0 || nsfd < 0 ? 1 : 0;
	plan_free(&p);
	return rc;
}
