/* The PAM line's exempt= list: parsing (a bad item unlocks nobody) and
 * membership from local files. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

#include "breakglass.h"

static char dir[] = "/tmp/test_breakglass.XXXXXX";
static char passwd[300], group[300];

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(passwd, sizeof(passwd), "%s/passwd", dir);
	snprintf(group, sizeof(group), "%s/group", dir);
	put(passwd, "root:x:0:0::/root:/bin/sh\n"
		    "toor:x:0:0::/root:/bin/sh\n"
		    "ann:x:1001:1001::/home/ann:/bin/sh\n"
		    "ops1:x:1002:1500::/home/ops1:/bin/sh\n");
	put(group, "root:x:0:\n"
		   "ops:x:1500:\n"
		   "admins:x:1600:ann,someone\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(passwd);
	unlink(group);
	rmdir(dir);
	return 0;
}

static void parse(void **state)
{
	(void)state;
	struct breakglass b = { 0 };
	char why[128];
	assert_int_equal(breakglass_parse("ann,@ops", &b, why, sizeof(why)), 0);
	assert_int_equal(b.users.n, 1);
	assert_string_equal(b.users.v[0], "ann");
	assert_int_equal(b.groups.n, 1);
	assert_string_equal(b.groups.v[0], "ops");
	breakglass_free(&b);

	static const char *const bad[][2] = {
		{ "", "empty item" },          { "ann,,bob", "empty item" },
		{ "ann,", "empty item" },      { "@", "bad group name" },
		{ "a/b", "bad user name" },    { "ann,@o\tps", "bad group name" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(breakglass_parse("keep", &b, why, sizeof(why)), 0);
		assert_int_equal(breakglass_parse(bad[i][0], &b, why, sizeof(why)), -1);
		assert_non_null(strstr(why, bad[i][1]));
		/* A bad argument unlocks nobody, not even what came before. */
		assert_int_equal(b.users.n + b.groups.n, 0);
	}
}

static void lookup(void **state)
{
	(void)state;
	uid_t uid = 7;
	gid_t gid = 7;
	assert_int_equal(account_lookup(passwd, "toor", &uid, &gid), 0);
	assert_int_equal(uid, 0);
	assert_int_equal(account_lookup(passwd, "ops1", &uid, &gid), 0);
	assert_int_equal(uid, 1002);
	assert_int_equal(gid, 1500);
	assert_int_equal(account_lookup(passwd, "nosuchuser-bg", &uid, &gid), -1);
}

static void membership(void **state)
{
	(void)state;
	struct breakglass b = { 0 };
	char why[128];
	assert_int_equal(breakglass_parse("ann,@ops,@admins", &b, why, sizeof(why)), 0);
	assert_true(breakglass_has(&b, group, "ann", false, 0));
	/* primary group */
	assert_true(breakglass_has(&b, group, "ops1", true, 1500));
	assert_false(breakglass_has(&b, group, "ops1", false, 0));
	/* member list */
	assert_true(breakglass_has(&b, group, "someone", true, 4000));
	assert_false(breakglass_has(&b, group, "bob", true, 4000));
	breakglass_free(&b);
	/* The empty list (no argument, or a bad one) has nobody. */
	assert_false(breakglass_has(&b, group, "root", true, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse),
		cmocka_unit_test(lookup),
		cmocka_unit_test(membership),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
