/* session_plan: the module's and nsjailctl's one path from a user to a
 * plan, and the group look-ups it avoids for an unjailed login. */
#include "testutil.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "session.h"

/* A real account (NSS must answer for the lazy load), passwd part only. */
static struct user_info root_passwd_only(void)
{
	struct user_info u;
	struct diags d = { 0 };
	assert_int_equal(user_lookup_passwd("root", &u, &d), 0);
	assert_false(u.groups_loaded);
	assert_int_equal(u.ngroups, 0);
	diags_free(&d);
	return u;
}

static void unmatched_by_names_loads_no_groups(void **state)
{
	(void)state;
	struct policy *p = parse_ok("version = 1; settings = { exempt_users = [ ]; };\n"
				    "jails = ( { name = \"j\"; users = [ \"alice\" ];\n"
				    "  read_only = [ \"/\" ]; } );\n");
	struct user_info u = root_passwd_only();
	struct match m;
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(session_plan(p, &u, "su", NULL, &m, &plan, &d), 0);
	assert_int_equal(m.kind, MATCH_NONE);
	assert_int_equal(plan.n, 0);
	assert_false(u.groups_loaded);
	user_info_free(&u);
	policy_free(p);
}

static void group_rules_load_groups(void **state)
{
	(void)state;
	struct policy *p = parse_ok("version = 1; settings = { exempt_users = [ ]; };\n"
				    "jails = ( { name = \"j\"; groups = [ \"root\" ];\n"
				    "  read_only = [ \"/\" ]; } );\n");
	struct user_info u = root_passwd_only();
	struct match m;
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(session_plan(p, &u, "su", NULL, &m, &plan, &d), 0);
	assert_true(u.gids_loaded);
	assert_false(u.groups_loaded); /* no names: the plan uses none */
	assert_int_equal(m.kind, MATCH_GROUP);
	assert_string_equal(m.group, "root");
	assert_int_equal(plan.n, 4); /* and the login records' three binds */
	assert_int_equal(plan.v[0].kind, STEP_READ_ONLY);
	plan_free(&plan);
	user_info_free(&u);
	policy_free(p);
}

/* A group the policy names that NSS does not give refuses a user whose
 * jail could depend on it, with one error naming the group; root (uid 0)
 * and exempt users still get in. */
static void unresolvable_group_refuses(void **state)
{
	(void)state;
	struct policy *p = parse_ok("version = 1; settings = { exempt_users = [ \"daemon\" ]; };\n"
				    "jails = ( { name = \"j\"; groups = [ \"nsjail-test-no-such-group\" ];\n"
				    "  read_only = [ \"/\" ]; } );\n");
	static const char *const users[] = { "nobody", "root", "daemon" };
	for (size_t i = 0; i < 3; i++) {
		struct user_info u;
		struct diags d = { 0 };
		assert_int_equal(user_lookup_passwd(users[i], &u, &d), 0);
		struct match m;
		struct plan plan;
		int r = session_plan(p, &u, "su", NULL, &m, &plan, &d);
		if (i == 0) {
			assert_int_equal(r, -1);
			assert_int_equal(m.kind, MATCH_REFUSED);
			assert_int_equal(d.n, 1);
			assert_non_null(strstr(d.v[0].msg, "user 'nobody'"));
			assert_non_null(strstr(d.v[0].msg, "group 'nsjail-test-no-such-group'"));
		} else {
			assert_int_equal(r, 0);
			assert_int_equal(m.kind, i == 1 ? MATCH_NONE : MATCH_EXEMPT_USER);
			assert_int_equal(u.nrefs, i == 1 ? 1 : 0); /* exempt: no look-up */
		}
		plan_free(&plan);
		user_info_free(&u);
		diags_free(&d);
	}
	policy_free(p);
}

