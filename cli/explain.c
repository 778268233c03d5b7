/* nsjailctl explain: which jail applies to a user, why, and the plan the
 * helper would receive, after token expansion (for a login on --tty's
 * terminal: a root jail binds it as /dev/tty-host). */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_explain(int argc, char **argv)
{
	struct cli_opts o;
	int argi = cli_parse(argc, argv, CLI_SERVICE | CLI_TTY | CLI_SSH_KEY, &o);
	const char *service = o.service;
	if (argc - argi != 1) {
		warnx("explain: expected one USER");
		cli_usage_exit(1);
	}
	/* A login with that key (as sshd reports it once captured), or
	 * without --ssh-key one known to have used none (a password). */
	struct ssh_auth auth = { .known = true };
	if (o.ssh_key) {
		if (!sshkey_fp_valid(o.ssh_key)) {
			warnx("explain: --ssh-key '%s' is not a fingerprint as "
			      "'ssh-keygen -l -E sha256' prints it (SHA256:...)", o.ssh_key);
			return 1;
		}
		snprintf(auth.keys[0], sizeof(auth.keys[0]), "%s", o.ssh_key);
		auth.nkeys = 1;
	}

	struct verdict v;
	if (verdict_get_auth(o.file, argv[argi], service, o.tty, &auth, &v) != 0) {
		verdict_free(&v);
		return 1;
	}

	char why[1024];
	match_describe(&v.match, &v.user, why, sizeof(why));
	const struct jail *j = v.match.jail;
	if (!j) {
		out("user %s, service %s: %s\n", v.user.name, service, why);
		out("not jailed\n");
		verdict_free(&v);
		return 0;
	}

	out("user %s, service %s: %s\n", v.user.name, service, why);
	out("plan of jail '%s', %zu step%s, as nsjail-helper receives it:\n",
	    j->name, v.plan.n, v.plan.n == 1 ? "" : "s");
	out_close();
	plan_print(&v.plan, stdout);
	explain_host_aliases(&v.plan);
	out_close();
	verdict_free(&v);
	return 0;
}
