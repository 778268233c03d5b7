/* lib/policy/config.c: every key, every error with its line, the file checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/unit/data"
#endif

/* ---- helpers ---- */

static void dump(const struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		char buf[1024];
		diag_format(&d->v[i], buf, sizeof(buf));
		print_message("  %s\n", buf);
	}
}

static struct policy *parse(const char *text, bool dropin, struct diags *d)
{
	struct policy *p = policy_new("t.conf");
	assert_non_null(p);
	config_parse_buffer("t.conf", text, dropin, p, d);
	return p;
}

static const struct diag *find(const struct diags *d, int line, const char *msg)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == DIAG_ERROR && d->v[i].line == line &&
		    strstr(d->v[i].msg, msg))
			return &d->v[i];
	return NULL;
}

static void expect_errors_(const char *text, bool dropin, size_t n, const int *lines,
			   const char *const *msgs)
{
	struct diags d = { 0 };
	struct policy *p = parse(text, dropin, &d);
	bool ok = d.nerrors == n;
	for (size_t i = 0; i < n; i++)
		ok = ok && find(&d, lines[i], msgs[i]);
	if (!ok) {
		print_message("input:\n%s\nexpected %zu error(s), first '%s' at line %d; got:\n",
			      text, n, msgs[0], lines[0]);
		dump(&d);
	}
	assert_true(ok);
	assert_string_equal(d.v[0].file, "t.conf");
	diags_free(&d);
	policy_free(p);
}

/* One error at LINE whose message contains MSG. */
static void expect_error(const char *text, int line, const char *msg)
{
	expect_errors_(text, false, 1, &line, &msg);
}

static struct policy *parse_ok(const char *text)
{
	struct diags d = { 0 };
	struct policy *p = parse(text, false, &d);
	dump(&d);
	assert_int_equal(d.nerrors, 0);
	diags_free(&d);
	return p;
}

/* A main file with one jail whose body is BODY (jail group on line 3). */
#define JAIL(body) "version = 1;\njails = (\n  {\n    name = \"j\";\n" body "  }\n);\n"

/* ---- parsing: every key ---- */

static const char *const full =
	"version = 1;\n"                                       /* 1 */
	"settings = {\n"                                       /* 2 */
	"  exempt_users = [ \"root\", \"admin\" ];\n"          /* 3 */
	"  exempt_groups = [ \"wheel\" ];\n"                   /* 4 */
	"  include_dir = \"/etc/nsjail.d\";\n"                 /* 5 */
	"};\n"                                                 /* 6 */
	"jails = (\n"                                          /* 7 */
	"  {\n"                                                /* 8 */
	"    name = \"all\";\n"                                /* 9 */
	"    users = [ \"carol\",\n"                           /* 10 */
	"              \"dave\"\n"                             /* 11 */
	"    ];\n"                                             /* 12 */
	"    groups = [ \"contractors\" ];\n"                  /* 13 */
	"    services = [ \"sshd\", \"su\" ];\n"               /* 14 */
	"    inaccessible = [ \"/srv/secret\", \"-/opt/o\" ];\n" /* 15 */
	"    bind = [ \"/home/%u\", \"-/srv/%U:/data\" ];\n"   /* 16 */
	"    bind_ro = [ \"/usr\" ];\n"                        /* 17 */
	"    tmpfs = [ \"/home\" ];\n"                         /* 18 */
	"    read_only = [ \"/\" ];\n"                         /* 19 */
	"    read_write = [\n"                                 /* 20 */
	"      \"%h/x\",\n"                                    /* 21 */
	"      \"/var/tmp\"   # last\n"                        /* 22 */
	"\n"                                                   /* 23 */
	"    ];\n"                                             /* 24 */
	"    private_tmp = true;\n"                            /* 25 */
	"    nosuid = true; private_pids = true; private_network = true; private_ipc = true; no_new_privileges = true; restrict_namespaces = true; scope_ipc = true;\n" /* 26 */
	"    root = \"/srv/jails/%u\";\n"                      /* 27 */
	"  },\n"                                               /* 28 */
	"  { name = \"b\"; groups = [ \"g%%\" ]; root = \"tmpfs\"; }\n" /* 29 */
	");\n";

