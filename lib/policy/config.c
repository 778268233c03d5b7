/* /etc/nsjail.conf -> struct policy: file checks, then a walk of the
 * libconfig tree that reports every bad line and keeps going. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "paths.h"
#include "plan.h"
#include "sshkey.h"
#include "util.h"

const char *const path_list_key[PL__COUNT] = {
	"inaccessible", "bind", "bind_ro", "tmpfs", "read_only", "read_write",
};

/* Our schema is 3 levels deep with at most 15 keys in a group. libconfig
 * 1.5 compares each new key with all its siblings (a group of 100k keys
 * takes minutes), so hostile shapes are refused before it sees them. */
#define MAX_DEPTH 16
#define MAX_KEYS 64
#define MAX_ENTRIES 100000 /* per list: libconfig grows lists 16 at a time */
/* Errors reported per file before giving up: plenty for a person, and a
 * bound on the work a hostile file can cause. */
#define MAX_ERRORS 1000

struct ctx {
	const char *file;
	const char *text;
	bool dropin;
	struct policy *p;
	struct diags *d;
	int cur_line; /* cursor into text, for line_of() */
	const char *cur;
	int nerrors;
	bool full; /* MAX_ERRORS reached: stop walking */
};

typedef bool check_fn(const char *v, char *why, size_t len);

__attribute__((format(printf, 3, 4)))
static void err(struct ctx *c, int line, const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;
	if (c->full)
		return;
	if (++c->nerrors > MAX_ERRORS) {
		c->full = true;
		diags_add(c->d, DIAG_ERROR, c->file, line, "more than %d errors: giving up", MAX_ERRORS);
		return;
	}
	va_start(ap, fmt);
	int r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	diags_add(c->d, DIAG_ERROR, c->file, line, "%s", r < 0 ? "out of memory" : msg);
	free(msg);
}

/* A value for a message: at most 120 bytes, control characters as '?'. */
static const char *shown(const char *v, char *buf, size_t len)
{
	size_t i = 0;
	for (; v[i] && i + 4 < len && i < 120; i++)
		buf[i] = ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) ? '?' : v[i];
	strcpy(buf + i, v[i] ? "..." : "");
	return buf;
}

static bool has_control(const char *v)
{
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return true;
	return false;
}

/* Start of line n of the text, moving a cursor (the walk is in file order). */
static const char *line_start(struct ctx *c, int n)
{
	while (c->cur_line < n) {
		const char *nl = strchr(c->cur, '\n');
		if (!nl)
			break;
		c->cur = nl + 1;
		c->cur_line++;
	}
	while (c->cur_line > n && c->cur > c->text) {
		for (c->cur--; c->cur > c->text && c->cur[-1] != '\n'; c->cur--)
			;
		c->cur_line--;
	}
	return c->cur + strspn(c->cur, " \t\r");
}

/* libconfig records an array element's line after reading the next token,
 * so `"/b"\n]` reports the line of the ']': step back over it. */
static int line_of(struct ctx *c, const config_setting_t *s)
{
	int line = (int)config_setting_source_line(s);
	if (config_setting_name(s) || config_setting_is_aggregate(s) || line < 2)
		return line;
	const char *t = line_start(c, line);
	if (!*t || !strchr("]),", *t))
		return line;
	for (line--; line > 1; line--) {
		t = line_start(c, line);
		if (*t != '\n' && *t != '\0' && *t != '#' && strncmp(t, "//", 2))
			break;
	}
	return line;
}

static bool check_name(const char *v, char *why, size_t len)
{
	char b[128];
	if (!*v)
		snprintf(why, len, "empty name");
	else if (strchr(v, '/') || has_control(v))
		snprintf(why, len, "bad name \"%s\": no '/' or control characters",
			 shown(v, b, sizeof(b)));
	else
		return true;
	return false;
}

/* A path template: tokens %u %U %g %G %h %%, absolute and normalised once
 * expanded (%h stands for an absolute path). The plan checks it again. */
