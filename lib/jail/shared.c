/* shared = true: the registry of live shared jails. See shared.h. */
#include "shared.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/nsfs.h>

#include "util.h"
#include "wire.h"

static int fail(struct nsj_error *e, int err, const char *what)
{
	return nsj_error_set(e, err, "shared: %s", what);
}

uint64_t shared_gen(const struct plan *p)
{
	/* The plan without the terminal: the logins that share a jail each
	 * have their own (the first one's is the jail's /dev/tty-host). */
	cleanup_free struct step *v = p->n ? malloc(p->n * sizeof(*v)) : NULL;
	if (p->n && !v)
		return 0;
	for (size_t i = 0; i < p->n; i++) {
		v[i] = p->v[i];
		if (v[i].kind == STEP_DEV)
			v[i].src = NULL;
	}
	struct plan q = *p;
	q.v = v;
	cleanup_free uint8_t *buf = NULL;
	size_t len;
	if (wire_encode(&q, &buf, &len) < 0)
		return 0;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ buf[i]) * 0x100000001b3ull;
	return h ? h : 1;
}

/* A directory of root's that nobody else may write (mode & 022), with
 * O_NOFOLLOW: made if missing. */
static int open_root_dir(int at, const char *name, mode_t mode, mode_t deny)
{
	if (mkdirat(at, name, mode) < 0 && errno != EEXIST)
		return -1;
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
			(st.st_mode & deny))) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

int shared_open_dir(int *dir, struct nsj_error *e)
{
	char parent[] = NSJAIL_SHARED_DIR;
	char *slash = strrchr(parent, '/');
	*slash = '\0';
	cleanup_fd int up = open_root_dir(AT_FDCWD, parent, 0755, 022);
	if (up < 0)
		return fail(e, errno, parent);
	*dir = open_root_dir(up, slash + 1, 0700, 077);
	if (*dir < 0)
		return fail(e, errno, NSJAIL_SHARED_DIR " (must be root's, mode 0700)");
	return 0;
}

int shared_lock(struct shared *sh, uid_t uid, uint64_t gen, struct nsj_error *e)
{
	sh->dir = sh->lock = -1;
	sh->gen = gen;
	sh->uid = uid;
	snprintf(sh->name, sizeof(sh->name), "%u-%016" PRIx64, (unsigned)uid, gen);
	if (shared_open_dir(&sh->dir, e) < 0)
		return -1;
	/* The user's own lock: her logins and her keepers serialise on it;
	 * another user's slow build never holds hers up. */
	char lock[32];
	snprintf(lock, sizeof(lock), NSJAIL_SHARED_LOCK, (unsigned)uid);
	sh->lock = openat(sh->dir, lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (sh->lock < 0) {
		nsj_error_set(e, errno, "shared: %s/%s", NSJAIL_SHARED_DIR, lock);
		shared_unlock(sh);
		return -1;
	}
	/* Another login builds at most for the helper's timeout. Polled
	 * every millisecond (a PAM module has no signal for a timed flock): a
	 * join holds the lock for about 0.1 ms, so under a storm of logins a
	 * coarser poll leaves it idle between them. */
	for (int i = 0; i < NSJAIL_HELPER_TIMEOUT_MS + NSJAIL_HELPER_GRACE_MS; i++) {
		if (flock(sh->lock, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			break;
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
	nsj_error_set(e, errno, "shared: flock %s/%s", NSJAIL_SHARED_DIR, lock);
	shared_unlock(sh);
	return -1;
}

void shared_unlock(struct shared *sh)
{
	if (sh->lock >= 0) {
		flock(sh->lock, LOCK_UN);
		close(sh->lock);
	}
	if (sh->dir >= 0)
		close(sh->dir);
	sh->lock = sh->dir = -1;
}

int shared_entry_read(int dir, const char *name, struct shared_entry *en)
{
	cleanup_fd int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char buf[1024];
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 022))
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	*en = (struct shared_entry){ .pid = -1 };
	int got = 0;
	for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		long long v;
		unsigned long long a, b;
		if (sscanf(l, "pid=%lld", &v) == 1 && v > 1 && v < INT32_MAX)
			en->pid = (pid_t)v, got |= 1;
		else if (sscanf(l, "mnt=%llu:%llu", &a, &b) == 2)
			en->dev = a, en->ino = b, got |= 2;
		else if (sscanf(l, "uid=%lld", &v) == 1 && v >= 0)
			en->uid = (uid_t)v, got |= 4;
		else if (!strncmp(l, "user=", 5))
			snprintf(en->user, sizeof(en->user), "%s", l + 5);
		else if (!strncmp(l, "jail=", 5))
			snprintf(en->jail, sizeof(en->jail), "%s", l + 5);
		else if (sscanf(l, "gen=%" SCNx64, &en->gen) == 1)
			got |= 8;
		else if (sscanf(l, "start=%lld", &v) == 1)
			en->start = v;
		else if (sscanf(l, "kstart=%lld", &v) == 1)
			en->kstart = v, got |= 16;
		else if (sscanf(l, "exe=%llu:%llu", &a, &b) == 2)
			en->exe_dev = a, en->exe_ino = b;
	}
	return got == 31 ? 0 : -1;
}

/* /proc/PID/status says every uid is 0. */
static bool root_owned(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	bool ok = false;
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		unsigned r, e, s, fs;
		if (sscanf(line, "Uid: %u %u %u %u", &r, &e, &s, &fs) == 4) {
			ok = r == 0 && e == 0 && s == 0 && fs == 0;
			break;
		}
	}
	fclose(f);
	return ok;
}