static void every_key(void **state)
{
	(void)state;
	struct policy *p = parse_ok(full);
	assert_int_equal(p->exempt_users.n, 2);
	assert_string_equal(p->exempt_users.v[1], "admin");
	assert_int_equal(p->exempt_users.line[1], 3);
	assert_int_equal(p->exempt_groups.n, 1);
	assert_string_equal(p->exempt_groups.v[0], "wheel");
	assert_string_equal(p->include_dir, "/etc/nsjail.d");
	assert_int_equal(p->njails, 2);

	const struct jail *j = &p->jails[0];
	assert_string_equal(j->name, "all");
	assert_string_equal(j->file, "t.conf");
	assert_int_equal(j->line, 8);
	assert_int_equal(j->users.n, 2);
	assert_string_equal(j->users.v[1], "dave");
	assert_int_equal(j->users.line[0], 10);
	assert_int_equal(j->users.line[1], 11);
	assert_string_equal(j->groups.v[0], "contractors");
	assert_true(j->has_services);
	assert_int_equal(j->services.n, 2);
	assert_string_equal(j->services.v[1], "su");
	assert_string_equal(j->paths[PL_INACCESSIBLE].v[1], "-/opt/o");
	assert_string_equal(j->paths[PL_BIND].v[1], "-/srv/%U:/data");
	assert_int_equal(j->paths[PL_BIND].line[1], 16);
	assert_string_equal(j->paths[PL_BIND_RO].v[0], "/usr");
	assert_string_equal(j->paths[PL_TMPFS].v[0], "/home");
	assert_string_equal(j->paths[PL_READ_ONLY].v[0], "/");
	assert_int_equal(j->paths[PL_READ_WRITE].n, 2);
	assert_string_equal(j->paths[PL_READ_WRITE].v[0], "%h/x");
	assert_int_equal(j->paths[PL_READ_WRITE].line[0], 21);
	assert_int_equal(j->paths[PL_READ_WRITE].line[1], 22);
	assert_true(j->private_tmp);
	assert_true(j->nosuid);
	assert_true(j->private_pids);
	assert_true(j->private_network);
	assert_true(j->private_ipc);
	assert_true(j->no_new_privileges);
	assert_true(j->restrict_namespaces);
	assert_true(j->scope_ipc);
	assert_string_equal(j->root, "/srv/jails/%u");
	assert_int_equal(j->root_line, 27);

	j = &p->jails[1];
	assert_string_equal(j->name, "b");
	assert_int_equal(j->line, 29);
	assert_string_equal(j->groups.v[0], "g%%");
	assert_false(j->has_services);
	assert_false(j->private_tmp);
	assert_false(j->nosuid);
	assert_false(j->private_pids);
	assert_false(j->private_network);
	assert_false(j->private_ipc);
	assert_false(j->no_new_privileges);
	assert_false(j->restrict_namespaces);
	assert_false(j->scope_ipc);
	assert_string_equal(j->root, "tmpfs");
	assert_int_equal(j->users.n, 0);
	policy_free(p);
}

static void defaults(void **state)
{
	(void)state;
	assert_string_equal(path_list_key[PL_INACCESSIBLE], "inaccessible");
	assert_string_equal(path_list_key[PL_BIND], "bind");
	assert_string_equal(path_list_key[PL_BIND_RO], "bind_ro");
	assert_string_equal(path_list_key[PL_TMPFS], "tmpfs");
	assert_string_equal(path_list_key[PL_READ_ONLY], "read_only");
	assert_string_equal(path_list_key[PL_READ_WRITE], "read_write");

	struct policy *p = parse_ok("version = 1;\n");
	assert_string_equal(p->file, "t.conf");
	assert_int_equal(p->exempt_users.n, 1);
	assert_string_equal(p->exempt_users.v[0], "root");
	assert_int_equal(p->exempt_groups.n, 0);
	assert_null(p->include_dir);
	assert_int_equal(p->njails, 0);
	policy_free(p);

	/* Given exempt_users replace the default, even when empty. */
	p = parse_ok("version = 1;\nsettings = { exempt_users = [ \"ops\" ]; };\njails = [];\n");
	assert_int_equal(p->exempt_users.n, 1);
	assert_string_equal(p->exempt_users.v[0], "ops");
	policy_free(p);
	p = parse_ok("version = 1;\nsettings = { exempt_users = [ ]; };\n");
	assert_int_equal(p->exempt_users.n, 0);
	policy_free(p);
	policy_free(NULL);
}

/* ---- errors, each with its line ---- */

static void unknown_keys(void **state)
{
	(void)state;
	expect_error("version = 1;\nfoo = 1;\n", 2, "unknown key 'foo'");
	expect_error("version = 1;\nsettings = {\n  exempt = [ ];\n};\n", 3,
		     "unknown key 'exempt' in 'settings'");
	expect_error(JAIL("    users = [ \"u\" ];\n    colour = \"red\";\n"), 6,
		     "unknown key 'colour' in jail 'j'");
}

