/* Error reporting: the first failure, with its context, for main's reply. */
#include "helper.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int fail_sys(struct herr *e, int err, const char *call, const char *path)
{
	if (path && (!e->dst || strcmp(path, e->dst) != 0))
		return fail_msg(e, err, "%s %s: %s", call, path, strerror(err));
	return fail_msg(e, err, "%s: %s", call, strerror(err));
}

int fail_msg(struct herr *e, int err, const char *fmt, ...)
{
	va_list ap;
	e->err = err;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	errno = err;
	return -1;
}
