/* The compiler (compile.h): a jail for one user into a normalised mount
 * plan. Pure: the result is data the unit tests compare and the helper
 * re-validates. */
#include "compile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "expand.h"
#include "paths.h"
#include "user.h"
#include "util.h"

static const enum step_kind list_step[PL__COUNT] = {
	[PL_INACCESSIBLE] = STEP_INACCESSIBLE,
	[PL_BIND] = STEP_BIND,
	[PL_BIND_RO] = STEP_BIND_RO,
	[PL_TMPFS] = STEP_TMPFS,
	[PL_READ_ONLY] = STEP_READ_ONLY,
	[PL_READ_WRITE] = STEP_READ_WRITE,
};

struct compiler {
	const struct jail *j;
	const struct user_info *u;
	struct plan *p;
	struct diags *d;
	const struct compile_env *env;
	size_t alias_checks; /* names looked at by hide_aliases, bounded */
};

/* Each check walks the plan: this bounds the compiler's work for any jail
 * (a few hundred ms at worst) far above what a real one needs. */
#define ALIAS_CHECKS_MAX 16384

/* Appends a step; takes ownership of src, dst and data (freed on error). */
/* A PID namespace of the jail's own: private_pids, and every shared jail.
 * A shared jail outlives the login that built it, and a process cannot
 * leave a PID namespace (an unprivileged user namespace cannot either):
 * killing its init ends everything that ever entered the jail, whatever
 * namespaces it made later (nsjailctl stop), and its procfs lists them for
 * the keeper. */
static bool own_pids(const struct jail *j)
{
	return j->private_pids || j->shared;
}

static int add_step(struct compiler *c, struct step s)
{
	struct plan *p = c->p;
	if (p->n >= PLAN_MAX_STEPS) {
		diags_add(c->d, DIAG_ERROR, c->j->file, c->j->line,
			  "jail '%s' has more than %d mounts", c->j->name,
			  PLAN_MAX_STEPS);
		goto fail;
	}
	struct step *v = realloc(p->v, (p->n + 1) * sizeof(*v));
	if (!v) {
		diags_add(c->d, DIAG_ERROR, c->j->file, c->j->line, "out of memory");
		goto fail;
	}
	p->v = v;
	p->v[p->n++] = s;
	return 0;
fail:
	free(s.src);
	free(s.dst);
	free(s.data);
	return -1;
}

static int add_auto(struct compiler *c, enum step_kind kind, unsigned flags,
		    unsigned arg, const char *src, const char *dst, int line)
{
	struct step s = { .kind = kind, .flags = flags | STEP_F_AUTO, .arg = arg,
			  .file = c->j->file, .line = line ? line : c->j->line };
	s.dst = strdup(dst);
	s.src = src ? strdup(src) : NULL;
	if (!s.dst || (src && !s.src)) {
		free(s.dst);
		free(s.src);
		diags_add(c->d, DIAG_ERROR, c->j->file, c->j->line, "out of memory");
		return -1;
	}
	return add_step(c, s);
}

static int expand_at(struct compiler *c, const char *key, const char *tmpl,
		     int line, char **out)
{
	char err[512];
	if (expand_path(tmpl, c->u, out, err, sizeof(err)) == 0)
		return 0;
	diags_add(c->d, DIAG_ERROR, c->j->file, line, "%s: %s", key, err);
	return -1;
}

/* One entry of a path list: "[-]PATH" or, for binds, "[-]SRC:DST". */
static int compile_entry(struct compiler *c, enum path_list l,
			 const char *entry, int line)
{
	const char *key = path_list_key[l];
	struct step s = { .kind = list_step[l], .file = c->j->file,
			  .line = line ? line : c->j->line };
	if (entry[0] == '-') {
		s.flags |= STEP_F_OPTIONAL;
		entry++;
	}
	if (s.kind == STEP_TMPFS)
		s.arg = 0755;

	cleanup_free char *src_tmpl = NULL;
	const char *dst_tmpl = entry;
	if (s.kind == STEP_BIND || s.kind == STEP_BIND_RO) {
		const char *colon = strchr(entry, ':');
		src_tmpl = colon ? strndup(entry, (size_t)(colon - entry))
				 : strdup(entry);
		if (!src_tmpl)
			return -1;
		if (colon)
			dst_tmpl = colon + 1;
		if (expand_at(c, key, src_tmpl, s.line, &s.src) < 0)
			return -1;
	}
	if (expand_at(c, key, dst_tmpl, s.line, &s.dst) < 0) {
		free(s.src);
		return -1;
	}
	const char *refused = NULL;
	if (own_pids(c->j) && strcmp(s.dst, "/proc") == 0)
		refused = "'/proc' is the session's own procfs with private_pids (and shared)";
	else if (strcmp(s.dst, "/") == 0 && s.kind != STEP_READ_ONLY &&
		 s.kind != STEP_READ_WRITE)
		refused = "cannot mount over '/' (use root = \"tmpfs\" or a directory)";
	if (refused) {
		diags_add(c->d, DIAG_ERROR, c->j->file, s.line, "%s: %s", key, refused);
		free(s.src);
		free(s.dst);
		return -1;
	}
	return add_step(c, s);
}

