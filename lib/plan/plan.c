/* The plan as data (plan.h): kind names, the structural check the helper
 * runs on what it receives, printing and freeing. No libconfig, no
 * syscalls. */
#include "plan.h"
#include "paths.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const step_kind_name[STEP__COUNT] = {
	[STEP_ROOT_DIR] = "root_dir",
	[STEP_ROOT_TMPFS] = "root_tmpfs",
	[STEP_SYMLINK] = "symlink",
	[STEP_PROC] = "proc",
	[STEP_SYS] = "sys",
	[STEP_DEV] = "dev",
	[STEP_ETC] = "etc",
	[STEP_INACCESSIBLE] = "inaccessible",
	[STEP_BIND] = "bind",
	[STEP_BIND_RO] = "bind_ro",
	[STEP_TMPFS] = "tmpfs",
	[STEP_READ_ONLY] = "read_only",
	[STEP_READ_WRITE] = "read_write",
	[STEP_NOSUID] = "nosuid",
	[STEP_PIDS] = "private_pids",
	[STEP_ETC_HOST] = "etc_host",
};

static const char *const etc_names[] = { "passwd", "group", "nsswitch.conf" };

/* What a jail never takes from the host's /etc: the password and group
 * shadows, sudo's rules, private keys (ssh's host keys, TLS keys, the
 * Kerberos keytab), old passwords. A piece is refused when it is one of
 * these or lies below one, and when it is a directory holding one. */
static const char *const etc_secrets[] = {
	"/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-",
	"/etc/sudoers", "/etc/sudoers.d", "/etc/ssl/private", "/etc/krb5.keytab",
	"/etc/security/opasswd", "/etc/ssh/ssh_host_ecdsa_key", "/etc/ssh/ssh_host_ed25519_key",
	"/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_dsa_key", "/etc/ssh/sshd_config.d",
	"/etc/ipsec.secrets", "/etc/ppp/chap-secrets", "/etc/ppp/pap-secrets", "/etc/libvirt",
	"/etc/NetworkManager/system-connections", "/etc/wireguard", "/etc/letsencrypt",
};

bool plan_etc_piece_ok(const char *path, const char **why)
{
	*why = NULL;
	if (!path_is_normal(path) || strncmp(path, "/etc/", 5) != 0)
		*why = "not a normalised path below /etc";
	for (size_t k = 0; !*why && k < sizeof(etc_names) / sizeof(etc_names[0]); k++)
		if (!strcmp(path + 5, etc_names[k]))
			*why = "one of the synthesized files";
	for (size_t k = 0; !*why && k < sizeof(etc_secrets) / sizeof(etc_secrets[0]); k++)
		if (path_is_under(path, etc_secrets[k]) || path_is_under(etc_secrets[k], path))
			*why = "a secret (or holds one)";
	/* Any other private key ssh keeps next to its host keys. */
	if (!*why && path_is_under(path, "/etc/ssh") && strstr(path, "key") &&
	    !strstr(path, ".pub"))
		*why = "a secret (or holds one)";
	return !*why;
}

/* The fixed mount point of each automatic step, NULL when free. */
static const char *fixed_dst(enum step_kind k)
{
	switch (k) {
	case STEP_PROC:
	case STEP_PIDS: return "/proc";
	case STEP_SYS: return "/sys";
	case STEP_DEV: return "/dev";
	case STEP_ETC: return "/etc";
	case STEP_NOSUID: return "/";
	default: return NULL;
	}
}

static bool is_bind(enum step_kind k)
{
	return k == STEP_BIND || k == STEP_BIND_RO;
}

