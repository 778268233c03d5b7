/* At the close of a jailed session: the processes its user left behind
 * that still hold the terminal of the PAM application (su's or login's:
 * root's terminal, or the next login's) are ended, so that none of them
 * reads what is typed there next (su without --pty leaves the user's shell
 * in the caller's terminal session: a leftover can make itself the
 * terminal's foreground and read root's input).
 *
 * Seen through this mount namespace's /proc (the module closes the session
 * from inside the jail: the host's /proc, a root jail's, or the jail's PID
 * namespace's, which shows every process of the session), and signalled
 * through /proc/PID directory fds, never by a pid number (a PID
 * namespace's pids are not ours). */
#ifndef NSJAIL_LEFTOVER_H
#define NSJAIL_LEFTOVER_H

#include <sys/types.h>

#include "nsj_error.h"

/* SIGKILLs every process that runs as UID (any of its uids) and has the
 * terminal device TTY open (also through /dev/tty: devtty.h) or as its
 * controlling terminal, pass after pass until one finds none (at most a
 * few: one that forks meanwhile is found by the next). The number signalled, or -1 with e. */
int jail_end_tty_holders(uid_t uid, dev_t tty, struct nsj_error *e);

#endif
