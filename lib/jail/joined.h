/* "This process already joined a jail": a mark in the calling process's
 * own keyring (keyrings(7): the process keyring belongs to exactly this
 * process, is not inherited by fork and is dropped by execve), set by the
 * module after a join and read at every later open_session.
 *
 * A login process joins once: sshd's connection process, su, login and
 * cron's job process open one session and fork the user's session from
 * it; a jailed user's own su is a new program (execve: no mark). A process
 * that opens a second session after it joined a jail is a long-lived
 * worker serving several logins (dovecot's auth worker does, seen with
 * Debian 12's packages): the next user would be served from inside the
 * first user's jail. The mark lets the module refuse that second session;
 * the first join cannot be told from a login's. */
#ifndef NSJAIL_JOINED_H
#define NSJAIL_JOINED_H

#include <stdbool.h>
#include <stddef.h>

#include "nsj_error.h"

/* Marks the calling process with TEXT (for the log: whose jail). 0, or -1
 * with e (a kernel without keyrings: ENOSYS). */
int jail_joined_mark(const char *text, struct nsj_error *e);

/* Whether the calling process carries the mark; its text in buf. */
bool jail_joined(char *buf, size_t len);

#endif
