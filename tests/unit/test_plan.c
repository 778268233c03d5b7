#include "testutil.h"

#include "compile.h"

/* The plan as compact lines "kind dst [<- src] [opt] [mode]", so a test
 * states the whole expected plan at once. */
/* The automatic, optional systemd binds of every root jail (plan.c
 * compile_root_systemd), as they sort around /sys; the user manager's
 * extra ones are in user_manager_root below. */
#define SD_RUN \
	"bind_ro /run/dbus/system_bus_socket <- /run/dbus/system_bus_socket opt\n" \
	"bind_ro /run/systemd/journal <- /run/systemd/journal opt\n" \
	"bind_ro /run/systemd/system <- /run/systemd/system opt\n" \
	"bind /run/user/2001 <- /run/user/2001 opt\n"
#define SD_SYS "sys /sys\n"

/* The automatic binds of the login records (compile_records), in every
 * plan: left out of render, checked by login_records below. */
static bool is_record(const struct step *s)
{
	return (s->flags & STEP_F_AUTO) && s->kind == STEP_BIND &&
	       (!strcmp(s->dst, "/var/run/utmp") || !strcmp(s->dst, "/var/log/wtmp") ||
		!strcmp(s->dst, "/var/log/lastlog"));
}

/* The record binds of p, "wtmp lastlog utmp" style, in plan order. */
static char *records_of(const struct plan *p)
{
	static char buf[256];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < p->n; i++)
		if (is_record(&p->v[i]) && p->v[i].flags & STEP_F_OPTIONAL &&
		    !strcmp(p->v[i].src, p->v[i].dst))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
						len ? " " : "", strrchr(p->v[i].dst, '/') + 1);
	return buf;
}

/* The host's pieces of a root jail's /etc (etc_host steps) are rendered
 * only by the tests about them: the others state the rest. */
static bool render_etc_host;

static char *render(const struct plan *p)
{
	static char buf[16384];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < p->n; i++) {
		const struct step *s = &p->v[i];
		if (is_record(s) || (s->kind == STEP_ETC_HOST && !render_etc_host))
			continue;
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
	if (p->isolate)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "isolate %llu\n",
					(unsigned long long)p->isolate);
	if (p->owner)
		snprintf(buf + len, sizeof(buf) - len, "owner %u\n", (unsigned)p->owner);
	return buf;
}

/* No host links, devpts' group 5, no terminal. */
static const struct compile_env env5 = { .tty_gid = 5 };

static struct user_info alice(void)
{
	const char *supp[] = { "contractors:3001" };
	return fake_user("alice", 2001, "/home/alice", "alice", 2001, 1, supp);
}

/* Compiles the first jail of text for alice (for the user manager when
 * manager) and compares the plan. */
static void expect_plan_by(bool manager, const char *text, const char *want)
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
	struct compile_env env = { .links = &links, .tty_gid = 5, .manager = manager };
	int r = plan_compile(&p->jails[0], &u, &env, &plan, &d);
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

static void expect_plan(const char *text, const char *want)
{
	expect_plan_by(false, text, want);
}

/* Compiling must fail with an error containing needle at line. */
static void expect_error(const char *text, int line, const char *needle)
{
	struct policy *p = parse_ok(text);
	struct user_info u = alice();
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(plan_compile(&p->jails[0], &u, &env5, &plan, &d), -1);
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

#define JAIL_HEAD "version = 1;\njails = ( {\n name = \"j\";\n users = [ \"alice\" ];\n"
#define JAIL(body) JAIL_HEAD body "} );\n"

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
		    SD_RUN
		    SD_SYS
		    "tmpfs /tmp 1777\n");
	/* Nothing else may be mounted on /proc itself. */
	expect_error(JAIL(" private_pids = true;\n tmpfs = [ \"/proc\" ];\n"), 6,
		     "tmpfs: '/proc' is the session's own procfs with private_pids");
	expect_error(JAIL(" private_pids = true;\n read_only = [ \"-/proc\" ];\n"), 6,
		     "read_only: '/proc' is the session's own procfs");
}

/* The isolation keys are plan flags, not steps: each key its own bit,
 * none without the keys. */