/* A name, home or shell that would break a passwd/group line. */
static bool field_ok(const char *s)
{
	return s && !strpbrk(s, ":\n");
}

static int append(char **buf, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int append(char **buf, size_t *len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || *len + (size_t)n + 1 > PLAN_MAX_DATA)
		return -1;
	char *b = realloc(*buf, *len + (size_t)n + 1);
	if (!b)
		return -1;
	*buf = b;
	va_start(ap, fmt);
	vsnprintf(b + *len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	*len += (size_t)n;
	return 0;
}

/* The small /etc of SPEC §1: root, the user, its groups and tty, so sshd's
 * monitor and su's parent can still look names up inside the jail. Encoded
 * as "name\0content\0" pairs. */
static int etc_data(struct compiler *c, unsigned tty_gid, char **data,
		    size_t *len)
{
	const struct user_info *u = c->u;
	if (!field_ok(u->name) || !field_ok(u->home) || !field_ok(u->shell)) {
		diags_add(c->d, DIAG_ERROR, c->j->file, c->j->root_line,
			  "user '%s': name, home or shell contains ':' or a newline",
			  u->name);
		return -1;
	}
	int r = append(data, len, "passwd%c", 0);
	r |= append(data, len, "root:x:0:0:root:/root:/bin/sh\n");
	if (u->uid != 0)
		r |= append(data, len, "%s:x:%u:%u::%s:%s\n", u->name,
			    (unsigned)u->uid, (unsigned)u->gid, u->home, u->shell);
	r |= append(data, len, "%cgroup%c", 0, 0);
	r |= append(data, len, "root:x:0:\n");
	bool tty_seen = false;
	for (size_t i = 0; i < u->ngroups; i++) {
		const char *g = u->group_names[i];
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup |= u->gids[k] == u->gids[i];
		if (!g || !field_ok(g) || u->gids[i] == 0 || dup)
			continue;
		tty_seen |= u->gids[i] == tty_gid;
		r |= append(data, len, "%s:x:%u:%s\n", g, (unsigned)u->gids[i],
			    u->name);
	}
	if (!tty_seen)
		r |= append(data, len, "tty:x:%u:\n", tty_gid);
	r |= append(data, len, "%cnsswitch.conf%c", 0, 0);
	r |= append(data, len, "passwd: files\ngroup: files\nshadow: files\n"
			       "hosts: files dns\n");
	r |= append(data, len, "%c", 0);
	if (r) {
		diags_add(c->d, DIAG_ERROR, c->j->file, c->j->root_line,
			  "user '%s': /etc files larger than %u bytes", u->name,
			  PLAN_MAX_DATA);
		return -1;
	}
	return 0;
}

/* What a root jail needs from a systemd host, each skipped where the host
 * lacks it: the user's runtime directory (XDG_RUNTIME_DIR, made by logind
 * before the module runs); the marker saying systemd runs (sd_booted():
 * systemctl --user); the journal's sockets; the system bus (pam_systemd's
 * close runs in the jail). The user manager also needs PID 1's notify
 * socket (user@.service is Type=notify) and the cgroup tree whose
 * delegated subtree it manages (writable only where the host lets the
 * user write); a login does not get those. */
static int compile_root_systemd(struct compiler *c, int line)
{
	static const struct { enum step_kind kind; bool manager; const char *path; } sd[] = {
		{ STEP_BIND, false, "/run/user/%U" },
		{ STEP_BIND_RO, false, "/run/systemd/system" },
		{ STEP_BIND_RO, false, "/run/systemd/journal" },
		{ STEP_BIND_RO, false, "/run/dbus/system_bus_socket" },
		{ STEP_BIND_RO, true, "/run/systemd/notify" },
		{ STEP_BIND, true, "/sys/fs/cgroup" },
	};
	for (size_t i = 0; i < sizeof(sd) / sizeof(sd[0]); i++) {
		cleanup_free char *p = NULL;
		if (sd[i].manager && !c->env->manager)
			continue;
		if (expand_at(c, "root", sd[i].path, line, &p) < 0 ||
		    add_auto(c, sd[i].kind, STEP_F_OPTIONAL, 0, p, p, line) < 0)
			return -1;
	}
	return 0;
}

static int compile_root(struct compiler *c)
{
	const struct jail *j = c->j;
	const struct host_links *links = c->env->links;
	unsigned tty_gid = c->env->tty_gid;
	bool tmpfs = strcmp(j->root, "tmpfs") == 0;
	struct step root = { .kind = tmpfs ? STEP_ROOT_TMPFS : STEP_ROOT_DIR,
			     .file = j->file, .line = j->root_line };
	if (tmpfs)
		root.dst = strdup("/");
	else if (expand_at(c, "root", j->root, j->root_line, &root.dst) < 0)
		return -1;
	if (!root.dst || add_step(c, root) < 0)
		return -1;

	/* In a directory root too: the helper keeps the directory's own
	 * entry of the name (auto_symlink). */
	for (size_t i = 0; links && i < links->n; i++) {
		char dst[300];
		snprintf(dst, sizeof(dst), "/%s", links->name[i]);
		if (add_auto(c, STEP_SYMLINK, 0, 0, links->target[i], dst, j->root_line) < 0)
			return -1;
	}
	struct step etc = { .kind = STEP_ETC, .flags = STEP_F_AUTO,
			    .file = j->file, .line = j->root_line };
	if (etc_data(c, tty_gid, &etc.data, &etc.data_len) < 0 ||
	    !(etc.dst = strdup("/etc"))) {
		free(etc.data);
		return -1;
	}
	int l = j->root_line;
	/* A pty of the host's is in the jail under its own name (the helper
	 * shows the host's devpts); a console or a serial line is bound as
	 * /dev/tty-host. */
	const char *term = c->env->terminal;
	if (term && strncmp(term, "/dev/pts/", strlen("/dev/pts/")) == 0)
		term = NULL;
	if (add_auto(c, own_pids(j) ? STEP_PIDS : STEP_PROC, 0, 0, NULL,
		     "/proc", l) < 0 ||
	    add_auto(c, STEP_SYS, 0, 0, NULL, "/sys", l) < 0 ||
	    add_auto(c, STEP_DEV, 0, tty_gid, term, "/dev", l) < 0 ||
	    add_auto(c, STEP_TMPFS, 0, 01777, NULL, "/tmp", l) < 0 ||
	    add_step(c, etc) < 0)
		return -1;
	return compile_root_systemd(c, l);
}

/* The login records (utmp, wtmp, lastlog): sshd's monitor and login write
 * them after the session opened, from inside the jail, where a read_only
 * parent makes them read-only and a root lacks them; the host would have
 * no record and pam_limits' maxlogins (which counts utmp entries) nothing
 * to count. So each host file is bound onto the path the C library and
 * sshd use (the host's /var/run -> /run link is followed on both sides):
 * the same inode, so its host owner and mode decide who may write
 * (root:utmp 0664: root, not the user), and a bind is kept writable by a
 * read_only above it. Optional: a host without the file, or an on-disk
 * root without the mount point, skips it (explain shows "(optional)").
 * Not added where the jail's own entries decide the path: an entry on it,
 * or a hide of it or a parent under either of its names. btmp is left
 * out: failed logins are recorded before the session, outside the jail. */
static int compile_records(struct compiler *c)
{
	static const struct { const char *path, *alias; } rec[] = {
		{ "/var/run/utmp", "/run/utmp" },
		{ "/var/log/wtmp", NULL },
		{ "/var/log/lastlog", NULL },
	};
	const struct plan *p = c->p;
	for (size_t r = 0; r < sizeof(rec) / sizeof(rec[0]); r++) {
		const char *path = rec[r].path, *alias = rec[r].alias;
		bool decided = false;
		for (size_t i = 0; i < p->n && !decided; i++) {
			const struct step *s = &p->v[i];
			bool auto_step = s->flags & STEP_F_AUTO;
			decided = (!auto_step && (!strcmp(s->dst, path) ||
						  (alias && !strcmp(s->dst, alias)))) ||
				  (s->kind == STEP_INACCESSIBLE &&
				   (path_is_under(path, s->dst) ||
				    (alias && path_is_under(alias, s->dst))));
		}
		if (!decided && add_auto(c, STEP_BIND, STEP_F_OPTIONAL, 0, path, path, 0) < 0)
			return -1;
	}
	return 0;
}

/* The host's pieces of /etc a root jail's synthesized /etc shows
 * (read-only, each skipped where the host lacks it): what the commands of
 * a bound /usr and the PAM modules after ours read there. Debian's
 * alternatives (awk, vi, editor, pager, which, nano); the time zone; the
 * shells' start-up files; the locale; the dynamic linker's cache; name
 * and service look-ups; CA certificates; pam_limits', pam_env's and
 * login's files; the motd and os-release. Never a secret: the list holds
 * none and plan_etc_piece_ok refuses them; the helper refuses a piece (or
 * an entry of a piece directory) that is not world-readable. */
static const char *const etc_default[] = {
	"/etc/alternatives", "/etc/localtime", "/etc/timezone",
	"/etc/profile", "/etc/profile.d", "/etc/bash.bashrc", "/etc/bashrc",
	"/etc/bash_completion", "/etc/bash_completion.d", "/etc/zsh", "/etc/shells",
	"/etc/environment", "/etc/default/locale", "/etc/locale.alias", "/etc/locale.conf",
	"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
	"/etc/hosts", "/etc/host.conf", "/etc/resolv.conf", "/etc/gai.conf",
	"/etc/protocols", "/etc/services", "/etc/mime.types", "/etc/mtab",
	"/etc/ssl/certs", "/etc/ssl/openssl.cnf", "/etc/ca-certificates",
	"/etc/ca-certificates.conf", "/etc/pki/ca-trust", "/etc/pki/tls/certs",
	"/etc/security/limits.conf", "/etc/security/limits.d", "/etc/security/pam_env.conf",
	"/etc/login.defs", "/etc/motd", "/etc/inputrc", "/etc/nanorc", "/etc/vim",
	"/etc/vimrc", "/etc/terminfo", "/etc/os-release", "/etc/lsb-release",
};

/* Whether an entry of the jail's own (not automatic) lies on PATH or
 * above it (other than "/"): it decides what is there, the piece goes. */
static bool user_covers(const struct plan *p, const char *path)
{
	for (size_t i = 1; i < p->n; i++) {
		const struct step *s = &p->v[i];
		if (!(s->flags & STEP_F_AUTO) && strcmp(s->dst, "/") &&
		    path_is_under(path, s->dst))
			return true;
	}
	return false;
}

static void step_clear(struct step *s);

/* A directory root gets the host's top-level links only where the jail's
 * own entries leave the name free (bind_ro = [ "/bin" ] there is the
 * administrator's choice, as before links were added to directory roots;
 * in a tmpfs root it stays an error, root_collisions). */
static void drop_covered_links(struct compiler *c)
{
	struct plan *p = c->p;
	if (!p->has_root || p->v[0].kind != STEP_ROOT_DIR)
		return;
	size_t out = 1;
	for (size_t i = 1; i < p->n; i++) {
		if (p->v[i].kind == STEP_SYMLINK && user_covers(p, p->v[i].dst)) {
			step_clear(&p->v[i]);
			continue;
		}
		p->v[out++] = p->v[i];
	}
	p->n = out;
}

/* One piece, once. */
static int add_etc_piece(struct compiler *c, const char *path, unsigned flags, int line)
{
	for (size_t i = 1; i < c->p->n; i++)
		if (c->p->v[i].kind == STEP_ETC_HOST && !strcmp(c->p->v[i].dst, path))
			return 0;
	if (user_covers(c->p, path))
		return 0;
	return add_auto(c, STEP_ETC_HOST, flags, 0, path, path, line);
}

/* The host's pieces of the synthesized /etc (etc_default), less the
 * jail's etc_remove, plus its etc_add: each an etc_host step, so explain
 * shows what is taken. */
static int compile_root_etc(struct compiler *c)
{
	const struct jail *j = c->j;
	for (size_t r = 0; r < j->etc_remove.n; r++) {
		bool used = false;
		for (size_t k = 0; k < ARRAY_SIZE(etc_default); k++)
			used |= path_is_under(etc_default[k], j->etc_remove.v[r]);
		if (!used)
			diags_add(c->d, DIAG_WARNING, j->file, j->etc_remove.line[r],
				  "jail '%s': etc_remove: %s is not in the default set (nsjail.conf(5))",
				  j->name, j->etc_remove.v[r]);
	}
	for (size_t k = 0; k < ARRAY_SIZE(etc_default); k++) {
		bool removed = false;
		for (size_t r = 0; r < j->etc_remove.n; r++)
			removed |= path_is_under(etc_default[k], j->etc_remove.v[r]);
		if (!removed && add_etc_piece(c, etc_default[k], STEP_F_OPTIONAL, j->root_line) < 0)
			return -1;
	}
	for (size_t a = 0; a < j->etc_add.n; a++) {
		const char *v = j->etc_add.v[a];
		unsigned flags = v[0] == '-' ? STEP_F_OPTIONAL : 0;
		if (add_etc_piece(c, v + (v[0] == '-'), flags, j->etc_add.line[a]) < 0)
			return -1;
	}
	return 0;
}

/* Path order with '/' below every other byte: a parent sorts right before
 * its children ("/a" < "/a/b" < "/a-b"). */
static int path_order(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned ca = *a == '/' ? 1 : *a ? (unsigned char)*a + 1u : 0;
		unsigned cb = *b == '/' ? 1 : *b ? (unsigned char)*b + 1u : 0;
		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (!ca)
			return 0;
	}
}

