/* nsjail-helper layer 1, mounts (mount.c): the mount API on fds, and the
 * build's state the layers above pass down (struct jail_ns, jail_ctx). */
#ifndef NSJAIL_HELPER_MOUNTS_H
#define NSJAIL_HELPER_MOUNTS_H

#include "leaves.h"
#include "mountinfo.h"
#include "plan.h"

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
	int hidden_nodes; /* the tmpfs of hidden-path nodes (steps.c), or -1 */
	bool *applied;    /* per step: applied by the first pass */
	/* The jail's own tmpfs (their st_dev, jail_tmpfs_add): only there
	 * may missing mount points be created. */
	dev_t *own_tmpfs;
	size_t n_own_tmpfs, own_tmpfs_max;
	/* Jail tmpfs (/dev, /etc) the last pass makes read-only, each alone:
	 * their submounts keep their flags. */
	struct { int fd; const char *path; } ro_last[2];
	size_t n_ro_last;
	bool etc_made; /* auto_etc made the synthesized /etc: etc_host steps apply */
};

/* --- mount.c -------------------------------------------------------------- */

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

#endif
