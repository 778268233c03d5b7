/* The mount plan: a typed, ordered list of steps the helper applies in a new
 * mount namespace. Compiled from (jail, user) by plan_compile (policy/
 * compile.h), normalised before anything runs, printed by `nsjailctl
 * explain`, encoded by wire.c and checked again by the helper with
 * plan_validate. The helper's library (lib/plan/): no libconfig, no NSS, no
 * syscalls. */
#ifndef NSJAIL_PLAN_H
#define NSJAIL_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Kinds. For one dst the compiler keeps, in this order: a hide alone, or
 * one mount (bind/bind_ro/tmpfs/automatic) and then read_only, or
 * read_write alone (restrictive wins, flags merged: compile.c merge_group).
 * In a root jail an entry on an automatic mount is an error. */
enum step_kind {
	STEP_ROOT_DIR,     /* dst: host directory that becomes "/" (checked root-owned, every component) */
	STEP_ROOT_TMPFS,   /* an empty private tmpfs becomes "/" */
	STEP_SYMLINK,      /* dst: link in the jail (tmpfs root only); src: relative target */
	STEP_PROC,         /* dst "/proc": a fresh procfs */
	STEP_SYS,          /* dst "/sys": sysfs, read-only */
	STEP_DEV,          /* dst "/dev": tmpfs with null zero full random urandom tty, ptmx, the host's devpts, shm;
			    * src, if set: the caller's console or serial line ("/dev/ttyN"), bound as /dev/tty-host */
	STEP_ETC,          /* dst "/etc": read-only tmpfs with the files in data, when the root's /etc is empty */
	STEP_INACCESSIBLE, /* dst: covered by an empty read-only node of the same type, mode 0000 */
	STEP_BIND,         /* src (host, before the jail) -> dst, read-write */
	STEP_BIND_RO,      /* src -> dst, read-only */
	STEP_TMPFS,        /* dst: empty tmpfs, mode = arg */
	STEP_READ_ONLY,    /* dst and everything below: read-only (mount_setattr AT_RECURSIVE) */
	STEP_READ_WRITE,   /* dst and below: writable again under a read-only parent */
	STEP_NOSUID,       /* dst "/": the whole jail nosuid (applied last) */
	/* dst "/proc": the session gets a PID namespace of its own (its init
	 * is the helper's child) and a fresh procfs of it here, in place of
	 * STEP_PROC. Appended, so the older kinds keep their wire values; the
	 * compiler never lets another step share its dst. */
	STEP_PIDS,
	/* dst == src, a host piece of /etc (plan_etc_piece_ok) shown in the
	 * synthesized /etc: read-only; a symlink is copied as a link; the
	 * helper refuses one that is not world-readable (a directory: itself
	 * and each entry in it) and applies it only where STEP_ETC made /etc.
	 * Appended, like STEP_PIDS. */
	STEP_ETC_HOST,
	STEP__COUNT
};

enum step_flag {
	STEP_F_OPTIONAL = 1u << 0, /* '-' prefix: a missing dst or src is skipped */
	STEP_F_AUTO = 1u << 1,     /* made by the compiler, not written in the config */
	STEP_F__ALL = (1u << 2) - 1,
};

struct step {
	enum step_kind kind;
	unsigned flags;
	unsigned arg;   /* STEP_TMPFS: mode; STEP_DEV: gid of tty (shown by explain); else 0 */
	char *src;      /* STEP_BIND*: host path; STEP_SYMLINK: target; STEP_DEV:
			 * the caller's terminal or NULL; else NULL */
	char *dst;      /* path inside the jail (host path for STEP_ROOT_DIR) */
	char *data;     /* STEP_ETC: "name\0content\0" pairs; else NULL */
	size_t data_len;
	/* Provenance, for explain and errors; not sent to the helper. */
	const char *file;
	int line;
};