/* Only the path and the kind decide the order of the result; within one
 * (path, kind) the merge below picks by content, so qsort's instability
 * never decides what a jail gets. */
static int step_order(const void *x, const void *y)
{
	const struct step *a = x, *b = y;
	int r = path_order(a->dst, b->dst);
	if (r)
		return r;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return (a->line > b->line) - (a->line < b->line);
}

static void step_clear(struct step *s)
{
	free(s->src);
	free(s->dst);
	free(s->data);
	*s = (struct step){ 0 };
}

static bool is_bind(enum step_kind k)
{
	return k == STEP_BIND || k == STEP_BIND_RO;
}

/* A hide the compiler added for another name of a hidden path. */
static bool is_alias(const struct step *s)
{
	return s->kind == STEP_INACCESSIBLE && (s->flags & STEP_F_AUTO);
}

/* Steps that put something new on their dst (not flags, not hides). */
static bool is_content(enum step_kind k)
{
	return k != STEP_INACCESSIBLE && k != STEP_READ_ONLY &&
	       k != STEP_READ_WRITE && k != STEP_NOSUID;
}

/* Same content: binds of one source (bind and bind_ro merge), or two
 * tmpfs of one mode. */
static bool same_content(const struct step *a, const struct step *b)
{
	if (is_bind(a->kind) || is_bind(b->kind))
		return is_bind(a->kind) && is_bind(b->kind) && !strcmp(a->src, b->src);
	return a->kind == b->kind && a->arg == b->arg;
}