static int bad(char *err, size_t errlen, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int bad(char *err, size_t errlen, size_t i, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "step %zu: ", i + 1);
	if (n < 0 || (size_t)n >= errlen)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A relative link target: no leading '/', no empty, "." or ".." component,
 * no control characters (path_is_normal on "/" + target). */
static bool link_target_ok(const char *t)
{
	if (t[0] == '\0' || t[0] == '/')
		return false;
	char buf[4096];
	size_t n = strlen(t);
	if (n + 1 >= sizeof(buf))
		return false;
	buf[0] = '/';
	memcpy(buf + 1, t, n + 1);
	return path_is_normal(buf);
}

static bool etc_data_ok(const char *d, size_t len)
{
	if (len == 0 || len > PLAN_MAX_DATA || d[len - 1] != '\0')
		return false;
	for (size_t off = 0; off < len;) {
		const char *name = d + off;
		size_t nl = strlen(name);
		if (off + nl + 1 >= len)
			return false; /* a name without content */
		bool known = false;
		for (size_t k = 0; k < sizeof(etc_names) / sizeof(etc_names[0]); k++)
			known |= strcmp(name, etc_names[k]) == 0;
		if (!known)
			return false;
		off += nl + 1;
		off += strlen(d + off) + 1;
	}
	return true;
}

static int check_step(const struct plan *p, size_t i, char *err, size_t errlen)
{
	const struct step *s = &p->v[i];
	if ((unsigned)s->kind >= STEP__COUNT)
		return bad(err, errlen, i, "unknown kind %u", (unsigned)s->kind);
	const char *kn = step_kind_name[s->kind];
	if (s->flags & ~(unsigned)STEP_F__ALL)
		return bad(err, errlen, i, "%s: unknown flags %#x", kn, s->flags);
	if (!s->dst || !path_is_normal(s->dst))
		return bad(err, errlen, i, "%s: destination not an absolute normalised path", kn);
	if (is_bind(s->kind) || s->kind == STEP_ETC_HOST ? !s->src || !path_is_normal(s->src) :
	    s->kind == STEP_SYMLINK ? !s->src || !link_target_ok(s->src) :
	    s->kind == STEP_DEV ? s->src && !terminal_path_ok(s->src) : s->src != NULL)
		return bad(err, errlen, i, "%s %s: bad source", kn, s->dst);
	if (s->kind == STEP_ETC ? !s->data || !etc_data_ok(s->data, s->data_len) :
	    s->data != NULL || s->data_len != 0)
		return bad(err, errlen, i, "%s %s: bad data", kn, s->dst);
	if (s->kind == STEP_TMPFS ? s->arg > 07777 : s->kind != STEP_DEV && s->arg != 0)
		return bad(err, errlen, i, "%s %s: bad argument %#o", kn, s->dst, s->arg);
	const char *why;
	if (s->kind == STEP_ETC_HOST && (!plan_etc_piece_ok(s->dst, &why) || strcmp(s->src, s->dst)))
		return bad(err, errlen, i, "etc_host %s: %s", s->dst, why ? why : "source is not the same path");
	if (s->kind == STEP_ETC_HOST && !plan_has(p, STEP_ETC))
		return bad(err, errlen, i, "etc_host %s: without a synthesized /etc", s->dst);
	if ((s->kind == STEP_ROOT_DIR || s->kind == STEP_ROOT_TMPFS) && i != 0)
		return bad(err, errlen, i, "%s: root step not first", kn);
	if (s->kind >= STEP_SYMLINK && s->kind <= STEP_ETC && !p->has_root)
		return bad(err, errlen, i, "%s %s: only in a jail with a root", kn, s->dst);
	if (s->kind == STEP_SYMLINK && (strcmp(s->dst, "/") == 0 || strchr(s->dst + 1, '/')))
		return bad(err, errlen, i, "symlink %s: not a top-level name", s->dst);
	if (fixed_dst(s->kind) && strcmp(s->dst, fixed_dst(s->kind)) != 0)
		return bad(err, errlen, i, "%s %s: must be %s", kn, s->dst, fixed_dst(s->kind));
	if (s->kind == STEP_NOSUID && i + 1 != p->n)
		return bad(err, errlen, i, "nosuid: not the last step");
	return 0;
}

static bool is_flag(enum step_kind k)
{
	return k == STEP_READ_ONLY || k == STEP_READ_WRITE;
}

/* Parents before children, automatic steps included: a later step on a
 * parent would cover (a mount) or change (a flag) what an earlier step
 * did below it, e.g. private_pids's /proc over a hide in /proc. On one
 * path: nothing after a hide, one mount at most, and flags after it.
 * Exempt: a root directory (its dst is a host path), the top-level links
 * (not mounts) and nosuid (last by its own rule). Quadratic, but
 * n <= PLAN_MAX_STEPS and this only compares strings. */
static int check_order(const struct plan *p, char *err, size_t errlen)
{
	for (size_t j = 0; j < p->n; j++) {
		const struct step *b = &p->v[j];
		if (b->kind == STEP_ROOT_DIR || b->kind == STEP_NOSUID)
			continue;
		for (size_t i = 0; i < j; i++) {
			const struct step *a = &p->v[i];
			if (a->kind == STEP_ROOT_DIR || a->kind == STEP_SYMLINK)
				continue;
			const char *kb = step_kind_name[b->kind];
			if (strcmp(a->dst, b->dst) != 0) {
				if (path_is_under(a->dst, b->dst))
					return bad(err, errlen, j, "%s %s: after its child %s (steps not sorted)",
						   kb, b->dst, a->dst);
			} else if (a->kind == STEP_INACCESSIBLE) {
				return bad(err, errlen, j, "%s %s: after a hide of the same path", kb, b->dst);
			} else if (!is_flag(b->kind) && b->kind != STEP_INACCESSIBLE) {
				return bad(err, errlen, j, "%s %s: a second mount, or a mount after a flag, on one path",
					   kb, b->dst);
			}
		}
	}
	return 0;
}

bool plan_has(const struct plan *p, enum step_kind k)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].kind == k)
			return true;
	return false;
}

