/* shared = true: the registry of live shared jails (NSJAIL_SHARED_DIR),
 * used by the module (join or build, then register) and by `nsjailctl
 * status|stop`.
 *
 * The directory is root's, mode 0700, checked by fstat on an O_NOFOLLOW
 * open. One entry per (uid, policy generation), named "UID-GEN" (GEN: 16
 * hex digits, FNV-1a of the encoded plan, which names the jail and
 * everything it does), written by the module that built the jail:
 *   pid=KEEPER  mnt=DEV:INO (the jail's mount namespace)  uid=  user=
 *   jail=  gen=  start=UNIX-SECONDS  kstart=KEEPER'S-START-TIME (clock ticks)
 *   exe=DEV:INO (the keeper's executable when it was registered: a keeper
 *   stays provable after the helper is replaced on disk, as dpkg does)
 * An entry of a keeper proven but of an older helper is renamed
 * "UID-GEN.old-PID" by the next login of its user and policy, which builds
 * a fresh jail: the old one stays listed and stoppable until it ends.
 * A lock file per user, "lock.UID" (flock), serialises her logins'
 * check-build-join-register and her keepers' decisions to exit; one user's
 * build never delays another user's login. */
#ifndef NSJAIL_SHARED_H
#define NSJAIL_SHARED_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "build.h"
#include "plan.h"

struct shared {
	int dir;  /* the registry, checked root-only */
	int lock; /* its lock file, held */
	char name[48];
	uint64_t gen;
	uid_t uid;
};

struct shared_entry {
	pid_t pid;
	unsigned long long dev, ino;
	uid_t uid;
	char user[64];
	char jail[128];
	uint64_t gen;
	long long start;
	long long kstart; /* the keeper's start time (/proc/PID/stat field 22) */
	unsigned long long exe_dev, exe_ino; /* 0 in entries of older versions */
};

/* What `nsjailctl status` shows of one live jail (gathered, not printed). */
struct shared_live {
	char name[64];          /* the registry entry */
	struct shared_entry en;
	int procs;              /* its processes, the keeper and init excepted */
	bool old;               /* its keeper is of a helper replaced since */
};

/* FNV-1a of the encoded plan, its terminal left out: the policy
 * generation. 0 on failure. */
uint64_t shared_gen(const struct plan *p);

/* Opens (making it if need be) the registry and takes uid's lock in it,
 * bounded in time. 0, or -1 with e. */
int shared_open_dir(int *dir, struct nsj_error *e);
int shared_lock(struct shared *sh, uid_t uid, uint64_t gen, struct nsj_error *e);
void shared_unlock(struct shared *sh);

/* With the lock: 1 and *ns holding the live jail's namespaces, proven to
 * be those of the keeper the helper forked for this entry; 0 when there
 * is none (a stale entry is removed); -1 with e on an error. */
int shared_find(struct shared *sh, const char *helper, const struct plan *p,
		struct jail_ns *ns, struct nsj_error *e);

/* The keeper's start time and (in *exe) its executable, read (before the
 * join) while it is proven alive; -1 if gone. */
long long shared_keeper_start(pid_t keeper, struct stat *exe);

/* With the lock: records the keeper, its executable and the jail's mount
 * namespace. */
int shared_register(struct shared *sh, const char *user, const char *jail,
		    pid_t keeper, long long kstart, const struct stat *exe, int mntfd,
		    struct nsj_error *e);

/* Reads entry NAME of DIR. 0 or -1. */
int shared_entry_read(int dir, const char *name, struct shared_entry *en);

/* The entry's keeper, proven (pidfd first; start time as recorded, uid 0,
 * mount namespace as recorded; its executable HELPER, or the one recorded,
 * or HELPER's path "(deleted)"; still alive after): its pidfd, or -1.
 * *old: the executable is not HELPER's current file (an earlier version,
 * replaced on disk since): such a jail is listed and stopped, never
 * joined. */
int shared_keeper(const struct shared_entry *en, const char *helper, bool *old);

/* The jail's PID namespace: the proven keeper's pid_for_children, or -1
 * when it has none (a jail of a version before every shared jail had
 * one). */
int shared_pidns(pid_t keeper);

/* Processes of the host in the jail: in the entry's mount namespace, or in
 * PIDNS (>= 0) or a PID namespace below it, the keeper excepted. Flags:
 * SHARED_KILL SIGKILLs each; SHARED_NO_INIT leaves the jail's init (pid 1
 * of PIDNS) out of the count. The count, or -1 when /proc is unreadable. */
#define SHARED_KILL 1
#define SHARED_NO_INIT 2
int shared_procs(const struct shared_entry *en, int pidns, int flags);

#endif
