/* The table of shared-worker services. See workers.h. */
#include "workers.h"

#include <stddef.h>
#include <string.h>

/* Only what was seen: dovecot 2.3 (Debian 12), passdb pam with
 * session=yes, opens and closes the session in its auth worker
 * (/usr/lib/dovecot/auth -w, root), one process for the logins of every
 * user; the user's imap process is a child of the master, never of the
 * worker, so no jail would ever reach it. Its PAM service is "dovecot",
 * or with "args = *" the protocol's name. samba 4.17 (Debian 12), "obey
 * pam restrictions = yes": smbd opens the session (service "samba") in
 * the client connection's process, which serves every session setup of
 * that connection, another user's too (smbclient's "logon"), as root,
 * switching its effective uid per request. Not in the table: vsftpd
 * (session_support=YES opens it in the connection's own privileged
 * process, which refuses a second USER: "530 Can't change to another
 * user"). */
#define DOVECOT "dovecot opens the session in its auth worker, which serves " \
	"the logins of every user and never becomes the user's session"

#define SAMBA "smbd opens the session in the client connection's process, which " \
	"serves the session setups of any user on that connection and never " \
	"becomes the user's session"

static const struct {
	const char *service;
	const char *why;
} workers[] = {
	{ "dovecot", DOVECOT },
	{ "imap", DOVECOT },
	{ "pop3", DOVECOT },
	{ "samba", SAMBA },
};

const char *shared_worker(const char *service)
{
	for (size_t i = 0; i < sizeof(workers) / sizeof(workers[0]); i++)
		if (strcmp(service, workers[i].service) == 0)
			return workers[i].why;
	return NULL;
}
