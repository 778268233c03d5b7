/* What the subcommands share: their options, loading as the module loads,
 * printing diagnostics, and the verdict (match + plan) for one user and
 * service. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "build.h"
#include "cli.h"

int cli_parse(int argc, char **argv, unsigned which, struct cli_opts *o)
{
	enum { OPT_HELPER = 0x100, OPT_ALLOW_UNJAILED, OPT_STRICT, OPT_TTY, OPT_JSON,
	       OPT_SELFTEST, OPT_SSH_KEY };
	static const struct {
		struct option opt;
		unsigned needs; /* 0: every subcommand */
	} all[] = {
		{ { "config", required_argument, NULL, 'c' }, 0 },
		{ { "help", no_argument, NULL, 'h' }, 0 },
		{ { "service", required_argument, NULL, 's' }, CLI_SERVICE },
		{ { "helper", required_argument, NULL, OPT_HELPER }, CLI_HELPER },
		{ { "allow-unjailed", no_argument, NULL, OPT_ALLOW_UNJAILED }, CLI_RUN },
		{ { "strict", no_argument, NULL, OPT_STRICT }, CLI_STRICT },
		{ { "tty", required_argument, NULL, OPT_TTY }, CLI_TTY },
		{ { "ssh-key", required_argument, NULL, OPT_SSH_KEY }, CLI_SSH_KEY },
		{ { "json", no_argument, NULL, OPT_JSON }, CLI_JSON },
		{ { "selftest", no_argument, NULL, OPT_SELFTEST }, CLI_SELFTEST },
	};
	struct option longopts[sizeof(all) / sizeof(all[0]) + 1] = { 0 };
	size_t n = 0;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if ((all[i].needs & which) == all[i].needs)
			longopts[n++] = all[i].opt;
	/* '+': run stops at USER, so the command's own options stay its own. */
	const char *shortopts = (which & CLI_RUN) ? "+c:s:h"
				: (which & CLI_SERVICE) ? "c:s:h" : "c:h";

	*o = (struct cli_opts){ .file = default_config(),
				.service = NSJAILCTL_DEFAULT_SERVICE,
				.helper = NSJAIL_HELPER_PATH };
	int c;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->file = optarg; o->file_given = true; break;
		case 's': o->service = optarg; break;
		case OPT_HELPER: o->helper = optarg; o->helper_given = true; break;
		case OPT_ALLOW_UNJAILED: o->allow_unjailed = true; break;
		case OPT_STRICT: o->strict = true; break;
		case OPT_TTY: o->tty = optarg; break;
		case OPT_SSH_KEY: o->ssh_key = optarg; break;
		case OPT_JSON: o->json = true; break;
		case OPT_SELFTEST: o->selftest = true; break;
		case 'h': cli_usage_exit(0);
		default: cli_usage_exit(which & CLI_EXIT2 ? 2 : 1);
		}
	}
	return optind;
}

void print_diags(const struct diags *d, const char *real, const char *alias)
{
	char buf[4096];
	for (size_t i = 0; i < d->n; i++) {
		struct diag copy = d->v[i];
		if (alias && copy.file && real && strcmp(copy.file, real) == 0)
			copy.file = (char *)alias;
		diag_format(&copy, buf, sizeof(buf));
		fprintf(stderr, "%s\n", buf);
	}
	/* diags_add drops an entry it cannot allocate but still counts it. */
	size_t shown = 0;
	for (size_t i = 0; i < d->n; i++)
		shown += d->v[i].level == DIAG_ERROR;
	if (d->nerrors > shown)
		fprintf(stderr, "error: %zu more error(s) lost (out of memory)\n",
			d->nerrors - shown);
}

struct policy *load_policy(const char *file)
{
	struct config_opts opts = { .owner = 0 };
	struct diags d = { 0 };
	struct policy *p = NULL;

	if (config_load(file, &opts, &p, &d) != 0 || d.nerrors) {
		if (p)
			policy_free(p);
		p = NULL;
	}
	print_diags(&d, NULL, NULL);
	diags_free(&d);
	return p;
}

int verdict_get(const char *file, const char *user, const char *service,
		const char *terminal, struct verdict *v)
{
	static const struct ssh_auth no_key = { .known = true };
	return verdict_get_auth(file, user, service, terminal, &no_key, v);
}

int verdict_get_auth(const char *file, const char *user, const char *service,
		     const char *terminal, const struct ssh_auth *auth,
		     struct verdict *v)
{
	struct diags d = { 0 };

	*v = (struct verdict){ 0 };
	v->policy = load_policy(file);
	if (!v->policy)
		return -1;

	if (user_lookup(user, &v->user, &d) != 0) {
		print_diags(&d, NULL, NULL);
		if (!d.n)
			warnx("%s: no such user", user);
		diags_free(&d);
		return -1;
	}

	int r = session_plan_auth(v->policy, &v->user, service, terminal, auth,
				  &v->match, &v->plan, &d);
	print_diags(&d, NULL, NULL);
	diags_free(&d);
	/* plan_compile already ran the helper's own plan_validate. */
	return r != 0 ? -1 : 0;
}

void verdict_free(struct verdict *v)
{
	plan_free(&v->plan);
	user_info_free(&v->user);
	if (v->policy)
		policy_free(v->policy);
	*v = (struct verdict){ 0 };
}
