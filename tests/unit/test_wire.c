/* wire_encode/wire_decode and plan_validate: round trips, and hostile
 * bytes give an error, never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan.h"
#include "wire.h"

static const char etc_data[] = "passwd\0root:x:0:0::/:/bin/sh\n\0group\0root:x:0:\n\0"
			       "nsswitch.conf\0passwd: files\n\0";

/* A plan with one step of every kind, in an order plan_validate accepts. */
static struct step every[] = {
	{ .kind = STEP_ROOT_TMPFS, .dst = "/" },
	{ .kind = STEP_SYMLINK, .src = "usr/bin", .dst = "/bin", .flags = STEP_F_AUTO },
	{ .kind = STEP_READ_ONLY, .dst = "/" },
	{ .kind = STEP_DEV, .dst = "/dev", .arg = 5 },
	{ .kind = STEP_ETC, .dst = "/etc", .data = (char *)etc_data, .data_len = sizeof(etc_data) - 1 },
	{ .kind = STEP_TMPFS, .dst = "/home", .arg = 0755 },
	{ .kind = STEP_BIND, .src = "/home/carol", .dst = "/home/carol" },
	{ .kind = STEP_READ_WRITE, .dst = "/home/carol" },
	{ .kind = STEP_INACCESSIBLE, .dst = "/home/carol/secret", .flags = STEP_F_OPTIONAL },
	{ .kind = STEP_PROC, .dst = "/proc" },
	{ .kind = STEP_SYS, .dst = "/sys" },
	{ .kind = STEP_BIND_RO, .src = "/usr", .dst = "/usr" },
	{ .kind = STEP_NOSUID, .dst = "/" },
};

#define ARRAY_N (sizeof(every) / sizeof(every[0]))

static struct plan mkplan(void)
{
	struct plan p = { .jail = "j", .has_root = true, .v = every, .n = ARRAY_N,
			  .tmpfs_size = 3u << 20, .tmpfs_inodes = 777 };
	return p;
}

static void encode_ok(const struct plan *p, uint8_t **buf, size_t *len)
{
	assert_int_equal(wire_encode(p, buf, len), 0);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct plan p = mkplan(), q;
	uint8_t *buf;
	size_t len;
	char err[256];
	encode_ok(&p, &buf, &len);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), 0);
	assert_string_equal(q.jail, "j");
	assert_true(q.has_root);
	assert_true(q.tmpfs_size == 3u << 20);
	assert_true(q.tmpfs_inodes == 777);
	assert_int_equal(q.n, p.n);
	for (size_t i = 0; i < p.n; i++) {
		assert_int_equal(q.v[i].kind, p.v[i].kind);
		assert_int_equal(q.v[i].flags, p.v[i].flags);
		assert_int_equal(q.v[i].arg, p.v[i].arg);
		assert_string_equal(q.v[i].dst, p.v[i].dst);
		if (p.v[i].src)
			assert_string_equal(q.v[i].src, p.v[i].src);
		else
			assert_null(q.v[i].src);
		assert_int_equal(q.v[i].data_len, p.v[i].data_len);
		if (p.v[i].data_len)
			assert_memory_equal(q.v[i].data, p.v[i].data, p.v[i].data_len);
	}
	plan_free(&q);
	free(buf);
}

static void test_no_root_plan(void **state)
{
	(void)state;
	struct step v[] = {
		{ .kind = STEP_INACCESSIBLE, .dst = "/srv/secret" },
		{ .kind = STEP_READ_ONLY, .dst = "/usr" },
	};
	struct plan p = { .jail = NULL, .v = v, .n = 2, .tmpfs_size = 1u << 20, .tmpfs_inodes = 64 }, q;
	uint8_t *buf;
	size_t len;
	char err[256];
	encode_ok(&p, &buf, &len);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), 0);
	assert_false(q.has_root);
	assert_string_equal(q.jail, "");
	plan_free(&q);
	free(buf);
}