/* A group entry: a name, or "-name" for one that may be absent. */
static bool check_group(const char *v, char *why, size_t len)
{
	return check_name(group_entry_name(v), why, len);
}

static bool check_template(const char *v, char *why, size_t len)
{
	char b[128], x[PATH_MAX + 2];
	size_t n = 0;
	for (const char *s = v; *s && n < PATH_MAX; s++) {
		if (*s != '%') {
			x[n++] = *s;
		} else if (s[1] && strchr("uUgG", s[1])) {
			x[n++] = 'X', s++;
		} else if (s[1] == 'h') {
			x[n++] = '/', x[n++] = 'H', s++;
		} else if (s[1] == '%') {
			x[n++] = '%', s++;
		} else {
			snprintf(why, len, "bad token '%%%.1s' in \"%s\" (known: %%u %%U %%g %%G %%h %%%%)",
				 s + 1, shown(v, b, sizeof(b)));
			return false;
		}
	}
	x[n] = '\0';
	shown(v, b, sizeof(b));
	if (!*v)
		snprintf(why, len, "empty path");
	else if (n >= PATH_MAX)
		snprintf(why, len, "path too long");
	else if (has_control(v))
		snprintf(why, len, "path \"%s\" contains a control character", b);
	else if (x[0] != '/')
		snprintf(why, len, "path \"%s\" must be absolute", b);
	else if (!path_is_normal(x))
		snprintf(why, len, "path \"%s\" must be normalised (no '.', '..', '//' or trailing '/')", b);
	else
		return true;
	return false;
}

static bool check_path(const char *v, char *why, size_t len)
{
	return check_template(v + (*v == '-'), why, len);
}

/* "[-]src:dst" or "[-]path", split at the first ':'. */
static bool check_bind(const char *v, char *why, size_t len)
{
	v += *v == '-';
	const char *colon = strchr(v, ':');
	if (!colon)
		return check_template(v, why, len);
	cleanup_free char *src = strndup(v, (size_t)(colon - v));
	if (!src) {
		snprintf(why, len, "out of memory");
		return false;
	}
	return check_template(src, why, len) && check_template(colon + 1, why, len);
}

/* As `ssh-keygen -l -E sha256` prints it (sshkey.h). */
static bool check_fingerprint(const char *v, char *why, size_t len)
{
	char b[128];
	if (sshkey_fp_valid(v))
		return true;
	snprintf(why, len, "\"%s\" is not a key fingerprint as 'ssh-keygen -l -E sha256 -f KEY' "
		 "prints it (SHA256: and 43 characters)", shown(v, b, sizeof(b)));
	return false;
}

/* etc_add: "[-]/etc/PATH", a piece a jail may take (plan_etc_piece_ok). */
static bool check_etc_add(const char *v, char *why, size_t len)
{
	const char *rule;
	v += *v == '-';
	if (!check_template(v, why, len))
		return false;
	if (strchr(v, '%')) {
		snprintf(why, len, "%s: no tokens in a piece of /etc", v);
		return false;
	}
	if (plan_etc_piece_ok(v, &rule))
		return true;
	snprintf(why, len, "%s is %s", v, rule);
	return false;
}

/* etc_remove: "/etc/PATH", what to take out of the default set. */
static bool check_etc_remove(const char *v, char *why, size_t len)
{
	if (!check_template(v, why, len))
		return false;
	if (strchr(v, '%') || strncmp(v, "/etc/", 5) != 0) {
		snprintf(why, len, "%s is not a path below /etc", v);
		return false;
	}
	return true;
}

static void get_strings(struct ctx *c, const config_setting_t *s, const char *key,
			check_fn *check, struct strlist *out)
{
	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		err(c, line_of(c, s), "'%s' must be a list of strings: %s = [ \"...\" ]", key, key);
		return;
	}
	for (int i = 0; i < config_setting_length(s) && !c->full; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		int line = line_of(c, e);
		char why[512];
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			err(c, line, "'%s' must be a list of strings (entry %d is not a string)", key, i + 1);
		else if (!check(config_setting_get_string(e), why, sizeof(why)))
			err(c, line, "'%s': %s", key, why);
		else if (strlist_add(out, config_setting_get_string(e), line) < 0)
			err(c, line, "out of memory");
	}
}

