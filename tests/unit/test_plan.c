#include "testutil.h"

#include "plan.h"

/* The plan as compact lines "kind dst [<- src] [opt] [mode]", so a test
 * states the whole expected plan at once. */
static char *render(const struct plan *p)
{
	static char buf[8192];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < p->n; i++) {
		const struct step *s = &p->v[i];
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s %s",
					step_kind_name[s->kind], s->dst);
		if (s->src)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
						" <- %s", s->src);
		if (s->flags & STEP_F_OPTIONAL)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, " opt");
		if (s->kind == STEP_TMPFS)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
						" %04o", s->arg);
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "\n");
	}
	return buf;
}

static struct user_info alice(void)
{
	const char *supp[] = { "contractors:3001" };
	return fake_user("alice", 2001, "/home/alice", "alice", 2001, 1, supp);
}

/* Compiles the first jail of text for alice and compares the plan. */
static void expect_plan(const char *text, const char *want)
{
	struct policy *p = parse_ok(text);
	struct user_info u = alice();
	struct host_links links = { 0 };
	char *names[] = { "bin", "lib" }, *targets[] = { "usr/bin", "usr/lib" };
	links.n = 2;
	links.name = names;
	links.target = targets;
	struct plan plan;
	struct diags d = { 0 };
	int r = plan_compile(&p->jails[0], &u, &links, 5, &plan, &d);
	for (size_t i = 0; i < d.n; i++) {
		char line[1024];
		diag_format(&d.v[i], line, sizeof(line));
		print_message("%s\n", line);
	}
	assert_int_equal(r, 0);
	const char *got = render(&plan);
	if (strcmp(got, want) != 0)
		print_message("got:\n%swant:\n%s", got, want);
	assert_string_equal(got, want);
	plan_free(&plan);
	diags_free(&d);
	user_info_free(&u);
	policy_free(p);
}

/* Compiling must fail with an error containing needle at line. */
static void expect_error(const char *text, int line, const char *needle)
{
	struct policy *p = parse_ok(text);
	struct user_info u = alice();
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(plan_compile(&p->jails[0], &u, NULL, 5, &plan, &d), -1);
	assert_true(d.nerrors > 0);
	assert_string_equal(d.v[0].file, "test.conf");
	assert_int_equal(d.v[0].line, line);
	if (!strstr(d.v[0].msg, needle))
		print_message("'%s' lacks '%s'\n", d.v[0].msg, needle);
	assert_non_null(strstr(d.v[0].msg, needle));
	diags_free(&d);
	user_info_free(&u);
	policy_free(p);
}

#define JAIL(body) \
	"version = 1;\njails = ( {\n name = \"j\";\n users = [ \"alice\" ];\n" body "} );\n"

/* The order in the file does not matter: parents first, and for one path
 * bind beats read_write. */
static void order_and_strength(void **state)
{
	(void)state;
	expect_plan(JAIL(" read_write = [ \"/home/%u\", \"/var/tmp\" ];\n"
			 " bind = [ \"/home/%u\" ];\n"
			 " tmpfs = [ \"/home\" ];\n"
			 " read_only = [ \"/\" ];\n"),
		    "read_only /\n"
		    "tmpfs /home 0755\n"
		    "bind /home/alice <- /home/alice\n"
		    "read_write /var/tmp\n");
}

static void inaccessible_wins_and_hides_children(void **state)
{
	(void)state;
	expect_plan(JAIL(" read_only = [ \"/srv\", \"/opt\" ];\n"
			 " bind_ro = [ \"/usr/share:/srv/share\" ];\n"
			 " tmpfs = [ \"/srv/cache\" ];\n"
			 " inaccessible = [ \"/srv\", \"-/opt/x\" ];\n"),
		    "read_only /opt\n"
		    "inaccessible /opt/x opt\n"
		    "inaccessible /srv\n");
}