static void test_truncated(void **state)
{
	(void)state;
	struct plan p = mkplan(), q;
	uint8_t *buf;
	size_t len;
	char err[256];
	encode_ok(&p, &buf, &len);
	for (size_t n = 0; n < len; n++) {
		/* A fresh copy of exactly n bytes, so ASan sees any over-read;
		 * the length field is patched so it is not the only check. */
		uint8_t *t = malloc(n ? n : 1);
		memcpy(t, buf, n);
		if (n >= 8) {
			uint32_t l = (uint32_t)n;
			memcpy(t + 4, &l, 4);
		}
		assert_int_equal(wire_decode(t, n, &q, err, sizeof(err)), -1);
		assert_true(err[0] != '\0');
		free(t);
	}
	free(buf);
}

static int decode_patched(size_t off, const void *v, size_t n, char *err, size_t errlen)
{
	struct plan p = mkplan(), q;
	uint8_t *buf;
	size_t len;
	assert_int_equal(wire_encode(&p, &buf, &len), 0);
	memcpy(buf + off, v, n);
	int r = wire_decode(buf, len, &q, err, errlen);
	if (r == 0)
		plan_free(&q);
	free(buf);
	return r;
}

static void test_oversized(void **state)
{
	(void)state;
	char err[256];
	uint32_t big = 0xffffffffu, huge_total = WIRE_MAX_BYTES + 1;
	uint16_t big16 = 0xffff;
	/* total length field */
	assert_int_equal(decode_patched(4, &huge_total, 4, err, sizeof(err)), -1);
	/* jail name length */
	assert_int_equal(decode_patched(8, &big16, 2, err, sizeof(err)), -1);
	/* step count: header 8 + name (2 + 1) */
	assert_int_equal(decode_patched(11, &big, 4, err, sizeof(err)), -1);
	/* first step: kind(1) flags(1) arg(4) src len at 15 + 6 */
	assert_int_equal(decode_patched(21, &big16, 2, err, sizeof(err)), -1);
	/* first step dst length at 23 (root_tmpfs has no src) */
	assert_int_equal(decode_patched(23, &big16, 2, err, sizeof(err)), -1);
	/* first step data length at 23 + 2 + 1 */
	assert_int_equal(decode_patched(26, &big, 4, err, sizeof(err)), -1);
	/* a huge but well-formed step count in a short buffer */
	uint32_t many = PLAN_MAX_STEPS;
	assert_int_equal(decode_patched(11, &many, 4, err, sizeof(err)), -1);
}

static void test_bad_kind_and_nul(void **state)
{
	(void)state;
	char err[256];
	uint8_t k = STEP__COUNT, nul = 0;
	assert_int_equal(decode_patched(15, &k, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "kind"));
	uint32_t magic = 0x12345678;
	assert_int_equal(decode_patched(0, &magic, 4, err, sizeof(err)), -1);
	/* embedded NUL in the jail name */
	assert_int_equal(decode_patched(10, &nul, 1, err, sizeof(err)), -1);
}

static int validate(struct step *v, size_t n, bool has_root, char *err)
{
	struct plan p = { .jail = "j", .has_root = has_root, .v = v, .n = n,
			  .tmpfs_size = PLAN_TMPFS_SIZE_DEFAULT,
			  .tmpfs_inodes = PLAN_TMPFS_INODES_DEFAULT };
	return plan_validate(&p, err, 256);
}

