/* nsjail-helper layer 3, the steps: steps.c rootfs.c etchost.c pidns.c
 * isolate.c keeper.c, each one kind of work on what the driver passes. */
#ifndef NSJAIL_HELPER_STEPS_H
#define NSJAIL_HELPER_STEPS_H

#include "resolve.h"

/* shared = true: the keeper (keeper.c). */
struct keeper {
	int sock;  /* to the keeper: the namespaces, once built */
	int pid;
	int pidfd;
};
#define KEEPER_INIT { -1, -1, -1 }

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
 * read-only clone into *fd (*dir: a directory), or, for a small file to
 * be copied, a read-only (not O_PATH) fd of it; refused when it is not
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

#endif
