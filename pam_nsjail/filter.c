/* The seccomp filter every jailed session runs under: no terminal injection
 * (SPEC §3a). A jailed user must not type into a terminal she shares with
 * someone outside the jail (root's after `su - alice`): TIOCSTI pushes bytes
 * into its input, TIOCLINUX pastes a VT's selection. Both are refused with
 * EPERM whatever the kernel's dev.tty.legacy_tiocsti says. */
#include "build.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <seccomp.h>

/* The other ABIs this machine's kernel runs: each gets the same rules, so
 * a 32-bit ioctl (int $0x80 from any program) is no way around them. */
static const uint32_t compat_arches[] = {
#if defined(__x86_64__)
	SCMP_ARCH_X86, SCMP_ARCH_X32,
#elif defined(__aarch64__)
	SCMP_ARCH_ARM,
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	SCMP_ARCH_PPC,
#elif defined(__s390x__)
	SCMP_ARCH_S390,
#endif
	0
};

static int filter_fail(struct build_error *e, int r, const char *what)
{
	snprintf(e->msg, sizeof(e->msg), "seccomp filter: %s: %s", what,
		 strerror(r < 0 ? -r : r));
	e->err = r < 0 ? -r : r;
	return -1;
}

int jail_filter_install(struct build_error *e)
{
	*e = (struct build_error){ 0 };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return filter_fail(e, ENOMEM, "seccomp_init");
	int r;
	const char *what;
	/* libseccomp sets no_new_privs by default; the caller is root (su,
	 * sshd, cron: CAP_SYS_ADMIN, no need for it), and with it the
	 * session's setuid programs (su, sudo, passwd) would stop working. */
	if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0) {
		what = "clearing no_new_privs";
		goto out;
	}
	/* Every thread of the caller, whichever one forks the session. */
	if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0) {
		what = "thread synchronisation";
		goto out;
	}
	/* Every ABI the kernel runs is in the filter (below); a system call
	 * of any other is not one we checked: it kills, never passes. */
	if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
				  SCMP_ACT_KILL_PROCESS)) < 0) {
		what = "the bad-arch action";
		goto out;
	}
	for (size_t i = 0; compat_arches[i]; i++) {
		r = seccomp_arch_add(ctx, compat_arches[i]);
		if (r < 0 && r != -EEXIST) {
			what = "adding a compat ABI";
			goto out;
		}
	}
	/* ioctl's cmd is an unsigned int: compare its low 32 bits only, or
	 * 0x100005412 (TIOCSTI with high bits set) slips past a 64-bit
	 * compare and still reaches the kernel as TIOCSTI (CVE-2019-10063). */
	static const unsigned long cmds[] = { TIOCSTI, TIOCLINUX };
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, cmds[i]));
		if (r < 0) {
			what = cmds[i] == TIOCSTI ? "the TIOCSTI rule" : "the TIOCLINUX rule";
			goto out;
		}
	}
	if ((r = seccomp_load(ctx)) < 0)
		what = "loading it";
out:
	seccomp_release(ctx);
	return r < 0 ? filter_fail(e, r, what) : 0;
}
