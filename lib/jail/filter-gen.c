/* filter-gen: compiles the session's seccomp filters with libseccomp AT
 * BUILD TIME and prints them as C arrays for filter.c, which only loads
 * them: jail_filter_insns (every jailed session, SPEC §3a: no terminal
 * injection) and jail_nsfilter_insns (restrict_namespaces: no new
 * namespaces, no setns). Every login paid for libseccomp twice
 * before: loading the library (~55 us in a fresh process here) and
 * building the same program again (~75 us); the bytes are the ones
 * seccomp_load() would have generated and loaded.
 *
 *   filter-gen > filter-bpf.h
 *
 * Runs on the build machine, so the module is built natively (no cross
 * compilation: the architectures below are the target's). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <linux/filter.h>

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

static int fail(int r, const char *what)
{
	fprintf(stderr, "filter-gen: %s: %s\n", what, strerror(r < 0 ? -r : r));
	return 1;
}

/* Every ABI the kernel runs is in the filter; a system call of any
 * other is not one we checked: it kills, never passes. */
static int add_arches(scmp_filter_ctx ctx)
{
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	for (size_t i = 0; r >= 0 && compat_arches[i]; i++) {
		r = seccomp_arch_add(ctx, compat_arches[i]);
		if (r == -EEXIST)
			r = 0;
	}
	return r;
}

/* No terminal injection: ioctl TIOCSTI and TIOCLINUX -> EPERM. */
static int terminal_rules(scmp_filter_ctx ctx, const char **what)
{
	/* ioctl's cmd is an unsigned int: compare its low 32 bits only, or
	 * 0x100005412 (TIOCSTI with high bits set) slips past a 64-bit
	 * compare and still reaches the kernel as TIOCSTI (CVE-2019-10063). */
	static const unsigned long cmds[] = { TIOCSTI, TIOCLINUX };
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		*what = cmds[i] == TIOCSTI ? "the TIOCSTI rule" : "the TIOCLINUX rule";
		int r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
					 SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, cmds[i]));
		if (r < 0)
			return r;
	}
	return 0;
}

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* Linux 5.6; older headers lack it */
#endif

/* clone's flags: its first argument, but the second on s390 (stack
 * first); the same in every ABI one machine runs. */
#if defined(__s390x__) || defined(__s390__)
#define CLONE_FLAGS_ARG 1
#else
#define CLONE_FLAGS_ARG 0
#endif

/* restrict_namespaces: a namespace of any kind, by any door, -> EPERM.
 * Each flag is a rule of its own (the masked bit set), so any mix of
 * them, and any other bits beside them, matches. */
static int namespace_rules(scmp_filter_ctx ctx, const char **what)
{
	static const unsigned long ns_flags[] = {
		CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
		CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWTIME,
	};
	int r;
	for (size_t i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++) {
		/* unshare(flags): int flags, the low 32 bits. */
		*what = "an unshare rule";
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]));
		if (r < 0)
			return r;
		/* clone(): CLONE_NEWTIME (0x80) is inside CSIGNAL there, the
		 * exit signal, which the kernel masks off: only unshare and
		 * clone3 take it. */
		if (ns_flags[i] == CLONE_NEWTIME)
			continue;
		*what = "a clone rule";
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_CMP(CLONE_FLAGS_ARG, SCMP_CMP_MASKED_EQ, ns_flags[i],
					      ns_flags[i]));
		if (r < 0)
			return r;
	}
	/* setns: into any namespace, by fd or pidfd (the caller joined the
	 * jail's before this filter exists). */
	*what = "the setns rule";
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(setns), 0)) < 0)
		return r;
	/* clone3 takes its flags in a struct in memory, which seccomp cannot
	 * read: ENOSYS, as on a kernel without it, and libc (glibc >= 2.34
	 * for threads and posix_spawn) falls back to clone(), checked above. */
	*what = "the clone3 rule";
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
}

/* Prints ctx's program as the C array NAME. 0, or 1 with a message. */
static int emit(scmp_filter_ctx ctx, const char *name)
{
	int r;
	FILE *tmp = tmpfile();
	if (!tmp)
		return fail(errno, "tmpfile");
	if ((r = seccomp_export_bpf(ctx, fileno(tmp))) < 0) {
		fclose(tmp);
		return fail(r, "seccomp_export_bpf");
	}
	rewind(tmp);
	struct sock_filter f;
	size_t n = 0;
	printf("static const struct sock_filter %s[] = {\n", name);
	while (fread(&f, sizeof(f), 1, tmp) == 1) {
		printf("\t{ 0x%04x, %u, %u, 0x%08x },\n", f.code, f.jt, f.jf, f.k);
		n++;
	}
	printf("};\n");
	bool bad = ferror(tmp) || n == 0 || n > BPF_MAXINSNS;
	fclose(tmp);
	return bad ? fail(EIO, "reading the exported program back") : 0;
}

int main(void)
{
	static const struct {
		const char *name;
		int (*rules)(scmp_filter_ctx, const char **);
	} filters[] = {
		{ "jail_filter_insns", terminal_rules },
		{ "jail_nsfilter_insns", namespace_rules },
	};
	printf("/* Generated by filter-gen (lib/jail/filter-gen.c): do not edit. */\n");
	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		const char *what = "the ABIs";
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		if (!ctx)
			return fail(ENOMEM, "seccomp_init");
		int r = add_arches(ctx);
		if (r >= 0)
			r = filters[i].rules(ctx, &what);
		if (r < 0) {
			seccomp_release(ctx);
			return fail(r, what);
		}
		r = emit(ctx, filters[i].name);
		seccomp_release(ctx);
		if (r)
			return r;
	}
	return fflush(stdout) == 0 ? 0 : fail(errno, "writing");
}