struct plan {
	char *jail;     /* jail name, for logs */
	bool has_root;  /* first step is STEP_ROOT_DIR or STEP_ROOT_TMPFS */
	/* Caps of every tmpfs the jail makes that a session can fill (a tmpfs
	 * root, STEP_TMPFS, /dev/shm): the kernel's default is half of RAM,
	 * per mount. Never 0, which would mean no limit. */
	uint64_t tmpfs_size;   /* bytes: size= */
	uint64_t tmpfs_inodes; /* nr_inodes= */
	/* PLAN_ISO_* of the jail: namespaces and flags of the session beyond
	 * its mounts (not steps: they have no path). */
	uint64_t isolate;
	/* shared: whose jail it is; the keeper takes that user's registry
	 * lock (NSJAIL_SHARED_LOCK), so one user's logins never wait for
	 * another's. 0 without shared. */
	uint32_t owner;
	struct step *v;
	size_t n;
};

#define PLAN_MAX_STEPS 4096

/* plan.isolate: private_network (a network namespace with loopback only),
 * private_ipc (an IPC namespace, its own mqueue on /dev/mqueue),
 * no_new_privileges (PR_SET_NO_NEW_PRIVS on the session), shared (a keeper
 * keeps the namespaces; later logins of the user join them),
 * restrict_namespaces (a seccomp filter: no new namespaces, no setns),
 * scope_ipc (a Landlock domain scoping abstract sockets and signals). The
 * last two are the module's alone (jail_join): the helper accepts them
 * and does nothing with them. */
enum plan_isolate {
	PLAN_ISO_NET = 1u << 0,
	PLAN_ISO_IPC = 1u << 1,
	PLAN_ISO_NNP = 1u << 2,
	PLAN_ISO_SHARED = 1u << 3, /* shared: one jail for all of a user's sessions */
	PLAN_ISO_RESTRICT_NS = 1u << 4, /* restrict_namespaces */
	PLAN_ISO_SCOPE_IPC = 1u << 5,   /* scope_ipc */
	PLAN_ISO__ALL = (1u << 6) - 1,
};

/* Default caps (settings.tmpfs_size / tmpfs_inodes): a tmpfs lives in
 * RAM and swap, and a session may have several; 256 MiB and 64 Ki files
 * each hold any sane /tmp use and keep one login from taking the host's
 * memory. The bounds refuse a unit typo ("64" for 64M) and nonsense. */
#define PLAN_TMPFS_SIZE_DEFAULT (256ull << 20)
#define PLAN_TMPFS_INODES_DEFAULT 65536ull
#define PLAN_TMPFS_SIZE_MIN (1ull << 20)
#define PLAN_TMPFS_SIZE_MAX (1ull << 50)
#define PLAN_TMPFS_INODES_MIN 64ull
#define PLAN_TMPFS_INODES_MAX 0xffffffffull
#define PLAN_MAX_DATA (64u << 10)

extern const char *const step_kind_name[STEP__COUNT]; /* "bind_ro", ... */

/* A path a plan may take from the host's /etc (STEP_ETC_HOST, the
 * etc_add key): normal, strictly below /etc, none of the synthesized
 * files, and neither a known secret nor a directory holding one (shadow,
 * gshadow, sudoers, ssh host keys, ssl/private, ...). On false, *why says
 * which rule. */
bool plan_etc_piece_ok(const char *path, const char **why);

/* Whether p has a step of kind k. */
bool plan_has(const struct plan *p, enum step_kind k);

/* Structural check, run by the helper on what it received: kinds and flags
 * known, paths normal, root step only first, symlink targets relative and
 * without "..", etc data well formed, order parents-first. Returns 0 or -1
 * with a message in err. */
int plan_validate(const struct plan *p, char *err, size_t errlen);

/* Whether a step of kind K shows a host path (its src) on its dst: bind,
 * bind_ro, etc_host. */
bool plan_shows_host(enum step_kind k);

/* The host path the jail path S->dst is reached by: below the innermost
 * bind over it, the bind's source and the rest; below nothing, the path
 * itself, or in an on-disk root the root and the path. NULL where the
 * host has nothing of it (a tmpfs root, a tmpfs or procfs of the jail's)
 * or the name does not fit in LEN. */
const char *plan_host_path(const struct plan *p, const struct step *s, char *buf, size_t len);

/* The fsconfig options of the caps: "size=N", "nr_inodes=N". */
void plan_tmpfs_opts(const struct plan *p, char size[32], char inodes[32]);

/* The caps, then one line per step: "  3. bind_ro      /usr <- /usr   (FILE:LINE)". */
void plan_print(const struct plan *p, FILE *out);

void plan_free(struct plan *p);

#endif