/* One procfs on /proc: the session's (private_pids) or a root's, once. */
static int check_proc(const struct plan *p, char *err, size_t errlen)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++)
		if ((p->v[i].kind == STEP_PROC || p->v[i].kind == STEP_PIDS) && ++n > 1)
			return bad(err, errlen, i, "%s: a second procfs on /proc",
				   step_kind_name[p->v[i].kind]);
	return 0;
}

int plan_validate(const struct plan *p, char *err, size_t errlen)
{
	if (p->n > PLAN_MAX_STEPS || (p->n && !p->v)) {
		snprintf(err, errlen, "bad step count (%zu)", p->n);
		return -1;
	}
	bool root = p->n > 0 && (p->v[0].kind == STEP_ROOT_DIR || p->v[0].kind == STEP_ROOT_TMPFS);
	if (root != p->has_root) {
		snprintf(err, errlen, "has_root does not match the first step");
		return -1;
	}
	if (p->tmpfs_size < PLAN_TMPFS_SIZE_MIN || p->tmpfs_size > PLAN_TMPFS_SIZE_MAX ||
	    p->tmpfs_inodes < PLAN_TMPFS_INODES_MIN || p->tmpfs_inodes > PLAN_TMPFS_INODES_MAX) {
		snprintf(err, errlen, "tmpfs caps out of range (size %llu, inodes %llu)",
			 (unsigned long long)p->tmpfs_size, (unsigned long long)p->tmpfs_inodes);
		return -1;
	}
	if (p->isolate & ~(uint64_t)PLAN_ISO__ALL) {
		snprintf(err, errlen, "unknown isolation flags %#llx",
			 (unsigned long long)p->isolate);
		return -1;
	}
	if (p->owner && !(p->isolate & PLAN_ISO_SHARED)) {
		snprintf(err, errlen, "an owner (uid %u) but not shared", (unsigned)p->owner);
		return -1;
	}
	for (size_t i = 0; i < p->n; i++)
		if (check_step(p, i, err, errlen) < 0)
			return -1;
	if (check_proc(p, err, errlen) < 0)
		return -1;
	return check_order(p, err, errlen);
}

/* The file names of an etc step: every other string of its data. */
static void print_etc(const struct step *s, FILE *out)
{
	bool name = true;
	for (size_t off = 0; s->data && off < s->data_len; name = !name) {
		size_t l = strnlen(s->data + off, s->data_len - off);
		if (name)
			fprintf(out, " %.*s", (int)l, s->data + off);
		off += l + 1;
	}
}

/* "256M", or the number of bytes when it is not a whole unit. */
static void print_bytes(uint64_t v, FILE *out)
{
	static const char units[] = "KMGT";
	int u = -1;
	while (u < 3 && v >= 1024 && v % 1024 == 0)
		v /= 1024, u++;
	fprintf(out, "%llu%s", (unsigned long long)v, u < 0 ? "" : (char[]){ units[u], 0 });
}

void plan_tmpfs_opts(const struct plan *p, char size[32], char inodes[32])
{
	snprintf(size, 32, "size=%llu", (unsigned long long)p->tmpfs_size);
	snprintf(inodes, 32, "nr_inodes=%llu", (unsigned long long)p->tmpfs_inodes);
}