static void get_bool(struct ctx *c, const config_setting_t *s, const char *key, bool *out)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		err(c, line_of(c, s), "'%s' must be true or false", key);
	else
		*out = config_setting_get_bool(s);
}

/* A tmpfs cap: an integer, or a string "N" with an optional binary suffix
 * K, M, G or T ("64M", "1g", "2k"), within [min, max]. */
static void get_cap(struct ctx *c, const config_setting_t *s, const char *key,
		    uint64_t min, uint64_t max, uint64_t *out)
{
	int line = line_of(c, s), t = config_setting_type(s);
	char b[128];
	unsigned long long v = 0;
	bool ok = false;
	if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
		long long i = config_setting_get_int64(s);
		ok = i > 0;
		v = ok ? (unsigned long long)i : 0;
		snprintf(b, sizeof(b), "%lld", i);
	} else if (t == CONFIG_TYPE_STRING) {
		const char *str = config_setting_get_string(s), *e = str;
		shown(str, b, sizeof(b));
		unsigned shift = 0;
		if (*str >= '0' && *str <= '9') {
			errno = 0;
			char *end;
			v = strtoull(str, &end, 10);
			e = end;
			const char *u = *e ? strchr("kKmMgGtT", *e) : NULL;
			shift = u ? 10u * (unsigned)(1 + (u - "kKmMgGtT") / 2) : 0;
			e += u != NULL;
			ok = errno == 0 && !*e && v > 0 && (v << shift >> shift) == v;
			v <<= ok ? shift : 0;
		}
	} else {
		err(c, line, "'%s' must be a size: bytes, or a string such as \"64M\"", key);
		return;
	}
	if (!ok)
		err(c, line, "'%s': bad value \"%s\" (a positive number, optional suffix K, M, G or T)",
		    key, b);
	else if (v < min || v > max)
		err(c, line, "'%s': %s is out of range (at least %llu, at most %llu)", key, b,
		    (unsigned long long)min, (unsigned long long)max);
	else
		*out = v;
}

static void get_size(struct ctx *c, const config_setting_t *s, uint64_t *out)
{
	get_cap(c, s, "tmpfs_size", PLAN_TMPFS_SIZE_MIN, PLAN_TMPFS_SIZE_MAX, out);
}

static void get_inodes(struct ctx *c, const config_setting_t *s, uint64_t *out)
{
	get_cap(c, s, "tmpfs_inodes", PLAN_TMPFS_INODES_MIN, PLAN_TMPFS_INODES_MAX, out);
}

static void get_root(struct ctx *c, const config_setting_t *s, struct jail *j)
{
	int line = line_of(c, s);
	char why[512];
	const char *v = config_setting_get_string(s);
	if (!v)
		err(c, line, "'root' must be a string: \"tmpfs\" or an absolute path");
	else if (strcmp(v, "tmpfs") && !check_template(v, why, sizeof(why)))
		err(c, line, "'root': %s", why);
	else if (!(j->root = strdup(v)))
		err(c, line, "out of memory");
	j->root_line = line;
}