static void test_validate_rejects(void **state)
{
	(void)state;
	char err[256];
	struct step unsorted[] = {
		{ .kind = STEP_BIND, .src = "/home/c", .dst = "/home/c" },
		{ .kind = STEP_TMPFS, .dst = "/home", .arg = 0755 },
	};
	assert_int_equal(validate(unsorted, 2, false, err), -1);
	assert_non_null(strstr(err, "not sorted"));

	struct step late_root[] = {
		{ .kind = STEP_TMPFS, .dst = "/tmp", .arg = 01777 },
		{ .kind = STEP_ROOT_TMPFS, .dst = "/" },
	};
	assert_int_equal(validate(late_root, 2, false, err), -1);
	assert_int_equal(validate(late_root, 2, true, err), -1);

	struct step dotdot[] = {
		{ .kind = STEP_ROOT_TMPFS, .dst = "/" },
		{ .kind = STEP_SYMLINK, .src = "usr/../etc", .dst = "/bin" },
	};
	assert_int_equal(validate(dotdot, 2, true, err), -1);
	dotdot[1].src = "/usr/bin";
	assert_int_equal(validate(dotdot, 2, true, err), -1);
	dotdot[1].src = "usr/bin";
	dotdot[1].dst = "/usr/bin";
	assert_int_equal(validate(dotdot, 2, true, err), -1);
	dotdot[1].dst = "/bin";
	assert_int_equal(validate(dotdot, 2, true, err), 0);

	static const char bad_etc[] = "shadow\0root:x:\0";
	struct step etc[] = {
		{ .kind = STEP_ROOT_TMPFS, .dst = "/" },
		{ .kind = STEP_ETC, .dst = "/etc", .data = (char *)bad_etc, .data_len = sizeof(bad_etc) - 1 },
	};
	assert_int_equal(validate(etc, 2, true, err), -1);
	etc[1].data = (char *)etc_data;
	etc[1].data_len = sizeof(etc_data) - 1;
	assert_int_equal(validate(etc, 2, true, err), 0);
	etc[1].data_len -= 1; /* no final NUL */
	assert_int_equal(validate(etc, 2, true, err), -1);

	struct step proc_no_root[] = { { .kind = STEP_PROC, .dst = "/proc" } };
	assert_int_equal(validate(proc_no_root, 1, false, err), -1);

	struct step misc[] = { { .kind = STEP_TMPFS, .dst = "/tmp", .arg = 010000 } };
	assert_int_equal(validate(misc, 1, false, err), -1);
	misc[0].arg = 01777;
	misc[0].dst = "/tmp/";
	assert_int_equal(validate(misc, 1, false, err), -1);
	misc[0].dst = "/tmp/../etc";
	assert_int_equal(validate(misc, 1, false, err), -1);
	misc[0].dst = "/tmp";
	misc[0].flags = 0x80;
	assert_int_equal(validate(misc, 1, false, err), -1);

	struct step nosuid[] = {
		{ .kind = STEP_NOSUID, .dst = "/" },
		{ .kind = STEP_TMPFS, .dst = "/tmp", .arg = 01777 },
	};
	assert_int_equal(validate(nosuid, 2, false, err), -1);

	struct step bind_rel[] = { { .kind = STEP_BIND, .src = "home", .dst = "/home" } };
	assert_int_equal(validate(bind_rel, 1, false, err), -1);

	/* dev: a source only as the caller's terminal, /dev/pts/N. */
	struct step dev[] = {
		{ .kind = STEP_ROOT_TMPFS, .dst = "/" },
		{ .kind = STEP_DEV, .dst = "/dev", .arg = 5, .src = "/dev/pts/3" },
	};
	assert_int_equal(validate(dev, 2, true, err), 0);
	dev[1].src = "/dev/tty1";
	assert_int_equal(validate(dev, 2, true, err), 0);
	dev[1].src = "/dev/ttyS0";
	assert_int_equal(validate(dev, 2, true, err), 0);
	static const char *const bad_terms[] = {
		"/dev/sda", "/dev/pts/", "/dev/pts/ptmx", "/dev/pts/3/x", "/dev/pts/../sda",
		"/dev/pts/12345678901", "dev/pts/3", "", "/dev/tty", "/dev/ttyUSB0",
		"/dev/ttyS", "/dev/tty1x",
	};
	for (size_t i = 0; i < sizeof(bad_terms) / sizeof(bad_terms[0]); i++) {
		dev[1].src = (char *)bad_terms[i];
		assert_int_equal(validate(dev, 2, true, err), -1);
		assert_non_null(strstr(err, "bad source"));
	}

	/* private_pids: /proc only, no argument, one procfs per plan. */
	struct step pids[] = {
		{ .kind = STEP_ROOT_TMPFS, .dst = "/" },
		{ .kind = STEP_PIDS, .dst = "/proc" },
		{ .kind = STEP_PROC, .dst = "/proc" },
	};
	assert_int_equal(validate(pids, 2, true, err), 0);
	assert_int_equal(validate(pids + 1, 1, false, err), 0);
	assert_int_equal(validate(pids, 3, true, err), -1);
	assert_non_null(strstr(err, "a second procfs"));
	pids[2].kind = STEP_PIDS;
	assert_int_equal(validate(pids, 3, true, err), -1);
	pids[1].dst = "/sys";
	assert_int_equal(validate(pids, 2, true, err), -1);
	assert_non_null(strstr(err, "must be /proc"));
	pids[1].dst = "/proc";
	pids[1].arg = 1;
	assert_int_equal(validate(pids, 2, true, err), -1);
}

