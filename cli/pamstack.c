/* Reading PAM configuration files as Linux-PAM does (pam_handlers.c):
 * "#" starts a comment anywhere, a backslash at the end of a line joins the
 * next one, a control is a word or a "[...]" that may hold spaces, a type
 * with a leading "-" is skipped silently when its module cannot be loaded. */
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pamstack.h"

static char *xstrdup(const char *s)
{
	char *r = s ? strdup(s) : NULL;
	if (s && !r)
		err(1, "strdup");
	return r;
}

static char *join(const char *a, const char *b)
{
	char *r;
	if (asprintf(&r, "%s/%s", a, b) < 0)
		err(1, "asprintf");
	return r;
}

static bool is_file(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

char *pam_find(const struct pam_dirs *d, const char *name, bool *vendor)
{
	*vendor = false;
	if (name[0] == '/') {
		char *p;
		if (asprintf(&p, "%s%s", d->root, name) < 0)
			err(1, "asprintf");
		if (is_file(p))
			return p;
		free(p);
		return NULL;
	}
	if (strchr(name, '/'))
		return NULL; /* Linux-PAM refuses such service names */
	char *p = join(d->etc, name);
	if (is_file(p))
		return p;
	free(p);
	p = join(d->vendor, name);
	if (is_file(p)) {
		*vendor = true;
		return p;
	}
	free(p);
	return NULL;
}

bool pam_is_nsjail(const char *module)
{
	const char *base = strrchr(module, '/');
	return strcmp(base ? base + 1 : module, "pam_nsjail.so") == 0;
}

bool pam_is_capture(const struct pam_entry *e)
{
	if (!pam_is_nsjail(e->module))
		return false;
	for (const char *a = e->args; (a = strstr(a, "capture_ssh_key")); a++)
		if ((a == e->args || a[-1] == ' ') && (a[15] == '\0' || a[15] == ' '))
			return true;
	return false;
}

bool pam_is_builder(const struct pam_entry *e)
{
	return pam_is_nsjail(e->module) && !pam_is_capture(e);
}

const char *pam_action(const char *control, const char *value, char *buf,
		       size_t size)
{
	static const struct {
		const char *word, *brackets;
	} simple[] = {
		{ "required", "[success=ok new_authtok_reqd=ok ignore=ignore default=bad]" },
		{ "requisite", "[success=ok new_authtok_reqd=ok ignore=ignore default=die]" },
		{ "sufficient", "[success=done new_authtok_reqd=done default=ignore]" },
		{ "optional", "[success=ok new_authtok_reqd=ok default=ignore]" },
	};
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		if (strcasecmp(control, simple[i].word) == 0)
			control = simple[i].brackets;

	const char *keys[] = { value, "default" };
	for (size_t k = 0; k < 2; k++) {
		size_t len = strlen(keys[k]);
		for (const char *p = control; (p = strstr(p, keys[k])); p += len) {
			bool start = p > control && (p[-1] == '[' || p[-1] == ' ');
			if (!start || p[len] != '=')
				continue;
			snprintf(buf, size, "%.*s", (int)strcspn(p + len + 1, " ]"),
				 p + len + 1);
			return buf;
		}
	}
	snprintf(buf, size, "bad"); /* Linux-PAM: an unset value is "bad" */
	return buf;
}

/* ------------------------------------------------------------ reading */

struct reader {
	const struct pam_dirs *d;
	struct pam_stack *st;
	/* The files being read, outermost first, for cycles and depth. */
	const char *names[PAM_INCLUDE_MAX + 2];
	const char *paths[PAM_INCLUDE_MAX + 2];
	int depth;
};

/* Errors seen in an included file would repeat for every service that
 * includes it: each message is printed once. */
static char **said;
static size_t nsaid;

static void perr(struct reader *r, const char *path, int line,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void perr(struct reader *r, const char *path, int line,
		 const char *fmt, ...)
{
	char *msg, *full;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		err(1, "vasprintf");
	va_end(ap);
	if (asprintf(&full, "%s:%d: error: %s", path, line, msg) < 0)
		err(1, "asprintf");
	free(msg);
	r->st->nerrors++;
	for (size_t i = 0; i < nsaid; i++) {
		if (strcmp(said[i], full) == 0) {
			free(full);
			return;
		}
	}
	fprintf(stderr, "%s\n", full);
	char **n = realloc(said, (nsaid + 1) * sizeof(*said));
	if (!n)
		err(1, "realloc");
	said = n;
	said[nsaid++] = full;
}

/* The next word of *p, or a whole "[...]"; NULL at the end. */
static char *token(char **p, bool *unterminated)
{
	char *s = *p + strspn(*p, " \t\r\n");
	if (!*s)
		return NULL;
	char *e;
	if (*s == '[') {
		e = strchr(s, ']');
		if (!e) {
			*unterminated = true;
			return NULL;
		}
		e++;
	} else {
		e = s + strcspn(s, " \t\r\n");
	}
	if (*e)
		*e++ = '\0';
	*p = e;
	return s;
}

/* "[a=b \t c=d]" as "[a=b c=d]", as it reads in a table. */
static char *squeeze(const char *s)
{
	char *r = xstrdup(s), *o = r;
	for (const char *p = s; *p; p++) {
		if (isspace((unsigned char)*p)) {
			if (o > r && o[-1] != ' ' && o[-1] != '[')
				*o++ = ' ';
		} else {
			if (*p == ']' && o > r && o[-1] == ' ')
				o--;
			*o++ = *p;
		}
	}
	*o = '\0';
	return r;
}

static bool control_ok(struct reader *r, const char *path, int line,
		       const char *ctl)
{
	static const char *const words[] = { "required", "requisite",
					     "sufficient", "optional" };
	if (ctl[0] != '[') {
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strcasecmp(ctl, words[i]) == 0)
				return true;
		perr(r, path, line, "unknown control '%s'", ctl);
		return false;
	}
	char *copy = xstrdup(ctl + 1), *p = copy;
	copy[strlen(copy) - 1] = '\0';
	bool ok = true, unt = false;
	for (char *t; ok && (t = token(&p, &unt));) {
		char *eq = strchr(t, '=');
		const char *a = eq ? eq + 1 : "";
		static const char *const acts[] = { "ignore", "bad", "die",
						    "ok", "done", "reset" };
		bool known = *a && strspn(a, "0123456789") == strlen(a);
		for (size_t i = 0; !known && i < sizeof(acts) / sizeof(acts[0]); i++)
			known = strcasecmp(a, acts[i]) == 0;
		if (!eq || !known) {
			perr(r, path, line, "bad control '%s': '%s' is not VALUE=ACTION", ctl, t);
			ok = false;
		}
	}
	free(copy);
	return ok;
}

static void add(struct reader *r, const char *name, int line, int level,
		bool dash, const char *ctl, const char *module, const char *args,
		const char *via, const char *via_how)
{
	struct pam_stack *st = r->st;
	struct pam_entry *n = realloc(st->v, (st->n + 1) * sizeof(*n));
	if (!n)
		err(1, "realloc");
	st->v = n;
	st->v[st->n++] = (struct pam_entry){
		.module = xstrdup(module), .control = squeeze(ctl), .args = squeeze(args),
		.file = xstrdup(name), .line = line, .level = level, .dash = dash,
		.via = xstrdup(via), .via_how = xstrdup(via_how),
	};
}

static void read_file(struct reader *r, const char *name, const char *path,
		      int level, const char *via, const char *via_how);

/* An include of NAME at PATH:LINE: its session lines, in place. */
static void include(struct reader *r, const char *path, int line,
		    const char *name, int level, const char *via,
		    const char *via_how, const char *how)
{
	bool vendor;
	char *inc = pam_find(r->d, name, &vendor);
	if (!inc) {
		perr(r, path, line, "cannot open '%s': %s", name, strerror(ENOENT));
		return;
	}
	for (int i = 0; i < r->depth; i++) {
		if (strcmp(r->paths[i], inc) != 0)
			continue;
		char chain[1024] = "";
		for (int j = 0; j < r->depth; j++)
			snprintf(chain + strlen(chain), sizeof(chain) - strlen(chain),
				 "%s -> ", r->names[j]);
		perr(r, path, line, "include cycle: %s%s", chain, name);
		free(inc);
		return;
	}
	if (r->depth > PAM_INCLUDE_MAX) {
		perr(r, path, line, "includes nested deeper than %d", PAM_INCLUDE_MAX);
		free(inc);
		return;
	}
	/* Below the service's own file, every line keeps the first include. */
	read_file(r, name, inc, level, via ? via : name, via ? via_how : how);
	free(inc);
}

/* One logical line of NAME (at PATH:LINE), its comment already cut off. */
static void parse_line(struct reader *r, const char *name, const char *path,
		       int line, char *p, int level, const char *via,
		       const char *via_how)
{
	bool unt = false;
	char *type = token(&p, &unt);
	if (!type)
		return;
	char how[512];
	if (strcmp(type, "@include") == 0) {
		char *inc = token(&p, &unt);
		if (!inc) {
			perr(r, path, line, "@include without a file");
			return;
		}
		snprintf(how, sizeof(how), "@include %s", inc);
		include(r, path, line, inc, level, via, via_how, how);
		return;
	}
	bool dash = type[0] == '-';
	const char *t = type + dash;
	if (strcasecmp(t, "auth") == 0 || strcasecmp(t, "account") == 0 ||
	    strcasecmp(t, "password") == 0)
		return;
	if (strcasecmp(t, "session") != 0) {
		perr(r, path, line, "unknown type '%s'", type);
		return;
	}
	char *ctl = token(&p, &unt);
	char *mod = ctl ? token(&p, &unt) : NULL;
	if (unt) {
		perr(r, path, line, "unterminated '['");
		return;
	}
	if (ctl && (strcasecmp(ctl, "include") == 0 || strcasecmp(ctl, "substack") == 0)) {
		if (!mod) {
			perr(r, path, line, "%s without a file", ctl);
			return;
		}
		snprintf(how, sizeof(how), "session %s %s", ctl, mod);
		bool sub = strcasecmp(ctl, "substack") == 0;
		include(r, path, line, mod, level + sub, via, via_how, how);
		return;
	}
	if (!ctl || !mod) {
		perr(r, path, line, "no module");
		return;
	}
	if (control_ok(r, path, line, ctl))
		add(r, name, line, level, dash, ctl, mod, p + strspn(p, " \t"), via, via_how);
}

static void read_file(struct reader *r, const char *name, const char *path,
		      int level, const char *via, const char *via_how)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		perr(r, path, 0, "cannot open: %s", strerror(errno));
		return;
	}
	r->names[r->depth] = name;
	r->paths[r->depth] = path;
	r->depth++;

	char *buf = NULL, *logical = NULL;
	size_t cap = 0, len = 0;
	int lineno = 0, first = 0;
	while (getline(&buf, &cap, f) > 0) {
		lineno++;
		if (!logical)
			first = lineno;
		buf[strcspn(buf, "\n")] = '\0';
		char *hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		size_t n = strlen(buf);
		bool more = n && buf[n - 1] == '\\';
		if (more)
			buf[n - 1] = ' ';
		char *j = realloc(logical, len + n + 1);
		if (!j)
			err(1, "realloc");
		logical = j;
		memcpy(logical + len, buf, n + 1);
		len += n;
		if (more)
			continue;
		parse_line(r, name, path, first, logical, level, via, via_how);
		free(logical);
		logical = NULL;
		len = 0;
	}
	if (logical)
		parse_line(r, name, path, first, logical, level, via, via_how);
	if (ferror(f))
		perr(r, path, lineno, "read error");
	free(logical);
	free(buf);
	fclose(f);
	r->depth--;
}

int pam_stack_load(const struct pam_dirs *d, const char *service,
		   struct pam_stack *st)
{
	*st = (struct pam_stack){ .service = xstrdup(service) };
	bool vendor;
	st->path = pam_find(d, service, &vendor);
	if (!st->path)
		return -1;
	st->from_vendor = vendor;
	char *vp = join(d->vendor, service);
	if (is_file(vp))
		st->vendor_path = vp;
	else
		free(vp);

	struct reader r = { .d = d, .st = st };
	read_file(&r, service, st->path, 0, NULL, NULL);
	return 0;
}

void pam_stack_free(struct pam_stack *st)
{
	for (size_t i = 0; i < st->n; i++) {
		struct pam_entry *e = &st->v[i];
		free(e->module);
		free(e->control);
		free(e->args);
		free(e->file);
		free(e->via);
		free(e->via_how);
	}
	free(st->v);
	free(st->service);
	free(st->path);
	free(st->vendor_path);
	*st = (struct pam_stack){ 0 };
}