void plan_print(const struct plan *p, FILE *out)
{
	fputs("     tmpfs caps: size ", out);
	print_bytes(p->tmpfs_size, out);
	fprintf(out, ", %llu inodes (each tmpfs, /tmp, /var/tmp, /dev/shm, a tmpfs root)\n",
		(unsigned long long)p->tmpfs_inodes);
	if (p->isolate)
		fprintf(out, "     isolation:%s%s%s%s%s%s\n",
			p->isolate & PLAN_ISO_NET ? " private_network (loopback only)" : "",
			p->isolate & PLAN_ISO_IPC ? " private_ipc" : "",
			p->isolate & PLAN_ISO_NNP ? " no_new_privileges" : "",
			p->isolate & PLAN_ISO_RESTRICT_NS ? " restrict_namespaces" : "",
			p->isolate & PLAN_ISO_SCOPE_IPC ? " scope_ipc" : "",
			p->isolate & PLAN_ISO_SHARED
				? " shared (one jail for all of the user's sessions)" : "");
	for (size_t i = 0; i < p->n; i++) {
		const struct step *s = &p->v[i];
		const char *kn = (unsigned)s->kind < STEP__COUNT ? step_kind_name[s->kind] : "?";
		fprintf(out, "%3zu. %-12s %s", i + 1, kn, s->dst ? s->dst : "(null)");
		if ((is_bind(s->kind) || s->kind == STEP_SYMLINK || s->kind == STEP_ETC_HOST) && s->src)
			fprintf(out, " <- %s", s->src);
		if (s->kind == STEP_TMPFS)
			fprintf(out, " mode %04o", s->arg);
		if (s->kind == STEP_DEV)
			fprintf(out, " tty gid %u", s->arg);
		if (s->kind == STEP_DEV && s->src)
			fprintf(out, " terminal %s", s->src);
		if (s->kind == STEP_ETC)
			print_etc(s, out);
		/* Not silent: a directory root's own populated /etc is kept. */
		if ((s->kind == STEP_ETC || s->kind == STEP_ETC_HOST) &&
		    p->v[0].kind == STEP_ROOT_DIR)
			fputs(" (where the root's /etc is missing or empty)", out);
		if (s->flags & STEP_F_OPTIONAL)
			fputs(" (optional)", out);
		if (s->flags & STEP_F_AUTO)
			fputs(" (auto)", out);
		if (s->file)
			fprintf(out, "  # %s:%d", s->file, s->line);
		fputc('\n', out);
	}
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].src);
		free(p->v[i].dst);
		free(p->v[i].data);
	}
	free(p->v);
	free(p->jail);
	memset(p, 0, sizeof(*p));
}

/* Steps that put something over their dst. */
static bool covers(enum step_kind k)
{
	return k == STEP_BIND || k == STEP_BIND_RO || k == STEP_TMPFS || k == STEP_PIDS ||
	       k == STEP_PROC || k == STEP_SYS || k == STEP_DEV || k == STEP_ETC ||
	       k == STEP_ETC_HOST;
}

bool plan_shows_host(enum step_kind k)
{
	return k == STEP_BIND || k == STEP_BIND_RO || k == STEP_ETC_HOST;
}

const char *plan_host_path(const struct plan *p, const struct step *s, char *buf, size_t len)
{
	const struct step *cover = NULL;
	for (size_t i = p->has_root ? 1 : 0; i < p->n; i++) {
		const struct step *c = &p->v[i];
		if (covers(c->kind) && c != s && path_is_under(s->dst, c->dst) &&
		    (!cover || strlen(c->dst) > strlen(cover->dst)))
			cover = c;
	}
	const char *base, *rest = s->dst;
	if (cover && plan_shows_host(cover->kind)) {
		base = cover->src;
		rest += strcmp(cover->dst, "/") == 0 ? 0 : strlen(cover->dst);
	} else if (cover || (p->has_root && p->v[0].kind != STEP_ROOT_DIR)) {
		return NULL;
	} else {
		base = p->has_root ? p->v[0].dst : "/";
	}
	int n = snprintf(buf, len, "%s%s", strcmp(base, "/") == 0 ? "" : base, rest);
	return n <= 0 || (size_t)n >= len ? NULL : buf;
}
