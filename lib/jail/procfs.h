/* Reading a process's identity from its /proc/PID directory, for the
 * jail count (count.c) and the sweep of leftovers (leftover.c). */
#ifndef NSJAIL_PROCFS_H
#define NSJAIL_PROCFS_H

#include <stdbool.h>
#include <sys/types.h>

/* The process of PDIR (an fd of its /proc/PID) runs as UID: the
 * directory's owner (its effective uid) is UID, or, owned by root (a
 * setuid program, or a process that is not dumpable), one of the real,
 * effective, saved and file-system uids of its status is. */
bool proc_runs_as(int pdir, uid_t uid);

/* One of the real, effective, saved and file-system uids in the status
 * file PATH (relative to the directory fd PROC: "status" of a /proc/PID,
 * or "PID/status" of /proc) is UID. */
bool proc_status_has_uid(int proc, const char *path, uid_t uid);

#endif