static void jail_key(struct ctx *c, const config_setting_t *m, struct jail *j)
{
	const char *key = config_setting_name(m);
	for (int i = 0; i < PL__COUNT; i++)
		if (!strcmp(key, path_list_key[i])) {
			bool bind = i == PL_BIND || i == PL_BIND_RO;
			get_strings(c, m, key, bind ? check_bind : check_path, &j->paths[i]);
			return;
		}
	if (!strcmp(key, "users"))
		get_strings(c, m, key, check_name, &j->users);
	else if (!strcmp(key, "groups"))
		get_strings(c, m, key, check_group, &j->groups);
	else if (!strcmp(key, "services"))
		get_strings(c, m, key, check_name, &j->services), j->has_services = true;
	else if (!strcmp(key, "ssh_keys"))
		get_strings(c, m, key, check_fingerprint, &j->ssh_keys);
	else if (!strcmp(key, "private_tmp"))
		get_bool(c, m, key, &j->private_tmp), j->private_tmp_line = line_of(c, m);
	else if (!strcmp(key, "tmpfs_size"))
		get_size(c, m, &j->tmpfs_size);
	else if (!strcmp(key, "tmpfs_inodes"))
		get_inodes(c, m, &j->tmpfs_inodes);
	else if (!strcmp(key, "nosuid"))
		get_bool(c, m, key, &j->nosuid);
	else if (!strcmp(key, "private_pids"))
		get_bool(c, m, key, &j->private_pids);
	else if (!strcmp(key, "private_network"))
		get_bool(c, m, key, &j->private_network);
	else if (!strcmp(key, "private_ipc"))
		get_bool(c, m, key, &j->private_ipc);
	else if (!strcmp(key, "shared"))
		get_bool(c, m, key, &j->shared);
	else if (!strcmp(key, "no_new_privileges"))
		get_bool(c, m, key, &j->no_new_privileges);
	else if (!strcmp(key, "restrict_namespaces"))
		get_bool(c, m, key, &j->restrict_namespaces);
	else if (!strcmp(key, "scope_ipc"))
		get_bool(c, m, key, &j->scope_ipc);
	else if (!strcmp(key, "root"))
		get_root(c, m, j);
	else if (!strcmp(key, "etc_add"))
		get_strings(c, m, key, check_etc_add, &j->etc_add);
	else if (!strcmp(key, "etc_remove"))
		get_strings(c, m, key, check_etc_remove, &j->etc_remove);
	else
		err(c, line_of(c, m), "unknown key '%s' in jail '%s'", key, j->name ? j->name : "?");
}

static void jail_free(struct jail *j)
{
	free(j->name);
	free(j->file);
	strlist_free(&j->users);
	strlist_free(&j->groups);
	strlist_free(&j->services);
	strlist_free(&j->ssh_keys);
	for (int i = 0; i < PL__COUNT; i++)
		strlist_free(&j->paths[i]);
	strlist_free(&j->etc_add);
	strlist_free(&j->etc_remove);
	free(j->root);
}

/* Entries given for KEY: 0 when absent, -1 when not a list. */
static int entries(const config_setting_t *g, const char *key)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	if (!s)
		return 0;
	return config_setting_is_aggregate(s) ? config_setting_length(s) : -1;
}

static void append_jail(struct ctx *c, struct jail *j)
{
	struct policy *p = c->p;
	size_t n = p->njails;
	if (n == 0 || (n >= 8 && !(n & (n - 1)))) { /* capacity: 8, 16, 32 ... */
		struct jail *v = realloc(p->jails, (n ? 2 * n : 8) * sizeof(*v));
		if (!v) {
			err(c, j->line, "out of memory");
			jail_free(j);
			return;
		}
		p->jails = v;
	}
	p->jails[p->njails++] = *j;
}

