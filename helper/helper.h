/* nsjail-helper: shared declarations. The helper runs as root with a
 * trimmed capability set, applies one validated plan in a fresh mount
 * namespace and hands back the namespace fd. Every mount is made on a file
 * descriptor obtained by the safe resolver (resolve.c), never on a path
 * string that could be re-resolved after a user changed it.
 *
 * Layers (a file calls only files of a strictly lower layer, never one of
 * its own; no file-level mutable state: what the steps share travels in
 * struct jail_ctx, struct jail_ns and struct keeper; checked on the object
 * files by tests/release/t_helper_layers.sh):
 *   5 protocol  main.c
 *   4 driver    apply.c
 *   3 steps     steps.c rootfs.c etchost.c pidns.c isolate.c keeper.c
 *   2 resolver  resolve.c
 *   1 mounts    mount.c
 *   0 leaves    fail.c harden.c walkrule.c
 * main.c reads the request, drives apply_plan and replies; apply.c runs
 * the passes (hide early, open the bind sources, the steps in order, the
 * read-only pass, pivot_root); a step file does one kind of work on what
 * its caller passes; resolve.c walks paths; mount.c wraps the mount API
 * and records the jail's own tmpfs; walkrule.c is the resolver's pure
 * rules (unit-tested). */
#ifndef NSJAIL_HELPER_H
#define NSJAIL_HELPER_H

#include <errno.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "fdpass.h"
#include "mountinfo.h"
#include "plan.h"
#include "nsj_error.h"
#include "wire.h" /* NSJAIL_HELPER_FD: the request socket */

/* The first failure, reported by main as "step N (KIND DST): MSG". */
struct herr {
	/* nsj_error.h's contract: err is the failing call's errno (0 for a
	 * policy refusal), msg the complete text; main puts the step in
	 * front (nsj_error_wrap) and sends it as the reply's msg. */
	struct nsj_error ne;
	const char *dst;  /* the current step's dst: not repeated in msg */
};

/* --- 0 leaves ------------------------------------------------------------ */

/* fail.c: "CALL PATH: strerror(err)", PATH left out when NULL or the
 * step's dst. Both return -1. */
