/* The terminal behind a leftover's fd of /dev/tty, for the sweep of
 * leftovers (leftover.c).
 *
 * /dev/tty (the device 5:0) is, at open time, the opener's controlling
 * terminal: the file then stays that terminal, whatever session its
 * holder moves to (setsid). /proc/PID/fd shows it as /dev/tty, so which
 * terminal it is only the file itself tells: a copy taken with
 * pidfd_getfd (the caller is root) answers ioctl(TIOCGDEV). */
#ifndef NSJAIL_DEVTTY_H
#define NSJAIL_DEVTTY_H

#include <stdbool.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

/* /dev/tty: the device of every process's controlling terminal. */
#define DEVTTY_DEV makedev(5, 0)

/* The process of PROC (an fd of its /proc/PID directory; PID: its number
 * in that /proc) has an fd of /dev/tty open on the terminal TTY, or one
 * whose terminal cannot be told (fails safe: the sweep then ends one of
 * the user's own processes that holds some terminal through /dev/tty).
 * Called only for a process with such an fd. */
bool devtty_holds(int proc, long pid, dev_t tty);

#endif