/* /proc/PID/stat's start time (field 22): with the pid, a process's
 * identity across pid reuse. -1 when unreadable. */
static long long start_of(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	cleanup_fd int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* comm may hold anything but ends here */
	if (!p)
		return -1;
	p++;
	for (int field = 2; field < 21 && p; field++) /* to the space before 22 */
		p = strchr(p + 1, ' ');
	long long v;
	return p && sscanf(p, " %lld", &v) == 1 ? v : -1;
}

static bool same(const struct stat *a, unsigned long long dev, unsigned long long ino)
{
	return (unsigned long long)a->st_dev == dev && (unsigned long long)a->st_ino == ino;
}

/* Opens /proc/PID/ns/NAME into *fd. */
static int open_ns(pid_t pid, const char *name, int *fd)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, name);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	return *fd < 0 ? -1 : 0;
}

static bool alive(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	return poll(&p, 1, 0) == 0;
}

/* The executable of process PID (its /proc/PID/exe, EXE) is the helper:
 * 1 HELPER's current file, 0 an earlier one (the one recorded at
 * registration; for entries without one, HELPER's path "(deleted)", as a
 * rename over it leaves the link), -1 neither. */
static int helper_version(const struct shared_entry *en, const char *helper,
			  const struct stat *exe)
{
	struct stat want;
	if (stat(helper, &want) == 0 && exe->st_dev == want.st_dev && exe->st_ino == want.st_ino)
		return 1;
	if (en->exe_ino)
		return same(exe, en->exe_dev, en->exe_ino) ? 0 : -1;
	char path[64], link[4200], old[4200];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)en->pid);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';
	snprintf(old, sizeof(old), "%s (deleted)", helper);
	return strcmp(link, old) == 0 ? 0 : -1;
}