static void parse_jail(struct ctx *c, const config_setting_t *g)
{
	struct jail j = { .line = line_of(c, g) };
	char why[512];
	if (!config_setting_is_group(g)) {
		err(c, j.line, "each entry of 'jails' must be a group { ... }");
		return;
	}
	const config_setting_t *name = config_setting_get_member(g, "name");
	const char *v = name ? config_setting_get_string(name) : NULL;
	if (!name)
		err(c, j.line, "jail has no 'name'");
	else if (!v)
		err(c, line_of(c, name), "'name' must be a string");
	else if (!check_name(v, why, sizeof(why)))
		err(c, line_of(c, name), "'name': %s", why);
	else if (!(j.name = strdup(v)) || !(j.file = strdup(c->file)))
		err(c, j.line, "out of memory");
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
		if (m != name)
			jail_key(c, m, &j);
	}
	int users = entries(g, "users"), groups = entries(g, "groups");
	if (users == 0 && groups == 0)
		err(c, j.line, "jail '%s' matches nobody: give users or groups", j.name ? j.name : "?");
	if (j.has_services && entries(g, "services") == 0)
		err(c, j.line, "jail '%s' matches no service: 'services' is empty (omit it for all)",
		    j.name ? j.name : "?");
	/* An empty list would otherwise mean "any login": never looser. */
	if (entries(g, "ssh_keys") == 0 && config_setting_get_member(g, "ssh_keys"))
		err(c, j.line, "jail '%s' matches no login: 'ssh_keys' is empty (omit it for any login)",
		    j.name ? j.name : "?");
	if ((j.etc_add.n || j.etc_remove.n) && !j.root)
		err(c, j.etc_add.n ? j.etc_add.line[0] : j.etc_remove.line[0],
		    "jail '%s': etc_add and etc_remove need a root (the synthesized /etc)",
		    j.name ? j.name : "?");
	if (j.name && j.file)
		append_jail(c, &j);
	else
		jail_free(&j);
}

static int cmp_jail(const void *a, const void *b)
{
	const struct jail *x = *(const struct jail *const *)a, *y = *(const struct jail *const *)b;
	int r = strcmp(x->name, y->name);
	return r ? r : (x > y) - (x < y);
}

/* Names are unique across the main file and drop-ins: sort, then report each
 * jail added by this buffer whose name an earlier jail already has. */
static void check_duplicates(struct ctx *c, size_t first_new)
{
	struct policy *p = c->p;
	if (p->njails == first_new)
		return;
	cleanup_free struct jail **v = calloc(p->njails, sizeof(*v));
	if (!v) {
		err(c, 0, "out of memory");
		return;
	}
	for (size_t i = 0; i < p->njails; i++)
		v[i] = &p->jails[i];
	qsort(v, p->njails, sizeof(*v), cmp_jail);
	for (size_t i = 1, first = 0; i < p->njails; i++) {
		if (strcmp(v[i]->name, v[first]->name)) {
			first = i;
		} else if (v[i] >= &p->jails[first_new]) {
			err(c, v[i]->line, "duplicate jail name '%s' (first defined at %s:%d)",
			    v[i]->name, v[first]->file, v[first]->line);
		}
	}
}

/* settings.max_jails_per_user: an integer, 0 (unlimited) to
 * NSJAIL_MAX_JAILS_MAX. */
static void get_max_jails(struct ctx *c, const config_setting_t *s, unsigned *out)
{
	long long v = config_setting_get_int64(s);
	int t = config_setting_type(s);
	if ((t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) || v < 0 || v > NSJAIL_MAX_JAILS_MAX)
		err(c, line_of(c, s), "'max_jails_per_user' must be an integer from 0 "
		    "(unlimited) to %u", NSJAIL_MAX_JAILS_MAX);
	else
		*out = (unsigned)v;
}

static void parse_settings(struct ctx *c, const config_setting_t *g)
{
	if (!config_setting_is_group(g)) {
		err(c, line_of(c, g), "'settings' must be a group { ... }");
		return;
	}
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
		const char *key = config_setting_name(m), *v;
		if (!strcmp(key, "exempt_users")) {
			strlist_free(&c->p->exempt_users);
			get_strings(c, m, key, check_name, &c->p->exempt_users);
		} else if (!strcmp(key, "exempt_groups")) {
			strlist_free(&c->p->exempt_groups);
			get_strings(c, m, key, check_group, &c->p->exempt_groups);
		} else if (!strcmp(key, "include_dir")) {
			if (!(v = config_setting_get_string(m)) || !path_is_normal(v)) {
				err(c, line_of(c, m), "'include_dir' must be an absolute, normalised path");
				continue;
			}
			free(c->p->include_dir);
			if (!(c->p->include_dir = strdup(v)))
				err(c, line_of(c, m), "out of memory");
		} else if (!strcmp(key, "tmpfs_size")) {
			get_size(c, m, &c->p->tmpfs_size);
		} else if (!strcmp(key, "tmpfs_inodes")) {
			get_inodes(c, m, &c->p->tmpfs_inodes);
		} else if (!strcmp(key, "max_jails_per_user")) {
			get_max_jails(c, m, &c->p->max_jails_per_user);
		} else {
			err(c, line_of(c, m), "unknown key '%s' in 'settings'", key);
		}
	}
}