/* Which of two steps of a group is kept (or named first): the stronger
 * kind for the same content (bind_ro over bind), a user entry over an
 * automatic one, then the earlier line, then the content itself: a total
 * order, so the result is the same whatever order qsort left. */
static bool better(const struct step *a, const struct step *b)
{
	if (a->kind != b->kind && is_bind(a->kind) && is_bind(b->kind))
		return a->kind == STEP_BIND_RO; /* read-only wins: the one place */
	if ((a->flags & STEP_F_AUTO) != (b->flags & STEP_F_AUTO))
		return !(a->flags & STEP_F_AUTO);
	if (a->line != b->line)
		return a->line < b->line;
	if (a->kind != b->kind)
		return a->kind < b->kind;
	int r = strcmp(a->src ? a->src : "", b->src ? b->src : "");
	return r ? r < 0 : a->arg < b->arg;
}

struct merger {
	struct compiler *c;
	bool aliases; /* second pass: only groups holding an alias hide merge */
};

/* "bind_ro /opt <- /srv" for messages. */
static const char *show(const struct step *s, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s%s%s", step_kind_name[s->kind], s->dst,
		 s->src && is_bind(s->kind) ? " <- " : "",
		 s->src && is_bind(s->kind) ? s->src : "");
	return buf;
}

