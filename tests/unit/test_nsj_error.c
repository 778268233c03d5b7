/* nsj_error.h's contract: the errno's text once, where the error is made;
 * context in front; the helper's complete text kept as it is; cut text
 * marked. */
#include "testutil.h"

#include <errno.h>

#include "nsj_error.h"
#include "wire.h"

static void errno_text_once(void **state)
{
	(void)state;
	struct nsj_error e = { 0 };
	errno = EINTR;
	assert_int_equal(nsj_error_set(&e, ENOENT, "open %s", "/srv/x"), -1);
	assert_int_equal(errno, EINTR); /* left as it was */
	assert_int_equal(e.err, ENOENT);
	assert_string_equal(e.msg, "open /srv/x: No such file or directory");
	nsj_error_wrap(&e, "jail '%s'", "j");
	assert_int_equal(e.err, ENOENT);
	assert_string_equal(e.msg, "jail 'j': open /srv/x: No such file or directory");

	nsj_error_set(&e, 0, "refused");
	assert_int_equal(e.err, 0);
	assert_string_equal(e.msg, "refused");
}

/* The helper's reply text is complete: its errno is carried, not added. */
static void as_is_keeps_err_unprinted(void **state)
{
	(void)state;
	struct nsj_error e = { 0 };
	struct wire_reply r = { .status = -1, .err = EPERM };
	snprintf(r.msg, sizeof(r.msg), "step 2 (bind /x): /x: refusing to follow symlink");
	nsj_error_as_is(&e, r.err, "%s", r.msg);
	assert_int_equal(e.err, EPERM);
	assert_string_equal(e.msg, r.msg);
	assert_null(strstr(e.msg, strerror(EPERM)));
	assert_int_equal(sizeof(e.msg), sizeof(r.msg)); /* carried whole */
}

static void cut_text_is_marked(void **state)
{
	(void)state;
	struct nsj_error e = { 0 };
	char big[2 * NSJ_ERROR_MAX];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	nsj_error_set(&e, ENOENT, "%s", big);
	assert_int_equal(strlen(e.msg), NSJ_ERROR_MAX - 1);
	assert_string_equal(e.msg + NSJ_ERROR_MAX - 4, "...");
	/* The errno's text cut off: marked too. */
	big[NSJ_ERROR_MAX - 8] = '\0';
	nsj_error_set(&e, ENOENT, "%s", big);
	assert_string_equal(e.msg + NSJ_ERROR_MAX - 4, "...");
	nsj_error_wrap(&e, "more");
	assert_int_equal(strncmp(e.msg, "more: aaa", 9), 0);
	assert_string_equal(e.msg + NSJ_ERROR_MAX - 4, "...");

	struct nsj_error none = { 0 };
	assert_string_equal(nsj_error_text(&none), "unknown error");
	nsj_error_wrap(&none, "context");
	assert_string_equal(none.msg, "context");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errno_text_once),
		cmocka_unit_test(as_is_keeps_err_unprinted),
		cmocka_unit_test(cut_text_is_marked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
