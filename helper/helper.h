/* nsjail-helper: shared declarations. The helper runs as root with a
 * trimmed capability set, applies one validated plan in a fresh mount
 * namespace and hands back the namespace fd. Every mount is made on a file
 * descriptor obtained by the safe resolver (resolve.c), never on a path
 * string that could be re-resolved after a user changed it. */
#ifndef NSJAIL_HELPER_H
#define NSJAIL_HELPER_H

#include <errno.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "plan.h"
#include "wire.h" /* NSJAIL_HELPER_FD: the request socket */

/* The first failure, reported by main as "step N (KIND DST): MSG". */
struct herr {
	int err;          /* errno of the failing call, 0 for a policy refusal */
	const char *dst;  /* the current step's dst: not repeated in msg */
	char msg[900];
};

/* "CALL PATH: strerror(err)", PATH left out when NULL or the step's dst.
 * Both return -1. */
int fail_sys(struct herr *e, int err, const char *call, const char *path);
int fail_msg(struct herr *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* harden.c: the first thing main does; exits on failure. */
void harden(void);
/* Drops CAP_SYS_PTRACE (kept permitted by harden for the keeper). */
void harden_drop_ptrace(void);

/* keeper.c: shared = true. keeper_fork (after the plan is read, before
 * any step) forks the jail's keeper; keeper_start (once the jail is
 * complete) hands it the namespaces; keeper_pid/keeper_pidfd for the
 * reply and the init. */
int keeper_fork(const struct plan *p, struct herr *e);
int keeper_start(const int *fds, size_t nfds, struct herr *e);
int keeper_pid(void);
int keeper_pidfd(void);
/* pidns.c: the init's pid (ours), -1 without private_pids. */
int pidns_init_pid(void);

/* resolve.c */
enum {
	RES_MISSING = -2,       /* a component does not exist (e filled in) */
};
#define RES_ROOT_CHAIN 1u  /* every directory must be root-owned, not g/o-writable */
#define RES_CREATE_DIR 2u  /* resolve_jail: create what is missing (jail tmpfs only) as dirs */
#define RES_CREATE_FILE 4u /* ... and the last component as an empty file */

struct jail_ctx;

/* Resolves the absolute, normal PATH below ROOT (which plays "/") and
 * returns an O_PATH|O_CLOEXEC fd of it with its stat in *st, RES_MISSING,
 * or -1; e names the path. Symlinks are followed only when root owns them
 * and their directory (not group/world-writable); their targets stay below
 * ROOT. Creates nothing. */
int resolve(int root, const char *path, unsigned flags, struct stat *st,
	    struct herr *e);
/* The same below the jail's root; RES_CREATE_* create what is missing,
 * but only inside a tmpfs of cx's. */
int resolve_jail(const struct jail_ctx *cx, const char *path, unsigned flags,
		 struct stat *st, struct herr *e);

/* Tmpfs mounts the jail made itself (their superblocks): only there may
 * missing mount points be created. jail_tmpfs_add records MNTFD's; -1
 * with e filled in when it cannot. */
int jail_tmpfs_add(struct jail_ctx *cx, int mntfd, const char *path, struct herr *e);

/* One jail build: what its passes share, passed down (no file-level
 * state). */
struct jail_ctx {
	const struct plan *p;
	int root;   /* the jail's "/" (the namespace's own in a jail without root) */
	int host;   /* the namespace's "/" as it began: host paths */
	bool *done; /* per step: applied by the first pass */
	dev_t *made; /* the jail's own tmpfs (jail_tmpfs_add) */
	size_t nmade, made_max;
	/* Jail tmpfs (/dev, /etc) the last pass makes read-only, each alone:
	 * their submounts keep their flags. */
	struct { int fd; const char *path; } lock[2];
	size_t nlock;
};

/* apply.c: mount primitives shared with rootfs.c. */
int fs_new(const char *type, const char *const *opts, unsigned attrs,
	   const char *what, struct herr *e);
int attach(int mnt, int target, const char *path, struct herr *e);
int set_attr(int fd, unsigned set, unsigned clr, bool recursive,
	     const char *path, struct herr *e);
int clone_tree(int fd, const char *path, struct herr *e);

/* Builds the namespace(s); returns the mnt ns fd or -1 with e filled in
 * (with private_pids, pidns_fd() is the PID namespace). *at is the index
 * of the failing step (or -1). */
int apply_plan(const struct plan *p, struct herr *e, long *at);

/* rootfs.c: the jail root and the automatic steps. */
int root_dir(const struct step *s, struct herr *e);
int root_tmpfs(struct jail_ctx *cx, struct herr *e);
int root_enter(int root, struct herr *e);
int auto_symlink(int root, const struct step *s, struct herr *e);
int auto_proc(struct jail_ctx *cx, const struct step *s, struct herr *e);
int auto_sys(struct jail_ctx *cx, const struct step *s, struct herr *e);
int auto_dev(struct jail_ctx *cx, const struct step *s, struct herr *e);
int auto_etc(struct jail_ctx *cx, const struct step *s, struct herr *e);
/* The directory fd of a step's mount point, created only in a jail tmpfs. */
int mount_point(const struct jail_ctx *cx, const struct step *s, struct herr *e);

/* isolate.c: private_network, private_ipc. isolate_start makes the
 * namespaces the plan asks for (before pidns_start: the init is born in
 * them), brings loopback up and drops CAP_NET_ADMIN in every case;
 * isolate_mqueue covers the host's /dev/mqueue with the new IPC
 * namespace's own; the fds are for the reply (-1 when not asked for). */
int isolate_start(const struct plan *p, struct herr *e);
int isolate_mqueue(const struct plan *p, int host, struct herr *e);
int isolate_net_fd(void);
int isolate_ipc_fd(void);

/* fdpass.c: one message of len bytes with nfds (at most 4) fds attached
 * (SCM_RIGHTS); 0, or -1 when it was not sent whole. */
int send_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds);

/* pidns.c: private_pids. pidns_start makes the PID namespace and its init
 * (before any step); auto_pids mounts its procfs; pidns_fd is the
 * namespace for the reply (-1 without private_pids); pidns_release lets
 * the init take over once the jail is complete. */
int pidns_start(struct herr *e);
int auto_pids(struct jail_ctx *cx, const struct step *s, struct herr *e);
int pidns_fd(void);
int pidns_release(struct herr *e);

#endif