static void wrong_types(void **state)
{
	(void)state;
	expect_error(JAIL("    users = \"bob\";\n"), 5, "'users' must be a list of strings");
	expect_error(JAIL("    users = [ \"u\" ];\n    private_tmp = 1;\n"), 6,
		     "'private_tmp' must be true or false");
	expect_error(JAIL("    users = [ \"u\" ];\n    nosuid = \"yes\";\n"), 6,
		     "'nosuid' must be true or false");
	expect_error(JAIL("    users = [ \"u\" ];\n    private_pids = [ ];\n"), 6,
		     "'private_pids' must be true or false");
	expect_error(JAIL("    users = [ \"u\" ];\n    private_network = 1;\n"), 6,
		     "'private_network' must be true or false");
	expect_error(JAIL("    users = [ \"u\" ];\n    private_ipc = \"true\";\n"), 6,
		     "'private_ipc' must be true or false");
	expect_error(JAIL("    users = [ \"u\" ];\n    no_new_privileges = [ true ];\n"), 6,
		     "'no_new_privileges' must be true or false");
	expect_error(JAIL("    users = [ \"u\" ];\n    restrict_namespaces = 1;\n"), 6,
		     "'restrict_namespaces' must be true or false");
	expect_error(JAIL("    users = [ \"u\" ];\n    scope_ipc = \"yes\";\n"), 6,
		     "'scope_ipc' must be true or false");
	/* A non-string element: its own line, even before the closing ')'. */
	expect_error(JAIL("    users = ( \"a\",\n      1\n    );\n"), 6,
		     "'users' must be a list of strings (entry 2");
	expect_error(JAIL("    users = ( \"a\", { x = 1; } );\n"), 5,
		     "'users' must be a list of strings (entry 2");
	expect_error(JAIL("    groups = [ \"g\" ];\n    read_only = { a = \"/\"; };\n"), 6,
		     "'read_only' must be a list of strings");
	expect_error(JAIL("    users = [ \"u\" ];\n    root = 1;\n"), 6, "'root' must be a string");
	expect_error("version = 1;\nsettings = 1;\n", 2, "'settings' must be a group");
	expect_error("version = 1;\nsettings = {\n include_dir = [ \"/x\" ];\n};\n", 3,
		     "'include_dir' must be an absolute");
	expect_error("version = 1;\njails = { };\n", 2, "'jails' must be a list");
	expect_error("version = 1;\njails = (\n  \"x\" );\n", 3, "each entry of 'jails' must be a group");
	expect_error("version = 1;\njails = (\n  {\n    name = 5;\n    users = [ \"u\" ]; }\n);\n", 4,
		     "'name' must be a string");
}

static void jail_rules(void **state)
{
	(void)state;
	expect_error("version = 1;\njails = (\n  {\n    users = [ \"u\" ];\n  }\n);\n", 3,
		     "jail has no 'name'");
	expect_error(JAIL("    read_only = [ \"/\" ];\n"), 3,
		     "jail 'j' matches nobody: give users or groups");
	expect_error(JAIL("    users = [ ];\n    groups = [ ];\n"), 3, "matches nobody");
	expect_error(JAIL("    users = [ \"u\" ];\n    services = [ ];\n"), 3,
		     "jail 'j' matches no service");
	expect_error(JAIL("    users = [ \"u\" ];\n    services = [ \"ss/hd\" ];\n"), 6, "bad name");
	expect_error(JAIL("    users = [ \"\" ];\n"), 5, "'users': empty name");
	expect_error(JAIL("    groups = [ \"a/b\" ];\n"), 5, "'groups': bad name \"a/b\"");
	/* "-name": an optional group; "-" alone names none. */
	expect_error(JAIL("    groups = [ \"-\" ];\n"), 5, "'groups': empty name");
	expect_error(JAIL("    groups = [ \"-a/b\" ];\n"), 5, "'groups': bad name \"a/b\"");
	expect_error(JAIL("    users = [ \"a\\x01\" ];\n"), 5, "bad name \"a?\"");
	expect_error("version = 1;\njails = (\n  {\n    name = \"a/b\";\n    users = [ \"u\" ]; }\n);\n", 4,
		     "'name': bad name");
}

static void duplicate_names(void **state)
{
	(void)state;
	static const char text[] =
		"version = 1;\njails = (\n"
		"  { name = \"a\"; users = [ \"u\" ]; },\n"  /* 3 */
		"  { name = \"b\"; users = [ \"u\" ]; },\n"  /* 4 */
		"  { name = \"a\"; users = [ \"v\" ]; }\n"   /* 5 */
		");\n";
	expect_error(text, 5, "duplicate jail name 'a' (first defined at t.conf:3)");
}

