/* nsjail-helper layer 2, the resolver (resolve.c): paths to fds, without
 * following what a user controls. */
#ifndef NSJAIL_HELPER_RESOLVE_H
#define NSJAIL_HELPER_RESOLVE_H

#include "mounts.h"

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

#endif
