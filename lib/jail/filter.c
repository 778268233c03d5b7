/* The seccomp filter every jailed session runs under: no terminal injection
 * (SPEC §3a). A jailed user must not type into a terminal she shares with
 * someone outside the jail (root's after `su - alice`): TIOCSTI pushes bytes
 * into its input, TIOCLINUX pastes a VT's selection. Both are refused with
 * EPERM whatever the kernel's dev.tty.legacy_tiocsti says.
 *
 * The program is compiled by libseccomp at build time (filter-gen.c: the
 * rules, the compat ABIs, the bad-arch action); a login only loads it. */
#include "build.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "filter-bpf.h"

int jail_filter_install(struct nsj_error *e)
{
	*e = (struct nsj_error){ 0 };
	struct sock_fprog prog = {
		.len = (unsigned short)(sizeof(jail_filter_insns) / sizeof(jail_filter_insns[0])),
		.filter = (struct sock_filter *)jail_filter_insns,
	};
	/* No no_new_privs: the caller is root (su, sshd, cron: CAP_SYS_ADMIN,
	 * no need for it), and with it the session's setuid programs (su,
	 * sudo, passwd) would stop working. TSYNC: every thread of the
	 * caller, whichever one forks the session; a positive return is a
	 * thread that could not be synchronised. */
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,
			 &prog);
	if (r == 0)
		return 0;
	return nsj_error_set(e, r < 0 ? errno : ESRCH, "seccomp filter: loading it%s",
			     r > 0 ? " (a thread could not be synchronised)" : "");
}
