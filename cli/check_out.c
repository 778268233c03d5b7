/* nsjailctl check's report: the installation checks as text, and the
 * whole verdict as one JSON document (--json; schema in nsjailctl(8)). */
#include <err.h>
#include <stdio.h>

#include "check_install.h"
#include "cli.h"
#include "json.h"

void check_install_print(const struct install_report *inst)
{
	for (size_t i = 0; i < inst->n; i++) {
		const struct helper_report *h = &inst->v[i];
		char from[600] = "";
		if (h->from[0] == '/')
			snprintf(from, sizeof(from), ", named at %s", h->from);
		if (!h->nproblems)
			out("helper %s: ok (protocol %s%s)\n", h->path, h->protocol, from);
		for (size_t k = 0; k < h->nproblems; k++)
			warnx("helper %s: %s%s%s%s", h->path, h->problems[k],
			      from[0] ? " (" : "", from[0] ? from + 2 : "", from[0] ? ")" : "");
	}
}

static void diag_json(struct json *j, const struct diag *g)
{
	json_object(j);
	json_kstr(j, "level", g->level == DIAG_ERROR ? "error" : "warning");
	json_kstr(j, "file", g->file);
	if (g->line > 0)
		json_kint(j, "line", g->line);
	else
		json_kstr(j, "line", NULL);
	json_kstr(j, "message", g->msg);
	json_object_end(j);
}

static void helper_json(struct json *j, const struct helper_report *h)
{
	json_object(j);
	json_kstr(j, "path", h->path);
	json_kstr(j, "from", h->from);
	json_kbool(j, "ok", h->nproblems == 0);
	json_kstr(j, "protocol", h->protocol[0] ? h->protocol : NULL);
	json_key(j, "problems");
	json_array(j);
	for (size_t k = 0; k < h->nproblems; k++)
		json_str(j, h->problems[k]);
	json_array_end(j);
	json_object_end(j);
}

void check_json(const struct check_result *c)
{
	struct json j;
	json_init(&j, stdout);
	json_object(&j);
	json_kstr(&j, "command", "check");
	json_kstr(&j, "file", c->file);
	json_kbool(&j, "ok", c->ok);
	json_kbool(&j, "strict", c->strict);
	json_key(&j, "jails");
	if (c->policy)
		json_int(&j, (long long)c->policy->njails);
	else
		json_null(&j);
	size_t nwarn = 0;
	for (size_t i = 0; i < c->diags->n; i++)
		nwarn += c->diags->v[i].level == DIAG_WARNING;
	json_kint(&j, "errors", (long long)c->diags->nerrors);
	json_kint(&j, "warnings", (long long)nwarn);
	json_key(&j, "diagnostics");
	json_array(&j);
	for (size_t i = 0; i < c->diags->n; i++)
		diag_json(&j, &c->diags->v[i]);
	json_array_end(&j);
	json_key(&j, "helpers");
	if (c->install) {
		json_array(&j);
		for (size_t i = 0; i < c->install->n; i++)
			helper_json(&j, &c->install->v[i]);
		json_array_end(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "selftest");
	if (c->selftest_helper) {
		json_object(&j);
		json_kbool(&j, "ok", c->selftest_ok);
		json_kstr(&j, "helper", c->selftest_helper);
		json_kstr(&j, "reason", c->selftest_ok ? NULL : c->selftest_why);
		json_object_end(&j);
	} else {
		json_null(&j);
	}
	json_object_end(&j);
	if (json_end(&j) < 0)
		errx(1, "check: the JSON document is malformed (a bug)");
}