/* A private_pids plan survives the wire; its kind is the last one, so the
 * older kinds kept their numbers. */
static void test_private_pids_round_trip(void **state)
{
	(void)state;
	struct step v[] = {
		{ .kind = STEP_READ_ONLY, .dst = "/" },
		{ .kind = STEP_PIDS, .dst = "/proc", .flags = STEP_F_AUTO },
		{ .kind = STEP_INACCESSIBLE, .dst = "/proc/kcore" },
	};
	struct plan p = { .jail = "j", .v = v, .n = 3, .tmpfs_size = 1u << 20, .tmpfs_inodes = 64 }, q;
	uint8_t *buf;
	size_t len;
	char err[256];
	assert_int_equal(STEP_PIDS, STEP_NOSUID + 1);
	assert_int_equal(STEP_ETC_HOST, STEP_PIDS + 1); /* appended: older kinds keep their values */
	assert_int_equal(STEP_ETC_HOST + 1, STEP__COUNT);
	encode_ok(&p, &buf, &len);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), 0);
	assert_int_equal(q.n, 3);
	assert_int_equal(q.v[1].kind, STEP_PIDS);
	assert_string_equal(q.v[1].dst, "/proc");
	assert_true(plan_has(&q, STEP_PIDS));
	assert_false(plan_has(&q, STEP_PROC));
	plan_free(&q);
	free(buf);
}

static void test_encode_decode_rejects_invalid(void **state)
{
	(void)state;
	struct step v[] = {
		{ .kind = STEP_BIND, .src = "/a/b", .dst = "/a/b" },
		{ .kind = STEP_TMPFS, .dst = "/a", .arg = 0755 },
	};
	struct plan p = { .jail = "j", .v = v, .n = 2, .tmpfs_size = 1u << 20, .tmpfs_inodes = 64 }, q;
	uint8_t *buf;
	size_t len;
	char err[256];
	encode_ok(&p, &buf, &len);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), -1);
	assert_null(q.v);
	free(buf);
}

static void test_print(void **state)
{
	(void)state;
	struct step v[] = {
		{ .kind = STEP_TMPFS, .dst = "/home", .arg = 0755, .file = "/etc/nsjail.conf", .line = 7 },
		{ .kind = STEP_BIND_RO, .src = "/srv/x", .dst = "/home/x", .flags = STEP_F_OPTIONAL | STEP_F_AUTO },
	};
	struct plan p = { .jail = "j", .v = v, .n = 2, .tmpfs_size = 3u << 20, .tmpfs_inodes = 1000 };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	plan_print(&p, f);
	fclose(f);
	assert_string_equal(out,
			    "     tmpfs caps: size 3M, 1000 inodes (each tmpfs, /tmp, /var/tmp, /dev/shm, a tmpfs root)\n"
			    "  1. tmpfs        /home mode 0755  # /etc/nsjail.conf:7\n"
			    "  2. bind_ro      /home/x <- /srv/x (optional) (auto)\n");
	free(out);
}

/* Issue 10: the order rules hold for automatic steps too, and a hide or a
 * flag is never covered by a later mount on the same path. */