/* Drops step s in favour of k: a warning at s's line naming k's. */
static void drop(struct merger *m, struct step *s, const struct step *k,
		 const char *why)
{
	char a[600], b[600];
	if (!is_alias(s))
		diags_add(m->c->d, DIAG_WARNING, s->file, s->line,
			  "jail '%s': %s overlaps %s (%s:%d): %s", m->c->j->name,
			  show(s, a, sizeof(a)), show(k, b, sizeof(b)),
			  k->file, k->line, why);
	step_clear(s);
}

/* The best step of kind-class want in g[0..n), or NULL. */
static struct step *pick(struct step *g, size_t n, bool (*want)(const struct step *))
{
	struct step *k = NULL;
	for (size_t i = 0; i < n; i++)
		if (g[i].dst && want(&g[i]) && (!k || better(&g[i], k)))
			k = &g[i];
	return k;
}

static bool want_hide(const struct step *s) { return s->kind == STEP_INACCESSIBLE; }
static bool want_content(const struct step *s) { return is_content(s->kind); }
static bool want_ro(const struct step *s) { return s->kind == STEP_READ_ONLY; }
static bool want_rw(const struct step *s) { return s->kind == STEP_READ_WRITE; }

/* Keeps k as the one step of its class: optional only when every merged
 * entry was; the others are dropped with a warning. */
static void keep_one(struct merger *m, struct step *g, size_t n, struct step *k,
		     bool (*want)(const struct step *), const char *why)
{
	for (size_t i = 0; i < n; i++) {
		struct step *s = &g[i];
		if (s == k || !s->dst || !want(s))
			continue;
		if (!(s->flags & STEP_F_OPTIONAL))
			k->flags &= ~(unsigned)STEP_F_OPTIONAL;
		drop(m, s, k, why);
	}
}

