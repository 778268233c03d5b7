/* The login's terminal is compiled into the plan (compile_env.terminal),
 * not patched in after it was validated: the plan explain shows, validates
 * and the helper receives is one and the same. */
#include "testutil.h"

#include "compile.h"
#include "shared.h"
#include "wire.h"

static struct user_info alice(void)
{
	return fake_user("alice", 2001, "/home/alice", "alice", 2001, 0, NULL);
}

/* Compiles the first jail of text for alice on terminal; the result of
 * plan_compile, the errors in d. The plan's steps point into the policy
 * (their FILE:LINE): with keep the caller frees it after the plan. */
static int compile_keep(const char *text, const char *terminal, struct plan *plan,
			struct diags *d, struct policy **keep)
{
	struct policy *p = parse_ok(text);
	struct user_info u = alice();
	struct compile_env env = { .tty_gid = 5, .terminal = terminal };
	int r = plan_compile(&p->jails[0], &u, &env, plan, d);
	user_info_free(&u);
	if (keep)
		*keep = p;
	else
		policy_free(p);
	return r;
}

static int compile_on(const char *text, const char *terminal, struct plan *plan,
		      struct diags *d)
{
	return compile_keep(text, terminal, plan, d, NULL);
}

static const struct step *dev_step(const struct plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind == STEP_DEV)
			return &p->v[i];
	return NULL;
}

#define ROOT_JAIL "version = 1;\njails = ( { name = \"j\"; users = [ \"alice\" ]; " \
		  "root = \"tmpfs\"; bind_ro = [ \"/usr\" ]; } );\n"

/* A root jail's dev step names a console terminal, and the plan with it
 * passes the helper's own check, also after the wire. A pty is not named:
 * the jail shows the host's devpts, where it has its own name. */
static void root_plan_carries_the_terminal(void **state)
{
	(void)state;
	struct plan plan;
	struct diags d = { 0 };
	struct policy *pol = NULL;
	assert_int_equal(compile_keep(ROOT_JAIL, "/dev/tty7", &plan, &d, &pol), 0);
	const struct step *dev = dev_step(&plan);
	assert_non_null(dev);
	assert_non_null(dev->src);
	assert_string_equal(dev->src, "/dev/tty7");
	char err[256] = "";
	assert_int_equal(plan_validate(&plan, err, sizeof(err)), 0);

	uint8_t *buf = NULL;
	size_t len = 0;
	struct plan back;
	assert_int_equal(wire_encode(&plan, &buf, &len), 0);
	assert_int_equal(wire_decode(buf, len, &back, err, sizeof(err)), 0);
	assert_non_null(dev_step(&back));
	assert_string_equal(dev_step(&back)->src, "/dev/tty7");
	plan_free(&back);
	free(buf);

	/* explain's picture of it (plan_print) shows it. */
	char *text = NULL;
	size_t tlen = 0;
	FILE *f = open_memstream(&text, &tlen);
	assert_non_null(f);
	plan_print(&plan, f);
	fclose(f);
	assert_non_null(strstr(text, "terminal /dev/tty7"));
	free(text);
	plan_free(&plan);
	policy_free(pol);

	assert_int_equal(compile_on(ROOT_JAIL, "/dev/pts/7", &plan, &d), 0);
	assert_non_null(dev_step(&plan));
	assert_null(dev_step(&plan)->src);
	plan_free(&plan);
	diags_free(&d);
}

/* Without a terminal, none; a jail without a root keeps the host's /dev
 * (no dev step, nothing to name). */
static void terminal_only_where_asked_and_rooted(void **state)
{
	(void)state;
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(compile_on(ROOT_JAIL, NULL, &plan, &d), 0);
	assert_non_null(dev_step(&plan));
	assert_null(dev_step(&plan)->src);
	plan_free(&plan);

	assert_int_equal(compile_on("version = 1;\njails = ( { name = \"j\"; users = [ \"alice\" ]; "
				    "read_only = [ \"/\" ]; } );\n", "/dev/pts/7", &plan, &d), 0);
	assert_null(dev_step(&plan));
	plan_free(&plan);
	diags_free(&d);
}

/* A name the helper would refuse (not a pty, console or serial line) is
 * the compiler's error, at the jail's line. */
static void bad_terminal_refused(void **state)
{
	(void)state;
	const char *bad[] = { "/dev/sda", "/dev/pts/../sda", "pts/3", "/dev/pts/" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct plan plan;
		struct diags d = { 0 };
		assert_int_equal(compile_on(ROOT_JAIL, bad[i], &plan, &d), -1);
		assert_true(d.nerrors > 0);
		assert_int_equal(d.v[0].line, 2);
		assert_non_null(strstr(d.v[0].msg, "not a login terminal"));
		assert_non_null(strstr(d.v[0].msg, bad[i]));
		diags_free(&d);
	}
}

/* The logins that share a jail have their own terminals: the policy
 * generation leaves it out. */
static void shared_generation_ignores_the_terminal(void **state)
{
	(void)state;
	struct plan a, b, c;
	struct diags d = { 0 };
	assert_int_equal(compile_on(ROOT_JAIL, "/dev/ttyS7", &a, &d), 0);
	assert_int_equal(compile_on(ROOT_JAIL, "/dev/tty2", &b, &d), 0);
	assert_int_equal(compile_on(ROOT_JAIL, NULL, &c, &d), 0);
	assert_true(shared_gen(&a) != 0);
	assert_true(shared_gen(&a) == shared_gen(&b));
	assert_true(shared_gen(&a) == shared_gen(&c));
	assert_non_null(dev_step(&a)->src); /* left as it was */
	assert_string_equal(dev_step(&a)->src, "/dev/ttyS7");
	plan_free(&a);
	plan_free(&b);
	plan_free(&c);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(root_plan_carries_the_terminal),
		cmocka_unit_test(terminal_only_where_asked_and_rooted),
		cmocka_unit_test(bad_terminal_refused),
		cmocka_unit_test(shared_generation_ignores_the_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
