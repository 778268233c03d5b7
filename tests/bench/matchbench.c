/* matchbench: what the policy core costs on a huge configuration.
 *
 *   matchbench [-j JAILS] [-u USERS] [-n ITER] [-o FILE] [-t TAG] DIR
 *
 * Writes DIR/big.conf with JAILS jails (default 10000) naming USERS users
 * in all (default 100000, spread evenly), then times, separately:
 *   - config_load of that file (what the module does once per login),
 *   - policy_match for a user listed in the first jail, in the last jail
 *     (every jail scanned) and for an unlisted user with 4 groups (every
 *     jail scanned, nothing matches).
 * The user is built in memory: no NSS, only the core. Times: median, p10,
 * p90 over ITER calls; parse in ms, match in microseconds. Results also go
 * to FILE as tab-separated lines (see pambench.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sample.h"

#include "config.h"
#include "match.h"

static double q(double *v, size_t n, double f)
{
	double pos = f * (double)(n - 1);
	size_t lo = (size_t)pos;
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (pos - (double)lo) * (v[lo + 1] - v[lo]);
}

static FILE *out;
static const char *tag = "-";

static void report(const char *label, const char *unit, double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	double med = q(v, n, 0.5), p10 = q(v, n, 0.1), p90 = q(v, n, 0.9);
	printf("  %-34s %5zu %12.3f %12.3f %12.3f %s\n", label, n, med, p10, p90, unit);
	if (out)
		fprintf(out, "%s\tmatch\t%s\t%s\t%zu\t0\t%.4f\t%.4f\t%.4f\n", tag, label,
			unit, n, med, p10, p90);
}

static int write_config(const char *path, unsigned jails, unsigned users)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	unsigned per = users / jails, extra = users % jails, u = 0;
	fprintf(f, "version = 1;\n\njails = (\n");
	for (unsigned j = 0; j < jails; j++) {
		unsigned n = per + (j < extra ? 1 : 0);
		fprintf(f, "  { name = \"j%u\";\n    users = [", j);
		for (unsigned k = 0; k < n; k++, u++)
			fprintf(f, "%s\"u%u\"", k ? ", " : " ", u);
		fprintf(f, " ];\n    tmpfs = [ \"/srv\" ];\n  }%s\n", j + 1 < jails ? "," : "");
	}
	fprintf(f, ");\n");
	return fclose(f);
}

static struct user_info fake_user(const char *name)
{
	static gid_t gids[] = { 60001, 27, 100, 4 };
	static char *names[] = { "staff1", "sudo", "users", "adm" };
	return (struct user_info){ .name = (char *)name, .uid = 60001, .gid = 60001,
				   .group = names[0], .home = (char *)"/home/x",
				   .shell = (char *)"/bin/sh", .ngroups = 4,
				   .gids = gids, .group_names = names };
}

int main(int argc, char **argv)
{
	unsigned jails = 10000, users = 100000, iters = 200;
	const char *outfile = NULL;
	int ch;
	while ((ch = getopt(argc, argv, "j:u:n:o:t:")) != -1) {
		switch (ch) {
		case 'j': jails = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'u': users = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'n': iters = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'o': outfile = optarg; break;
		case 't': tag = optarg; break;
		default: goto usage;
		}
	}
	if (optind != argc - 1 || !jails || users < jails || !iters)
		goto usage;
	if (outfile && !(out = fopen(outfile, "a"))) {
		perror(outfile);
		return 2;
	}

	char path[4096];
	snprintf(path, sizeof(path), "%s/big.conf", argv[optind]);
	if (write_config(path, jails, users) < 0) {
		perror(path);
		return 2;
	}

	/* Parsing: a few runs (each is large). */
	unsigned parses = iters < 5 ? iters : 5;
	double *v = calloc(iters, sizeof(*v));
	struct policy *p = NULL;
	struct config_opts opts = { .owner = geteuid() };
	char label[128];
	for (unsigned i = 0; i < parses; i++) {
		struct diags d = { 0 };
		struct policy *pp = NULL;
		double t0 = now_us();
		int r = config_load(path, &opts, &pp, &d);
		v[i] = (now_us() - t0) / 1e3;
		if (r < 0) {
			char e[512];
			diags_first_error(&d, e, sizeof(e));
			fprintf(stderr, "matchbench: config_load: %s\n", e);
			return 1;
		}
		diags_free(&d);
		if (p)
			policy_free(p);
		p = pp;
	}
	printf("matchbench: %u jails, %u users\n  %-34s %5s %12s %12s %12s\n", jails, users,
	       "", "n", "median", "p10", "p90");
	snprintf(label, sizeof(label), "parse %u jails %u users", jails, users);
	report(label, "ms", v, parses);

	char first[32], last[32];
	snprintf(first, sizeof(first), "u0");
	snprintf(last, sizeof(last), "u%u", users - 1);
	const struct { const char *label, *user; const char *want; } cases[] = {
		{ "match listed user (first jail)", first, "j0" },
		{ "match listed user (last jail)", last, NULL },
		{ "match unlisted user", "nobody-here", "" },
	};
	char lastjail[32];
	snprintf(lastjail, sizeof(lastjail), "j%u", jails - 1);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct user_info u = fake_user(cases[c].user);
		const char *want = cases[c].want ? cases[c].want : lastjail;
		volatile const void *sink = NULL;
		for (unsigned i = 0; i < iters; i++) {
			double t0 = now_us();
			struct match m = policy_match(p, &u, "sshd");
			v[i] = now_us() - t0;
			sink = m.jail;
			const char *got = m.jail ? m.jail->name : "";
			if (strcmp(got, want) != 0) {
				fprintf(stderr, "matchbench: %s: matched '%s', expected '%s'\n",
					cases[c].label, got, want);
				return 1;
			}
		}
		(void)sink;
		report(cases[c].label, "us", v, iters);
	}
	policy_free(p);
	free(v);
	if (out)
		fclose(out);
	unlink(path);
	return 0;
usage:
	fprintf(stderr, "usage: matchbench [-j JAILS] [-u USERS] [-n ITER] [-o FILE] [-t TAG] DIR\n");
	return 2;
}