/* Merges the steps of one dst, g[0..n), clearing the ones dropped:
 * restrictive wins, flags merged (systemd's drop_duplicates).
 *   inaccessible beats everything on its path;
 *   one content (bind/bind_ro of one source, or tmpfs): bind + bind_ro is
 *   bind_ro; two different contents are an error naming both lines;
 *   read_only stays after the content, making it read-only;
 *   read_write goes when anything else is there (it would lift a flag
 *   the jail or the host set). */
static int merge_group(struct merger *m, struct step *g, size_t n)
{
	struct step *hide = pick(g, n, want_hide);
	if (hide) {
		keep_one(m, g, n, hide, want_hide, "hidden twice");
		for (size_t i = 0; i < n; i++)
			if (&g[i] != hide && g[i].dst)
				drop(m, &g[i], hide, "hidden wins");
		return 0;
	}
	if (m->aliases)
		return 0; /* merged in the first pass already */

	struct step *content = pick(g, n, want_content);
	char a[600], b[600];
	int bad = 0;
	for (size_t i = 0; content && i < n; i++) {
		struct step *s = &g[i];
		if (s == content || !is_content(s->kind) || same_content(s, content))
			continue;
		/* Name the earlier line at the later one. */
		bool s_first = s->line != content->line ? s->line < content->line
							: better(s, content);
		const struct step *first = s_first ? s : content;
		const struct step *later = first == s ? content : s;
		diags_add(m->c->d, DIAG_ERROR, later->file, later->line,
			  "jail '%s': %s conflicts with %s (%s:%d): two different "
			  "mounts on one path", m->c->j->name, show(later, a, sizeof(a)),
			  show(first, b, sizeof(b)), first->file, first->line);
		bad = -1;
	}
	if (bad)
		return -1;
	if (content)
		keep_one(m, g, n, content, want_content, "merged into one mount, read-only wins");

	struct step *ro = pick(g, n, want_ro);
	if (ro) {
		keep_one(m, g, n, ro, want_ro, "read-only once");
		/* At the user's line: an automatic mount has only the jail's. */
		bool at_ro = content && (content->flags & STEP_F_AUTO);
		const struct step *w = at_ro ? ro : content, *o = at_ro ? content : ro;
		if (content)
			diags_add(m->c->d, DIAG_WARNING, w->file, w->line,
				  "jail '%s': %s overlaps %s (%s:%d): the mount is made read-only",
				  m->c->j->name, show(w, a, sizeof(a)),
				  show(o, b, sizeof(b)), o->file, o->line);
	}
	struct step *rw = pick(g, n, want_rw);
	if (rw && (ro || content)) {
		const struct step *k = ro ? ro : content;
		for (size_t i = 0; i < n; i++)
			if (g[i].dst && g[i].kind == STEP_READ_WRITE)
				drop(m, &g[i], k, ro ? "read-only wins" :
				     "read_write cannot lift a mount's own flags");
	} else if (rw) {
		keep_one(m, g, n, rw, want_rw, "writable once");
	}
	return 0;
}

/* Sorts the mount steps (after the root and its symlinks) parents first,
 * merges the steps of each path and drops what lies under an inaccessible
 * path: all before the first syscall, as systemd does. 0 or -1 after
 * errors in d. */
static int normalise(struct compiler *c, bool aliases)
{
	struct plan *p = c->p;
	struct merger m = { c, aliases };
	size_t first = 0;
	while (first < p->n && (p->v[first].kind == STEP_ROOT_DIR ||
				p->v[first].kind == STEP_ROOT_TMPFS ||
				p->v[first].kind == STEP_SYMLINK))
		first++;
	if (p->n == first)
		return 0; /* nothing to sort (p->v may be NULL: no offset on it) */
	qsort(p->v + first, p->n - first, sizeof(*p->v), step_order);

	int r = 0;
	for (size_t i = first, e; i < p->n; i = e) {
		for (e = i + 1; e < p->n && !strcmp(p->v[e].dst, p->v[i].dst); e++)
			;
		r |= merge_group(&m, &p->v[i], e - i);
	}
	size_t out = first;
	const struct step *hidden = NULL;
	for (size_t i = first; i < p->n; i++) {
		struct step *s = &p->v[i];
		if (!s->dst)
			continue;
		if (hidden && path_is_under(s->dst, hidden->dst)) {
			drop(&m, s, hidden, "it lies under the hidden path");
			continue;
		}
		p->v[out] = *s;
		if (s->kind == STEP_INACCESSIBLE)
			hidden = &p->v[out];
		out++;
	}
	p->n = out;
	return r;
}

/* path (under from) moved to below to: "/srv/a" from "/srv" to "/mnt" is
 * "/mnt/a". NULL when too long or out of memory. */