/* "/a" < "/a/b" < "/a-b": a parent comes right before its children. */
static void parents_before_children(void **state)
{
	(void)state;
	expect_plan(JAIL(" tmpfs = [ \"/a-b\", \"/a/b\", \"/a\", \"/a/b/c\" ];\n"),
		    "tmpfs /a 0755\n"
		    "tmpfs /a/b 0755\n"
		    "tmpfs /a/b/c 0755\n"
		    "tmpfs /a-b 0755\n");
}

static void binds_tokens_optional(void **state)
{
	(void)state;
	expect_plan(JAIL(" bind = [ \"-/srv/drop/%u:/home/%u/drop\", \"%h\" ];\n"
			 " bind_ro = [ \"/etc/skel:%h/skel\" ];\n"),
		    "bind /home/alice <- /home/alice\n"
		    "bind /home/alice/drop <- /srv/drop/alice opt\n"
		    "bind_ro /home/alice/skel <- /etc/skel\n");
}

static void private_tmp_and_nosuid(void **state)
{
	(void)state;
	expect_plan(JAIL(" private_tmp = true;\n nosuid = true;\n"
			 " read_only = [ \"/\" ];\n"),
		    "read_only /\n"
		    "tmpfs /tmp 1777\n"
		    "tmpfs /var/tmp opt 1777\n"
		    "nosuid /\n");
}

static void private_pids(void **state)
{
	(void)state;
	/* Without a root: the session's procfs over the host's /proc, sorted
	 * like any mount, steps below /proc after it. */
	expect_plan(JAIL(" private_pids = true;\n read_only = [ \"/\" ];\n"
			 " inaccessible = [ \"/proc/kcore\" ];\n nosuid = true;\n"),
		    "read_only /\n"
		    "private_pids /proc\n"
		    "inaccessible /proc/kcore\n"
		    "nosuid /\n");
	/* With a root: in place of the automatic proc step. */
	expect_plan(JAIL(" root = \"tmpfs\";\n private_pids = true;\n"),
		    "root_tmpfs /\n"
		    "symlink /bin <- usr/bin\n"
		    "symlink /lib <- usr/lib\n"
		    "dev /dev\n"
		    "etc /etc\n"
		    "private_pids /proc\n"
		    "sys /sys\n"
		    "tmpfs /tmp 1777\n");
	/* Nothing else may be mounted on /proc itself. */
	expect_error(JAIL(" private_pids = true;\n tmpfs = [ \"/proc\" ];\n"), 6,
		     "tmpfs: '/proc' is the session's own procfs with private_pids");
	expect_error(JAIL(" private_pids = true;\n read_only = [ \"-/proc\" ];\n"), 6,
		     "read_only: '/proc' is the session's own procfs");
}

/* A jail with no paths at all: an empty plan (found by fuzz_config: the
 * sort ran on a NULL step array, undefined behaviour under UBSan). */
static void empty_jail(void **state)
{
	(void)state;
	expect_plan(JAIL(""), "");
}

static void tmpfs_root(void **state)
{
	(void)state;
	expect_plan(JAIL(" root = \"tmpfs\";\n"
			 " bind_ro = [ \"/usr\" ];\n bind = [ \"/home/%u\" ];\n"),
		    "root_tmpfs /\n"
		    "symlink /bin <- usr/bin\n"
		    "symlink /lib <- usr/lib\n"
		    "dev /dev\n"
		    "etc /etc\n"
		    "bind /home/alice <- /home/alice\n"
		    "proc /proc\n"
		    "sys /sys\n"
		    "tmpfs /tmp 1777\n"
		    "bind_ro /usr <- /usr\n");
}

static void disk_root_with_tokens(void **state)
{
	(void)state;
	expect_plan(JAIL(" root = \"/srv/jails/%u\";\n private_tmp = true;\n"),
		    "root_dir /srv/jails/alice\n"
		    "dev /dev\n"
		    "etc /etc\n"
		    "proc /proc\n"
		    "sys /sys\n"
		    "tmpfs /tmp 1777\n"
		    "tmpfs /var/tmp opt 1777\n");
}

