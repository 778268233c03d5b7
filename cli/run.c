/* nsjailctl run: a command as the user, in exactly the jail a login gets,
 * built by the same helper through the same jail_entry_open() (enter.h):
 * with shared = true it joins the user's live jail, or builds and
 * registers one that her next login joins. For trying a policy before
 * enabling the module. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "enter.h"
#include "cli.h"
#include "util.h"

/* The child's own failures, before the command runs (as chroot(1)). */
#define EXIT_SETUP 125

static void set_env(const char *k, const char *v)
{
	if (v && setenv(k, v, 1) != 0)
		err(EXIT_SETUP, "setenv %s", k);
}

/* Joins the jail (ns->mnt -1: none; its PID namespace, if any, is the
 * parent's business), says so on fd joined (a shared jail is registered
 * once someone is in it), becomes the user as login(1) would and runs the
 * command or the login shell, in an environment like `su -l`. */
static void __attribute__((noreturn))
child(const struct user_info *u, const struct jail_ns *ns, int joined, char **cmd)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);

	/* As the module does: the session's seccomp filter (no terminal
	 * injection into the terminal nsjailctl was started from), the
	 * network and IPC namespaces, the mount namespace, no_new_privs. */
	struct nsj_error e = { 0 };
	struct jail_ns join = *ns;
	join.pid = -1;
	if (ns->mnt >= 0 && jail_join(&join, &e) < 0)
		errx(EXIT_SETUP, "joining the jail: %s", nsj_error_text(&e));
	if (ns->mnt >= 0 && write(joined, "j", 1) != 1)
		err(EXIT_SETUP, "telling nsjailctl the jail was joined");
	if (close_range(3, ~0u, 0) != 0)
		err(EXIT_SETUP, "close_range");

	if (setgroups(u->ngroups, u->gids) != 0)
		err(EXIT_SETUP, "setgroups");
	if (setgid(u->gid) != 0)
		err(EXIT_SETUP, "setgid %u", (unsigned)u->gid);
	if (setuid(u->uid) != 0)
		err(EXIT_SETUP, "setuid %u", (unsigned)u->uid);
	if (getuid() != u->uid || geteuid() != u->uid || getgid() != u->gid ||
	    getegid() != u->gid || (u->uid != 0 && setuid(0) == 0))
		errx(EXIT_SETUP, "could not drop privileges to uid %u",
		     (unsigned)u->uid);

	const char *home = u->home && *u->home ? u->home : "/";
	if (chdir(home) != 0) {
		warn("cannot change directory to %s", home);
		home = "/";
		if (chdir(home) != 0)
			err(EXIT_SETUP, "chdir /");
	}

	const char *shell = u->shell && *u->shell ? u->shell : "/bin/sh";
	char *term = getenv("TERM");
	term = term ? strdup(term) : NULL;
	if (clearenv() != 0)
		errx(EXIT_SETUP, "clearenv failed");
	set_env("HOME", home);
	set_env("USER", u->name);
	set_env("LOGNAME", u->name);
	set_env("SHELL", shell);
	set_env("PATH", "/usr/local/bin:/usr/bin:/bin");
	set_env("TERM", term);

	if (cmd && cmd[0]) {
		execvp(cmd[0], cmd);
		warn("cannot execute %s", cmd[0]);
	} else {
		const char *base = strrchr(shell, '/');
		char *argv0 = NULL;
		if (asprintf(&argv0, "-%s", base ? base + 1 : shell) < 0)
			errx(EXIT_SETUP, "out of memory");
		execl(shell, argv0, (char *)NULL);
		warn("cannot execute %s", shell);
	}
	_exit(errno == ENOENT ? 127 : 126);
}