static char *rebase(const char *path, const char *from, const char *to)
{
	if (!strcmp(path, from))
		return strdup(to);
	const char *rest = path + (strcmp(from, "/") ? strlen(from) : 0);
	char *r = NULL;
	if (asprintf(&r, "%s%s", strcmp(to, "/") || !*rest ? to : "", rest) < 0)
		return NULL;
	if (strlen(r) >= 4096) {
		free(r);
		return NULL;
	}
	return r;
}

/* The host path that jail path x shows (before the jail was built), or
 * NULL when a file system the jail made (a tmpfs, a tmpfs root, /proc...)
 * or a hide covers it: the deepest mount on x or above decides. */
static char *host_of(const struct plan *p, const char *x, const struct step *skip)
{
	const struct step *d = NULL;
	for (size_t i = p->has_root; i < p->n; i++) {
		const struct step *s = &p->v[i];
		if (s == skip || s->kind == STEP_READ_ONLY || s->kind == STEP_READ_WRITE ||
		    s->kind == STEP_NOSUID || !path_is_under(x, s->dst))
			continue;
		if (!d || strlen(s->dst) > strlen(d->dst) ||
		    (s->kind == STEP_INACCESSIBLE && !strcmp(s->dst, d->dst)))
			d = s;
	}
	if (d && (is_bind(d->kind) || d->kind == STEP_ETC_HOST))
		return rebase(x, d->dst, d->src);
	if (d)
		return NULL;
	if (!p->has_root)
		return strdup(x);
	if (p->v[0].kind == STEP_ROOT_DIR)
		return rebase(x, "/", p->v[0].dst);
	return NULL;
}

/* One more name x of the host path host hidden by h: hide it too, unless x
 * is h itself or shows something else. */
static int add_alias(struct compiler *c, const struct step *h,
		     const struct step *via, char *x, const char *host)
{
	/* Never a hide silently left out: fail the jail instead. */
	const char *why = !x ? "a name of it is too long or out of memory" :
			  ++c->alias_checks > ALIAS_CHECKS_MAX ?
			  "too many binds of its parents to check" : NULL;
	if (why) {
		diags_add(c->d, DIAG_ERROR, h->file, h->line,
			  "jail '%s': hidden %s: %s", c->j->name, h->dst, why);
		free(x);
		return -1;
	}
	cleanup_free char *shown = host_of(c->p, x, NULL);
	if (!shown || strcmp(shown, host) || !strcmp(x, h->dst)) {
		free(x);
		return 0;
	}
	struct step s = { .kind = STEP_INACCESSIBLE, .dst = x,
			  .flags = STEP_F_AUTO | (h->flags & STEP_F_OPTIONAL) |
				   (via ? via->flags & STEP_F_OPTIONAL : 0),
			  .file = h->file, .line = h->line };
	return add_step(c, s);
}

/* A hidden path stays hidden under every name the jail gives it: for each
 * hide, the host path it covers, and every other jail path that shows
 * that host path through a bind (or, without a root, in place) gets a
 * hide of its own. A bind whose source lies inside a hidden host path is
 * kept (the admin named it) but reported. */
static int hide_aliases(struct compiler *c)
{
	struct plan *p = c->p;
	size_t n = p->n;
	for (size_t i = 0; i < n; i++) {
		if (p->v[i].kind != STEP_INACCESSIBLE)
			continue;
		/* What lies under h's own hide; h is a copy since p->v moves
		 * as aliases are added (its strings stay where they are). */
		struct step h = p->v[i];
		cleanup_free char *host = host_of(p, h.dst, &p->v[i]);
		if (!host)
			continue;
		for (size_t k = 0; k < n; k++) {
			const struct step *b = &p->v[k];
			if (!is_bind(b->kind))
				continue;
			if (path_is_under(host, b->src)) {
				if (add_alias(c, &h, b, rebase(host, b->src, b->dst), host) < 0)
					return -1;
			} else if (path_is_under(b->src, host)) {
				char x[600];
				diags_add(c->d, DIAG_WARNING, b->file, b->line,
					  "jail '%s': %s shows part of hidden %s (%s:%d): "
					  "it stays visible there", c->j->name,
					  show(b, x, sizeof(x)), h.dst, h.file, h.line);
			}
		}
		if (!p->has_root && add_alias(c, &h, NULL, strdup(host), host) < 0)
			return -1;
		if (p->has_root && p->v[0].kind == STEP_ROOT_DIR &&
		    path_is_under(host, p->v[0].dst) &&
		    add_alias(c, &h, NULL, rebase(host, p->v[0].dst, "/"), host) < 0)
			return -1;
	}
	return 0;
}

