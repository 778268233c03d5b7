/* nsjailctl explain: which jail applies to a user, why, and the plan the
 * helper would receive, after token expansion. */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "service", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = default_config();
	const char *service = NSJAILCTL_DEFAULT_SERVICE;
	int c;

	while ((c = getopt_long(argc, argv, "c:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			file = optarg;
			break;
		case 's':
			service = optarg;
			break;
		case 'h':
			cli_usage_exit(0);
		default:
			cli_usage_exit(1);
		}
	}
	if (argc - optind != 1) {
		warnx("explain: expected one USER");
		cli_usage_exit(1);
	}

	struct verdict v;
	if (verdict_get(file, argv[optind], service, &v) != 0) {
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
	verdict_free(&v);
	return 0;
}