int cmd_run(int argc, char **argv)
{
	struct cli_opts o;
	int argi = cli_parse(argc, argv, CLI_SERVICE | CLI_RUN | CLI_HELPER, &o);
	const char *service = o.service, *helper = o.helper;
	if (argi >= argc) {
		warnx("run: expected USER");
		cli_usage_exit(1);
	}
	const char *user = argv[argi++];
	if (argi < argc && strcmp(argv[argi], "--") == 0)
		argi++;
	char **cmd = argi < argc ? argv + argi : NULL;

	if (geteuid() != 0)
		errx(1, "run: must be root");
	/* The module's log lines, in its format, to syslog as a login's and
	 * to our stderr: in a container there is often no syslog to read. */
	openlog("nsjailctl", LOG_PID | LOG_PERROR, LOG_AUTHPRIV);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);

	/* Our terminal is the command's, as login's is the session's. */
	struct verdict v;
	char tty[64];
	const char *term = session_terminal(STDIN_FILENO, tty, sizeof(tty));
	if (verdict_get(o.file, user, service, term, &v) != 0) {
		verdict_free(&v);
		return 1;
	}

	struct jail_entry je = { .ns = { .mnt = -1, .pid = -1, .net = -1, .ipc = -1, .keeper = -1 },
				 .sh = { .dir = -1, .lock = -1 } };
	const struct jail_ns *ns = &je.ns;
	if (!v.match.jail) {
		char why[1024];
		match_describe(&v.match, &v.user, why, sizeof(why));
		if (!o.allow_unjailed) {
			warnx("%s is not jailed; nothing to try (service %s, %s; "
			      "--allow-unjailed runs it anyway)", user, service, why);
			verdict_free(&v);
			return 1;
		}
		warnx("%s is not jailed (service %s, %s): running without a jail",
		      user, service, why);
	} else {
		/* The same helper and checks as the module. Unlike the module's
		 * caller we stay outside: only the command enters the jail. */
		struct nsj_error e = { 0 };
		if (access(helper, F_OK) != 0) {
			warn("run: no helper at %s (name the installed one with --helper PATH)",
			     helper);
			verdict_free(&v);
			return 1;
		}
		int r = jail_entry_open(&je, helper, &v.plan, v.user.uid,
					v.policy->max_jails_per_user, &e);
		if (r != 0) {
			/* As is: the errno is in the text once (nsj_error.h). */
			syslog(LOG_ERR, "user=%s service=%s jail=%s: %s", user, service,
			       v.plan.jail, nsj_error_text(&e));
			verdict_free(&v);
			return 1;
		}
		struct timespec t1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		syslog(LOG_INFO, "user=%s service=%s tty=%s jail=%s mounts=%zu%s time=%.1fms "
		       "(nsjailctl run)", user, service, term ? term : "-", v.plan.jail,
		       v.plan.n, jail_entry_how(&je),
		       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	}

	/* Like system(): the terminal's signals are for the command. */
	struct sigaction ign = { .sa_handler = SIG_IGN }, oint, oquit;
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);

	/* private_pids: the command is born in the session's PID namespace,
	 * whose init lives as long as we do; we return to ours at once, so
	 * nothing else we clone (a sanitizer's leak checker) lands there. */
	cleanup_fd int own_pidns = -1;
	int joined[2];
	if (pipe2(joined, O_CLOEXEC) < 0)
		err(1, "pipe");
	if (ns->pid >= 0) {
		own_pidns = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
		if (own_pidns < 0)
			err(1, "open /proc/self/ns/pid");
		if (setns(ns->pid, CLONE_NEWPID) < 0)
			err(1, "setns into the session's PID namespace");
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		child(&v.user, ns, joined[1], cmd);
	if (own_pidns >= 0 && setns(own_pidns, CLONE_NEWPID) < 0)
		err(1, "setns back to our own PID namespace");
	if (pid < 0)
		err(1, "fork");
	/* The child's word that it is in (EOF: it failed before); a shared
	 * jail built is recorded then, under the registry lock held since
	 * the look-up, and the lock released. */
	close(joined[1]);
	char in = 0;
	ssize_t got;
	while ((got = read(joined[0], &in, 1)) < 0 && errno == EINTR)
		;
	close(joined[0]);
	struct nsj_error e = { 0 };
	if (got == 1 && in == 'j' && jail_entry_register(&je, user, v.plan.jail, &e) < 0)
		warnx("jail '%s' for %s: not registered, the next login builds its own: %s",
		      v.plan.jail, user, nsj_error_text(&e));
	jail_entry_close(&je);

	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			err(1, "waitpid");
	}
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	verdict_free(&v);

	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
