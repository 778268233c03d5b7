/* nsjail-helper: the lowest layer, included by every helper file.
 *
 * The helper runs as root with a trimmed capability set, applies one
 * validated plan in a fresh mount namespace and hands back the namespace
 * fd. Every mount is made on a file descriptor obtained by the safe
 * resolver (resolve.c), never on a path string that could be re-resolved
 * after a user changed it. Three mount operations take a path instead,
 * "/" or ".", which walk no component (no symlink, no directory a user
 * could swap): they name our own root and cwd themselves. MS_PRIVATE on
 * "/" (apply.c: the first act in the new namespace, on its root), and
 * pivot_root(".", ".") then umount2(".", MNT_DETACH) (rootfs.c
 * root_enter: "." is the jail's root, made our cwd by fchdir on the
 * resolved fd; umount2 detaches the old root stacked on it).
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
 * Each layer has its header, which includes the one below it (and only
 * it): leaves.h, mounts.h, resolve.h, steps.h, apply.h. A file includes
 * its own layer's header, so a call upward does not compile; a call
 * sideways (within a layer) is what t_helper_layers catches.
 * main.c reads the request, drives apply_plan and replies; apply.c runs
 * the passes (hide early, open the bind sources, the steps in order, the
 * read-only pass, pivot_root); a step file does one kind of work on what
 * its caller passes; resolve.c walks paths; mount.c wraps the mount API
 * and records the jail's own tmpfs; walkrule.c is the resolver's pure
 * rules (unit-tested); lib/fdpass (send_fds, recv_fds, close_all_but)
 * lies below every layer: the module receives the reply with it. */
#ifndef NSJAIL_HELPER_LEAVES_H
#define NSJAIL_HELPER_LEAVES_H

#include <errno.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "fdpass.h"
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

/* fail.c: all return -1 with errno = err. fail_sys: CALL (a system or
 * library call) failed with err: "CALL PATH: strerror(err)", PATH left out
 * when NULL or the step's dst. fail_check: no call failed, a check of ours
 * refused what one returned (an open that gave no directory, a path that
 * grew too long): "WHAT PATH: strerror(err)", err the errno that names the
 * reason. fail_msg: the complete text. */
int fail_sys(struct herr *e, int err, const char *call, const char *path);
int fail_check(struct herr *e, int err, const char *what, const char *path);
int fail_msg(struct herr *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));


/* harden.c: the first thing main does; exits on failure. */
void harden(void);
/* Drops CAP_SYS_PTRACE (kept permitted by harden for the keeper). */
void harden_drop_ptrace(void);

/* walkrule.c: see walkrule.h (no syscalls; used by resolve.c). */

#endif
