/* The shared-worker table (lib/policy/workers.c) and the process's
 * "joined a jail" mark (lib/jail/joined.c): set in this process, not seen
 * by a forked child. No root needed: the process keyring is one's own. */
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "joined.h"
#include "workers.h"

static void table(void **state)
{
	(void)state;
	assert_non_null(shared_worker("dovecot"));
	assert_non_null(shared_worker("imap"));
	assert_non_null(shared_worker("pop3"));
	assert_non_null(shared_worker("samba"));
	assert_non_null(strstr(shared_worker("dovecot"), "auth worker"));
	/* Login programs, and vsftpd (one process per login). */
	assert_null(shared_worker("sshd"));
	assert_null(shared_worker("su"));
	assert_null(shared_worker("vsftpd"));
	assert_null(shared_worker("proftpd"));
	assert_null(shared_worker("xrdp-sesman"));
	assert_null(shared_worker(""));
	assert_null(shared_worker("dovecot2"));
}

/* In a child of its own, so that the runner's process stays unmarked. */
static void mark(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char buf[64];
		struct nsj_error e = { 0 };
		if (jail_joined(buf, sizeof(buf)))
			_exit(10); /* a fresh process carries none */
		if (jail_joined_mark("alice's jail 'hide'", &e) < 0)
			_exit(11);
		if (!jail_joined(buf, sizeof(buf)) || strcmp(buf, "alice's jail 'hide'") != 0)
			_exit(12);
		char small[6];
		if (!jail_joined(small, sizeof(small)) || strcmp(small, "alice") != 0)
			_exit(13); /* cut to the buffer, terminated */
		pid_t child = fork();
		if (child == 0)
			_exit(jail_joined(buf, sizeof(buf)) ? 1 : 0);
		int st;
		if (child < 0 || waitpid(child, &st, 0) != child || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			_exit(14); /* fork passes no mark on */
		_exit(0);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(mark),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
