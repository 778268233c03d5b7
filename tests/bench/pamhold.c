/* pamhold: the holder of run.sh's shared-jail contenders.
 *
 *   pamhold SERVICE USER
 *
 * Opens a PAM session of USER on SERVICE (with shared = true the module
 * builds the user's jail, or joins it), prints the identity of the mount
 * namespace it is then in ("DEV:INO", a line on stdout), and stays there
 * until SIGTERM or its parent's death; then closes the session and exits.
 * While it lives, the jail has a process and its keeper keeps it: every
 * timed session of "nsjail-shared-join" only joins. Exit: 0, or 1 when the
 * session could not be opened (the reason on stderr). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <security/pam_appl.h>

#include "ownns.h"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int conv(int n, const struct pam_message **msg, struct pam_response **resp,
		void *data)
{
	(void)n, (void)msg, (void)resp, (void)data;
	return PAM_CONV_ERR;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: pamhold SERVICE USER\n", stderr);
		return 2;
	}
	struct sigaction sa = { .sa_handler = on_term };
	sigemptyset(&sa.sa_mask);
	sigset_t term, old;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	/* Blocked until we wait for it: a SIGTERM before then is not lost. */
	if (sigprocmask(SIG_BLOCK, &term, &old) < 0 || sigaction(SIGTERM, &sa, NULL) < 0 ||
	    prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() == 1)
		return 1;
	struct pam_conv pc = { conv, NULL };
	pam_handle_t *h = NULL;
	int r = pam_start(argv[1], argv[2], &pc, &h);
	if (r == PAM_SUCCESS)
		r = pam_open_session(h, 0);
	if (r != PAM_SUCCESS) {
		fprintf(stderr, "pamhold: %s: %s\n", argv[1], pam_strerror(h, r));
		pam_end(h, r);
		return 1;
	}
	struct stat st;
	if (own_mntns(&st) < 0) {
		fprintf(stderr, "pamhold: /proc/self/ns/mnt: %s\n", strerror(errno));
		return 1;
	}
	printf("%llu:%llu\n", (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	fflush(stdout);
	while (!stop)
		sigsuspend(&old);
	r = pam_close_session(h, 0);
	pam_end(h, r);
	return r == PAM_SUCCESS ? 0 : 1;
}