static void isolation_keys(void **state)
{
	(void)state;
	expect_plan(JAIL(" private_network = true;\n"), "isolate 1\n");
	expect_plan(JAIL(" private_ipc = true;\n"), "isolate 2\n");
	expect_plan(JAIL(" no_new_privileges = true;\n"), "isolate 4\n");
	expect_plan(JAIL(" private_network = true;\n private_ipc = true;\n"
			 " no_new_privileges = true;\n"), "isolate 7\n");
	expect_plan(JAIL(" private_network = false;\n"), "");
	expect_plan(JAIL(" restrict_namespaces = true;\n"), "isolate 16\n");
	expect_plan(JAIL(" scope_ipc = true;\n"), "isolate 32\n");
	expect_plan(JAIL(" restrict_namespaces = false;\n scope_ipc = false;\n"), "");
	/* shared: the plan names whose jail it is (her registry lock), and
	 * the jail is its own PID namespace (nsjailctl stop reaches every
	 * process that entered it). */
	expect_plan(JAIL(" shared = true;\n"), "private_pids /proc\nisolate 8\nowner 2001\n");
	expect_error(JAIL(" shared = true;\n tmpfs = [ \"/proc\" ];\n"), 6,
		     "tmpfs: '/proc' is the session's own procfs");
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
		    SD_RUN
		    SD_SYS
		    "tmpfs /tmp 1777\n"
		    "bind_ro /usr <- /usr\n");
}

/* The user manager (compile_env.manager) also gets PID 1's notify socket
 * and the cgroup tree in a root jail; a jail without a root gets nothing
 * more. */
static void user_manager_root(void **state)
{
	(void)state;
	expect_plan_by(true, JAIL(" root = \"tmpfs\";\n"),
		       "root_tmpfs /\n"
		       "symlink /bin <- usr/bin\n"
		       "symlink /lib <- usr/lib\n"
		       "dev /dev\n"
		       "etc /etc\n"
		       "proc /proc\n"
		       "bind_ro /run/dbus/system_bus_socket <- /run/dbus/system_bus_socket opt\n"
		       "bind_ro /run/systemd/journal <- /run/systemd/journal opt\n"
		       "bind_ro /run/systemd/notify <- /run/systemd/notify opt\n"
		       "bind_ro /run/systemd/system <- /run/systemd/system opt\n"
		       "bind /run/user/2001 <- /run/user/2001 opt\n"
		       "sys /sys\n"
		       "bind /sys/fs/cgroup <- /sys/fs/cgroup opt\n"
		       "tmpfs /tmp 1777\n");
	expect_plan_by(true, JAIL(" inaccessible = [ \"/srv\" ];\n"),
		       "inaccessible /srv\n");
}

static void disk_root_with_tokens(void **state)
{
	(void)state;
	expect_plan(JAIL(" root = \"/srv/jails/%u\";\n private_tmp = true;\n"),
		    "root_dir /srv/jails/alice\n"
		    "symlink /bin <- usr/bin\n"
		    "symlink /lib <- usr/lib\n"
		    "dev /dev\n"
		    "etc /etc\n"
		    "proc /proc\n"
		    SD_RUN
		    SD_SYS
		    "tmpfs /tmp 1777\n"
		    "tmpfs /var/tmp opt 1777\n");
}

/* The host's pieces of the synthesized /etc: the default set, less
 * etc_remove (a piece or a directory above pieces), plus etc_add ('-':
 * optional); a piece the jail's own entry decides (on it or above it)
 * is left out, so no collision; none without a root. */