static void path_rules(void **state)
{
	(void)state;
	static const struct {
		const char *entry, *msg;
	} cases[] = {
		{ "/home/%x", "bad token '%x' in \"/home/%x\"" },
		{ "/home/%", "bad token '%'" },
		{ "/home/../etc", "must be normalised" },
		{ "/home/..", "must be normalised" },
		{ "/home//u", "must be normalised" },
		{ "/home/./u", "must be normalised" },
		{ "/home/", "must be normalised" },
		{ "/srv/%h", "must be normalised" },
		{ "home", "path \"home\" must be absolute" },
		{ "-home", "path \"home\" must be absolute" },
		{ "%u/x", "must be absolute" },
		{ "%%/x", "must be absolute" },
		{ "", "empty path" },
		{ "-", "empty path" },
		{ "/a\\tb", "control character" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int k = 0; k < PL__COUNT; k++) {
			char text[512];
			snprintf(text, sizeof(text), JAIL("    users = [ \"u\" ];\n    %s = [ \"/ok\",\n  \"%s\"\n ];\n"),
				 path_list_key[k], cases[i].entry);
			expect_error(text, 7, cases[i].msg);
		}
	}
	/* Binds: "src:dst", both sides checked; other lists keep ':' literally. */
	expect_error(JAIL("    users = [ \"u\" ];\n    bind = [ \"/a:b\" ];\n"), 6,
		     "'bind': path \"b\" must be absolute");
	expect_error(JAIL("    users = [ \"u\" ];\n    bind_ro = [ \"-:/b\" ];\n"), 6,
		     "'bind_ro': empty path");
	expect_error(JAIL("    users = [ \"u\" ];\n    bind = [ \"/a:\" ];\n"), 6, "empty path");
	expect_error(JAIL("    users = [ \"u\" ];\n    bind = [ \"/a/../b:/c\" ];\n"), 6, "normalised");
	struct policy *p = parse_ok(JAIL("    users = [ \"u\" ];\n    read_only = [ \"/a:b\" ];\n"
					 "    bind = [ \"-%h/%%x:/%G/%g\", \"/a:/b:c\" ];\n"));
	assert_string_equal(p->jails[0].paths[PL_BIND].v[0], "-%h/%%x:/%G/%g");
	policy_free(p);
	expect_error(JAIL("    users = [ \"u\" ];\n    root = \"srv\";\n"), 6,
		     "'root': path \"srv\" must be absolute");
	expect_error(JAIL("    users = [ \"u\" ];\n    root = \"-/srv\";\n"), 6, "must be absolute");
	expect_error(JAIL("    users = [ \"u\" ];\n    root = \"/srv/%q\";\n"), 6, "bad token '%q'");
	expect_error("version = 1;\nsettings = {\n include_dir = \"/etc/../x\";\n};\n", 3,
		     "'include_dir' must be an absolute, normalised path");
	expect_error("version = 1;\nsettings = {\n include_dir = \"nsjail.d\";\n};\n", 3,
		     "'include_dir' must be");
}

static void versions(void **state)
{
	(void)state;
	expect_error("settings = { };\n", 0, "missing 'version = 1;'");
	expect_error("# c\nversion = 2;\n", 2, "unsupported version 2");
	expect_error("\nversion = \"1\";\n", 2, "'version' must be the number 1");
	policy_free(parse_ok("version = 1L;\njails = ();\n"));
}

static void includes_and_syntax(void **state)
{
	(void)state;
	expect_error("version = 1;\n  @include \"/etc/passwd\"\n", 2, "'@include' is not supported");
	expect_error("version = 1;\n\t@INCLUDE \"x\"\njails = ();\n", 2, "'@include'");
	expect_error("version = 1;\njails = (\n  { name = \"a\" users };\n", 3, "syntax error");
	/* libconfig sees the end of an unterminated string at the end of file. */
	expect_error("version = 1;\n\n\nx = \"unterminated;\n", 5, "syntax error");
}

static void many_errors(void **state)
{
	(void)state;
	static const char text[] =
		"version = 1;\n"                                 /* 1 */
		"bogus = 1;\n"                                   /* 2 */
		"settings = { colour = 1; };\n"                  /* 3 */
		"jails = (\n"                                    /* 4 */
		"  { name = \"a\"; users = \"u\";\n"             /* 5 */
		"    tmpfs = [ \"/x/\" ]; private_tmp = 0; },\n" /* 6 */
		"  { name = \"a\"; groups = [ \"g\" ]; }\n"      /* 7 */
		");\n";
	static const int lines[] = { 2, 3, 5, 6, 6, 7 };
	static const char *const msgs[] = {
		"unknown key 'bogus'", "unknown key 'colour'", "'users' must be",
		"'tmpfs': path \"/x/\" must be normalised", "'private_tmp'", "duplicate jail name 'a'",
	};
	expect_errors_(text, false, 6, lines, msgs);
}

static void dropin_rules(void **state)
{
	(void)state;
	static const int l1[] = { 1, 2 };
	static const char *const m1[] = { "'version' is not allowed in a drop-in",
					  "'settings' is not allowed in a drop-in" };
	expect_errors_("version = 1;\nsettings = { };\njails = ();\n", true, 2, l1, m1);
	static const int l2[] = { 1 };
	static const char *const m2[] = { "unknown key 'foo'" };
	expect_errors_("foo = 1;\n", true, 1, l2, m2);

	struct diags d = { 0 };
	struct policy *p = parse("jails = (\n { name = \"x\"; users = [ \"u\" ]; }\n);\n", true, &d);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(p->njails, 1);
	assert_int_equal(p->jails[0].line, 2);
	policy_free(p);
	diags_free(&d);
}

