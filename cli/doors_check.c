/* What one service's flattened session stack does with pam_nsjail: whether
 * it runs it, first among what, how often, and whether anything can let a
 * session past it (a control that ignores its failure, a jump or "done"
 * before it, a module file that is not there). */
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "doors.h"

void door_note(struct door_verdict *v, const char *fmt, ...)
{
	size_t len = strlen(v->note);
	if (len && len + 2 < sizeof(v->note)) {
		strcpy(v->note + len, "; ");
		len += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->note + len, sizeof(v->note) - len, fmt, ap);
	va_end(ap);
}

/* Linux-PAM looks a module name up in its module directory, a path as is. */
static bool module_exists(const char *root, const char *module)
{
	char *pat;
	int r;
	if (module[0] == '/')
		r = asprintf(&pat, "%s%s", root, module);
	else
		r = asprintf(&pat, "%s/{lib,lib64,usr/lib,usr/lib64,lib/*,usr/lib/*}/security/%s",
			     root, module);
	if (r < 0)
		return true; /* cannot tell: say nothing */
	glob_t g;
	bool found = false;
	if (glob(pat, GLOB_BRACE | GLOB_NOSORT, NULL, &g) == 0) {
		struct stat sb;
		for (size_t i = 0; !found && i < g.gl_pathc; i++)
			found = stat(g.gl_pathv[i], &sb) == 0 && S_ISREG(sb.st_mode);
		globfree(&g);
	}
	free(pat);
	return found;
}

/* Does a jump of n modules from entry i pass over entry t? Linux-PAM
 * counts a substack after i as one module and never leaves i's own. */
static bool jump_skips(const struct pam_stack *st, size_t i, long n, size_t t)
{
	int lvl = st->v[i].level;
	size_t h = i;
	while (h + 1 < st->n && st->v[h + 1].level >= lvl && n-- > 0) {
		do {
			if (++h == t)
				return true;
		} while (h + 1 < st->n && st->v[h + 1].level > lvl);
	}
	return false;
}

/* Does "done" at entry i end i's stack (or substack) before entry t? */
static bool done_skips(const struct pam_stack *st, size_t i, size_t t)
{
	for (size_t h = i + 1; h <= t; h++)
		if (st->v[h].level < st->v[i].level)
			return false;
	return true;
}

/* The first entry before t whose control can let the stack pass over t:
 * writes what it is into why. */
static bool skippable(const struct pam_stack *st, size_t t, char *why,
		      size_t size)
{
	for (size_t i = 0; i < t; i++) {
		const struct pam_entry *e = &st->v[i];
		const char *c = e->control;
		if (strcasecmp(c, "sufficient") == 0 && done_skips(st, i, t)) {
			snprintf(why, size, "'sufficient' at %s:%d can end the stack before it",
				 e->file, e->line);
			return true;
		}
		if (c[0] != '[')
			continue;
		for (const char *p = strchr(c, '='); p; p = strchr(p + 1, '=')) {
			char *end;
			long n = strtol(p + 1, &end, 10);
			if (end != p + 1 && n > 0 && jump_skips(st, i, n, t)) {
				snprintf(why, size, "a jump at %s:%d can skip it", e->file, e->line);
				return true;
			}
			if (strncasecmp(p + 1, "done", 4) == 0 && done_skips(st, i, t)) {
				snprintf(why, size, "'done' at %s:%d can end the stack before it",
					 e->file, e->line);
				return true;
			}
		}
	}
	return false;
}

/* "su -l runs as su-l: covered through 'session include su'" */
static void note_via(struct door_verdict *v, const char *service,
		     const struct pam_entry *e)
{
	size_t n = strlen(service), m = strlen(e->via);
	if (n == m + 2 && strncmp(service, e->via, m) == 0 && strcmp(service + m, "-l") == 0)
		door_note(v, "%s -l runs as %s: covered through '%s'", e->via,
			  service, e->via_how);
	else
		door_note(v, "covered through '%s'", e->via_how);
}

static void note_twice(struct door_verdict *v, const struct pam_stack *st,
		       size_t count)
{
	char from[512] = "";
	for (size_t i = 0; i < st->n; i++) {
		if (!pam_is_builder(&st->v[i]))
			continue;
		char one[256];
		if (st->v[i].via)
			snprintf(one, sizeof(one), "via %s", st->v[i].via);
		else
			snprintf(one, sizeof(one), "directly");
		if (strstr(from, one))
			continue;
		size_t len = strlen(from);
		snprintf(from + len, sizeof(from) - len, "%s%s", len ? " and " : "", one);
	}
	if (count == 2)
		door_note(v, "runs the module twice (%s): remove one", from);
	else
		door_note(v, "runs the module %zu times (%s): keep one", count, from);
}

void door_check(const struct pam_dirs *d, const struct pam_stack *st,
		struct door_verdict *v)
{
	*v = (struct door_verdict){ .session = st->n > 0 };
	size_t first = st->n, count = 0, after = 0, next = st->n;
	for (size_t i = 0; i < st->n; i++) {
		if (pam_is_builder(&st->v[i])) {
			count++;
			if (first == st->n)
				first = i;
		} else if (first < st->n) {
			after++;
			if (next == st->n)
				next = i;
		}
	}
	if (!count) {
		if (st->nerrors)
			door_note(v, "stack has errors (see standard error)");
		return;
	}
	const struct pam_entry *e = &st->v[first];
	v->nsjail = true;
	v->once = count == 1;
	v->last = after == 0;
	v->control = e->control;
	v->covered = st->nerrors == 0;

	if (e->via)
		note_via(v, st->service, e);
	char buf[64], why[512];
	const char *act = pam_action(e->control, "session_err", buf, sizeof(buf));
	if (strcasecmp(act, "ignore") == 0 || strcasecmp(act, "reset") == 0 ||
	    (act[0] >= '0' && act[0] <= '9')) {
		door_note(v, "control '%s': a jail that cannot be built lets the login in unjailed; use required",
			  e->control);
		v->covered = false;
	}
	if (skippable(st, first, why, sizeof(why))) {
		door_note(v, "%s", why);
		v->covered = false;
	}
	if (!module_exists(d->root, e->module)) {
		door_note(v, "module file not found (%s): every session through it fails",
			  e->module);
		v->covered = false;
	}
	if (count > 1)
		note_twice(v, st, count);
	if (after == 1)
		door_note(v, "module not last: %s (%s:%d) after it will run inside the jail",
			  st->v[next].module, st->v[next].file, st->v[next].line);
	else if (after > 1)
		door_note(v, "module not last: %s (%s:%d) and %zu more after it will run inside the jail",
			  st->v[next].module, st->v[next].file, st->v[next].line, after - 1);
	if (e->dash)
		door_note(v, "'-session': skipped silently when the module file is missing");
	if (st->nerrors)
		door_note(v, "stack has errors (see standard error)");
}
