/* The error contract of nsj_error.h: one formatter, one size. No
 * allocation (the helper links it too), no errno changed. */
#include "nsj_error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Marks a cut text, so a reader knows there was more. */
static void mark_cut(char *buf, size_t len, int n)
{
	if (n >= 0 && (size_t)n < len)
		return;
	memcpy(buf + len - 4, "...", 4);
}

/* msg = fmt (formatted), then sep and suffix when suffix is set; cut to
 * size. */
static void put(struct nsj_error *e, const char *fmt, va_list ap,
		const char *sep, const char *suffix)
	__attribute__((format(printf, 2, 0)));
static void put(struct nsj_error *e, const char *fmt, va_list ap,
		const char *sep, const char *suffix)
{
	char *buf = e->msg;
	size_t len = sizeof(e->msg);
	int n = vsnprintf(buf, len, fmt, ap);
	if (n < 0) {
		snprintf(buf, len, "(unprintable error)");
		return;
	}
	if ((size_t)n >= len || !suffix) {
		mark_cut(buf, len, n);
		return;
	}
	int m = snprintf(buf + n, len - (size_t)n, "%s%s", sep, suffix);
	mark_cut(buf, len, m < 0 ? m : n + m);
}

int nsj_error_set(struct nsj_error *e, int err, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	put(e, fmt, ap, ": ", err ? strerror(err) : NULL);
	va_end(ap);
	e->err = err;
	errno = saved;
	return -1;
}

int nsj_error_as_is(struct nsj_error *e, int err, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	put(e, fmt, ap, "", NULL);
	va_end(ap);
	e->err = err;
	errno = saved;
	return -1;
}

int nsj_error_wrap(struct nsj_error *e, const char *fmt, ...)
{
	int saved = errno;
	char old[sizeof(e->msg)];
	memcpy(old, e->msg, sizeof(old));
	old[sizeof(old) - 1] = '\0';
	va_list ap;
	va_start(ap, fmt);
	put(e, fmt, ap, ": ", old[0] ? old : NULL);
	va_end(ap);
	errno = saved;
	return -1;
}

const char *nsj_error_text(const struct nsj_error *e)
{
	return e->msg[0] ? e->msg : "unknown error";
}
