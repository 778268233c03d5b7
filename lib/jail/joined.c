/* The process's "joined a jail" mark. See joined.h. */
#include "joined.h"

#include <errno.h>
#include <stdio.h>
#include <linux/keyctl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A "user" key: root's, in a keyring only this process holds. */
#define JOINED_KEY "pam_nsjail:joined"

int jail_joined_mark(const char *text, struct nsj_error *e)
{
	/* add_key creates the process keyring on first use. */
	if (syscall(SYS_add_key, "user", JOINED_KEY, text, strlen(text),
		    KEY_SPEC_PROCESS_KEYRING) < 0)
		return nsj_error_set(e, errno, "marking the process as joined "
				     "(add_key to its process keyring)");
	return 0;
}

bool jail_joined(char *buf, size_t len)
{
	/* Searches only; without a process keyring: ENOKEY, nothing made. */
	long key = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_PROCESS_KEYRING,
			   "user", JOINED_KEY, 0);
	if (key < 0)
		return false;
	/* A buffer smaller than the payload gets nothing copied (the call
	 * returns the payload's size): read whole, then cut. */
	char text[512];
	long n = syscall(SYS_keyctl, KEYCTL_READ, key, text, sizeof(text));
	if (n < 0 || (size_t)n > sizeof(text))
		n = snprintf(text, sizeof(text), "a jail");
	if (len)
		snprintf(buf, len, "%.*s", (int)n, text);
	return true;
}
