/* The helper's pure rules (helper/walkrule.c), which the safe resolver
 * applies: lexical path joining (".." never above the jail's "/", bounds)
 * and the decisions on owners and modes (follow a symlink; a jail root's
 * chain). The resolver's walk itself is covered by the escape tests. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "walkrule.h"

static void append_is(const char *base, const char *in, const char *want)
{
	char out[PATH_MAX];
	snprintf(out, sizeof(out), "%s", base);
	assert_int_equal(lex_append(out, sizeof(out), in), 0);
	assert_string_equal(out, want);
}

static void lex_append_normal(void **state)
{
	(void)state;
	append_is("/", "usr/lib", "/usr/lib");
	append_is("/usr", "lib", "/usr/lib");
	append_is("/usr", "./lib/./x86_64", "/usr/lib/x86_64");
	append_is("/usr", "lib//x", "/usr/lib/x");
	append_is("/usr/lib", "..", "/usr");
	append_is("/usr/lib", "../bin", "/usr/bin");
	append_is("/", "", "/");
	append_is("/a", "", "/a");
	append_is("/a", "b/", "/a/b");
	append_is("/a", "...", "/a/...");
	append_is("/a", "..b", "/a/..b");
}

/* ".." stops at "/": a symlink's target cannot climb out of the jail. */
static void lex_append_never_above_root(void **state)
{
	(void)state;
	append_is("/", "..", "/");
	append_is("/", "../../..", "/");
	append_is("/a", "../../../etc/shadow", "/etc/shadow");
	append_is("/a/b", "../../../../x/../y", "/y");
}

static void lex_append_bounds(void **state)
{
	(void)state;
	char out[8] = "/";
	assert_int_equal(lex_append(out, sizeof(out), "abcdef"), 0); /* "/abcdef" + NUL */
	assert_string_equal(out, "/abcdef");
	char out2[8] = "/";
	assert_int_equal(lex_append(out2, sizeof(out2), "abcdefg"), -1);
	char out3[8] = "/abc";
	assert_int_equal(lex_append(out3, sizeof(out3), "de"), 0);
	assert_string_equal(out3, "/abc/de");
	char out4[8] = "/abc";
	assert_int_equal(lex_append(out4, sizeof(out4), "def"), -1);
}

static void rewrite_is(const char *comp, const char *target, const char *rest,
		       const char *want)
{
	char path[PATH_MAX];
	assert_int_equal(link_rewrite(path, sizeof(path), comp, target, rest), 0);
	assert_string_equal(path, want);
}

/* A symlink's target replaces it: relative to its directory, absolute
 * from the jail's "/", then the rest of the path. */
static void link_rewrite_targets(void **state)
{
	(void)state;
	rewrite_is("/lib", "usr/lib", "/x86_64/libc.so", "/usr/lib/x86_64/libc.so");
	rewrite_is("/a/b/link", "../c", "/d", "/a/c/d");
	rewrite_is("/a/b/link", "/etc", "/passwd", "/etc/passwd");
	rewrite_is("/a/link", "../../../../etc", "", "/etc");
	rewrite_is("/link", "/", "", "/");
	rewrite_is("/a/link", ".", "/x", "/a/x");
}

/* REST may point into PATH itself (the walk passes the unwalked tail of
 * the path it rewrites). */
static void link_rewrite_rest_aliases_path(void **state)
{
	(void)state;
	char path[PATH_MAX] = "/lib/x86_64/libc.so";
	assert_int_equal(link_rewrite(path, sizeof(path), "/lib", "usr/lib", path + 4), 0);
	assert_string_equal(path, "/usr/lib/x86_64/libc.so");
}

static void link_rewrite_too_long(void **state)
{
	(void)state;
	char path[16];
	assert_int_equal(link_rewrite(path, sizeof(path), "/l", "abcdefghij", "/klmnop"), -1);
	assert_int_equal(link_rewrite(path, sizeof(path), "/l", "abcdefghij", "/klm"), 0);
	assert_string_equal(path, "/abcdefghij/klm");
}

static struct stat st_of(uid_t uid, mode_t mode)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_uid = uid;
	st.st_mode = mode;
	return st;
}

/* Only root's links in root's directories that nobody else may write. */
static void link_verdict_rules(void **state)
{
	(void)state;
	struct stat root_link = st_of(0, S_IFLNK | 0777), user_link = st_of(1000, S_IFLNK | 0777);
	struct stat root_dir = st_of(0, S_IFDIR | 0755), user_dir = st_of(1000, S_IFDIR | 0755);
	assert_int_equal(link_verdict(&root_link, &root_dir), LINK_FOLLOW);
	assert_int_equal(link_verdict(&user_link, &root_dir), LINK_USER_LINK);
	assert_int_equal(link_verdict(&user_link, &user_dir), LINK_USER_LINK);
	assert_int_equal(link_verdict(&root_link, &user_dir), LINK_USER_DIR);
	struct stat tmp = st_of(0, S_IFDIR | 01777), grp = st_of(0, S_IFDIR | 0775),
		    oth = st_of(0, S_IFDIR | 0757), ro = st_of(0, S_IFDIR | 0555),
		    setgid = st_of(0, S_IFDIR | 02755);
	assert_int_equal(link_verdict(&root_link, &tmp), LINK_USER_DIR);
	assert_int_equal(link_verdict(&root_link, &grp), LINK_USER_DIR);
	assert_int_equal(link_verdict(&root_link, &oth), LINK_USER_DIR);
	assert_int_equal(link_verdict(&root_link, &ro), LINK_FOLLOW);
	assert_int_equal(link_verdict(&root_link, &setgid), LINK_FOLLOW);
}

/* sshd's ChrootDirectory rule for each component of a jail root. */
static void chain_rules(void **state)
{
	(void)state;
	struct stat ok = st_of(0, S_IFDIR | 0755), ro = st_of(0, S_IFDIR | 0500),
		    user = st_of(1000, S_IFDIR | 0755), grp = st_of(0, S_IFDIR | 0775),
		    oth = st_of(0, S_IFDIR | 0757), tmp = st_of(0, S_IFDIR | 01777),
		    file = st_of(0, S_IFREG | 0644);
	assert_true(chain_ok(&ok));
	assert_true(chain_ok(&ro));
	assert_false(chain_ok(&user));
	assert_false(chain_ok(&grp));
	assert_false(chain_ok(&oth));
	assert_false(chain_ok(&tmp));
	assert_false(chain_ok(&file));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lex_append_normal),
		cmocka_unit_test(lex_append_never_above_root),
		cmocka_unit_test(lex_append_bounds),
		cmocka_unit_test(link_rewrite_targets),
		cmocka_unit_test(link_rewrite_rest_aliases_path),
		cmocka_unit_test(link_rewrite_too_long),
		cmocka_unit_test(link_verdict_rules),
		cmocka_unit_test(chain_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