static void parse_top(struct ctx *c, const config_setting_t *root)
{
	bool version = false;
	for (int i = 0; i < config_setting_length(root); i++) {
		const config_setting_t *m = config_setting_get_elem(root, (unsigned)i);
		const char *key = config_setting_name(m);
		int line = line_of(c, m), t = config_setting_type(m);
		if (c->dropin && (!strcmp(key, "version") || !strcmp(key, "settings"))) {
			err(c, line, "'%s' is not allowed in a drop-in: it holds only 'jails'", key);
		} else if (!strcmp(key, "version")) {
			version = true;
			if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
				err(c, line, "'version' must be the number 1");
			else if (config_setting_get_int64(m) != 1)
				err(c, line, "unsupported version %lld (expected 1)",
				    config_setting_get_int64(m));
		} else if (!strcmp(key, "settings")) {
			parse_settings(c, m);
		} else if (!strcmp(key, "jails")) {
			if (!config_setting_is_list(m) && !config_setting_is_array(m)) {
				err(c, line, "'jails' must be a list: jails = ( { ... }, ... )");
				continue;
			}
			for (int k = 0; k < config_setting_length(m) && !c->full; k++)
				parse_jail(c, config_setting_get_elem(m, (unsigned)k));
		} else {
			err(c, line, "unknown key '%s'", key);
		}
	}
	if (!c->dropin && !version)
		err(c, 0, "missing 'version = 1;'");
}

/* libconfig's @include would read any file: our only includes are drop-ins.
 * Refused on every line that starts with it, even inside a string. */
static bool refuse_includes(struct ctx *c)
{
	bool ok = true;
	int line = 1;
	for (const char *s = c->text; s; line++) {
		s += strspn(s, " \t\r\f\v");
		if (!strncasecmp(s, "@include", 8)) {
			err(c, line, "'@include' is not supported: use settings.include_dir");
			ok = false;
		}
		s = strchr(s, '\n');
		s = s ? s + 1 : NULL;
	}
	return ok;
}

/* A quick lexer: nesting depth and keys per group, outside strings and
 * comments. */
static bool check_shape(struct ctx *c)
{
	int keys[MAX_DEPTH + 1] = { 0 }, elems[MAX_DEPTH + 1] = { 0 }, depth = 0, line = 1;
	for (const char *s = c->text; *s; s++) {
		if (*s == '\n') {
			line++;
		} else if (*s == '"') {
			for (s++; *s && *s != '"'; s++) {
				s += *s == '\\' && s[1];
				line += *s == '\n';
			}
		} else if (*s == '#' || (s[0] == '/' && s[1] == '/')) {
			while (s[1] && s[1] != '\n')
				s++;
		} else if (s[0] == '/' && s[1] == '*') {
			for (s += 2; *s && !(s[0] == '*' && s[1] == '/'); s++)
				line += *s == '\n';
			s += *s != '\0';
		} else if (strchr("{([", *s)) {
			if (++depth > MAX_DEPTH) {
				err(c, line, "nested more than %d levels deep", MAX_DEPTH);
				return false;
			}
			keys[depth] = elems[depth] = 0;
		} else if (strchr("})]", *s)) {
			depth -= depth > 0;
		} else if ((*s == '=' || *s == ':') && ++keys[depth] > MAX_KEYS) {
			err(c, line, "more than %d keys in one group", MAX_KEYS);
			return false;
		} else if (*s == ',' && ++elems[depth] >= MAX_ENTRIES) {
			err(c, line, "more than %d entries in one list", MAX_ENTRIES);
			return false;
		}
		if (!*s)
			break;
	}
	return true;
}

