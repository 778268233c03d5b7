#include "testutil.h"

#include "match.h"

static const char *const conf =
	"version = 1;\n"
	"settings = { exempt_users = [ \"root\", \"admin\" ];\n"
	"             exempt_groups = [ \"wheel\" ]; };\n"
	"jails = (\n"
	"  { name = \"only-su\"; users = [ \"erin\" ]; services = [ \"su\" ];\n"
	"    read_only = [ \"/\" ]; },\n"
	"  { name = \"by-user\"; users = [ \"alice\", \"carol\" ]; tmpfs = [ \"/home\" ]; },\n"
	"  { name = \"by-group\"; groups = [ \"contractors\", \"sftponly\" ];\n"
	"    read_only = [ \"/\" ]; },\n"
	"  { name = \"later\"; users = [ \"alice\" ]; read_only = [ \"/\" ]; }\n"
	");\n";

static struct policy *policy;

static int setup(void **state)
{
	(void)state;
	policy = parse_ok(conf);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	policy_free(policy);
	return 0;
}

static struct match run(const char *name, const char *pgroup, size_t n,
			const char *const *supp, const char *service)
{
	struct user_info u = fake_user(name, 3000, "/home/x", pgroup, 3000, n, supp);
	struct match m = policy_match(policy, &u, service);
	/* group points into u; copy what the test looks at. */
	static char group[64];
	if (m.group) {
		snprintf(group, sizeof(group), "%s", m.group);
		m.group = group;
	}
	user_info_free(&u);
	return m;
}

static void by_name_first_match_wins(void **state)
{
	(void)state;
	struct match m = run("alice", "alice", 0, NULL, "sshd");
	assert_int_equal(m.kind, MATCH_USER);
	assert_string_equal(m.jail->name, "by-user");
}

static void by_primary_group(void **state)
{
	(void)state;
	struct match m = run("dave", "sftponly", 0, NULL, "sshd");
	assert_int_equal(m.kind, MATCH_GROUP);
	assert_string_equal(m.jail->name, "by-group");
	assert_string_equal(m.group, "sftponly");
}

static void by_supplementary_group(void **state)
{
	(void)state;
	const char *supp[] = { "users:100", "contractors:3001" };
	struct match m = run("zed", "zed", 2, supp, "sshd");
	assert_int_equal(m.kind, MATCH_GROUP);
	assert_string_equal(m.jail->name, "by-group");
	assert_string_equal(m.group, "contractors");
}

static void unmatched(void **state)
{
	(void)state;
	const char *supp[] = { "users:100" };
	struct match m = run("bob", "bob", 1, supp, "sshd");
	assert_int_equal(m.kind, MATCH_NONE);
	assert_null(m.jail);
}

static void service_filter(void **state)
{
	(void)state;
	assert_int_equal(run("erin", "erin", 0, NULL, "su").kind, MATCH_USER);
	assert_int_equal(run("erin", "erin", 0, NULL, "sshd").kind, MATCH_NONE);
	assert_int_equal(run("erin", "erin", 0, NULL, NULL).kind, MATCH_NONE);
	/* A jail without services applies to every service. */
	assert_int_equal(run("alice", "alice", 0, NULL, "cron").kind, MATCH_USER);
}

static void exemptions_come_first(void **state)
{
	(void)state;
	assert_int_equal(run("root", "root", 0, NULL, "su").kind,
			 MATCH_EXEMPT_USER);
	assert_int_equal(run("admin", "admin", 0, NULL, "su").kind,
			 MATCH_EXEMPT_USER);
	const char *supp[] = { "wheel:10" };
	/* carol is listed in a jail, but wheel exempts her. */
	struct match m = run("carol", "carol", 1, supp, "sshd");
	assert_int_equal(m.kind, MATCH_EXEMPT_GROUP);
	assert_string_equal(m.group, "wheel");
}

static void describe(void **state)
{
	(void)state;
	struct user_info u = fake_user("alice", 1, "/h", "alice", 1, 0, NULL);
	struct match m = policy_match(policy, &u, "sshd");
	char buf[256];
	match_describe(&m, &u, buf, sizeof(buf));
	assert_string_equal(buf,
			    "jail 'by-user' (test.conf:7): matched by user 'alice'");
	user_info_free(&u);
}

/* Drop-in jails come after the main file's, in the order they were added. */
static void dropin_order(void **state)
{
	(void)state;
	struct diags d = { 0 };
	struct policy *p = policy_new("main.conf");
	config_parse_buffer("main.conf",
			    "version = 1; jails = ( { name = \"m\"; users = [ \"x\" ]; "
			    "read_only = [ \"/\" ]; } );",
			    false, p, &d);
	config_parse_buffer("10-a.conf",
			    "jails = ( { name = \"a\"; users = [ \"x\", \"y\" ]; "
			    "read_only = [ \"/\" ]; } );",
			    true, p, &d);
	config_parse_buffer("20-b.conf",
			    "jails = ( { name = \"b\"; users = [ \"y\", \"z\" ]; "
			    "read_only = [ \"/\" ]; } );",
			    true, p, &d);
	assert_int_equal(d.nerrors, 0);
	const char *want[][2] = { { "x", "m" }, { "y", "a" }, { "z", "b" } };
	for (size_t i = 0; i < 3; i++) {
		struct user_info u = fake_user(want[i][0], 5, "/h", NULL, 5, 0, NULL);
		struct match m = policy_match(p, &u, "sshd");
		assert_non_null(m.jail);
		assert_string_equal(m.jail->name, want[i][1]);
		user_info_free(&u);
	}
	policy_free(p);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(by_name_first_match_wins),
		cmocka_unit_test(by_primary_group),
		cmocka_unit_test(by_supplementary_group),
		cmocka_unit_test(unmatched),
		cmocka_unit_test(service_filter),
		cmocka_unit_test(exemptions_come_first),
		cmocka_unit_test(describe),
		cmocka_unit_test(dropin_order),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