static void etc_host_pieces(void **state)
{
	(void)state;
	render_etc_host = true;
	static const char *const want[] = {
		"etc_host /etc/alternatives <- /etc/alternatives opt\n",
		"etc_host /etc/localtime <- /etc/localtime opt\n",
		"etc_host /etc/security/limits.conf <- /etc/security/limits.conf opt\n",
		"etc_host /etc/security/pam_env.conf <- /etc/security/pam_env.conf opt\n",
		"etc_host /etc/environment <- /etc/environment opt\n",
		"etc_host /etc/ssl/certs <- /etc/ssl/certs opt\n",
		"etc_host /etc/profile <- /etc/profile opt\n",
	};
	struct policy *p = parse_ok(JAIL(" root = \"tmpfs\";\n"
					 " etc_remove = [ \"/etc/hosts\", \"/etc/security\" ];\n"
					 " etc_add = [ \"/etc/issue\", \"-/etc/foo\" ];\n"
					 " bind_ro = [ \"/srv/tz:/etc/timezone\", \"/srv/v:/etc/vim\" ];\n"));
	struct user_info u = alice();
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(plan_compile(&p->jails[0], &u, &env5, &plan, &d), 0);
	assert_int_equal(d.nerrors, 0);
	const char *got = render(&plan);
	for (size_t i = 0; i < 7; i++)
		if (i == 2 || i == 3)
			assert_null(strstr(got, want[i]));
		else
			assert_non_null(strstr(got, want[i]));
	assert_null(strstr(got, "etc_host /etc/hosts "));
	assert_non_null(strstr(got, "etc_host /etc/issue <- /etc/issue\n"));
	assert_non_null(strstr(got, "etc_host /etc/foo <- /etc/foo opt\n"));
	assert_null(strstr(got, "etc_host /etc/timezone <-"));
	assert_null(strstr(got, "etc_host /etc/vim <-"));
	assert_non_null(strstr(got, "bind_ro /etc/timezone <- /srv/tz\n"));
	plan_free(&plan);
	diags_free(&d);
	policy_free(p);
	/* Not without a root (the key is refused there, see test_config). */
	p = parse_ok(JAIL(" tmpfs = [ \"/srv\" ];\n"));
	assert_int_equal(plan_compile(&p->jails[0], &u, &env5, &plan, &d), 0);
	assert_false(plan_has(&plan, STEP_ETC_HOST));
	plan_free(&plan);
	diags_free(&d);
	policy_free(p);
	user_info_free(&u);
	render_etc_host = false;
}

/* The small /etc names root, the user, the user's groups and tty. */
static void etc_contents(void **state)
{
	(void)state;
	struct policy *p = parse_ok(JAIL(" root = \"tmpfs\";\n"));
	struct user_info u = alice();
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(plan_compile(&p->jails[0], &u, &env5, &plan, &d), 0);
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
	assert_int_equal(plan_compile(&p->jails[0], &u, &env5, &plan, &d), -1);
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
	assert_int_equal(plan_compile(&p->jails[0], &u, &env5, &plan, &d), -1);
	assert_int_equal(d.v[0].line, 5);
	assert_non_null(strstr(d.v[0].msg, "not safe"));
	diags_free(&d);
	user_info_free(&u);

	/* A name with ':' would forge a passwd line in a root jail. */
	struct policy *r = parse_ok(JAIL(" root = \"tmpfs\";\n"));
	u = fake_user("ev:il", 1, "/h", "g", 1, 0, NULL);
	assert_int_equal(plan_compile(&r->jails[0], &u, &env5, &plan, &d), -1);
	assert_non_null(strstr(d.v[0].msg, "contains ':'"));
	diags_free(&d);
	user_info_free(&u);
	policy_free(r);
	policy_free(p);
}


/* ---- issue 10: overlaps merge, restrictive wins, never silently ---- */

/* Compiles the first jail of text for alice; returns plan_compile's result. */
static int compile_text(const char *text, struct plan *plan, struct diags *d)
{
	struct policy *p = parse_ok(text);
	struct user_info u = alice();
	struct host_links links = { 0 };
	char *names[] = { "bin", "lib" }, *targets[] = { "usr/bin", "usr/lib" };
	links.n = 2;
	links.name = names;
	links.target = targets;
	int r = plan_compile(&p->jails[0], &u,
			     &(struct compile_env){ .links = &links, .tty_gid = 5 }, plan, d);
	for (size_t i = 0; i < d->n; i++) {
		char line[1024];
		diag_format(&d->v[i], line, sizeof(line));
		print_message("%s\n", line);
	}
	user_info_free(&u);
	policy_free(p);
	return r;
}