int config_parse_buffer(const char *file, const char *text, bool dropin,
			struct policy *p, struct diags *d)
{
	size_t before = d->nerrors, first_new = p->njails;
	struct ctx c = { .file = file, .text = text, .dropin = dropin, .p = p, .d = d,
			 .cur_line = 1, .cur = text };
	if (!refuse_includes(&c) || !check_shape(&c))
		return (int)(d->nerrors - before);

	config_t cfg;
	config_init(&cfg);
	if (config_read_string(&cfg, text) != CONFIG_TRUE) {
		const char *msg = config_error_text(&cfg);
		err(&c, config_error_line(&cfg), "%s", msg ? msg : "syntax error");
	} else {
		parse_top(&c, config_root_setting(&cfg));
		check_duplicates(&c, first_new);
		/* settings may come after the jails in the file */
		for (size_t i = first_new; i < p->njails; i++) {
			struct jail *j = &p->jails[i];
			j->tmpfs_size = j->tmpfs_size ? j->tmpfs_size : p->tmpfs_size;
			j->tmpfs_inodes = j->tmpfs_inodes ? j->tmpfs_inodes : p->tmpfs_inodes;
		}
	}
	config_destroy(&cfg);
	return (int)(d->nerrors - before);
}

/* Opens NAME relative to DIRFD without following a symlink, then checks the
 * opened file: type, owner, mode, size. Returns the fd or -1. */
