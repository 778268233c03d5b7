/* nsjailctl explain: which jail applies to a user, why, and the plan the
 * helper would receive, after token expansion (for a login on --tty's
 * terminal: a root jail binds it as /dev/tty-host). --json: the same as
 * one document (schema in nsjailctl(8)). */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"

static const char *match_kind_name(enum match_kind k)
{
	switch (k) {
	case MATCH_NONE: return "none";
	case MATCH_EXEMPT_USER: return "exempt_user";
	case MATCH_EXEMPT_GROUP: return "exempt_group";
	case MATCH_USER: return "user";
	case MATCH_GROUP: return "group";
	case MATCH_REFUSED: return "refused";
	case MATCH_INCOMPLETE: return "incomplete";
	}
	return "unknown";
}

static void step_json(struct json *j, const struct step *s, size_t n)
{
	json_object(j);
	json_kint(j, "n", (long long)n);
	json_kstr(j, "kind", (unsigned)s->kind < STEP__COUNT ? step_kind_name[s->kind] : NULL);
	json_kstr(j, "dst", s->dst);
	json_kstr(j, "src", s->src);
	json_kint(j, "arg", s->arg);
	json_kbool(j, "optional", s->flags & STEP_F_OPTIONAL);
	json_kbool(j, "auto", s->flags & STEP_F_AUTO);
	if (s->kind == STEP_ETC) {
		/* "name\0content\0" pairs: the names */
		json_key(j, "files");
		json_array(j);
		for (size_t at = 0, k = 0; at < s->data_len; k++) {
			const char *x = s->data + at;
			size_t len = strnlen(x, s->data_len - at);
			if (k % 2 == 0)
				json_str(j, x);
			at += len + 1;
		}
		json_array_end(j);
	}
	json_kstr(j, "file", s->file);
	if (s->line > 0)
		json_kint(j, "line", s->line);
	else
		json_kstr(j, "line", NULL);
	json_object_end(j);
}

static void plan_json(struct json *j, const struct plan *p)
{
	static const struct {
		unsigned bit;
		const char *name;
	} iso[] = {
		{ PLAN_ISO_NET, "private_network" },
		{ PLAN_ISO_IPC, "private_ipc" },
		{ PLAN_ISO_NNP, "no_new_privileges" },
		{ PLAN_ISO_SHARED, "shared" },
	};
	json_object(j);
	json_kint(j, "tmpfs_size", (long long)p->tmpfs_size);
	json_kint(j, "tmpfs_inodes", (long long)p->tmpfs_inodes);
	json_key(j, "isolation");
	json_array(j);
	for (size_t i = 0; i < sizeof(iso) / sizeof(iso[0]); i++)
		if (p->isolate & iso[i].bit)
			json_str(j, iso[i].name);
	json_array_end(j);
	json_kint(j, "isolate", (long long)p->isolate);
	json_key(j, "steps");
	json_array(j);
	for (size_t i = 0; i < p->n; i++)
		step_json(j, &p->v[i], i + 1);
	json_array_end(j);
	json_object_end(j);
}

/* v NULL: the verdict could not be worked out (printed on stderr). */
static void explain_json(const char *user, const struct cli_opts *o, const struct verdict *v,
			 const char *why)
{
	struct json j;
	json_init(&j, stdout);
	json_object(&j);
	json_kstr(&j, "command", "explain");
	json_kbool(&j, "ok", v != NULL);
	json_kstr(&j, "user", user);
	json_kstr(&j, "service", o->service);
	json_kstr(&j, "tty", o->tty);
	if (v) {
		const struct jail *jl = v->match.jail;
		json_kbool(&j, "jailed", jl != NULL);
		json_kstr(&j, "match", match_kind_name(v->match.kind));
		json_kstr(&j, "group", v->match.group);
		json_kstr(&j, "reason", why);
		json_key(&j, "jail");
		if (jl) {
			json_object(&j);
			json_kstr(&j, "name", jl->name);
			json_kstr(&j, "file", jl->file);
			json_kint(&j, "line", jl->line);
			json_object_end(&j);
			json_key(&j, "plan");
			plan_json(&j, &v->plan);
		} else {
			json_null(&j);
			json_key(&j, "plan");
			json_null(&j);
		}
	}
	json_object_end(&j);
	if (json_end(&j) < 0)
		errx(1, "explain: the JSON document is malformed (a bug)");
}

int cmd_explain(int argc, char **argv)
{
	struct cli_opts o;
	int argi = cli_parse(argc, argv, CLI_SERVICE | CLI_TTY | CLI_JSON | CLI_SSH_KEY, &o);
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
		if (o.json)
			explain_json(argv[argi], &o, NULL, NULL);
		verdict_free(&v);
		return 1;
	}

	char why[1024];
	match_describe(&v.match, &v.user, why, sizeof(why));
	const struct jail *j = v.match.jail;
	if (o.json) {
		explain_json(v.user.name, &o, &v, why);
		verdict_free(&v);
		return 0;
	}
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
