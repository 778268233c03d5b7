#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diags_add(struct diags *d, enum diag_level level, const char *file,
	       int line, const char *fmt, ...)
{
	if (level == DIAG_ERROR)
		d->nerrors++;

	char *msg = NULL;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;

	struct diag *v = realloc(d->v, (d->n + 1) * sizeof(*v));
	char *f = file ? strdup(file) : NULL;
	if (!v || (file && !f)) {
		free(msg);
		free(f);
		if (v)
			d->v = v;
		return;
	}
	d->v = v;
	d->v[d->n++] = (struct diag){ level, f, line, msg };
}

void diag_format(const struct diag *d, char *buf, size_t len)
{
	const char *lvl = d->level == DIAG_ERROR ? "error" : "warning";
	if (d->file && d->line > 0)
		snprintf(buf, len, "%s:%d: %s: %s", d->file, d->line, lvl, d->msg);
	else if (d->file)
		snprintf(buf, len, "%s: %s: %s", d->file, lvl, d->msg);
	else
		snprintf(buf, len, "%s: %s", lvl, d->msg);
}

void diags_first_error(const struct diags *d, char *buf, size_t len)
{
	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].level == DIAG_ERROR) {
			diag_format(&d->v[i], buf, len);
			return;
		}
	}
	if (d->nerrors && len)
		snprintf(buf, len, "error: out of memory");
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	*d = (struct diags){ 0 };
}