static void test_validate_order_of_auto_steps(void **state)
{
	(void)state;
	char err[256];
	struct step hide_then_pids[] = {
		{ .kind = STEP_INACCESSIBLE, .dst = "/proc/kcore" },
		{ .kind = STEP_PIDS, .dst = "/proc", .flags = STEP_F_AUTO },
	};
	assert_int_equal(validate(hide_then_pids, 2, false, err), -1);
	assert_non_null(strstr(err, "/proc/kcore"));
	struct step bind_then_etc[] = {
		{ .kind = STEP_ROOT_TMPFS, .dst = "/" },
		{ .kind = STEP_BIND_RO, .src = "/etc/ssl", .dst = "/etc/ssl" },
		{ .kind = STEP_ETC, .dst = "/etc", .data = (char *)etc_data, .data_len = sizeof(etc_data) - 1 },
	};
	assert_int_equal(validate(bind_then_etc, 3, true, err), -1);
	assert_non_null(strstr(err, "/etc/ssl"));
	struct step tmp_then_dev[] = {
		{ .kind = STEP_ROOT_TMPFS, .dst = "/" },
		{ .kind = STEP_INACCESSIBLE, .dst = "/dev/shm" },
		{ .kind = STEP_DEV, .dst = "/dev", .arg = 5 },
	};
	assert_int_equal(validate(tmp_then_dev, 3, true, err), -1);
	/* The same path: nothing after a hide, no mount after a flag. */
	struct step hide_then_bind[] = {
		{ .kind = STEP_INACCESSIBLE, .dst = "/srv" },
		{ .kind = STEP_BIND, .src = "/srv", .dst = "/srv" },
	};
	assert_int_equal(validate(hide_then_bind, 2, false, err), -1);
	struct step hide_then_rw[] = {
		{ .kind = STEP_INACCESSIBLE, .dst = "/srv" },
		{ .kind = STEP_READ_WRITE, .dst = "/srv" },
	};
	assert_int_equal(validate(hide_then_rw, 2, false, err), -1);
	/* An automatic step is a child like any other. */
	struct step pids_then_ro[] = {
		{ .kind = STEP_PIDS, .dst = "/proc", .flags = STEP_F_AUTO },
		{ .kind = STEP_READ_ONLY, .dst = "/" },
	};
	assert_int_equal(validate(pids_then_ro, 2, false, err), -1);
	struct step ro_then_bind[] = {
		{ .kind = STEP_READ_ONLY, .dst = "/opt" },
		{ .kind = STEP_BIND, .src = "/srv", .dst = "/opt" },
	};
	assert_int_equal(validate(ro_then_bind, 2, false, err), -1);
	struct step two_mounts[] = {
		{ .kind = STEP_TMPFS, .dst = "/opt", .arg = 0755 },
		{ .kind = STEP_BIND, .src = "/srv", .dst = "/opt" },
	};
	assert_int_equal(validate(two_mounts, 2, false, err), -1);
	/* What the compiler makes passes: a flag after the mount, children
	 * after parents, symlinks before "/"'s flags. */
	struct step good[] = {
		{ .kind = STEP_ROOT_TMPFS, .dst = "/" },
		{ .kind = STEP_SYMLINK, .src = "usr/bin", .dst = "/bin" },
		{ .kind = STEP_READ_ONLY, .dst = "/" },
		{ .kind = STEP_ETC, .dst = "/etc", .data = (char *)etc_data, .data_len = sizeof(etc_data) - 1 },
		{ .kind = STEP_BIND_RO, .src = "/etc/ssl", .dst = "/etc/ssl" },
		{ .kind = STEP_BIND, .src = "/srv", .dst = "/opt" },
		{ .kind = STEP_READ_ONLY, .dst = "/opt" },
		{ .kind = STEP_PIDS, .dst = "/proc" },
		{ .kind = STEP_INACCESSIBLE, .dst = "/proc/kcore" },
		{ .kind = STEP_NOSUID, .dst = "/" },
	};
	assert_int_equal(validate(good, 10, true, err), 0);
}

/* The tmpfs caps travel with the plan; 0 (the kernel's "no limit") and
 * values out of range are refused on arrival. */
