/* Shared by the fuzz targets and the seed generator: a user filled by hand
 * (no NSS), host links like a merged-/usr Debian, and a deep comparison of
 * two plans for the wire round trip. */
#ifndef NSJAIL_FUZZ_COMMON_H
#define NSJAIL_FUZZ_COMMON_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "user.h"
#include "wire.h"

static char fz_name[] = "alice", fz_group[] = "alice", fz_home[] = "/home/alice",
	    fz_shell[] = "/bin/bash", fz_supp[] = "contractors", fz_sftp[] = "sftponly";
static gid_t fz_gids[] = { 2001, 2101, 2100, 4242 };
/* The last gid has no name, as NSS may answer. */
static char *fz_gnames[] = { fz_group, fz_supp, fz_sftp, NULL };

static const struct user_info fz_user = {
	.name = fz_name,
	.uid = 2001,
	.gid = 2001,
	.group = fz_group,
	.home = fz_home,
	.shell = fz_shell,
	.ngroups = 4,
	.gids = fz_gids,
	.group_names = fz_gnames,
};

static char *fz_link_names[] = { "bin", "lib", "lib64", "sbin" };
static char *fz_link_targets[] = { "usr/bin", "usr/lib", "usr/lib64", "usr/sbin" };
static const struct host_links fz_links = { 4, fz_link_names, fz_link_targets };
static const struct compile_env fz_env = { .links = &fz_links, .tty_gid = 5 };

static inline bool fz_streq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Everything the wire carries must come back unchanged. */
static inline bool fz_plan_equal(const struct plan *a, const struct plan *b)
{
	if (!fz_streq(a->jail, b->jail) || a->has_root != b->has_root || a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct step *x = &a->v[i], *y = &b->v[i];
		if (x->kind != y->kind || x->flags != y->flags || x->arg != y->arg ||
		    !fz_streq(x->src, y->src) || !fz_streq(x->dst, y->dst) ||
		    x->data_len != y->data_len ||
		    (x->data_len && memcmp(x->data, y->data, x->data_len)))
			return false;
	}
	return true;
}

/* A finding the sanitizers cannot see: libFuzzer reports the abort with the
 * input that caused it. */
#define FZ_CHECK(cond)                                                        \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                             \
			abort();                                              \
		}                                                             \
	} while (0)

/* encode -> decode -> same plan -> encode again -> same bytes. */
static inline void fz_round_trip(const struct plan *p)
{
	uint8_t *buf = NULL, *buf2 = NULL;
	size_t len = 0, len2 = 0;
	char err[512];
	struct plan back = { 0 };

	if (wire_encode(p, &buf, &len) < 0)
		return; /* too large for the wire: the module refuses it */
	FZ_CHECK(len <= WIRE_MAX_BYTES);
	int r = wire_decode(buf, len, &back, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "wire_decode: %s\n", err);
	FZ_CHECK(r == 0);
	FZ_CHECK(fz_plan_equal(p, &back));
	FZ_CHECK(wire_encode(&back, &buf2, &len2) == 0);
	FZ_CHECK(len2 == len && !memcmp(buf, buf2, len));
	plan_free(&back);
	free(buf);
	free(buf2);
}

#endif