/* A diagnostic of level at line whose text holds every needle. */
static bool has_diag(const struct diags *d, enum diag_level level, int line,
		     const char *n1, const char *n2)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == level && d->v[i].line == line &&
		    strstr(d->v[i].msg, n1) && (!n2 || strstr(d->v[i].msg, n2)))
			return true;
	return false;
}

/* The plan of text, and a warning at wline naming the other line. */
static void expect_merge(const char *text, const char *want, int wline,
			 const char *other)
{
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(compile_text(text, &plan, &d), 0);
	const char *got = render(&plan);
	if (strcmp(got, want) != 0)
		print_message("got:\n%swant:\n%s", got, want);
	assert_string_equal(got, want);
	if (!has_diag(&d, DIAG_WARNING, wline, other, NULL))
		print_message("no warning at line %d naming '%s'\n", wline, other);
	assert_true(has_diag(&d, DIAG_WARNING, wline, other, NULL));
	plan_free(&plan);
	diags_free(&d);
}

/* Compiling fails with an error at line naming the other line. */
static void expect_conflict(const char *text, int line, const char *other,
			    const char *needle)
{
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(compile_text(text, &plan, &d), -1);
	if (!has_diag(&d, DIAG_ERROR, line, other, needle))
		print_message("no error at line %d naming '%s' and '%s'\n", line,
			      other, needle);
	assert_true(has_diag(&d, DIAG_ERROR, line, other, needle));
	diags_free(&d);
}

/* bind_ro and bind of one source on one dst: read-only, whichever line
 * comes first in the file. */
static void merge_bind_bind_ro(void **state)
{
	(void)state;
	expect_merge(JAIL(" bind_ro = [ \"/opt\" ];\n bind = [ \"/opt\" ];\n"),
		     "bind_ro /opt <- /opt\n", 6, "test.conf:5");
	expect_merge(JAIL(" bind = [ \"/opt\" ];\n bind_ro = [ \"/opt\" ];\n"),
		     "bind_ro /opt <- /opt\n", 5, "test.conf:6");
	/* Optional only when every merged entry is. */
	expect_merge(JAIL(" bind = [ \"-/srv:/opt\" ];\n bind_ro = [ \"/srv:/opt\" ];\n"),
		     "bind_ro /opt <- /srv\n", 5, "test.conf:6");
}

/* read_only on a bind's dst: the bind stays and is made read-only after. */
static void merge_read_only_on_bind(void **state)
{
	(void)state;
	expect_merge(JAIL(" read_only = [ \"/opt\" ];\n bind = [ \"/srv:/opt\" ];\n"),
		     "bind /opt <- /srv\nread_only /opt\n", 6, "test.conf:5");
	expect_merge(JAIL(" tmpfs = [ \"/opt\" ];\n read_only = [ \"/opt\" ];\n"),
		     "tmpfs /opt 0755\nread_only /opt\n", 5, "test.conf:6");
}

static void merge_read_only_read_write(void **state)
{
	(void)state;
	expect_merge(JAIL(" read_write = [ \"/opt\" ];\n read_only = [ \"/opt\" ];\n"),
		     "read_only /opt\n", 5, "test.conf:6");
	expect_merge(JAIL(" read_only = [ \"/opt\" ];\n read_write = [ \"/opt\" ];\n"),
		     "read_only /opt\n", 6, "test.conf:5");
	/* read_write on a bind would lift the host's own flags: dropped. */
	expect_merge(JAIL(" bind = [ \"/srv:/opt\" ];\n read_write = [ \"/opt\" ];\n"),
		     "bind /opt <- /srv\n", 6, "test.conf:5");
}

