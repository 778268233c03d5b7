/* The seccomp filters of a jailed session, compiled by libseccomp at build
 * time (filter-gen.c: the rules, the compat ABIs, the bad-arch action); a
 * login only loads them.
 *
 * Every session: no terminal injection (SPEC §3a). A jailed user must not
 * type into a terminal she shares with someone outside the jail (root's
 * after `su - alice`): TIOCSTI pushes bytes into its input, TIOCLINUX
 * pastes a VT's selection. Both are refused with EPERM whatever the
 * kernel's dev.tty.legacy_tiocsti says.
 *
 * restrict_namespaces: no namespace of any kind (unshare, clone with a
 * CLONE_NEW* flag, setns: EPERM; clone3: ENOSYS, libc falls back to
 * clone). Most public kernel exploits of recent years start in a user
 * namespace of their own; and a namespace the user made is one where
 * `nsjailctl status` and `stop` no longer see what she does. */
#include "build.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "filter-bpf.h"
#include "util.h"

static int load(const struct sock_filter *insns, size_t n, const char *what,
		struct nsj_error *e)
{
	struct sock_fprog prog = { .len = (unsigned short)n,
				   .filter = (struct sock_filter *)insns };
	/* No no_new_privs: the caller is root (su, sshd, cron: CAP_SYS_ADMIN,
	 * no need for it), and with it the session's setuid programs (su,
	 * sudo, passwd) would stop working. TSYNC: every thread of the
	 * caller, whichever one forks the session; a positive return is a
	 * thread that could not be synchronised. */
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,
			 &prog);
	if (r == 0)
		return 0;
	return nsj_error_set(e, r < 0 ? errno : ESRCH, "seccomp filter (%s): loading it%s",
			     what, r > 0 ? " (a thread could not be synchronised)" : "");
}

int jail_filter_install(struct nsj_error *e)
{
	*e = (struct nsj_error){ 0 };
	return load(jail_filter_insns, ARRAY_SIZE(jail_filter_insns), "terminal", e);
}

int jail_nsfilter_install(struct nsj_error *e)
{
	*e = (struct nsj_error){ 0 };
	return load(jail_nsfilter_insns, ARRAY_SIZE(jail_nsfilter_insns),
		    "restrict_namespaces", e);
}
