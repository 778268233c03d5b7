/* What explain, run and edit share: loading as the module loads, printing
 * diagnostics, and the verdict (match + plan) for one user and service. */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

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

	int r = session_plan(v->policy, &v->user, service, &v->match, &v->plan, &d);
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