/* Identical templates, with or without tokens, are reported. */
static void merge_duplicates(void **state)
{
	(void)state;
	expect_merge(JAIL(" read_only = [ \"/opt\",\n \"/opt\" ];\n"),
		     "read_only /opt\n", 6, "test.conf:5");
	expect_merge(JAIL(" bind = [ \"/home/%u\",\n \"/home/%u\" ];\n"),
		     "bind /home/alice <- /home/alice\n", 6, "test.conf:5");
	/* A hide beats everything on its path, and what lies below it. */
	expect_merge(JAIL(" bind = [ \"/srv:/opt\" ];\n inaccessible = [ \"/opt\" ];\n"),
		     "inaccessible /opt\n", 5, "test.conf:6");
	expect_merge(JAIL(" bind = [ \"/srv:/opt/x\" ];\n inaccessible = [ \"/opt\" ];\n"),
		     "inaccessible /opt\n", 5, "test.conf:6");
	/* A hide written twice is optional only if both are. */
	expect_merge(JAIL(" inaccessible = [ \"-/opt\",\n \"/opt\" ];\n"),
		     "inaccessible /opt\n", 6, "test.conf:5");
}

/* Two contents for one path: no restrictive answer, an error. */
static void merge_content_conflicts(void **state)
{
	(void)state;
	expect_conflict(JAIL(" bind = [ \"/srv:/opt\" ];\n bind_ro = [ \"/usr:/opt\" ];\n"),
			6, "test.conf:5", "/opt");
	expect_conflict(JAIL(" bind = [ \"/srv:/opt\",\n \"/usr:/opt\" ];\n"),
			6, "test.conf:5", "/opt");
	expect_conflict(JAIL(" tmpfs = [ \"/opt\" ];\n bind = [ \"/srv:/opt\" ];\n"),
			6, "test.conf:5", "/opt");
	/* private_tmp's /tmp is a tmpfs of its own mode. */
	expect_conflict(JAIL(" private_tmp = true;\n bind = [ \"/srv:/tmp\" ];\n"),
			6, "test.conf:5", "/tmp");
}

/* In a root jail an entry on an automatic mount is an error. */
static void root_auto_collisions(void **state)
{
	(void)state;
	expect_error(JAIL(" root = \"tmpfs\";\n tmpfs = [ \"/tmp\" ];\n"), 6, "/tmp");
	expect_error(JAIL(" root = \"tmpfs\";\n bind_ro = [ \"/etc\" ];\n"), 6, "/etc");
	expect_error(JAIL(" root = \"tmpfs\";\n read_only = [ \"/dev\" ];\n"), 6, "/dev");
	expect_error(JAIL(" root = \"tmpfs\";\n inaccessible = [ \"/proc\" ];\n"), 6, "/proc");
	expect_error(JAIL(" root = \"tmpfs\";\n bind_ro = [ \"/sys\" ];\n"), 6, "/sys");
	/* The systemd binds are automatic too (compile_root_systemd). */
	expect_error(JAIL(" root = \"tmpfs\";\n bind = [ \"/run/user/%U\" ];\n"), 6,
		     "/run/user/2001");
	expect_error(JAIL(" root = \"tmpfs\";\n private_tmp = true;\n"
			  " read_write = [ \"/var/tmp\" ];\n"), 7, "/var/tmp");
	expect_conflict(JAIL(" root = \"tmpfs\";\n bind_ro = [ \"/bin\" ];\n"), 6,
			"symlink /bin", "test.conf:5");
	/* Below an automatic mount is fine, after it. */
	expect_plan(JAIL(" root = \"/srv/r\";\n bind_ro = [ \"/etc/ssl\", \"/srv/lib:/lib\" ];\n"),
		    "root_dir /srv/r\n"
		    "symlink /bin <- usr/bin\n"
		    "dev /dev\n"
		    "etc /etc\n"
		    "bind_ro /etc/ssl <- /etc/ssl\n"
		    "bind_ro /lib <- /srv/lib\n"
		    "proc /proc\n"
		    SD_RUN
		    SD_SYS
		    "tmpfs /tmp 1777\n");
}

/* The login records: bound in every jail kind, optional; left out where
 * the jail's own entries decide the path (an entry on it, a hide of it or
 * of a parent, under either name of utmp); kept writable under a
 * read_only or tmpfs parent (a bind below it). */
static void expect_records(const char *text, const char *want)
{
	struct policy *p = parse_ok(text);
	struct user_info u = alice();
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(plan_compile(&p->jails[0], &u, &env5, &plan, &d), 0);
	assert_string_equal(records_of(&plan), want);
	plan_free(&plan);
	diags_free(&d);
	user_info_free(&u);
	policy_free(p);
}

