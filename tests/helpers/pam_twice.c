/* pam_twice: one process opens a PAM session for each USER in turn, each
 * on a handle of its own, opened and closed as dovecot's auth worker does
 * (passdb pam, session=yes), for t_shared_worker.sh. Prints one line per
 * user: "USER success", "USER session_err" or "USER error N". The word
 * "exec" among the users re-executes pam_twice for the users after it
 * (execve: a new program in the same process).
 *   pam_twice SERVICE USER... [exec USER...]
 * Build: cc -o pam_twice pam_twice.c -lpam */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <security/pam_appl.h>

static int no_conv(int n, const struct pam_message **msg,
		   struct pam_response **resp, void *data)
{
	(void)n;
	(void)msg;
	(void)resp;
	(void)data;
	return PAM_CONV_ERR;
}

int main(int argc, char **argv)
{
	const struct pam_conv conv = { no_conv, NULL };
	if (argc < 3) {
		fprintf(stderr, "usage: pam_twice SERVICE USER...\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "exec") == 0) {
			argv[i] = argv[1];
			execv("/proc/self/exe", argv + i - 1);
			perror("pam_twice: execv");
			return 1;
		}
		pam_handle_t *pamh = NULL;
		int r = pam_start(argv[1], argv[i], &conv, &pamh);
		if (r == PAM_SUCCESS)
			r = pam_open_session(pamh, PAM_SILENT);
		if (r == PAM_SUCCESS)
			printf("%s success\n", argv[i]);
		else if (r == PAM_SESSION_ERR)
			printf("%s session_err\n", argv[i]);
		else
			printf("%s error %d\n", argv[i], r);
		if (r == PAM_SUCCESS)
			pam_close_session(pamh, PAM_SILENT);
		if (pamh)
			pam_end(pamh, r);
		fflush(stdout);
	}
	return 0;
}
