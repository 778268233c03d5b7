/* settings.max_jails_per_user: counting a user's live non-shared jails.
 *
 * A jail lives while a process is in it, and a process left behind keeps
 * its tmpfs (their memory) alive. What is counted is what holds that
 * memory and what the user cannot hide: the distinct mount namespaces of
 * the host's processes that run as her (any of the real, effective, saved
 * and file-system uids, read from /proc/PID/status when /proc/PID does not
 * say: a process made non-dumpable shows as root's there), other than the
 * caller's and PID 1's (the host's) and those of her live shared jails (in
 * the registry: joins never count). A namespace she made inside a jail
 * (unshare -Urm) holds copies of the jail's mounts, so it counts as one
 * more: the count never undercounts what she holds. Needs the host's
 * /proc; reads, changes nothing. */
#ifndef NSJAIL_COUNT_H
#define NSJAIL_COUNT_H

#include <sys/types.h>

#include "nsj_error.h"

/* STOP (> 0) when she has at least STOP live jails; otherwise a number
 * below STOP and not below her count (the number of namespaces that could
 * be hers when there are fewer than STOP: then whose they are is never
 * read, one fstatat per process). -1 with e when /proc cannot be read. */
int jail_count_user(uid_t uid, int stop, struct nsj_error *e);

#endif
