#include <errno.h>

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

/* NSS as the fixtures have it: a group the policy names has the gid the
 * fake user knows it by, or a gid of its own the user is not in. */
static void resolve_all(struct user_info *u, const struct policy *p)
{
	const struct strlist *lists[16] = { &p->exempt_groups };
	size_t nl = 1;
	for (size_t i = 0; i < p->njails && nl < 16; i++)
		lists[nl++] = &p->jails[i].groups;
	for (size_t l = 0; l < nl; l++)
		for (size_t i = 0; i < lists[l]->n; i++) {
			const char *g = lists[l]->v[i];
			unsigned gid = 90000 + (unsigned)(l * 100 + i);
			for (size_t k = 0; k < u->ngroups; k++)
				if (u->group_names[k] && !strcmp(u->group_names[k], g))
					gid = u->gids[k];
			if (!user_group_ref(u, g))
				fake_ref(u, g, GROUP_FOUND, 0, gid, false);
		}
}

static struct match run(const char *name, const char *pgroup, size_t n,
			const char *const *supp, const char *service)
{
	struct user_info u = fake_user(name, 3000, "/home/x", pgroup, 3000, n, supp);
	resolve_all(&u, policy);
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

/* Matching compares gids: the user's groups need no names (none is looked
 * up per user group), and a group NSS names differently for the user's
 * gid (an alias, a second source) still matches. */
static void by_gid_not_by_name(void **state)
{
	(void)state;
	const char *supp[] = { "other-name:3001" };
	struct user_info u = fake_user("zed", 3000, "/h", "zed", 3000, 1, supp);
	free(u.group_names[1]);
	u.group_names[1] = NULL; /* never named */
	fake_ref(&u, "wheel", GROUP_FOUND, 0, 10, false);
	fake_ref(&u, "contractors", GROUP_FOUND, 0, 3001, false);
	fake_ref(&u, "sftponly", GROUP_FOUND, 0, 3002, false);
	struct match m = policy_match(policy, &u, "sshd");
	assert_int_equal(m.kind, MATCH_GROUP);
	assert_string_equal(m.jail->name, "by-group");
	assert_string_equal(m.group, "contractors");
	/* The primary gid counts even when getgrouplist left it out. */
	u.gids[0] = 7;
	u.gids[1] = 7;
	u.gid = 3002;
	m = policy_match(policy, &u, "sshd");
	assert_int_equal(m.kind, MATCH_GROUP);
	assert_string_equal(m.group, "sftponly");
	user_info_free(&u);
}

/* The group's member list counts too: getgrouplist may miss a source that
 * getgrnam_r reached. */
static void by_member_list(void **state)
{
	(void)state;
	struct user_info u = fake_user("zed", 3000, "/h", "zed", 3000, 0, NULL);
	fake_ref(&u, "wheel", GROUP_FOUND, 0, 10, false);
	fake_ref(&u, "contractors", GROUP_FOUND, 0, 3001, true);
	fake_ref(&u, "sftponly", GROUP_FOUND, 0, 3002, false);
	struct match m = policy_match(policy, &u, "sshd");
	assert_int_equal(m.kind, MATCH_GROUP);
	assert_string_equal(m.group, "contractors");
	user_info_free(&u);
}

/* zed's match with contractors resolved as given, wheel and sftponly
 * found without him. */
static struct match with_contractors(const char *name, unsigned uid,
				     enum group_state st, int err, int list_err,
				     struct user_info *u)
{
	*u = fake_user(name, uid, "/h", name, 3000, 0, NULL);
	fake_ref(u, "wheel", GROUP_FOUND, 0, 10, false);
	fake_ref(u, "contractors", st, err, 3001, false);
	fake_ref(u, "sftponly", GROUP_FOUND, 0, 3002, false);
	u->list_err = list_err;
	return policy_match(policy, u, "sshd");
}

/* A group the policy names that NSS could not give: a user whose jail
 * could depend on it is refused, naming it; never unjailed. */
static void unavailable_group_refuses(void **state)
{
	(void)state;
	struct user_info u;
	struct match m = with_contractors("zed", 3000, GROUP_UNAVAILABLE, ENOENT, 0, &u);
	assert_int_equal(m.kind, MATCH_REFUSED);
	assert_string_equal(m.group, "contractors");
	assert_string_equal(m.jail->name, "by-group");
	char buf[512];
	match_describe(&m, &u, buf, sizeof(buf));
	assert_string_equal(buf,
		"refused: jail 'by-group' (test.conf:8) could apply through group "
		"'contractors', which cannot be resolved: getgrnam_r: ENOENT (No such "
		"file or directory): a group source is unavailable");
	user_info_free(&u);

	/* Named by an earlier jail: the answer does not depend on it. */
	m = with_contractors("carol", 3000, GROUP_UNAVAILABLE, EAGAIN, 0, &u);
	assert_int_equal(m.kind, MATCH_USER);
	assert_string_equal(m.jail->name, "by-user");
	user_info_free(&u);
	/* Exempt by name: in, whatever NSS says. */
	m = with_contractors("admin", 3000, GROUP_UNAVAILABLE, EIO, 0, &u);
	assert_int_equal(m.kind, MATCH_EXEMPT_USER);
	user_info_free(&u);
	/* uid 0's groups are local: not locked out by a directory. */
	m = with_contractors("toor", 0, GROUP_UNAVAILABLE, EIO, 0, &u);
	assert_int_equal(m.kind, MATCH_NONE);
	user_info_free(&u);
	/* Named by a jail of the service before any group: matched. */
	u = fake_user("erin", 3000, "/h", "erin", 3000, 0, NULL);
	fake_ref(&u, "wheel", GROUP_FOUND, 0, 10, false);
	fake_ref(&u, "contractors", GROUP_UNAVAILABLE, EIO, 0, false);
	assert_int_equal(policy_match(policy, &u, "su").kind, MATCH_USER);
	assert_int_equal(policy_match(policy, &u, "sshd").kind, MATCH_REFUSED);
	user_info_free(&u);
}

/* glibc answers "no such group" when nscd could not reach the directory:
 * a missing group refuses like an unavailable one. */
static void missing_group_refuses(void **state)
{
	(void)state;
	struct user_info u;
	struct match m = with_contractors("zed", 3000, GROUP_MISSING, 0, 0, &u);
	assert_int_equal(m.kind, MATCH_REFUSED);
	assert_string_equal(m.group, "contractors");
	char buf[512];
	match_describe(&m, &u, buf, sizeof(buf));
	assert_non_null(strstr(buf, "NSS has no such group"));
	user_info_free(&u);
}

/* The list is known incomplete (the probe failed): a found group the user
 * is not in proves nothing; one he is in still matches. */
static void incomplete_list_refuses_non_members(void **state)
{
	(void)state;
	struct user_info u;
	struct match m = with_contractors("zed", 3000, GROUP_FOUND, 0, ENOENT, &u);
	assert_int_equal(m.kind, MATCH_REFUSED);
	/* wheel is unknown too, but only a jail makes it matter */
	assert_string_equal(m.group, "contractors");
	assert_string_equal(m.jail->name, "by-group");
	char buf[512];
	match_describe(&m, &u, buf, sizeof(buf));
	assert_non_null(strstr(buf, "group list may be incomplete"));
	assert_non_null(strstr(buf, USER_PROBE_GROUP));
	user_info_free(&u);

	u = fake_user("zed", 3000, "/h", "zed", 3000, 0, NULL);
	fake_ref(&u, "wheel", GROUP_FOUND, 0, 10, true);
	u.list_err = ENOENT;
	assert_int_equal(policy_match(policy, &u, "sshd").kind, MATCH_EXEMPT_GROUP);
	user_info_free(&u);
}

/* An unknown exempt group changes nothing for a user no jail names, and
 * refuses one a jail would take. */
static void unknown_exempt_group(void **state)
{
	(void)state;
	struct user_info u = fake_user("bob", 3000, "/h", "bob", 3000, 0, NULL);
	fake_ref(&u, "wheel", GROUP_UNAVAILABLE, EAGAIN, 0, false);
	fake_ref(&u, "contractors", GROUP_FOUND, 0, 3001, false);
	fake_ref(&u, "sftponly", GROUP_FOUND, 0, 3002, false);
	struct match m = policy_match(policy, &u, "sshd");
	assert_int_equal(m.kind, MATCH_NONE);
	assert_true(m.rests_on_absence);
	free(u.name);
	u.name = strdup("alice");
	m = policy_match(policy, &u, "sshd");
	assert_int_equal(m.kind, MATCH_REFUSED);
	assert_string_equal(m.group, "wheel");
	assert_null(m.jail);
	user_info_free(&u);
}

static void describe(void **state)
{
	(void)state;
	struct user_info u = fake_user("alice", 1, "/h", "alice", 1, 0, NULL);
	resolve_all(&u, policy);
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

/* "-name": a group NSS says does not exist matches nobody; one it could
 * not look up is still unknown (an outage never unjails anyone). */
static void optional_group(void **state)
{
	(void)state;
	struct policy *p = parse_ok(
		"version = 1;\n"
		"jails = ( { name = \"opt\"; groups = [ \"-gone\", \"staff\" ];\n"
		"  read_only = [ \"/\" ]; } );\n");
	struct user_info u = fake_user("zed", 3000, "/h", "zed", 3000, 0, NULL);
	fake_ref(&u, "gone", GROUP_MISSING, 0, 0, false);
	fake_ref(&u, "staff", GROUP_FOUND, 0, 3001, false);
	assert_int_equal(policy_match(p, &u, "sshd").kind, MATCH_NONE);
	user_info_free(&u);

	u = fake_user("zed", 3000, "/h", "zed", 3000, 0, NULL);
	fake_ref(&u, "gone", GROUP_UNAVAILABLE, EIO, 0, false);
	fake_ref(&u, "staff", GROUP_FOUND, 0, 3001, false);
	struct match m = policy_match(p, &u, "sshd");
	assert_int_equal(m.kind, MATCH_REFUSED);
	assert_string_equal(m.group, "gone");
	user_info_free(&u);

	/* Matched through the optional entry when it exists: named without '-'. */
	u = fake_user("zed", 3000, "/h", "zed", 3000, 0, NULL);
	fake_ref(&u, "gone", GROUP_FOUND, 0, 3000, false);
	fake_ref(&u, "staff", GROUP_FOUND, 0, 3001, false);
	m = policy_match(p, &u, "sshd");
	assert_int_equal(m.kind, MATCH_GROUP);
	assert_string_equal(m.group, "gone");
	user_info_free(&u);
	policy_free(p);
}

/* include_dir unread: what no jail of the main file decides is refused;
 * exempt users and the main file's jails are unaffected. */
static void include_unread(void **state)
{
	(void)state;
	policy->include_unread = true;
	policy->include_dir = strdup("/etc/nsjail.d");
	struct match m = run("zed", "zed", 0, NULL, "sshd");
	assert_int_equal(m.kind, MATCH_INCOMPLETE);
	assert_string_equal(m.group, "/etc/nsjail.d");
	assert_int_equal(run("admin", "admin", 0, NULL, "sshd").kind, MATCH_EXEMPT_USER);
	m = run("alice", "alice", 0, NULL, "sshd");
	assert_int_equal(m.kind, MATCH_USER);
	assert_string_equal(m.jail->name, "by-user");
	policy->include_unread = false;
	free(policy->include_dir);
	policy->include_dir = NULL;
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
		cmocka_unit_test(by_gid_not_by_name),
		cmocka_unit_test(by_member_list),
		cmocka_unit_test(unavailable_group_refuses),
		cmocka_unit_test(missing_group_refuses),
		cmocka_unit_test(incomplete_list_refuses_non_members),
		cmocka_unit_test(unknown_exempt_group),
		cmocka_unit_test(describe),
		cmocka_unit_test(dropin_order),
		cmocka_unit_test(optional_group),
		cmocka_unit_test(include_unread),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
