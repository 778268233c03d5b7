/* The wire decoder's bounds, proved without a sanitizer (the mutation run,
 * tests/mutation, uses the normal build): every request is placed so that
 * its last byte is the last one before a PROT_NONE page, so a read past the
 * end is a SIGSEGV, which fails the test. Also the limits that a
 * well-formed but oversized or overlong request must hit, and the plan
 * checks that only a direct caller of plan_validate can reach. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "plan.h"
#include "wire.h"

static const char etc_data[] = "passwd\0root:x:0:0::/:/bin/sh\n\0group\0root:x:0:\n\0"
			       "nsswitch.conf\0passwd: files\n\0";

/* Every field the decoder reads: name, src, dst and data strings. */
static struct step steps[] = {
	{ .kind = STEP_ROOT_TMPFS, .dst = "/" },
	{ .kind = STEP_SYMLINK, .src = "usr/bin", .dst = "/bin", .flags = STEP_F_AUTO },
	{ .kind = STEP_ETC, .dst = "/etc", .data = (char *)etc_data, .data_len = sizeof(etc_data) - 1 },
	{ .kind = STEP_TMPFS, .dst = "/home", .arg = 0755 },
	{ .kind = STEP_BIND, .src = "/home/carol", .dst = "/home/carol" },
};

static void encode(uint8_t **buf, size_t *len)
{
	struct plan p = { .jail = "jail", .has_root = true, .v = steps,
			  .n = sizeof(steps) / sizeof(steps[0]),
			  .tmpfs_size = PLAN_TMPFS_SIZE_DEFAULT, .tmpfs_inodes = PLAN_TMPFS_INODES_DEFAULT };
	assert_int_equal(wire_encode(&p, buf, len), 0);
}

struct guarded {
	uint8_t *base;
	size_t maplen;
	uint8_t *p; /* N bytes, the last right before the guard page */
};

static struct guarded guard(const uint8_t *bytes, size_t n)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t data = (n + pg - 1) / pg * pg;
	if (!data)
		data = pg;
	struct guarded g = { .maplen = data + pg };
	g.base = mmap(NULL, g.maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(g.base != MAP_FAILED);
	assert_int_equal(mprotect(g.base + data, pg, PROT_NONE), 0);
	g.p = g.base + data - n;
	memcpy(g.p, bytes, n);
	return g;
}

static void unguard(struct guarded *g)
{
	munmap(g->base, g->maplen);
}

/* Each prefix of a valid request, its length field patched to match (so
 * that check is not the one that stops it): refused, and nothing past its
 * end is read. */
static void truncated_never_reads_past_the_end(void **state)
{
	(void)state;
	uint8_t *buf;
	size_t len;
	char err[256];
	struct plan q;
	encode(&buf, &len);
	for (size_t n = 0; n < len; n++) {
		struct guarded g = guard(buf, n);
		if (n >= 8) {
			uint32_t l = (uint32_t)n;
			memcpy(g.p + 4, &l, 4);
		}
		err[0] = '\0';
		assert_int_equal(wire_decode(g.p, n, &q, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "malformed request"));
		unguard(&g);
	}
	/* Control: the whole request, placed the same way, decodes. */
	struct guarded g = guard(buf, len);
	assert_int_equal(wire_decode(g.p, len, &q, err, sizeof(err)), 0);
	assert_int_equal(q.n, sizeof(steps) / sizeof(steps[0]));
	plan_free(&q);
	unguard(&g);
	free(buf);
}

/* A request of no steps and a jail name of N bytes, built by hand (the
 * encoder refuses a long name itself). */
static int decode_name(size_t n, char *err, size_t errlen)
{
	size_t len = 4 + 4 + 2 + n + 4 + 8 + 8 + 8 + 4;
	uint8_t *b = calloc(1, len);
	uint32_t magic = WIRE_MAGIC, total = (uint32_t)len, nsteps = 0;
	uint16_t nl = (uint16_t)n;
	uint64_t caps[3] = { PLAN_TMPFS_SIZE_DEFAULT, PLAN_TMPFS_INODES_DEFAULT, 0 };
	memcpy(b, &magic, 4);
	memcpy(b + 4, &total, 4);
	memcpy(b + 8, &nl, 2);
	memset(b + 10, 'j', n);
	memcpy(b + 10 + n, &nsteps, 4);
	/* The tmpfs caps, the isolation bits and the owner (0, calloc's)
	 * close the request. */
	memcpy(b + 14 + n, caps, sizeof(caps));
	struct plan q;
	int r = wire_decode(b, len, &q, err, errlen);
	if (r == 0)
		plan_free(&q);
	free(b);
	return r;
}

static void name_longer_than_the_protocol_refused(void **state)
{
	(void)state;
	char err[256];
	assert_int_equal(decode_name(255, err, sizeof(err)), 0);
	assert_int_equal(decode_name(256, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too long"));
	assert_int_equal(decode_name(4096, err, sizeof(err)), -1);
}

/* Bytes after the last step: a second plan smuggled behind the first is
 * refused, not ignored. */
static void trailing_bytes_refused(void **state)
{
	(void)state;
	uint8_t *buf;
	size_t len;
	char err[256];
	struct plan q;
	encode(&buf, &len);
	uint8_t *b = malloc(len + 1);
	memcpy(b, buf, len);
	b[len] = 0;
	uint32_t total = (uint32_t)(len + 1);
	memcpy(b + 4, &total, 4);
	assert_int_equal(wire_decode(b, len + 1, &q, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "trailing"));
	assert_int_equal(wire_decode(b, len, &q, err, sizeof(err)), -1); /* length field says len + 1 */
	memcpy(b + 4, &(uint32_t){ (uint32_t)len }, 4);
	assert_int_equal(wire_decode(b, len, &q, err, sizeof(err)), 0); /* control */
	plan_free(&q);
	free(b);
	free(buf);
}

/* has_root must agree with the first step: the compiler and the helper
 * decide by it where a root exists. */
static void has_root_must_match_the_first_step(void **state)
{
	(void)state;
	char err[256];
	struct step no_root[] = { { .kind = STEP_TMPFS, .dst = "/tmp", .arg = 01777 } };
	struct plan p = { .jail = "j", .has_root = true, .v = no_root, .n = 1,
			  .tmpfs_size = PLAN_TMPFS_SIZE_DEFAULT, .tmpfs_inodes = PLAN_TMPFS_INODES_DEFAULT };
	assert_int_equal(plan_validate(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "has_root"));
	p.has_root = false;
	assert_int_equal(plan_validate(&p, err, sizeof(err)), 0);

	struct step root[] = { { .kind = STEP_ROOT_TMPFS, .dst = "/" } };
	struct plan r = { .jail = "j", .has_root = false, .v = root, .n = 1,
			  .tmpfs_size = PLAN_TMPFS_SIZE_DEFAULT, .tmpfs_inodes = PLAN_TMPFS_INODES_DEFAULT };
	assert_int_equal(plan_validate(&r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "has_root"));
	r.has_root = true;
	assert_int_equal(plan_validate(&r, err, sizeof(err)), 0);

	struct plan empty = { .jail = "j", .has_root = true,
			  .tmpfs_size = PLAN_TMPFS_SIZE_DEFAULT, .tmpfs_inodes = PLAN_TMPFS_INODES_DEFAULT };
	assert_int_equal(plan_validate(&empty, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(truncated_never_reads_past_the_end),
		cmocka_unit_test(name_longer_than_the_protocol_refused),
		cmocka_unit_test(trailing_bytes_refused),
		cmocka_unit_test(has_root_must_match_the_first_step),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
