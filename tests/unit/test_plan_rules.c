/* plan_validate's rules, each on its own, where test_wire does not reach
 * them: the helper re-runs these on every request, so each must refuse by
 * itself (a mutant that removes one must fail here; tests/mutation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "paths.h"
#include "plan.h"

static int validate(struct step *v, size_t n, char *err)
{
	struct plan p = { .jail = "j", .has_root = n > 0 && (v[0].kind == STEP_ROOT_DIR ||
							     v[0].kind == STEP_ROOT_TMPFS),
			  .v = v, .n = n, .tmpfs_size = PLAN_TMPFS_SIZE_DEFAULT,
			  .tmpfs_inodes = PLAN_TMPFS_INODES_DEFAULT };
	return plan_validate(&p, err, 256);
}

/* A top-level link is written into the jail's own tmpfs root (an on-disk
 * root is shown on one too, root_dir): in either root, never without one. */
static void symlink_only_in_a_root(void **state)
{
	(void)state;
	char err[256];
	struct step v[] = {
		{ .kind = STEP_ROOT_TMPFS, .dst = "/" },
		{ .kind = STEP_SYMLINK, .src = "usr/bin", .dst = "/bin" },
	};
	assert_int_equal(validate(v, 2, err), 0);
	v[0].kind = STEP_ROOT_DIR;
	v[0].dst = "/srv/jails/alice";
	assert_int_equal(validate(v, 2, err), 0);
	struct plan p = { .jail = "j", .v = &v[1], .n = 1, .tmpfs_size = PLAN_TMPFS_SIZE_DEFAULT,
			  .tmpfs_inodes = PLAN_TMPFS_INODES_DEFAULT };
	assert_int_equal(plan_validate(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "only in a jail with a root"));
}

/* A host piece of /etc: never a secret, never a synthesized file, only
 * below /etc, the same path on both sides, only with a synthesized /etc. */
static void etc_host_rules(void **state)
{
	(void)state;
	char err[256];
	static char etc_data[] = "passwd\0root:x:0:0::/:/bin/sh\n";
	struct step v[] = {
		{ .kind = STEP_ROOT_TMPFS, .dst = "/" },
		{ .kind = STEP_ETC, .dst = "/etc", .data = etc_data, .data_len = sizeof(etc_data) },
		{ .kind = STEP_ETC_HOST, .src = "/etc/hosts", .dst = "/etc/hosts" },
	};
	assert_int_equal(validate(v, 3, err), 0);
	const char *refused[] = { "/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/sudoers.d/x",
				  "/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/other_key", "/etc/ssh",
				  "/etc/ssl", "/etc/ssl/private", "/etc/passwd", "/etc", "/usr/hosts" };
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		v[2].src = v[2].dst = (char *)refused[i];
		assert_int_equal(validate(v, 3, err), -1);
	}
	const char *why;
	assert_true(plan_etc_piece_ok("/etc/ssh/ssh_host_ed25519_key.pub", &why));
	assert_true(plan_etc_piece_ok("/etc/ssl/certs", &why));
	v[2].src = "/etc/hosts";
	v[2].dst = "/etc/host.conf";
	assert_int_equal(validate(v, 3, err), -1);
	assert_non_null(strstr(err, "not the same path"));
	v[2].dst = "/etc/hosts";
	v[1] = v[2];
	assert_int_equal(validate(v, 2, err), -1);
	assert_non_null(strstr(err, "without a synthesized /etc"));
}

/* An empty target would make a link to the root's own directory. */
static void symlink_target_not_empty(void **state)
{
	(void)state;
	char err[256];
	struct step v[] = {
		{ .kind = STEP_ROOT_TMPFS, .dst = "/" },
		{ .kind = STEP_SYMLINK, .src = "", .dst = "/bin" },
	};
	assert_int_equal(validate(v, 2, err), -1);
	assert_non_null(strstr(err, "bad source"));
	v[1].src = "usr/bin";
	assert_int_equal(validate(v, 2, err), 0);
}

/* A control character in a path (a newline, DEL, a tab, ESC) forges lines
 * in logs, mountinfo and explain: never a normal path, so never planned. */
static void control_characters_refused(void **state)
{
	(void)state;
	char err[256];
	static const char *const bad[] = { "/srv/a\nb", "/srv/a\rb", "/srv/\x7f", "/srv/a\tb",
					   "/srv/\x1b[2J", "/\n" };
	assert_true(path_is_normal("/srv/a b"));
	assert_true(path_is_normal("/srv/\xc3\xa9")); /* UTF-8 is fine */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(path_is_normal(bad[i]));
		struct step v[] = { { .kind = STEP_INACCESSIBLE, .dst = (char *)bad[i] } };
		assert_int_equal(validate(v, 1, err), -1);
		struct step b[] = { { .kind = STEP_BIND, .src = (char *)bad[i], .dst = "/mnt" } };
		assert_int_equal(validate(b, 1, err), -1);
	}
}

/* A root step is only ever the first: one after mounts would discard them
 * (they were made on the old root). An on-disk root is a host path, exempt
 * from the order check, so this rule alone refuses it. */
static void root_step_only_first(void **state)
{
	(void)state;
	char err[256];
	struct step v[] = {
		{ .kind = STEP_INACCESSIBLE, .dst = "/srv/secret" },
		{ .kind = STEP_ROOT_DIR, .dst = "/srv/jails/alice" },
	};
	struct plan p = { .jail = "j", .has_root = false, .v = v, .n = 2,
			  .tmpfs_size = PLAN_TMPFS_SIZE_DEFAULT,
			  .tmpfs_inodes = PLAN_TMPFS_INODES_DEFAULT };
	assert_int_equal(plan_validate(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "root step not first"));
	v[0] = v[1];
	p.n = 1;
	p.has_root = true;
	assert_int_equal(plan_validate(&p, err, sizeof(err)), 0); /* control */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(symlink_only_in_a_root),
		cmocka_unit_test(etc_host_rules),
		cmocka_unit_test(symlink_target_not_empty),
		cmocka_unit_test(control_characters_refused),
		cmocka_unit_test(root_step_only_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