static void hostile_shapes(void **state)
{
	(void)state;
	/* libconfig is quadratic in keys per group: refused before it runs. */
	size_t n = 200000;
	char *text = malloc(n * 16 + 64), *s = text;
	s += sprintf(s, "version = 1;\n");
	for (size_t i = 0; i < n; i++)
		s += sprintf(s, "k%zu = 1;\n", i);
	clock_t t0 = clock();
	expect_error(text, 65, "more than 64 keys in one group");
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
	/* '=' in strings and comments do not count. */
	s = text + sprintf(text, "version = 1; # = = =\n/* = \n = */ x = \"==\\\"==\";\n");
	for (int i = 0; i < 100; i++)
		s += sprintf(s, "// k = 1;\n");
	expect_error(text, 3, "unknown key 'x'");

	s = text + sprintf(text, "version = 1;\nx = ");
	for (int i = 0; i < 100000; i++)
		*s++ = '(';
	*s = '\0';
	expect_error(text, 2, "nested more than 16 levels deep");

	s = text + sprintf(text, "version = 1;\nx = [\n");
	for (int i = 0; i < 200000; i++)
		s += sprintf(s, "1,");
	expect_error(text, 3, "more than 100000 entries in one list");

	/* At most 1000 errors, then one that says so. */
	s = text + sprintf(text, "version = 1;\njails = (\n");
	for (int i = 0; i < 5000; i++)
		s += sprintf(s, "{},\n");
	sprintf(s, "{});\n");
	struct diags d = { 0 };
	policy_free(parse(text, false, &d));
	assert_int_equal(d.nerrors, 1001);
	assert_string_equal(d.v[1000].msg, "more than 1000 errors: giving up");
	diags_free(&d);
	free(text);
}

/* ---- the shipped files ---- */

/* conf/NAME of the source tree: TEST_DATA_DIR is SRC/tests/unit/data. */
static char *slurp(const char *name)
{
	char path[4096];
	int n = (int)strlen(TEST_DATA_DIR) - (int)strlen("tests/unit/data");
	snprintf(path, sizeof(path), "%.*sconf/%s", n > 0 ? n : 0, TEST_DATA_DIR, name);
	FILE *f = fopen(path, "r");
	if (!f)
		print_message("cannot open %s\n", path);
	assert_non_null(f);
	char *buf = calloc(1, 1 << 20);
	assert_non_null(buf);
	assert_true(fread(buf, 1, (1 << 20) - 1, f) > 0);
	fclose(f);
	return buf;
}

static void shipped_files(void **state)
{
	(void)state;
	char *text = slurp("nsjail.conf");
	struct policy *p = parse_ok(text);
	assert_int_equal(p->njails, 0);
	assert_true(strlist_contains(&p->exempt_users, "root"));
	policy_free(p);
	free(text);

	text = slurp("nsjail.conf.example");
	p = parse_ok(text);
	assert_int_equal(p->njails, 3);
	assert_string_equal(p->jails[0].name, "own-home");
	assert_string_equal(p->jails[1].name, "read-only-system");
	assert_string_equal(p->jails[2].name, "sftp-dropbox");
	assert_non_null(p->jails[2].root);
	assert_non_null(p->include_dir);
	policy_free(p);
	free(text);
}

/* ---- files: config_load ---- */