static void login_records(void **state)
{
	(void)state;
	expect_records(JAIL(" read_only = [ \"/\" ];\n"), "lastlog wtmp utmp");
	expect_records(JAIL(" root = \"tmpfs\";\n"), "lastlog wtmp utmp");
	expect_records(JAIL(" root = \"/srv/r\";\n"), "lastlog wtmp utmp");
	expect_records(JAIL(" tmpfs = [ \"/var/log\" ];\n"), "lastlog wtmp utmp");
	expect_records(JAIL(" read_only = [ \"/var/log/wtmp\" ];\n"), "lastlog utmp");
	expect_records(JAIL(" bind = [ \"/srv/w:/var/log/wtmp\" ];\n"), "lastlog utmp");
	expect_records(JAIL(" inaccessible = [ \"/var/log\" ];\n"), "utmp");
	expect_records(JAIL(" inaccessible = [ \"/var\" ];\n"), "");
	expect_records(JAIL(" inaccessible = [ \"/run\" ];\n"), "lastlog wtmp");
	expect_records(JAIL(" tmpfs = [ \"/run/utmp\" ];\n"), "lastlog wtmp");
	/* Under read_only "/" the binds stay after it: kept writable. */
	expect_plan(JAIL(" read_only = [ \"/\" ];\n"), "read_only /\n");
}

/* ---- issue 10: a hidden path stays hidden under every name ---- */

static bool step_auto(const struct plan *p, const char *kind, const char *dst)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(step_kind_name[p->v[i].kind], kind) &&
		    !strcmp(p->v[i].dst, dst))
			return p->v[i].flags & STEP_F_AUTO;
	return false;
}

static void hidden_alias(void **state)
{
	(void)state;
	/* The host path, hidden in place, is also seen through a bind. */
	expect_plan(JAIL(" inaccessible = [ \"/srv/secret\" ];\n"
			 " bind_ro = [ \"/srv:/mnt\" ];\n"),
		    "bind_ro /mnt <- /srv\n"
		    "inaccessible /mnt/secret\n"
		    "inaccessible /srv/secret\n");
	/* The hidden jail path lies in a bind: its source is hidden in place
	 * and through every other bind of it; optional stays optional. */
	expect_plan(JAIL(" inaccessible = [ \"-/mnt/secret\" ];\n"
			 " bind_ro = [ \"/srv:/mnt\", \"/srv:/mnt2\", \"-/:/host\" ];\n"),
		    "bind_ro /host <- / opt\n"
		    "inaccessible /host/srv/secret opt\n"
		    "bind_ro /mnt <- /srv\n"
		    "inaccessible /mnt/secret opt\n"
		    "bind_ro /mnt2 <- /srv\n"
		    "inaccessible /mnt2/secret opt\n"
		    "inaccessible /srv/secret opt\n");
	/* A root jail: only through its binds. */
	expect_plan(JAIL(" root = \"tmpfs\";\n inaccessible = [ \"/mnt/secret\" ];\n"
			 " bind_ro = [ \"/usr\", \"/srv:/mnt\", \"/srv\" ];\n"),
		    "root_tmpfs /\n"
		    "symlink /bin <- usr/bin\n"
		    "symlink /lib <- usr/lib\n"
		    "dev /dev\n"
		    "etc /etc\n"
		    "bind_ro /mnt <- /srv\n"
		    "inaccessible /mnt/secret\n"
		    "proc /proc\n"
		    SD_RUN
		    "bind_ro /srv <- /srv\n"
		    "inaccessible /srv/secret\n"
		    SD_SYS
		    "tmpfs /tmp 1777\n"
		    "bind_ro /usr <- /usr\n");
	/* A jail path in a tmpfs the jail made has no host name; one covered
	 * by a deeper mount is not the hidden file. */
	expect_plan(JAIL(" tmpfs = [ \"/home\" ];\n inaccessible = [ \"/home/bob\" ];\n"
			 " bind = [ \"/home:/mnt\" ];\n"),
		    "tmpfs /home 0755\n"
		    "inaccessible /home/bob\n"
		    "bind /mnt <- /home\n");
	expect_plan(JAIL(" inaccessible = [ \"/srv/a/s\" ];\n"
			 " bind = [ \"/srv:/mnt\", \"/other:/mnt/a\" ];\n"),
		    "bind /mnt <- /srv\n"
		    "bind /mnt/a <- /other\n"
		    "inaccessible /srv/a/s\n");

	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(compile_text(JAIL(" inaccessible = [ \"/srv/secret\" ];\n"
					   " bind_ro = [ \"/srv:/mnt\" ];\n"), &plan, &d), 0);
	assert_true(step_auto(&plan, "inaccessible", "/mnt/secret"));
	assert_false(step_auto(&plan, "inaccessible", "/srv/secret"));
	for (size_t i = 0; i < plan.n; i++)
		if (!strcmp(plan.v[i].dst, "/mnt/secret"))
			assert_int_equal(plan.v[i].line, 5); /* the entry's line */
	plan_free(&plan);
	diags_free(&d);
}

