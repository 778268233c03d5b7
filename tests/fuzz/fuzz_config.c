/* libFuzzer target: the configuration parser and the plan compiler on
 * arbitrary bytes, as pam_nsjail.so and nsjailctl run them.
 *
 * The input is parsed as the main file and, separately, as a drop-in. Each
 * jail of a policy without errors is matched and compiled for a user filled
 * by hand; a compiled plan must pass plan_validate (the helper's check) and
 * survive wire_encode -> wire_decode unchanged. Crashes, sanitizer reports
 * and failed checks are findings. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_common.h"
#include "match.h"
#include "compile.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	return 0;
}

static void compile_all(const struct policy *p)
{
	static const char *const services[] = { "sshd", "su", "login", "" };
	char err[512], why[256];

	for (size_t i = 0; i < sizeof(services) / sizeof(*services); i++) {
		struct match m = policy_match(p, &fz_user, services[i]);
		match_describe(&m, &fz_user, why, sizeof(why));
	}
	for (size_t i = 0; i < p->njails; i++) {
		struct plan plan;
		struct diags d = { 0 };
		/* Root jails get the host links; tty gid 5 as on Debian. */
		if (plan_compile(&p->jails[i], &fz_user, &fz_env, &plan, &d) == 0) {
			FZ_CHECK(d.nerrors == 0);
			int r = plan_validate(&plan, err, sizeof(err));
			if (r < 0)
				fprintf(stderr, "plan_validate: %s\n", err);
			FZ_CHECK(r == 0);
			if (devnull)
				plan_print(&plan, devnull);
			fz_round_trip(&plan);
			plan_free(&plan);
		} else {
			FZ_CHECK(d.nerrors > 0);
		}
		for (size_t k = 0; k < d.n; k++) {
			char line[1024];
			diag_format(&d.v[k], line, sizeof(line));
		}
		diags_free(&d);
	}
}

static void parse(const char *text, bool dropin)
{
	struct diags d = { 0 };
	struct policy *p = policy_new("fuzz.conf");
	if (!p)
		return;
	int nerr = config_parse_buffer(dropin ? "fuzz.d/x.conf" : "fuzz.conf", text,
				       dropin, p, &d);
	FZ_CHECK(nerr >= 0 && (size_t)nerr == d.nerrors);
	for (size_t k = 0; k < d.n; k++) {
		char line[1024];
		diag_format(&d.v[k], line, sizeof(line));
	}
	if (d.nerrors == 0)
		compile_all(p);
	diags_free(&d);
	policy_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The loader refuses files above this size before parsing. */
	if (size > NSJAIL_CONFIG_MAX_BYTES)
		return 0;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	parse(text, false);
	parse(text, true);
	free(text);
	return 0;
}
