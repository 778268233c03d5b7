#include "testutil.h"

#include "expand.h"

static struct user_info alice(void)
{
	return fake_user("alice", 2001, "/home/alice", "staff", 50, 0, NULL);
}

static void expect(const struct user_info *u, const char *tmpl, const char *want)
{
	char err[256] = "", *out = NULL;
	int r = expand_path(tmpl, u, &out, err, sizeof(err));
	if (r != 0)
		print_message("%s: %s\n", tmpl, err);
	assert_int_equal(r, 0);
	assert_string_equal(out, want);
	free(out);
}

static void expect_error(const struct user_info *u, const char *tmpl,
			 const char *needle)
{
	char err[256] = "", *out = NULL;
	assert_int_equal(expand_path(tmpl, u, &out, err, sizeof(err)), -1);
	assert_null(out);
	if (!strstr(err, needle))
		print_message("error '%s' lacks '%s'\n", err, needle);
	assert_non_null(strstr(err, needle));
}

static void every_token(void **state)
{
	(void)state;
	struct user_info u = alice();
	expect(&u, "/home/%u", "/home/alice");
	expect(&u, "/run/user/%U", "/run/user/2001");
	expect(&u, "/srv/%g/%G", "/srv/staff/50");
	expect(&u, "%h/pub", "/home/alice/pub");
	expect(&u, "/data/100%%", "/data/100%");
	expect(&u, "/plain", "/plain");
	expect(&u, "/", "/");
	user_info_free(&u);
}

static void unknown_tokens(void **state)
{
	(void)state;
	struct user_info u = alice();
	expect_error(&u, "/home/%x", "unknown token '%x'");
	expect_error(&u, "/home/%", "unknown token");
	user_info_free(&u);
}

/* Values from NSS must never change the shape of a path. */
static void hostile_values(void **state)
{
	(void)state;
	const char *bad_names[] = { "../etc", "a/b", "..", ".", "a\nb", "" };
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(*bad_names); i++) {
		struct user_info u = fake_user(bad_names[i], 9, "/home/x", "g", 9,
					       0, NULL);
		expect_error(&u, "/home/%u", "not safe");
		user_info_free(&u);
	}
	struct user_info g = fake_user("bob", 9, "/home/bob", "../..", 9, 0, NULL);
	expect_error(&g, "/srv/%g", "not safe");
	user_info_free(&g);

	const char *bad_homes[] = { "relative", "/home/../etc", "/home//x",
				    "/home/x/", "" };
	for (size_t i = 0; i < sizeof(bad_homes) / sizeof(*bad_homes); i++) {
		struct user_info u = fake_user("bob", 9, bad_homes[i], "g", 9, 0, NULL);
		expect_error(&u, "%h/x", "not safe");
		user_info_free(&u);
	}
	/* '%' in a name is data, not a token. */
	struct user_info pct = fake_user("a%u", 9, "/home/a%u", "g", 9, 0, NULL);
	expect(&pct, "/home/%u", "/home/a%u");
	expect(&pct, "%h", "/home/a%u");
	user_info_free(&pct);
}

static void result_must_be_normal(void **state)
{
	(void)state;
	struct user_info u = alice();
	expect_error(&u, "relative/%u", "not an absolute normalised path");
	expect_error(&u, "/a/../%u", "not an absolute normalised path");
	expect_error(&u, "/a//%u", "not an absolute normalised path");
	char big[5000];
	memset(big, 'a', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	expect_error(&u, big, "too long");
	user_info_free(&u);
}

/* Which tokens a template uses, as expansion reads them. */
static void uses(void **state)
{
	(void)state;
	assert_true(template_uses("/srv/%g", 'g'));
	assert_true(template_uses("/srv/%%/%g/x", 'g'));
	assert_false(template_uses("/srv/%%g", 'g'));
	assert_false(template_uses("/srv/%G/%u", 'g'));
	assert_false(template_uses("/srv/%", 'g'));
	assert_false(template_uses("", 'g'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_token),
		cmocka_unit_test(unknown_tokens),
		cmocka_unit_test(hostile_values),
		cmocka_unit_test(result_must_be_normal),
		cmocka_unit_test(uses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
