/* esc_unreapable: a stand-in for nsjail-helper (module option helper=PATH)
 * that its parent cannot reap, for t_escape_unreapable.sh: what a helper
 * stuck in uninterruptible sleep (a dead NFS home) costs the login.
 *
 * It forks a tracer that PTRACE_SEIZEs it and never waits, then stalls
 * without answering. When the module kills it after its timeout, the helper
 * dies but stays a zombie that only the tracer may reap ("a zombie ptracee
 * is only visible to its ptracer"): the module's waitpid() would block until
 * the tracer goes away (ESC_TRACER_SECS). The tracer writes its pid into
 * ESC_UNREAP_OUT so the test can end it.
 * Build: cc -DESC_UNREAP_OUT='"/path"' esc_unreapable.c -o esc_unreapable */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/ptrace.h>
#include <unistd.h>

#ifndef ESC_UNREAP_OUT
#error "define ESC_UNREAP_OUT"
#endif
#ifndef ESC_TRACER_SECS
#define ESC_TRACER_SECS 120
#endif

static void report(const char *fmt, long v)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", ESC_UNREAP_OUT);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, fmt, v);
	fclose(f);
	rename(tmp, ESC_UNREAP_OUT);
}

int main(void)
{
	pid_t helper = getpid();
	int p[2];
	if (pipe(p) < 0)
		return 1;
	pid_t tracer = fork();
	if (tracer < 0)
		return 1;
	if (tracer == 0) {
		/* Not the module's socket: its EOF must not depend on us. */
		close_range(3, ~0u, 0);
		char ok = ptrace(PTRACE_SEIZE, helper, 0, 0) == 0 ? 'T' : 'E';
		report(ok == 'T' ? "tracer %ld\n" : "seize failed %ld\n", (long)getpid());
		sleep(ESC_TRACER_SECS); /* never waits: the helper stays unreaped */
		_exit(0);
	}
	close(p[1]);
	for (;;)
		pause();
}