/* In a root jail the automatic mounts (/proc, /sys, /dev, /etc, /tmp,
 * private_tmp's /var/tmp, the top-level links) are the jail's own: an
 * entry on one of them would be replaced or would replace it. */
static int root_collisions(struct compiler *c)
{
	struct plan *p = c->p;
	int r = 0;
	for (size_t i = 1; p->has_root && i < p->n; i++) {
		const struct step *u = &p->v[i];
		for (size_t k = 1; !(u->flags & STEP_F_AUTO) && k < p->n; k++) {
			const struct step *a = &p->v[k];
			if (!(a->flags & STEP_F_AUTO) || strcmp(a->dst, u->dst))
				continue;
			diags_add(c->d, DIAG_ERROR, u->file, u->line,
				  "jail '%s': %s %s is on the jail's automatic %s %s "
				  "(%s:%d): remove the entry", c->j->name,
				  step_kind_name[u->kind], u->dst,
				  step_kind_name[a->kind], a->dst, a->file, a->line);
			r = -1;
			break;
		}
	}
	return r;
}

int plan_compile(const struct jail *j, const struct user_info *u,
		 const struct compile_env *env, struct plan *out, struct diags *d)
{
	struct compiler c = { j, u, out, d, env, 0 };
	size_t errors = d->nerrors;

	*out = (struct plan){ 0 };
	/* Only a root jail's /dev shows it, but a name the helper would
	 * refuse is an error wherever it comes from (explain --tty). */
	if (env->terminal && !terminal_path_ok(env->terminal)) {
		diags_add(d, DIAG_ERROR, j->file, j->line, "jail '%s': terminal '%s' is "
			  "not a login terminal (/dev/pts/N, /dev/ttyN, /dev/ttySN)",
			  j->name, env->terminal);
		return -1;
	}
	out->jail = strdup(j->name);
	if (!out->jail)
		return -1;
	out->has_root = j->root != NULL;
	if (j->root && compile_root(&c) < 0)
		goto fail;

	for (int l = 0; l < PL__COUNT; l++)
		for (size_t i = 0; i < j->paths[l].n; i++)
			compile_entry(&c, (enum path_list)l, j->paths[l].v[i],
				      j->paths[l].line ? j->paths[l].line[i] : 0);
	if (d->nerrors != errors || compile_records(&c) < 0)
		goto fail;

	if (j->root && compile_root_etc(&c) < 0)
		goto fail;
	drop_covered_links(&c);
	/* A root jail has it in place of STEP_PROC (compile_root). */
	if (own_pids(j) && !j->root &&
	    add_auto(&c, STEP_PIDS, 0, 0, NULL, "/proc", 0) < 0)
		goto fail;
	if (j->private_tmp) {
		int l = j->private_tmp_line;
		if ((!j->root && add_auto(&c, STEP_TMPFS, 0, 01777, NULL, "/tmp", l) < 0) ||
		    add_auto(&c, STEP_TMPFS, STEP_F_OPTIONAL, 01777, NULL,
			     "/var/tmp", l) < 0)
			goto fail;
	}
	if (root_collisions(&c) < 0 || normalise(&c, false) < 0 ||
	    hide_aliases(&c) < 0 || normalise(&c, true) < 0)
		goto fail;
	if (j->nosuid && add_auto(&c, STEP_NOSUID, 0, 0, NULL, "/", 0) < 0)
		goto fail;
	out->tmpfs_size = j->tmpfs_size ? j->tmpfs_size : PLAN_TMPFS_SIZE_DEFAULT;
	out->tmpfs_inodes = j->tmpfs_inodes ? j->tmpfs_inodes : PLAN_TMPFS_INODES_DEFAULT;
	out->isolate = (j->private_network ? PLAN_ISO_NET : 0) |
		       (j->private_ipc ? PLAN_ISO_IPC : 0) |
		       (j->no_new_privileges ? PLAN_ISO_NNP : 0) |
		       (j->shared ? PLAN_ISO_SHARED : 0) |
		       (j->restrict_namespaces ? PLAN_ISO_RESTRICT_NS : 0) |
		       (j->scope_ipc ? PLAN_ISO_SCOPE_IPC : 0);
	out->owner = j->shared ? (uint32_t)u->uid : 0;

	/* The helper will check the same rules; failing here names the line. */
	char err[512];
	if (plan_validate(out, err, sizeof(err)) < 0) {
		diags_add(d, DIAG_ERROR, j->file, j->line, "jail '%s': %s",
			  j->name, err);
		goto fail;
	}
	return 0;
fail:
	if (d->nerrors == errors)
		diags_add(d, DIAG_ERROR, j->file, j->line, "jail '%s': out of memory",
			  j->name);
	plan_free(out);
	return -1;
}
