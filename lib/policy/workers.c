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
 * switching its effective uid per request. Not in the table, seen not to
 * be shared workers (tests/integration/t_shared_worker.sh, a pam_exec probe
 * recording the caller): vsftpd (session_support=YES opens it in the
 * connection's own privileged process, which refuses a second USER: "530
 * Can't change to another user"); proftpd 1.3.8 (Debian 12, AuthPAM, its
 * .deb unpacked, not installed) likewise, in the child the standalone
 * master forks per connection, which answers a second USER with "501
 * Reauthentication not supported" and REIN with "502 ... not
 * implemented"; a jailed user's FTP session cannot read a hidden file.
 * xrdp-sesman 0.9.21 (Debian 12, driven by xrdp-sesrun: its sesman
 * protocol, without X) authenticates in the long-lived sesman but opens
 * the session in a child it forks per session, the parent of the user's
 * X server and window manager, which land in the jail; sesman stays on
 * the host. */
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
