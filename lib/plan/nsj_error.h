/* The one error of a failed operation, carried from where it is made to
 * the one reporter that prints it: the module's syslog line, nsjailctl's
 * stderr. (Configuration problems are diagnostics instead: diag.h.)
 *
 * The contract, for every struct nsj_error and the helper's reply
 * (struct wire_reply, wire.h):
 *   msg  the complete text, printed as is: "WHAT: strerror(err)" for a
 *        failed call (WHAT names the call and its object: the path, the
 *        step), "WHAT" alone for a refusal. The errno's text is put in
 *        exactly once, where the error is made (nsj_error_set);
 *        context added later goes in front (nsj_error_wrap). A reporter
 *        prints msg and never adds strerror(err) again.
 *   err  the errno of the failing call, or the one that best says why
 *        (EPERM for a refused symlink): for callers that decide on it
 *        and for tests. Never printed by a reporter.
 * At most NSJ_ERROR_MAX - 1 bytes of text (the reply's size, so a helper
 * message is carried whole); longer text is cut and ends in "...". */
#ifndef NSJAIL_NSJ_ERROR_H
#define NSJAIL_NSJ_ERROR_H

#define NSJ_ERROR_MAX 1024

struct nsj_error {
	int err;                 /* errno, 0 if none */
	char msg[NSJ_ERROR_MAX]; /* NUL-terminated, complete */
};

/* msg = the formatted WHAT, then ": strerror(err)" when err != 0. Returns
 * -1, for "return nsj_error_set(...)". */
int nsj_error_set(struct nsj_error *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* msg = the formatted text as it is (already complete: the helper's
 * reply, an earlier error's text), err kept alongside, not printed.
 * Returns -1. */
int nsj_error_as_is(struct nsj_error *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* msg = the formatted CONTEXT, ": ", then the old msg; err unchanged.
 * Returns -1. */
int nsj_error_wrap(struct nsj_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* What a reporter prints: msg, or "unknown error" when nothing was set. */
const char *nsj_error_text(const struct nsj_error *e);

#endif
