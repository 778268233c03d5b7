/* nsjailctl: check, explain, try and edit /etc/nsjail.conf; list the doors. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef NSJAIL_VERSION
#define NSJAIL_VERSION "unknown"
#endif
#ifndef NSJAIL_CONFIG_PATH
#define NSJAIL_CONFIG_PATH NSJAIL_DEFAULT_CONFIG
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"Usage:\n"
		" nsjailctl check   [-c FILE] [--strict] [--helper PATH] [--selftest] [--json]\n"
		" nsjailctl explain [-c FILE] [-s SERVICE] [--tty PATH] [--json] USER\n"
		" nsjailctl run     [-c FILE] [-s SERVICE] [--helper PATH] [--allow-unjailed]\n"
		"                   USER [-- COMMAND [ARG ...]]\n"
		" nsjailctl edit    [-c FILE]\n"
		" nsjailctl doors   [--root DIR] [--pam-dir DIR] [--vendor-dir DIR]\n"
		"                   [--ignore SERVICE]... [--json]\n"
		" nsjailctl status  [--helper PATH] [--json]\n"
		" nsjailctl stop    [--helper PATH] USER [JAIL]\n"
		"\n"
		"Check, explain, try and safely edit the pam_nsjail policy.\n"
		"\n"
		"Commands:\n"
		" check      validate the file and its drop-ins as the PAM module would\n"
		" explain    show which jail applies to USER, why, and its mount plan\n"
		" run        run COMMAND (default: the login shell) as USER in its jail\n"
		" edit       edit a copy with $VISUAL/$EDITOR, install it only if valid\n"
		" doors      list the PAM services and other doors that bypass the module\n"
		" status     list the live shared jails (shared = true)\n"
		" stop       end USER's shared jail(s): kill their processes\n"
		"\n"
		"Options:\n"
		" -c, --config FILE    configuration file (default %s)\n"
		" -s, --service NAME   PAM service to match (default %s)\n"
		"     --helper PATH    nsjail-helper to use (run, status, stop; check: the one\n"
		"                      to check; default %s)\n"
		"     --allow-unjailed run even when USER is not jailed\n"
		"     --strict         (check) warnings fail: exit status 1\n"
		"     --selftest       (check) build a throw-away jail through the helper\n"
		"     --json           (check, explain, doors, status) one JSON document\n"
		"     --tty PATH       (explain) the login's terminal, e.g. /dev/pts/0\n"
		"     --root DIR       (doors) look at the host under DIR\n"
		"     --pam-dir DIR    (doors) PAM directory (default ROOT/etc/pam.d)\n"
		"     --vendor-dir DIR (doors) vendor PAM directory (default ROOT/usr/lib/pam.d)\n"
		"     --ignore SERVICE (doors) do not count SERVICE as a door\n"
		" -h, --help           display this help\n"
		" -V, --version        display version\n"
		"\n"
		"For more details see nsjailctl(8).\n",
		NSJAIL_CONFIG_PATH, NSJAILCTL_DEFAULT_SERVICE,
#ifdef NSJAIL_HELPER_PATH
		NSJAIL_HELPER_PATH
#else
		"nsjail-helper"
#endif
	);
}

const char *default_config(void)
{
	return NSJAIL_CONFIG_PATH;
}

void out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vprintf(fmt, ap);
	va_end(ap);
	if (r < 0)
		err(1, "write error");
}

void out_close(void)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		err(1, "write error");
}

static const struct {
	const char *name;
	int (*fn)(int, char **);
} commands[] = {
	{ "check", cmd_check },
	{ "explain", cmd_explain },
	{ "run", cmd_run },
	{ "edit", cmd_edit },
	{ "doors", cmd_doors },
	{ "status", cmd_status },
	{ "stop", cmd_stop },
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* Options before the command: only --help and --version. */
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			out_close();
			return 0;
		case 'V':
			out("nsjailctl from pam_nsjail %s\n", NSJAIL_VERSION);
			out_close();
			return 0;
		default:
			fprintf(stderr, "Try 'nsjailctl --help' for more information.\n");
			return 1;
		}
	}
	if (optind >= argc) {
		warnx("no command given");
		fprintf(stderr, "Try 'nsjailctl --help' for more information.\n");
		return 1;
	}
	const char *cmd = argv[optind];
	if (strcmp(cmd, "help") == 0) {
		usage(stdout);
		out_close();
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name) == 0) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;
			optind = 1;
			int r = commands[i].fn(sub_argc, sub_argv);
			out_close();
			return r;
		}
	}
	warnx("unknown command '%s'", cmd);
	fprintf(stderr, "Try 'nsjailctl --help' for more information.\n");
	return 1;
}

/* Shared by the subcommands' option parsers. */
void cli_usage_exit(int status)
{
	if (status == 0) {
		usage(stdout);
		out_close();
	} else {
		fprintf(stderr, "Try 'nsjailctl --help' for more information.\n");
	}
	exit(status);
}