static void test_tmpfs_caps(void **state)
{
	(void)state;
	struct plan p = mkplan(), q;
	uint8_t *buf;
	size_t len;
	char err[256];
	p.tmpfs_size = 0;
	encode_ok(&p, &buf, &len);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "tmpfs"));
	free(buf);
	p.tmpfs_size = 1u << 20;
	p.tmpfs_inodes = 0;
	encode_ok(&p, &buf, &len);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), -1);
	free(buf);
	p.tmpfs_inodes = 1ull << 40;
	encode_ok(&p, &buf, &len);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), -1);
	free(buf);
	p.tmpfs_inodes = 64;
	encode_ok(&p, &buf, &len);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), 0);
	plan_free(&q);
	/* A request of the first format is refused by its magic. */
	uint32_t old = 0x314a534eu;
	memcpy(buf, &old, 4);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "magic"));
	free(buf);
}

/* The isolation flags travel with the plan; a bit this version does not
 * know is refused on arrival (never a jail silently weaker), and so is a
 * request of the NSJ2 format, which has none. */
static void test_isolation_flags(void **state)
{
	(void)state;
	struct plan p = mkplan(), q;
	uint8_t *buf;
	size_t len;
	char err[256];
	p.isolate = PLAN_ISO_NET | PLAN_ISO_IPC | PLAN_ISO_NNP;
	encode_ok(&p, &buf, &len);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), 0);
	assert_int_equal(q.isolate, PLAN_ISO_NET | PLAN_ISO_IPC | PLAN_ISO_NNP);
	plan_free(&q);
	/* Truncated before the flags: refused. */
	uint32_t short_len = (uint32_t)len - 8;
	memcpy(buf + 4, &short_len, 4);
	assert_int_equal(wire_decode(buf, len - 8, &q, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "isolation"));
	free(buf);
	p.isolate = PLAN_ISO__ALL + 1;
	encode_ok(&p, &buf, &len);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "isolation flags"));
	uint32_t nsj2 = 0x324a534eu;
	memcpy(buf, &nsj2, 4);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "magic"));
	free(buf);
	/* explain prints them. */
	p.isolate = PLAN_ISO_NET | PLAN_ISO_NNP;
	char *out = NULL;
	size_t olen = 0;
	FILE *f = open_memstream(&out, &olen);
	assert_non_null(f);
	plan_print(&p, f);
	fclose(f);
	assert_non_null(strstr(out, "isolation: private_network (loopback only) no_new_privileges\n"));
	free(out);
	/* restrict_namespaces and scope_ipc are the module's alone, yet the
	 * helper accepts them (no new magic: a helper older than them
	 * refuses the plan, fails closed). */
	p.isolate = PLAN_ISO_RESTRICT_NS | PLAN_ISO_SCOPE_IPC;
	encode_ok(&p, &buf, &len);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), 0);
	assert_int_equal(q.isolate, PLAN_ISO_RESTRICT_NS | PLAN_ISO_SCOPE_IPC);
	assert_int_equal(plan_validate(&q, err, sizeof(err)), 0);
	plan_free(&q);
	free(buf);
}

/* shared: the owner travels with the plan (the keeper takes that user's
 * registry lock); an owner without shared is refused, and so is a request
 * of the NSJ3 format, which has none. */
static void test_owner(void **state)
{
	(void)state;
	struct plan p = mkplan(), q;
	uint8_t *buf;
	size_t len;
	char err[256];
	p.isolate = PLAN_ISO_SHARED;
	p.owner = 2001;
	encode_ok(&p, &buf, &len);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), 0);
	assert_int_equal(q.owner, 2001);
	plan_free(&q);
	uint32_t nsj3 = 0x334a534eu;
	memcpy(buf, &nsj3, 4);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "magic"));
	free(buf);
	p.isolate = 0;
	encode_ok(&p, &buf, &len);
	assert_int_equal(wire_decode(buf, len, &q, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "an owner (uid 2001) but not shared"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_no_root_plan),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_bad_kind_and_nul),
		cmocka_unit_test(test_validate_rejects),
		cmocka_unit_test(test_private_pids_round_trip),
		cmocka_unit_test(test_encode_decode_rejects_invalid),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_validate_order_of_auto_steps),
		cmocka_unit_test(test_tmpfs_caps),
		cmocka_unit_test(test_isolation_flags),
		cmocka_unit_test(test_owner),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