/* The small /etc names root, the user, the user's groups and tty. */
static void etc_contents(void **state)
{
	(void)state;
	struct policy *p = parse_ok(JAIL(" root = \"tmpfs\";\n"));
	struct user_info u = alice();
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(plan_compile(&p->jails[0], &u, NULL, 5, &plan, &d), 0);
	const struct step *etc = NULL;
	for (size_t i = 0; i < plan.n; i++)
		if (plan.v[i].kind == STEP_ETC)
			etc = &plan.v[i];
	assert_non_null(etc);
	const char *want[] = {
		"passwd",
		"root:x:0:0:root:/root:/bin/sh\nalice:x:2001:2001::/home/alice:/bin/sh\n",
		"group",
		"root:x:0:\nalice:x:2001:alice\ncontractors:x:3001:alice\ntty:x:5:\n",
		"nsswitch.conf",
		"passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n",
	};
	const char *c = etc->data;
	for (size_t i = 0; i < 6; i++) {
		assert_true((size_t)(c - etc->data) < etc->data_len);
		assert_string_equal(c, want[i]);
		c += strlen(c) + 1;
	}
	assert_int_equal((size_t)(c - etc->data), etc->data_len);
	plan_free(&plan);
	user_info_free(&u);
	policy_free(p);
}

static void errors_name_the_line(void **state)
{
	(void)state;
	expect_error(JAIL(" tmpfs = [ \"/\" ];\n"), 5, "cannot mount over '/'");
	/* Fine as written, bad only once %h is known: a home of "/" makes
	 * "%h/x" into "//x". The error names the entry's own line. */
	struct policy *p = parse_ok(JAIL(" read_only = [ \"/x\" ];\n"
					 " bind = [ \"/srv:/x\",\n   \"/srv:%h/x\" ];\n"));
	struct user_info u = fake_user("root2", 7, "/", "g", 7, 0, NULL);
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(plan_compile(&p->jails[0], &u, NULL, 5, &plan, &d), -1);
	assert_int_equal(d.v[0].line, 7);
	assert_non_null(strstr(d.v[0].msg, "not an absolute normalised path"));
	diags_free(&d);
	user_info_free(&u);
	policy_free(p);
}

static void hostile_user_refused(void **state)
{
	(void)state;
	struct policy *p = parse_ok(JAIL(" bind = [ \"/srv/%u\" ];\n"));
	struct user_info u = fake_user("../../etc", 1, "/h", "g", 1, 0, NULL);
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(plan_compile(&p->jails[0], &u, NULL, 5, &plan, &d), -1);
	assert_int_equal(d.v[0].line, 5);
	assert_non_null(strstr(d.v[0].msg, "not safe"));
	diags_free(&d);
	user_info_free(&u);

	/* A name with ':' would forge a passwd line in a root jail. */
	struct policy *r = parse_ok(JAIL(" root = \"tmpfs\";\n"));
	u = fake_user("ev:il", 1, "/h", "g", 1, 0, NULL);
	assert_int_equal(plan_compile(&r->jails[0], &u, NULL, 5, &plan, &d), -1);
	assert_non_null(strstr(d.v[0].msg, "contains ':'"));
	diags_free(&d);
	user_info_free(&u);
	policy_free(r);
	policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(order_and_strength),
		cmocka_unit_test(inaccessible_wins_and_hides_children),
		cmocka_unit_test(parents_before_children),
		cmocka_unit_test(binds_tokens_optional),
		cmocka_unit_test(private_tmp_and_nosuid),
		cmocka_unit_test(private_pids),
		cmocka_unit_test(empty_jail),
		cmocka_unit_test(tmpfs_root),
		cmocka_unit_test(disk_root_with_tokens),
		cmocka_unit_test(etc_contents),
		cmocka_unit_test(errors_name_the_line),
		cmocka_unit_test(hostile_user_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
