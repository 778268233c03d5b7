/* lib/plan/mountinfo.c: the mount table and the other names it gives a
 * hidden path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mountinfo.h"

/* /srv is tmpfs 0:50; /mnt/alias and "/mnt/sp ace" bind all of it,
 * /mnt/pub only /pub, /mnt/deep the hidden directory itself; 0:51 is
 * another tmpfs with a /secret of its own. */
static const char table[] =
	"21 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
	"30 21 0:50 / /srv rw - tmpfs tmpfs rw\n"
	"31 21 0:50 / /mnt/alias rw - tmpfs tmpfs rw\n"
	"32 21 0:50 /pub /mnt/pub rw - tmpfs tmpfs rw\n"
	"33 21 0:50 /secret /mnt/deep rw - tmpfs tmpfs rw\n"
	"34 21 0:50 / /mnt/sp\\040ace rw - tmpfs tmpfs rw\n"
	"35 21 0:51 / /other rw - tmpfs tmpfs rw\n"
	"36 21 0:50 /gone//deleted /mnt/gone rw - tmpfs tmpfs rw\n"
	"garbage line\n";

static void test_parse(void **state)
{
	(void)state;
	struct mount_table t;
	assert_int_equal(mount_table_parse(table, sizeof(table) - 1, &t), 0);
	assert_int_equal(t.n, 7); /* the deleted root and the garbage left out */
	assert_string_equal(t.v[5].point, "/mnt/sp ace");
	assert_int_equal(t.v[5].id, 34);
	assert_int_equal(t.v[1].major, 0);
	assert_int_equal(t.v[1].minor, 50);
	assert_string_equal(t.v[4].root, "/secret");
	mount_table_free(&t);
}

static int names(const char *path, unsigned id, char **out, size_t max)
{
	struct mount_table t;
	assert_int_equal(mount_table_parse(table, sizeof(table) - 1, &t), 0);
	int n = mount_aliases(&t, id, path, out, max);
	mount_table_free(&t);
	return n;
}

static void test_aliases(void **state)
{
	(void)state;
	char *out[8];
	int n = names("/srv/secret", 30, out, 8);
	assert_int_equal(n, 3);
	assert_string_equal(out[0], "/mnt/alias/secret");
	assert_string_equal(out[1], "/mnt/deep");
	assert_string_equal(out[2], "/mnt/sp ace/secret");
	for (int i = 0; i < n; i++)
		free(out[i]);
	/* From an alias back to the others, the first mount included. */
	n = names("/mnt/deep/key", 33, out, 8);
	assert_int_equal(n, 3);
	assert_string_equal(out[0], "/srv/secret/key");
	assert_string_equal(out[1], "/mnt/alias/secret/key");
	for (int i = 0; i < n; i++)
		free(out[i]);
	/* A mount's own root. */
	n = names("/srv", 30, out, 8);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "/mnt/alias");
	assert_string_equal(out[1], "/mnt/sp ace");
	for (int i = 0; i < n; i++)
		free(out[i]);
}

static void test_no_aliases(void **state)
{
	(void)state;
	char *out[8];
	/* Another file system with the same paths is not the same file. */
	assert_int_equal(names("/other/secret", 35, out, 8), 0);
	/* A path not below the mount it is said to be in. */
	assert_int_equal(names("/elsewhere", 30, out, 8), 0);
	/* An unknown mount. */
	assert_int_equal(names("/srv/secret", 99, out, 8), 0);
	/* At most max names. */
	int n = names("/srv/secret", 30, out, 1);
	assert_int_equal(n, 1);
	free(out[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_no_aliases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
