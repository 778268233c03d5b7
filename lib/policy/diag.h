/* Diagnostics: every error and warning carries the file and line it came
 * from. Library code appends here; only main programs and the module print. */
#ifndef NSJAIL_DIAG_H
#define NSJAIL_DIAG_H

#include <stddef.h>

enum diag_level { DIAG_ERROR, DIAG_WARNING };

struct diag {
	enum diag_level level;
	char *file; /* NULL when not about a file */
	int line;   /* 0 when unknown */
	char *msg;
};

struct diags {
	struct diag *v;
	size_t n;
	size_t nerrors;
};

/* Appends one diagnostic; on allocation failure the entry is dropped but
 * nerrors still counts it, so an error is never lost as "success". */
void diags_add(struct diags *d, enum diag_level level, const char *file,
	       int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* "FILE:LINE: error: MSG", "FILE: error: MSG" or "error: MSG". */
void diag_format(const struct diag *d, char *buf, size_t len);

/* The first error, formatted, or "" if there is none. */
void diags_first_error(const struct diags *d, char *buf, size_t len);

void diags_free(struct diags *d);

#endif