static char dir[64];
static struct config_opts opts;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int setup_dir(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/nsjail-test-config.XXXXXX");
	opts = (struct config_opts){ .owner = getuid() };
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	(void)state;
	return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes DIR/NAME with MODE; returns the full path (static buffer). */
__attribute__((format(printf, 3, 4)))
static const char *put(const char *name, mode_t mode, const char *fmt, ...)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	va_list ap;
	va_start(ap, fmt);
	assert_true(vdprintf(fd, fmt, ap) >= 0);
	va_end(ap);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static const char *subdir(const char *name, mode_t mode)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* Loads DIR/NAME expecting failure with an error naming SHOWN:LINE and MSG. */
static void load_fails(const char *name, const char *shown_name, int line, const char *msg)
{
	char path[256], file[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(file, sizeof(file), "%s/%s", dir, shown_name);
	struct diags d = { 0 };
	struct policy *p = (struct policy *)1;
	assert_int_equal(config_load(path, &opts, &p, &d), -1);
	assert_null(p);
	const struct diag *e = find(&d, line, msg);
	if (!e || strcmp(e->file, file)) {
		print_message("expected %s:%d: %s, got:\n", file, line, msg);
		dump(&d);
	}
	assert_non_null(e);
	assert_string_equal(e->file, file);
	diags_free(&d);
}

static struct policy *load_ok(const char *name, struct diags *d)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	struct policy *p = NULL;
	int r = config_load(path, &opts, &p, d);
	dump(d);
	assert_int_equal(r, 0);
	assert_non_null(p);
	return p;
}

static void load_with_dropins(void **state)
{
	(void)state;
	const char *d_path = subdir("d", 0755);
	put("main.conf", 0644,
	    "version = 1;\nsettings = { include_dir = \"%s\"; };\n"
	    "jails = ( { name = \"main\"; users = [ \"a\" ]; } );\n", d_path);
	put("d/20-b.conf", 0644, "jails = ( { name = \"b\"; users = [ \"b\" ]; } );\n");
	put("d/10-a.conf", 0600, "jails = (\n  { name = \"a1\"; users = [ \"a\" ]; },\n"
				 "  { name = \"a2\"; groups = [ \"g\" ]; }\n);\n");
	put("d/README", 0644, "not a config\n");
	put("d/x.conf.bak", 0644, "garbage\n");
	put("d/.hidden.conf", 0644, "garbage\n");
	put("d/9.conf", 0644, "# empty drop-in\n");
	struct diags d = { 0 };
	struct policy *p = load_ok("main.conf", &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(p->njails, 4);
	static const char *const names[] = { "main", "a1", "a2", "b" };
	static const char *const files[] = { "main.conf", "d/10-a.conf", "d/10-a.conf", "d/20-b.conf" };
	static const int lines[] = { 3, 2, 3, 1 };
	for (size_t i = 0; i < 4; i++) {
		char f[256];
		snprintf(f, sizeof(f), "%s/%s", dir, files[i]);
		assert_string_equal(p->jails[i].name, names[i]);
		assert_string_equal(p->jails[i].file, f);
		assert_int_equal(p->jails[i].line, lines[i]);
	}
	char f[256];
	snprintf(f, sizeof(f), "%s/main.conf", dir);
	assert_string_equal(p->file, f);
	policy_free(p);
	diags_free(&d);

	/* A duplicate across files names the first definition. */
	put("d/30-dup.conf", 0644, "\njails = ( { name = \"a2\"; users = [ \"x\" ]; } );\n");
	char msg[256];
	snprintf(msg, sizeof(msg), "duplicate jail name 'a2' (first defined at %s/d/10-a.conf:3)", dir);
	load_fails("main.conf", "d/30-dup.conf", 2, msg);
	put("d/30-dup.conf", 0644, "version = 1;\n");
	load_fails("main.conf", "d/30-dup.conf", 1, "'version' is not allowed in a drop-in");
	put("d/30-dup.conf", 0664, "\n");
	load_fails("main.conf", "d/30-dup.conf", 0, "must be owned by uid");
	assert_int_equal(unlink(put("d/30-dup.conf", 0644, "%s", "")), 0);
	snprintf(f, sizeof(f), "%s/d/40-link.conf", dir);
	assert_int_equal(symlink("10-a.conf", f), 0);
	load_fails("main.conf", "d/40-link.conf", 0, "is a symbolic link");
	assert_int_equal(unlink(f), 0);
	assert_int_equal(mkdir(f, 0755), 0);
	load_fails("main.conf", "d/40-link.conf", 0, "not a regular file");
	assert_int_equal(rmdir(f), 0);

	/* include_dir: group-writable refused, missing only warned about. */
	assert_int_equal(chmod(d_path, 0775), 0);
	snprintf(msg, sizeof(msg), "must be owned by uid %u and not writable by group or others (owner %u, mode 0775)",
		 (unsigned)getuid(), (unsigned)getuid());
	load_fails("main.conf", "d", 0, msg);
	assert_int_equal(chmod(d_path, 0755), 0);
	put("main.conf", 0644, "version = 1;\nsettings = { include_dir = \"%s/dl\"; };\n", dir);
	snprintf(f, sizeof(f), "%s/dl", dir);
	assert_int_equal(symlink("d", f), 0);
	load_fails("main.conf", "dl", 0, "is a symbolic link: refused");
	/* A missing folder is an error (its drop-ins' users would go
	 * unjailed); the module's partial load keeps the main file, marked. */
	put("main.conf", 0644, "version = 1;\nsettings = { include_dir = \"%s/none\"; "
	    "exempt_users = [ \"ops\" ]; };\n", dir);
	load_fails("main.conf", "none", 0,
		   "settings.include_dir does not exist: the jails of its drop-ins are unknown");
	snprintf(f, sizeof(f), "%s/main.conf", dir);
	struct config_opts partial = opts;
	partial.partial = true;
	assert_int_equal(config_load(f, &partial, &p, &d), -1);
	assert_non_null(p);
	assert_true(p->include_unread);
	assert_true(strlist_contains(&p->exempt_users, "ops"));
	policy_free(p);
	diags_free(&d);
	/* ... but not when the main file itself is bad. */
	put("main.conf", 0644, "version = 1;\nsettings = { include_dir = \"%s/none\"; };\nbogus = 1;\n", dir);
	assert_int_equal(config_load(f, &partial, &p, &d), -1);
	assert_null(p);
	diags_free(&d);
}

static void load_file_checks(void **state)
{
	(void)state;
	char msg[256];
	static const char ok[] = "version = 1;\n";
	put("c.conf", 0666, ok);
	snprintf(msg, sizeof(msg), "must be owned by uid %u and not writable by group or others (owner %u, mode 0666)",
		 (unsigned)getuid(), (unsigned)getuid());
	load_fails("c.conf", "c.conf", 0, msg);
	put("c.conf", 0620, ok);
	load_fails("c.conf", "c.conf", 0, "(owner");
	put("c.conf", 0644, ok);
	opts.owner = getuid() + 1;
	snprintf(msg, sizeof(msg), "must be owned by uid %u and not writable by group or others (owner %u, mode 0644)",
		 (unsigned)getuid() + 1, (unsigned)getuid());
	load_fails("c.conf", "c.conf", 0, msg);
	opts.skip_owner_check = true;
	struct diags d = { 0 };
	policy_free(load_ok("c.conf", &d));
	opts = (struct config_opts){ .owner = getuid() };
	policy_free(load_ok("c.conf", &d));
	diags_free(&d);

	char path[256];
	snprintf(path, sizeof(path), "%s/link.conf", dir);
	assert_int_equal(symlink("c.conf", path), 0);
	load_fails("link.conf", "link.conf", 0, "is a symbolic link: refused");
	load_fails("missing.conf", "missing.conf", 0, "cannot open: No such file");
	subdir("dir.conf", 0755);
	load_fails("dir.conf", "dir.conf", 0, "not a regular file");
	snprintf(path, sizeof(path), "%s/fifo.conf", dir);
	assert_int_equal(mkfifo(path, 0644), 0);
	load_fails("fifo.conf", "fifo.conf", 0, "not a regular file");

	put("nul.conf", 0644, "version = 1;\n\n# x%cy\n", 0);
	load_fails("nul.conf", "nul.conf", 3, "contains a NUL byte");
	put("inc.conf", 0644, "version = 1;\n@include \"/etc/passwd\"\n");
	load_fails("inc.conf", "inc.conf", 2, "'@include' is not supported");
	put("bad.conf", 0644, "version = 1;\njails = (\n  { name = \"a\"; users = [ \"u\" ]; }\n  { }\n);\n");
	load_fails("bad.conf", "bad.conf", 4, "syntax error");

	/* Larger than the limit: a sparse file. */
	int fd = open(put("big.conf", 0644, "%s", ""), O_WRONLY | O_CLOEXEC);
	assert_int_equal(ftruncate(fd, NSJAIL_CONFIG_MAX_BYTES + 1), 0);
	close(fd);
	load_fails("big.conf", "big.conf", 0, "larger than");
}

static void big_config(void **state)
{
	(void)state;
	size_t njails = 10000; /* 10 lines each: 100,002 lines */
	char path[256];
	snprintf(path, sizeof(path), "%s/big.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "version = 1;\njails = (\n");
	for (size_t i = 0; i < njails; i++)
		fprintf(f, "  {\n    name = \"jail-%zu\";\n    users = [ \"u%zu\",\n      \"v%zu\" ];\n"
			   "    tmpfs = [ \"/home\" ];\n    bind = [ \"/home/%%u\" ];\n"
			   "    read_only = [ \"/\" ];\n    read_write = [ \"/home/%%u\", \"/var/tmp\" ];\n"
			   "    private_tmp = true;\n  }%s\n", i, i, i, i + 1 < njails ? "," : "");
	fprintf(f, ");\n");
	assert_int_equal(fchmod(fileno(f), 0644), 0);
	fclose(f);

	struct timespec a, b;
	struct diags d = { 0 };
	clock_gettime(CLOCK_MONOTONIC, &a);
	struct policy *p = load_ok("big.conf", &d);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	print_message("  100,002-line config: %zu jails in %.3f s\n", p->njails, secs);
	assert_int_equal(p->njails, njails);
	const struct jail *last = &p->jails[njails - 1];
	assert_int_equal(last->line, 3 + 10 * (int)(njails - 1)); /* past 65535 */
	assert_int_equal(last->users.line[1], last->line + 3);
	assert_true(secs < 5.0); /* loose: sanitizers and slow CI */
	policy_free(p);
	diags_free(&d);

	/* An error past line 65535 keeps its exact line. */
	f = fopen(path, "a");
	fprintf(f, "jails2 = 1;\n");
	fclose(f);
	load_fails("big.conf", "big.conf", 100004, "unknown key 'jails2'");
}

/* ---- tmpfs caps: settings, per jail, bad values with their line ---- */

static void tmpfs_caps(void **state)
{
	(void)state;
	struct policy *p = parse_ok(
		"version = 1;\n"
		"jails = (\n"
		"  { name = \"a\"; users = [ \"alice\" ]; },\n"
		"  { name = \"b\"; users = [ \"bob\" ]; tmpfs_size = \"1G\"; tmpfs_inodes = \"2k\"; },\n"
		"  { name = \"c\"; users = [ \"carol\" ]; tmpfs_size = 3145728; }\n"
		");\n"
		"settings = { tmpfs_size = \"64m\"; tmpfs_inodes = 4096; };\n");
	assert_int_equal(p->njails, 3);
	assert_true(p->tmpfs_size == 64u << 20 && p->tmpfs_inodes == 4096);
	/* settings apply to jails written before them too */
	assert_true(p->jails[0].tmpfs_size == 64u << 20);
	assert_true(p->jails[0].tmpfs_inodes == 4096);
	assert_true(p->jails[1].tmpfs_size == 1u << 30);
	assert_true(p->jails[1].tmpfs_inodes == 2048);
	assert_true(p->jails[2].tmpfs_size == 3u << 20);
	assert_true(p->jails[2].tmpfs_inodes == 4096);
	policy_free(p);

	/* built-in defaults */
	p = parse_ok(JAIL("    users = [ \"a\" ];\n"));
	assert_true(p->jails[0].tmpfs_size == 256u << 20);
	assert_true(p->jails[0].tmpfs_inodes == 65536);
	policy_free(p);

	expect_error(JAIL("    users = [ \"a\" ];\n    tmpfs_size = \"64X\";\n"), 6, "tmpfs_size");
	expect_error(JAIL("    users = [ \"a\" ];\n    tmpfs_size = 0;\n"), 6, "tmpfs_size");
	expect_error(JAIL("    users = [ \"a\" ];\n    tmpfs_size = \"0\";\n"), 6, "tmpfs_size");
	expect_error(JAIL("    users = [ \"a\" ];\n    tmpfs_size = -5;\n"), 6, "tmpfs_size");
	expect_error(JAIL("    users = [ \"a\" ];\n    tmpfs_size = 64;\n"), 6, "at least");
	expect_error(JAIL("    users = [ \"a\" ];\n    tmpfs_size = true;\n"), 6, "tmpfs_size");
	expect_error(JAIL("    users = [ \"a\" ];\n    tmpfs_size = \"\";\n"), 6, "tmpfs_size");
	expect_error(JAIL("    users = [ \"a\" ];\n    tmpfs_size = \"99999999999999999999\";\n"), 6, "tmpfs_size");
	expect_error(JAIL("    users = [ \"a\" ];\n    tmpfs_inodes = \"many\";\n"), 6, "tmpfs_inodes");
	expect_error(JAIL("    users = [ \"a\" ];\n    tmpfs_inodes = 3;\n"), 6, "at least");
	expect_error("version = 1;\nsettings = {\n tmpfs_size = \"1T0\";\n};\n", 3, "tmpfs_size");
}

/* ---- settings.max_jails_per_user ---- */

static void max_jails(void **state)
{
	(void)state;
	struct policy *p = parse_ok(JAIL("    users = [ \"a\" ];\n"));
	assert_int_equal(p->max_jails_per_user, 16); /* the documented default */
	policy_free(p);
	p = parse_ok("version = 1;\nsettings = { max_jails_per_user = 0; };\n");
	assert_int_equal(p->max_jails_per_user, 0); /* unlimited */
	policy_free(p);
	p = parse_ok("version = 1;\nsettings = { max_jails_per_user = 3; };\n");
	assert_int_equal(p->max_jails_per_user, 3);
	policy_free(p);
	expect_error("version = 1;\nsettings = {\n max_jails_per_user = -1;\n};\n", 3,
		     "max_jails_per_user");
	expect_error("version = 1;\nsettings = {\n max_jails_per_user = \"4\";\n};\n", 3,
		     "max_jails_per_user");
	expect_error("version = 1;\nsettings = {\n max_jails_per_user = 65537;\n};\n", 3,
		     "max_jails_per_user");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_key),
		cmocka_unit_test(defaults),
		cmocka_unit_test(unknown_keys),
		cmocka_unit_test(wrong_types),
		cmocka_unit_test(jail_rules),
		cmocka_unit_test(duplicate_names),
		cmocka_unit_test(path_rules),
		cmocka_unit_test(versions),
		cmocka_unit_test(includes_and_syntax),
		cmocka_unit_test(many_errors),
		cmocka_unit_test(dropin_rules),
		cmocka_unit_test(hostile_shapes),
		cmocka_unit_test(tmpfs_caps),
		cmocka_unit_test(max_jails),
		cmocka_unit_test(shipped_files),
		cmocka_unit_test_setup_teardown(load_with_dropins, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(load_file_checks, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(big_config, setup_dir, teardown_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