int fail_sys(struct herr *e, int err, const char *call, const char *path);
int fail_msg(struct herr *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* send_fds, recv_fds, close_all_but: lib/fdpass/fdpass.h, below every
 * layer (lib/jail receives the reply with the same code). */

/* harden.c: the first thing main does; exits on failure. */
void harden(void);
/* Drops CAP_SYS_PTRACE (kept permitted by harden for the keeper). */
void harden_drop_ptrace(void);

/* walkrule.c: see walkrule.h (no syscalls; used by resolve.c). */

/* --- the build's state, passed down -------------------------------------- */

/* The namespaces made besides the mount namespace (for the reply), and
 * the session's init: filled in by isolate.c and pidns.c. */
struct jail_ns {
	int net;       /* private_network: the namespace, or -1 */
	int ipc;       /* private_ipc */
	int pid;       /* private_pids: the PID namespace, or -1 */
	int init_sock; /* to the init: 'g' once the jail is complete */
	int proc_ctx;  /* the init's procfs context (fsopen) */
	pid_t init;    /* the init, in our PID namespace, or -1 */
};
#define JAIL_NS_INIT { -1, -1, -1, -1, -1, -1 }

/* One jail build: what its passes share. */
struct jail_ctx {
	const struct plan *p;
	struct jail_ns *ns;
	int root;   /* the jail's "/" (the namespace's own in a jail without root) */
	int host;   /* the namespace's "/" as it began: host paths */
	int nodes;  /* the tmpfs of hidden-path nodes (steps.c), or -1 */
	bool *done; /* per step: applied by the first pass */
	dev_t *made; /* the jail's own tmpfs (jail_tmpfs_add) */
	size_t nmade, made_max;
	/* Jail tmpfs (/dev, /etc) the last pass makes read-only, each alone:
	 * their submounts keep their flags. */
	struct { int fd; const char *path; } lock[2];
	size_t nlock;
	bool etc_made; /* auto_etc made the synthesized /etc: etc_host steps apply */
};

/* shared = true: the keeper (keeper.c). */
struct keeper {
	int sock;  /* to the keeper: the namespaces, once built */
	int pid;
	int pidfd;
};
#define KEEPER_INIT { -1, -1, -1 }

/* --- 1 mounts (mount.c) -------------------------------------------------- */

/* A new, detached file system instance (fsopen, fsconfig, fsmount); OPTS
 * "key=value" or "flag", NULL-terminated. */
int fs_new(const char *type, const char *const *opts, unsigned attrs,
	   const char *what, struct herr *e);
/* Puts the detached mount MNT on the object TARGET is an fd of. */
int attach(int mnt, int target, const char *path, struct herr *e);
int set_attr(int fd, unsigned set, unsigned clr, bool recursive,
	     const char *path, struct herr *e);
/* A detached recursive copy of the mount tree at FD (a bind mount). */
int clone_tree(int fd, const char *path, struct herr *e);
/* Tmpfs mounts the jail made itself (their superblocks): only there may
 * missing mount points be created. jail_tmpfs_add records MNTFD's; -1
 * with e filled in when it cannot. jail_tmpfs_has: FD lies in one (false
 * for a NULL cx: resolve() creates nothing). */
int jail_tmpfs_add(struct jail_ctx *cx, int mntfd, const char *path, struct herr *e);
bool jail_tmpfs_has(const struct jail_ctx *cx, int fd);
/* Our namespace's mount table (/proc/self/mountinfo) into *t. */
int mount_table_read(struct mount_table *t, struct herr *e);

/* --- 2 resolver (resolve.c) ---------------------------------------------- */

enum {
	RES_MISSING = -2,       /* a component does not exist (e filled in) */
};
#define RES_ROOT_CHAIN 1u  /* every directory must be root-owned, not g/o-writable */
#define RES_CREATE_DIR 2u  /* resolve_jail: create what is missing (jail tmpfs only) as dirs */
#define RES_CREATE_FILE 4u /* ... and the last component as an empty file */

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
/* The directory fd of a step's mount point, created only in a jail tmpfs. */
int mount_point(const struct jail_ctx *cx, const struct step *s, struct herr *e);

/* --- 3 steps ------------------------------------------------------------- */

/* steps.c: the user's steps. hide_path covers PATH below ROOT (the jail's
 * or the host's "/") with a 0000 node of its type; RES_MISSING passes
 * through. step_bind attaches SRC, the clone opened by the driver. */
int hide_path(struct jail_ctx *cx, int root, const char *path, struct herr *e);
/* hide_aliases covers host PATH under the host's other names for it
 * (other mounts of its file system, found in MT); RES_MISSING passes. */
int hide_aliases(struct jail_ctx *cx, const struct mount_table *mt, const char *path,
		 struct herr *e);
int step_bind(const struct jail_ctx *cx, const struct step *s, int src, bool src_dir,
	      struct herr *e);
int step_tmpfs(struct jail_ctx *cx, const struct step *s, struct herr *e);
int step_read_write(const struct jail_ctx *cx, const struct step *s, struct herr *e);
/* read_only step I, in the last pass (every step before it done). */
int step_read_only(const struct jail_ctx *cx, size_t i, struct herr *e);

/* rootfs.c: the jail root and the automatic steps. */
int root_dir(struct jail_ctx *cx, const struct step *s, struct herr *e);
int root_tmpfs(struct jail_ctx *cx, struct herr *e);
int root_enter(int root, struct herr *e);
int auto_symlink(const struct jail_ctx *cx, const struct step *s, struct herr *e);
int auto_proc(struct jail_ctx *cx, const struct step *s, struct herr *e);
int auto_sys(struct jail_ctx *cx, const struct step *s, struct herr *e);
int auto_dev(struct jail_ctx *cx, const struct step *s, struct herr *e);
int auto_etc(struct jail_ctx *cx, const struct step *s, struct herr *e);

/* etchost.c: the host's pieces of a synthesized /etc (etc_host steps).
 * etc_piece_open, in phase 1, opens the host piece without following its
 * last component: a symlink's target into *link (malloc'd), else a
 * read-only clone into *fd (*dir: a directory), refused when it is not
 * world-readable (a directory: itself and each entry in it); RES_MISSING
 * passes through. etc_piece puts it into the jail's /etc. */
int etc_piece_open(int host, const struct step *s, int *fd, bool *dir, char **link,
		   struct herr *e);
int etc_piece(const struct jail_ctx *cx, const struct step *s, int fd, bool dir,
	      const char *link, struct herr *e);

/* pidns.c: private_pids. pidns_start makes the PID namespace and its init
 * (before any step) into ns; auto_pids mounts its procfs; pidns_release
 * lets the init take over once the jail is complete, watching KEEPER (a
 * shared jail's keeper's pidfd) if >= 0 instead of the caller. */
int pidns_start(struct jail_ns *ns, struct herr *e);
int auto_pids(struct jail_ctx *cx, const struct step *s, struct herr *e);
int pidns_release(const struct jail_ns *ns, int keeper, struct herr *e);

/* isolate.c: private_network, private_ipc. isolate_start makes the
 * namespaces the plan asks for into ns (before pidns_start: the init is
 * born in them), brings loopback up and drops CAP_NET_ADMIN in every case;
 * isolate_mqueue covers the host's /dev/mqueue with the new IPC
 * namespace's own. */
int isolate_start(const struct plan *p, struct jail_ns *ns, struct herr *e);
int isolate_mqueue(const struct plan *p, int host, struct herr *e);

/* keeper.c: shared = true. keeper_fork (after the plan is read, before
 * any step) forks the jail's keeper; keeper_start (once the jail is
 * complete) hands it the namespaces and INIT, the init's pid (-1 without
 * private_pids). */
int keeper_fork(struct keeper *k, const struct plan *p, struct herr *e);
int keeper_start(struct keeper *k, pid_t init, const int *fds, size_t nfds,
		 struct herr *e);

/* --- 4 driver (apply.c) -------------------------------------------------- */

/* Builds the namespace(s) (the others into ns); returns the mnt ns fd or
 * -1 with e filled in. *at is the index of the failing step (or -1). */
int apply_plan(const struct plan *p, struct jail_ns *ns, struct herr *e, long *at);

#endif
