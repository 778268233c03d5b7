/* Error reporting: the first failure, with its context, for main's reply,
 * in nsj_error.h's contract (the errno's text once, where it is made). */
#include "leaves.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int fail_sys(struct herr *e, int err, const char *call, const char *path)
{
	if (path && (!e->dst || strcmp(path, e->dst) != 0))
		nsj_error_set(&e->ne, err, "%s %s", call, path);
	else
		nsj_error_set(&e->ne, err, "%s", call);
	errno = err;
	return -1;
}

int fail_check(struct herr *e, int err, const char *what, const char *path)
{
	return fail_sys(e, err, what, path); /* the same form of text */
}

int fail_msg(struct herr *e, int err, const char *fmt, ...)
{
	char text[NSJ_ERROR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	nsj_error_as_is(&e->ne, err, "%s", text);
	errno = err;
	return -1;
}
