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
 * A lock file per user, "lock.UID" (flock), serialises her logins'
 * check-build-join-register and her keepers' decisions to exit; one user's
 * build never delays another user's login. */
#ifndef NSJAIL_SHARED_H
#define NSJAIL_SHARED_H

#include <stdint.h>
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

/* The keeper's start time, read (before the join) while it is proven
 * alive; -1 if gone. */
long long shared_keeper_start(pid_t keeper);

/* With the lock: records the keeper and the jail's mount namespace. */
int shared_register(struct shared *sh, const char *user, const char *jail,
		    pid_t keeper, long long kstart, int mntfd, struct nsj_error *e);

/* Reads entry NAME of DIR. 0 or -1. */
int shared_entry_read(int dir, const char *name, struct shared_entry *en);

/* The entry's keeper, proven (pidfd first; start time as recorded, uid 0,
 * exe HELPER, mount namespace as recorded; still alive after): its pidfd,
 * or -1. */
int shared_keeper(const struct shared_entry *en, const char *helper);

/* Processes of the host in the entry's mount namespace (the keeper
 * excepted); with kill_them, SIGKILLs them. -1 on error. */
int shared_procs(const struct shared_entry *en, int kill_them);

#endif
