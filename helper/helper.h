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

/* The request socket (NSJAIL_HELPER_FD in pam_nsjail/build.h). */
#define HELPER_FD 3

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

/* resolve.c */
enum {
	RES_MISSING = -2,       /* a component does not exist (e filled in) */
};
#define RES_ROOT_CHAIN 1u  /* every directory must be root-owned, not g/o-writable */
#define RES_CREATE_DIR 2u  /* create what is missing (jail tmpfs only) as dirs */
#define RES_CREATE_FILE 4u /* ... and the last component as an empty file */

/* Resolves the absolute, normal PATH below ROOT (which plays "/") and
 * returns an O_PATH|O_CLOEXEC fd of it with its stat in *st, RES_MISSING,
 * or -1; e names the path. Symlinks are followed only when root owns them
 * and their directory (not group/world-writable); their targets stay below
 * ROOT. */
int resolve(int root, const char *path, unsigned flags, struct stat *st,
	    struct herr *e);

/* Mounts the jail made itself (tmpfs superblocks and mounts on them): only
 * there may missing bind targets be created. */
void jail_tmpfs_add(int mntfd);
bool jail_tmpfs_has(int fd);
/* Makes a read-only jail mount holding FD writable for a moment; returns
 * the mount fd to restore with jail_tmpfs_relock, or -1. */
int jail_tmpfs_unlock(int fd);
int jail_tmpfs_relock(int mntfd);

/* apply.c: mount primitives shared with rootfs.c. */
int fs_new(const char *type, const char *const *opts, unsigned attrs,
	   const char *what, struct herr *e);
int attach(int mnt, int target, const char *path, struct herr *e);
int set_attr(int fd, unsigned set, unsigned clr, bool recursive,
	     const char *path, struct herr *e);
int clone_tree(int fd, const char *path, struct herr *e);
int defer_read_only(int mntfd, const char *path);

/* Builds the namespace(s); returns the mnt ns fd or -1 with e filled in
 * (with private_pids, pidns_fd() is the PID namespace). *at is the index
 * of the failing step (or -1). */
int apply_plan(const struct plan *p, struct herr *e, long *at);

/* rootfs.c: the jail root and the automatic steps. */
int root_dir(const struct step *s, struct herr *e);
int root_tmpfs(const struct plan *p, struct herr *e);
int root_enter(int root, struct herr *e);
int auto_symlink(int root, const struct step *s, struct herr *e);
int auto_proc(int root, const struct step *s, struct herr *e);
int auto_sys(int root, int host, const struct step *s, struct herr *e);
int auto_dev(int root, int host, const struct plan *plan, const struct step *s, struct herr *e);
int auto_etc(int root, bool tmpfs_root, const struct step *s, struct herr *e);
/* The directory fd of a step's mount point, created only in a jail tmpfs. */
int mount_point(int root, const struct step *s, struct herr *e);

/* fdpass.c: one message of len bytes with nfds (at most 2) fds attached
 * (SCM_RIGHTS); 0, or -1 when it was not sent whole. */
int send_fds(int sock, const void *buf, size_t len, const int *fds, size_t nfds);

/* pidns.c: private_pids. pidns_start makes the PID namespace and its init
 * (before any step); auto_pids mounts its procfs; pidns_fd is the
 * namespace for the reply (-1 without private_pids); pidns_release lets
 * the init take over once the jail is complete. */
int pidns_start(struct herr *e);
int auto_pids(int root, const struct step *s, struct herr *e);
int pidns_fd(void);
int pidns_release(struct herr *e);

#endif