/* The alias search is bounded: a jail whose every hide meets every bind
 * fails with an error at the hide's line instead of taking seconds. */
static void hidden_alias_bounded(void **state)
{
	(void)state;
	static char text[65536];
	size_t n = (size_t)snprintf(text, sizeof(text), JAIL_HEAD " bind_ro = [");
	for (int i = 0; i < 130; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\"/:/m%d\"", i ? "," : "", i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "];\n tmpfs = [");
	for (int i = 0; i < 130; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\"/m%d/srv\"", i ? "," : "", i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "];\n inaccessible = [");
	for (int i = 0; i < 130; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\"/srv/s%d\"", i ? "," : "", i);
	snprintf(text + n, sizeof(text) - n, "];\n} );\n");
	expect_error(text, 7, "too many binds");
}

/* ---- issue 10: tmpfs caps reach the plan ---- */

static void tmpfs_caps(void **state)
{
	(void)state;
	struct plan plan;
	struct diags d = { 0 };
	assert_int_equal(compile_text(JAIL(" tmpfs = [ \"/x\" ];\n"), &plan, &d), 0);
	assert_true(plan.tmpfs_size == PLAN_TMPFS_SIZE_DEFAULT);
	assert_true(plan.tmpfs_inodes == PLAN_TMPFS_INODES_DEFAULT);
	plan_free(&plan);
	assert_int_equal(compile_text("version = 1;\nsettings = { tmpfs_size = \"8M\"; tmpfs_inodes = 500; };\n"
				      "jails = ( { name = \"j\"; users = [ \"alice\" ];\n"
				      " tmpfs_inodes = \"1k\"; } );\n", &plan, &d), 0);
	assert_true(plan.tmpfs_size == 8u << 20);
	assert_true(plan.tmpfs_inodes == 1024);
	char err[256];
	plan.tmpfs_size = 0; /* the kernel's "no limit" */
	assert_int_equal(plan_validate(&plan, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "tmpfs"));
	plan.tmpfs_size = 8u << 20;
	plan.tmpfs_inodes = 0;
	assert_int_equal(plan_validate(&plan, err, sizeof(err)), -1);
	plan_free(&plan);
	diags_free(&d);
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
		cmocka_unit_test(isolation_keys),
		cmocka_unit_test(tmpfs_root),
		cmocka_unit_test(disk_root_with_tokens),
		cmocka_unit_test(user_manager_root),
		cmocka_unit_test(etc_contents),
		cmocka_unit_test(etc_host_pieces),
		cmocka_unit_test(errors_name_the_line),
		cmocka_unit_test(hostile_user_refused),
		cmocka_unit_test(merge_bind_bind_ro),
		cmocka_unit_test(merge_read_only_on_bind),
		cmocka_unit_test(merge_read_only_read_write),
		cmocka_unit_test(merge_duplicates),
		cmocka_unit_test(merge_content_conflicts),
		cmocka_unit_test(root_auto_collisions),
		cmocka_unit_test(login_records),
		cmocka_unit_test(hidden_alias),
		cmocka_unit_test(hidden_alias_bounded),
		cmocka_unit_test(tmpfs_caps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