/* The checks of shared_keeper, the mount namespace left open in *mnt. */
static int keeper_check(const struct shared_entry *en, const char *helper, int *mnt,
			bool *old)
{
	/* The pidfd first: if the process it names is alive after the
	 * checks, every /proc/PID read below was that process's. */
	int pidfd = (int)syscall(SYS_pidfd_open, en->pid, 0);
	char path[64];
	struct stat exe, ns;
	int version = -1;
	if (pidfd < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)en->pid);
	if (start_of(en->pid) != en->kstart || !root_owned(en->pid) || stat(path, &exe) < 0 ||
	    (version = helper_version(en, helper, &exe)) < 0 ||
	    open_ns(en->pid, "mnt", mnt) < 0 || fstat(*mnt, &ns) < 0 ||
	    !same(&ns, en->dev, en->ino)) {
		close(pidfd);
		return -1;
	}
	*old = version == 0;
	return pidfd;
}

int shared_keeper(const struct shared_entry *en, const char *helper, bool *old)
{
	int mnt = -1;
	int pidfd = keeper_check(en, helper, &mnt, old);
	if (mnt >= 0)
		close(mnt);
	if (pidfd >= 0 && !alive(pidfd)) {
		close(pidfd);
		return -1;
	}
	return pidfd;
}

int shared_find(struct shared *sh, const char *helper, const struct plan *p,
		struct jail_ns *ns, struct nsj_error *e)
{
	struct shared_entry en;
	cleanup_fd int pidfd = -1;
	*ns = (struct jail_ns){ .mnt = -1, .pid = -1, .net = -1, .ipc = -1, .keeper = -1 };
	/* AT_EACCESS: with the effective uid (root), not the real one (a
	 * user's `su alice` runs with her caller's real uid). */
	if (faccessat(sh->dir, sh->name, F_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : fail(e, errno, sh->name);
	if (shared_entry_read(sh->dir, sh->name, &en) < 0 || en.gen != sh->gen)
		goto stale;
	bool old;
	pidfd = keeper_check(&en, helper, &ns->mnt, &old);
	if (pidfd < 0)
		goto stale;
	if (old) {
		/* A live jail of the helper replaced on disk: never joined (a
		 * fresh one is built), its entry kept under another name so
		 * that status and stop still find it. */
		char keep[96];
		jail_ns_close(ns);
		snprintf(keep, sizeof(keep), "%s.old-%d", sh->name, (int)en.pid);
		if (renameat(sh->dir, sh->name, sh->dir, keep) < 0)
			return fail(e, errno, "keeping the entry of an old version's jail");
		return 0;
	}
	if ((plan_has(p, STEP_PIDS) && open_ns(en.pid, "pid_for_children", &ns->pid) < 0) ||
	    ((p->isolate & PLAN_ISO_NET) && open_ns(en.pid, "net", &ns->net) < 0) ||
	    ((p->isolate & PLAN_ISO_IPC) && open_ns(en.pid, "ipc", &ns->ipc) < 0) ||
	    !alive(pidfd))
		goto stale;
	/* The same proof as for a jail the helper just built: the types, new
	 * namespaces, a PID namespace that is a child of ours. */
	if (jail_check_ns(p, ns, "the keeper", e) < 0)
		goto stale;
	ns->no_new_privs = p->isolate & PLAN_ISO_NNP;
	ns->restrict_ns = p->isolate & PLAN_ISO_RESTRICT_NS;
	ns->scope_ipc = p->isolate & PLAN_ISO_SCOPE_IPC;
	ns->keeper = en.pid;
	return 1;
stale:
	jail_ns_close(ns);
	if (unlinkat(sh->dir, sh->name, 0) < 0 && errno != ENOENT)
		return fail(e, errno, "removing a stale entry");
	return 0;
}

long long shared_keeper_start(pid_t keeper, struct stat *exe)
{
	/* A pidfd, then the start time and the executable, then alive
	 * still: they were our keeper's. Read on the host's /proc, before
	 * the join (the jail's /proc does not show the keeper). */
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)keeper);
	cleanup_fd int pidfd = (int)syscall(SYS_pidfd_open, keeper, 0);
	long long kstart = pidfd < 0 ? -1 : start_of(keeper);
	return kstart >= 0 && stat(path, exe) == 0 && alive(pidfd) ? kstart : -1;
}

