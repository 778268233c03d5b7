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

/* A top-level link is written into the root: only into the jail's own
 * tmpfs, never into an administrator's on-disk root. */
static void symlink_only_in_a_tmpfs_root(void **state)
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
	assert_int_equal(validate(v, 2, err), -1);
	assert_non_null(strstr(err, "only in a tmpfs root"));
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
		cmocka_unit_test(symlink_only_in_a_tmpfs_root),
		cmocka_unit_test(symlink_target_not_empty),
		cmocka_unit_test(control_characters_refused),
		cmocka_unit_test(root_step_only_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
