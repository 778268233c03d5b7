/* Seed generator for fuzz_wire: compiles every jail of the configuration
 * files given for the fuzzers' hand-made user and writes each encoded plan
 * to OUTDIR/NAME-JAIL.bin. Not a fuzz target (plain main, no ownership
 * checks: the files are the repository's own).
 *   wire_seeds OUTDIR FILE... */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fuzz_common.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (!buf)
		buf = calloc(1, 1);
	else
		buf[len] = '\0';
	return buf;
}

static int write_plan(const char *dir, const char *file, const struct plan *p)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char path[4096];
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	if (wire_encode(p, &buf, &len) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s-%s.bin", dir, base, p->jail);
	for (char *c = path + strlen(dir) + 1; *c; c++)
		if (*c == '/' || *c == ' ')
			*c = '_';
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(buf, 1, len, f) == len;
	if (f && fclose(f) != 0)
		ok = 0;
	free(buf);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	int written = 0, failed = 0;
	if (argc < 3) {
		fprintf(stderr, "usage: wire_seeds OUTDIR FILE...\n");
		return 2;
	}
	for (int a = 2; a < argc; a++) {
		char *text = slurp(argv[a]);
		if (!text) {
			fprintf(stderr, "%s: %s\n", argv[a], strerror(errno));
			failed++;
			continue;
		}
		struct diags d = { 0 };
		struct policy *p = policy_new(argv[a]);
		if (p && config_parse_buffer(argv[a], text, false, p, &d) == 0) {
			for (size_t i = 0; i < p->njails; i++) {
				struct plan plan;
				struct diags pd = { 0 };
				if (plan_compile(&p->jails[i], &fz_user, &fz_env, &plan, &pd) == 0) {
					if (write_plan(argv[1], argv[a], &plan) == 0)
						written++;
					else
						failed++;
					plan_free(&plan);
				}
				diags_free(&pd);
			}
		}
		diags_free(&d);
		policy_free(p);
		free(text);
	}
	printf("wire_seeds: %d plans written to %s\n", written, argv[1]);
	return failed ? 1 : 0;
}