static int open_checked(int dirfd, const char *name, const char *show, bool dir,
			const struct config_opts *o, off_t *size, struct diags *d)
{
	int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | (dir ? O_DIRECTORY : O_NONBLOCK);
	cleanup_fd int fd = openat(dirfd, name, flags);
	struct stat st;
	if (fd < 0 && errno == ENOTDIR && !fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		errno = S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR; /* O_DIRECTORY wins */
	/* A folder removed or renamed by a config-management race would
	 * otherwise let its drop-ins' users in unjailed. */
	if (fd < 0 && dir && errno == ENOENT)
		diags_add(d, DIAG_ERROR, show, 0, "settings.include_dir does not exist: "
			  "the jails of its drop-ins are unknown");
	else if (fd < 0 && errno == ELOOP)
		diags_add(d, DIAG_ERROR, show, 0, "is a symbolic link: refused");
	else if (fd < 0 || fstat(fd, &st) < 0)
		diags_add(d, DIAG_ERROR, show, 0, "cannot open: %s", strerror(errno));
	else if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
		diags_add(d, DIAG_ERROR, show, 0, "not a %s", dir ? "directory" : "regular file");
	else if (!o->skip_owner_check &&
		 (st.st_uid != o->owner || (st.st_mode & (S_IWGRP | S_IWOTH))))
		diags_add(d, DIAG_ERROR, show, 0,
			  "must be owned by uid %u and not writable by group or others (owner %u, mode %04o)",
			  (unsigned)o->owner, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
	else if (!dir && st.st_size > (off_t)NSJAIL_CONFIG_MAX_BYTES)
		diags_add(d, DIAG_ERROR, show, 0, "larger than %u bytes", NSJAIL_CONFIG_MAX_BYTES);
	else {
		*size = st.st_size;
		return steal_fd(&fd);
	}
	return -1;
}

static char *read_text(int fd, size_t size, const char *show, struct diags *d)
{
	cleanup_free char *buf = malloc(size + 1);
	size_t n = 0;
	ssize_t r = 1;
	char extra;
	while (buf && n < size && r > 0) {
		r = read(fd, buf + n, size - n);
		n += r > 0 ? (size_t)r : 0;
		r = r < 0 && errno == EINTR ? 1 : r;
	}
	if (!buf)
		diags_add(d, DIAG_ERROR, show, 0, "out of memory");
	else if (r < 0)
		diags_add(d, DIAG_ERROR, show, 0, "cannot read: %s", strerror(errno));
	else if (n != size || read(fd, &extra, 1) != 0)
		diags_add(d, DIAG_ERROR, show, 0, "changed while being read");
	else if (memchr(buf, '\0', n)) {
		int line = 1;
		for (const char *s = buf; *s; s++)
			line += *s == '\n';
		diags_add(d, DIAG_ERROR, show, line, "contains a NUL byte");
	} else {
		buf[n] = '\0';
		return steal_pointer(&buf);
	}
	return NULL;
}

static void load_file(int dirfd, const char *name, const char *show, bool dropin,
		      const struct config_opts *o, struct policy *p, struct diags *d)
{
	off_t size = 0;
	cleanup_fd int fd = open_checked(dirfd, name, show, false, o, &size, d);
	if (fd < 0)
		return;
	cleanup_free char *text = read_text(fd, (size_t)size, show, d);
	if (text)
		config_parse_buffer(show, text, dropin, p, d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_dropin_name(const char *s)
{
	size_t n = strlen(s);
	return s[0] != '.' && n > 5 && !strcmp(s + n - 5, ".conf");
}

/* false when the directory itself cannot be used (its drop-ins unknown). */
static bool load_dropins(const struct config_opts *o, struct policy *p, struct diags *d)
{
	const char *dir = p->include_dir;
	off_t unused;
	cleanup_fd int fd = open_checked(AT_FDCWD, dir, dir, true, o, &unused, d);
	int dup_fd = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 0);
	DIR *dh = dup_fd < 0 ? NULL : fdopendir(dup_fd);
	if (!dh) {
		if (fd >= 0)
			diags_add(d, DIAG_ERROR, dir, 0, "cannot list: %s", strerror(errno));
		if (dup_fd >= 0)
			close(dup_fd);
		return false;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *e; (e = readdir(dh));) {
		if (!is_dropin_name(e->d_name))
			continue;
		char **v = n < cap ? names : realloc(names, (cap = cap ? 2 * cap : 16) * sizeof(*v));
		if (!v || !(v[n] = strdup(e->d_name))) {
			diags_add(d, DIAG_ERROR, dir, 0, "out of memory");
			names = v ? v : names;
			break;
		}
		names = v;
		n++;
	}
	closedir(dh);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *show = NULL;
		if (asprintf(&show, "%s/%s", strcmp(dir, "/") ? dir : "", names[i]) < 0)
			diags_add(d, DIAG_ERROR, dir, 0, "out of memory");
		else
			load_file(fd, names[i], show, true, o, p, d);
		free(show);
		free(names[i]);
	}
	free(names);
	return true;
}

int config_load(const char *file, const struct config_opts *opts,
		struct policy **out, struct diags *d)
{
	static const struct config_opts defaults = { 0 };
	const struct config_opts *o = opts ? opts : &defaults;
	size_t before = d->nerrors;
	struct policy *p = policy_new(file);
	*out = NULL;
	if (!p) {
		diags_add(d, DIAG_ERROR, file, 0, "out of memory");
		return -1;
	}
	load_file(AT_FDCWD, file, file, false, o, p, d);
	size_t main_errors = d->nerrors - before;
	bool dir_unread = p->include_dir && !load_dropins(o, p, d);
	if (o->partial && dir_unread && !main_errors) {
		p->include_unread = true;
		*out = p;
		return -1;
	}
	if (d->nerrors != before) {
		policy_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

struct policy *policy_new(const char *file)
{
	struct policy *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->tmpfs_size = PLAN_TMPFS_SIZE_DEFAULT;
	p->tmpfs_inodes = PLAN_TMPFS_INODES_DEFAULT;
	p->max_jails_per_user = NSJAIL_MAX_JAILS_DEFAULT;
	if (!(p->file = strdup(file ? file : "")) ||
	    strlist_add(&p->exempt_users, "root", 0) < 0) {
		policy_free(p);
		return NULL;
	}
	return p;
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->njails; i++)
		jail_free(&p->jails[i]);
	free(p->jails);
	free(p->file);
	strlist_free(&p->exempt_users);
	strlist_free(&p->exempt_groups);
	free(p->include_dir);
	free(p);
}