int shared_register(struct shared *sh, const char *user, const char *jail,
		    pid_t keeper, long long kstart, const struct stat *exe, int mntfd,
		    struct nsj_error *e)
{
	struct stat st;
	char tmp[64], buf[512];
	if (fstat(mntfd, &st) < 0)
		return fail(e, errno, "fstat of the mount namespace");
	if (kstart < 0)
		return fail(e, ESRCH, "the keeper is gone");
	int n = snprintf(buf, sizeof(buf),
			 "pid=%d\nmnt=%llu:%llu\nuid=%u\nuser=%s\njail=%s\ngen=%016" PRIx64
			 "\nstart=%lld\nkstart=%lld\nexe=%llu:%llu\n", (int)keeper,
			 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
			 (unsigned)sh->uid, user, jail, sh->gen, (long long)time(NULL), kstart,
			 (unsigned long long)exe->st_dev, (unsigned long long)exe->st_ino);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return fail(e, ENAMETOOLONG, "entry");
	snprintf(tmp, sizeof(tmp), "%s.tmp", sh->name);
	cleanup_fd int fd = openat(sh->dir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
				   O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, buf, (size_t)n) != n)
		return fail(e, errno, tmp);
	if (renameat(sh->dir, tmp, sh->dir, sh->name) < 0)
		return fail(e, errno, sh->name);
	return 0;
}

int shared_pidns(pid_t keeper)
{
	struct stat own, st;
	int fd;
	if (open_ns(keeper, "pid_for_children", &fd) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || stat("/proc/self/ns/pid", &own) < 0 ||
	    (own.st_dev == st.st_dev && own.st_ino == st.st_ino)) {
		close(fd); /* the keeper's children would be ours: no jail's */
		return -1;
	}
	return fd;
}

/* PID's PID namespace is JAIL (*direct) or one below it. */
static bool pid_below(long pid, const struct stat *own, const struct stat *jail, bool *direct)
{
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%ld/ns/pid", pid);
	*direct = false;
	if (stat(path, &st) < 0 || (st.st_dev == own->st_dev && st.st_ino == own->st_ino))
		return false; /* ours: the host's, most processes */
	if (st.st_dev == jail->st_dev && st.st_ino == jail->st_ino)
		return *direct = true;
	/* Up the chain (at most 32 levels); NS_GET_PARENT fails above ours. */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	for (int level = 0; fd >= 0 && level < 33; level++) {
		int up = ioctl(fd, NS_GET_PARENT);
		close(fd);
		fd = up;
		if (fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == jail->st_dev &&
		    st.st_ino == jail->st_ino) {
			close(fd);
			return true;
		}
	}
	if (fd >= 0)
		close(fd);
	return false;
}

/* PID is pid 1 of its PID namespace (the last NSpid of its status). */
static bool is_init(long pid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	FILE *f = fopen(path, "re");
	bool init = false;
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "NSpid:", 6) != 0)
			continue;
		char *last = strrchr(line, '\t');
		init = last && atol(last + 1) == 1;
		break;
	}
	if (f)
		fclose(f);
	return init;
}

int shared_procs(const struct shared_entry *en, int pidns, int flags)
{
	struct stat own, jail;
	if (pidns >= 0 && (fstat(pidns, &jail) < 0 || stat("/proc/self/ns/pid", &own) < 0))
		return -1;
	DIR *d = opendir("/proc");
	if (!d)
		return -1;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end, path[64];
		struct stat st;
		bool direct = false;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid == en->pid)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/mnt", pid);
		bool in = stat(path, &st) == 0 && same(&st, en->dev, en->ino);
		bool below = pidns >= 0 && pid_below(pid, &own, &jail, &direct);
		if (!in && !below)
			continue;
		if (flags & SHARED_KILL)
			kill((pid_t)pid, SIGKILL);
		if (!((flags & SHARED_NO_INIT) && direct && is_init(pid)))
			n++;
	}
	closedir(d);
	return n;
}
