/* nsjailctl: the administrator's tool, one file per subcommand, all of them
 * on the policy core (lib/policy/) and the jail builder (lib/jail/build.h).
 * Nothing here parses, matches, plans or mounts by itself. */
#ifndef NSJAILCTL_CLI_H
#define NSJAILCTL_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "diag.h"
#include "match.h"
#include "compile.h"
#include "session.h"
#include "user.h"

#define NSJAILCTL_DEFAULT_SERVICE "login"

int cmd_check(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_edit(int argc, char **argv);
int cmd_doors(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_stop(int argc, char **argv);

/* Prints the usage (status 0, to stdout) or a hint (to stderr) and exits. */
void cli_usage_exit(int status) __attribute__((noreturn));

/* The configuration file used when -c is not given. */
const char *default_config(void);

/* The options the subcommands share. Each accepts -c/--config and -h/--help,
 * and what `which` adds; anything else is a usage error. */
enum {
	CLI_SERVICE = 1 << 0, /* -s/--service SERVICE */
	CLI_RUN = 1 << 1,     /* --helper PATH, --allow-unjailed; options end
			       * at the first operand (the command's own) */
	CLI_STRICT = 1 << 2,  /* --strict (check: warnings fail) */
	CLI_HELPER = 1 << 3,  /* --helper PATH (status, stop) */
	CLI_TTY = 1 << 4,     /* --tty PATH (explain: the login's terminal) */
	CLI_JSON = 1 << 5,    /* --json: one JSON document on stdout */
	CLI_SELFTEST = 1 << 6, /* --selftest (check) */
	/* A usage error exits 2, not 1 (check: a config-management tool's
	 * validate step tells "invalid file" from "wrong command line"). */
	CLI_EXIT2 = 1 << 7,
	CLI_SSH_KEY = 1 << 8, /* --ssh-key FINGERPRINT (explain) */
};
struct cli_opts {
	const char *file;    /* default_config() */
	const char *service; /* NSJAILCTL_DEFAULT_SERVICE */
	const char *helper;  /* NSJAIL_HELPER_PATH */
	const char *tty;     /* NULL */
	const char *ssh_key; /* NULL: a login without a key */
	bool file_given;     /* -c was given */
	bool helper_given;   /* --helper was given */
	bool allow_unjailed;
	bool strict;
	bool json;
	bool selftest;
};

/* Fills o (defaults first) from argv; returns the index of the first
 * operand. Exits through cli_usage_exit on -h or a bad option. */
int cli_parse(int argc, char **argv, unsigned which, struct cli_opts *o);

/* Prints every diagnostic to stderr, "FILE:LINE: error: ...". When alias is
 * set, diagnostics about file `real` are shown as being about `alias` (edit
 * checks a temporary copy but reports the file being edited). */
void print_diags(const struct diags *d, const char *real, const char *alias);

/* Loads the configuration as the module would (owner root). Prints every
 * diagnostic; returns the policy or NULL after errors. */
struct policy *load_policy(const char *file);

/* Adds check's own warnings about a loaded policy (shadowed jails, a user in
 * two jails, missing paths, names NSS does not know) to d. */
void policy_lint(const struct policy *p, struct diags *d);

/* policy_lint's part for ssh_keys (sshkeys.c): a jail naming keys that
 * sshd's session stack does not capture first (capture_ssh_key), or whose
 * services leave out sshd. */
void lint_ssh_keys(const struct policy *p, struct diags *d);

/* The verdict for (user, service) and, when a jail applies, its plan,
 * compiled exactly as the module compiles it for a login on terminal
 * (NULL: none). */
struct verdict {
	struct policy *policy;
	struct user_info user;
	struct match match;
	struct plan plan; /* empty unless match.jail */
};

/* Fills v. Returns 0, or -1 after printing why (config errors, no such
 * user, a plan that does not compile or would not validate). */
int verdict_get(const char *file, const char *user, const char *service,
		const char *terminal, struct verdict *v);
/* verdict_get for an sshd login authenticated as auth says (verdict_get:
 * a login known to have used no key). */
int verdict_get_auth(const char *file, const char *user, const char *service,
		     const char *terminal, const struct ssh_auth *auth,
		     struct verdict *v);
void verdict_free(struct verdict *v);

/* explain: the host's other names of p's hidden paths (aliases.c). */
void explain_host_aliases(const struct plan *p);

/* printf to stdout; exits with an error when stdout cannot be written. */
void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Flushes and checks stdout (call before exiting successfully). */
void out_close(void);

#endif