/* A jail by name gets the groups when its plan uses them: %g ... */
static void matched_by_name_loads_groups_for_the_plan(void **state)
{
	(void)state;
	struct policy *p = parse_ok("version = 1; settings = { exempt_users = [ ]; };\n"
				    "jails = ( { name = \"j\"; users = [ \"root\" ];\n"
				    "  tmpfs = [ \"/srv/%g\" ]; } );\n");
	struct user_info u = root_passwd_only();
	struct match m;
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(session_plan(p, &u, "su", NULL, &m, &plan, &d), 0);
	assert_true(u.groups_loaded);
	assert_int_equal(m.kind, MATCH_USER);
	assert_string_equal(plan.v[0].dst, "/srv/root");
	plan_free(&plan);
	user_info_free(&u);
	policy_free(p);
}

/* ... or a root jail's /etc/group; not for paths without %g ("%%g" is a
 * literal). */
static void groups_only_when_the_plan_uses_them(void **state)
{
	(void)state;
	static const char *const jails[] = {
		"tmpfs = [ \"/srv/%%g\", \"/srv/%u\" ];", "root = \"tmpfs\";",
	};
	for (size_t i = 0; i < 2; i++) {
		char text[512];
		snprintf(text, sizeof(text),
			 "version = 1; settings = { exempt_users = [ ]; };\n"
			 "jails = ( { name = \"j\"; users = [ \"root\" ]; %s } );\n",
			 jails[i]);
		struct policy *p = parse_ok(text);
		struct user_info u = root_passwd_only();
		struct match m;
		struct plan plan;
		struct diags d = { 0 };
		assert_int_equal(session_plan(p, &u, "su", NULL, &m, &plan, &d), 0);
		assert_int_equal(m.kind, MATCH_USER);
		assert_int_equal(u.groups_loaded, i == 1);
		plan_free(&plan);
		user_info_free(&u);
		policy_free(p);
	}
}

/* The caller's terminal, by its fd: a pty of our own stands for login's
 * tty; /dev/null is no terminal. (What the compiler does with the name:
 * test_plan_terminal.c.) */
static void terminal_of_a_pty_only(void **state)
{
	(void)state;
	char buf[64];
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(null >= 0);
	assert_null(session_terminal(null, buf, sizeof(buf)));
	close(null);

	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	const char *name = ptsname(master);
	assert_non_null(name);
	int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(slave >= 0);
	const char *got = session_terminal(slave, buf, sizeof(buf));
	assert_non_null(got);
	assert_string_equal(got, name);
	/* The master is a terminal too, named /dev/ptmx: no login terminal
	 * (a root jail's plan naming it would be refused): none, and the
	 * login goes on without one. */
	assert_true(isatty(master));
	assert_null(session_terminal(master, buf, sizeof(buf)));
	close(slave);
	close(master);
}

/* session_plan hands the terminal to the compiler: in a root jail's plan
 * (validated with it), in no other. */
static void session_plan_passes_the_terminal(void **state)
{
	(void)state;
	struct policy *p = parse_ok("version = 1; settings = { exempt_users = [ ]; };\n"
				    "jails = ( { name = \"r\"; users = [ \"root\" ]; services = [ \"su\" ];\n"
				    "  root = \"tmpfs\"; },\n"
				    "  { name = \"n\"; users = [ \"root\" ]; read_only = [ \"/\" ]; } );\n");
	const char *service[] = { "su", "sshd" };
	for (size_t k = 0; k < 2; k++) {
		struct user_info u = root_passwd_only();
		struct match m;
		struct plan plan;
		struct diags d = { 0 };
		assert_int_equal(session_plan(p, &u, service[k], "/dev/tty4", &m, &plan, &d), 0);
		const char *src = NULL;
		bool dev = false;
		for (size_t i = 0; i < plan.n; i++)
			if (plan.v[i].kind == STEP_DEV)
				dev = true, src = plan.v[i].src;
		assert_int_equal(dev, k == 0);
		if (k == 0)
			assert_string_equal(src, "/dev/tty4");
		plan_free(&plan);
		diags_free(&d);
		user_info_free(&u);
	}
	policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unmatched_by_names_loads_no_groups),
		cmocka_unit_test(group_rules_load_groups),
		cmocka_unit_test(unresolvable_group_refuses),
		cmocka_unit_test(matched_by_name_loads_groups_for_the_plan),
		cmocka_unit_test(groups_only_when_the_plan_uses_them),
		cmocka_unit_test(terminal_of_a_pty_only),
		cmocka_unit_test(session_plan_passes_the_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
