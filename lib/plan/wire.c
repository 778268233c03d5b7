/* The request on the helper's socket (layout in wire.h). The decoder reads
 * hostile bytes: every length is checked against what remains and against
 * the limits before anything is copied, and the result is validated. */
#include "wire.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define WIRE_MAX_NAME 255u

/* --- encoding ------------------------------------------------------------ */

struct wbuf {
	uint8_t *p;
	size_t len, cap;
};

static int put(struct wbuf *b, const void *v, size_t n)
{
	if (n > WIRE_MAX_BYTES - b->len)
		return -EMSGSIZE;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		uint8_t *np = realloc(b->p, cap);
		if (!np)
			return -ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, v, n);
	b->len += n;
	return 0;
}

#define PUT(b, T, v) ({ T v_ = (T)(v); put((b), &v_, sizeof(v_)); })

static int put_str16(struct wbuf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n > UINT16_MAX)
		return -ENAMETOOLONG;
	int r = PUT(b, uint16_t, n);
	return r < 0 ? r : put(b, s, n);
}

static int encode_step(struct wbuf *b, const struct step *s)
{
	int r;
	if ((s->src && !s->src[0]) || !s->dst || s->data_len > UINT32_MAX ||
	    (s->data_len && !s->data))
		return -EINVAL;
	if ((r = PUT(b, uint8_t, s->kind)) < 0 || (r = PUT(b, uint8_t, s->flags)) < 0 ||
	    (r = PUT(b, uint32_t, s->arg)) < 0 || (r = put_str16(b, s->src)) < 0 ||
	    (r = put_str16(b, s->dst)) < 0 || (r = PUT(b, uint32_t, s->data_len)) < 0 ||
	    (r = put(b, s->data, s->data_len)) < 0)
		return r;
	return 0;
}

static int encode(struct wbuf *b, const struct plan *p)
{
	int r;
	size_t jl = p->jail ? strlen(p->jail) : 0;
	if (p->n > PLAN_MAX_STEPS || jl > WIRE_MAX_NAME || (p->n && !p->v))
		return -EINVAL;
	if ((r = PUT(b, uint32_t, WIRE_MAGIC)) < 0 || (r = PUT(b, uint32_t, 0)) < 0 ||
	    (r = put_str16(b, p->jail)) < 0 || (r = PUT(b, uint32_t, p->n)) < 0)
		return r;
	for (size_t i = 0; i < p->n; i++)
		if ((r = encode_step(b, &p->v[i])) < 0)
			return r;
	if ((r = PUT(b, uint64_t, p->tmpfs_size)) < 0 ||
	    (r = PUT(b, uint64_t, p->tmpfs_inodes)) < 0 ||
	    (r = PUT(b, uint64_t, p->isolate)) < 0 ||
	    (r = PUT(b, uint32_t, p->owner)) < 0)
		return r;
	uint32_t total = (uint32_t)b->len;
	memcpy(b->p + 4, &total, sizeof(total));
	return 0;
}

int wire_encode(const struct plan *p, uint8_t **buf, size_t *len)
{
	struct wbuf b = { 0 };
	int r = encode(&b, p);
	if (r < 0) {
		free(b.p);
		return r;
	}
	*buf = b.p;
	*len = b.len;
	return 0;
}

/* --- decoding ------------------------------------------------------------ */

struct rbuf {
	const uint8_t *p;
	size_t left;
	char *err;
	size_t errlen;
};

static int rfail(struct rbuf *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int rfail(struct rbuf *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, r->errlen, "malformed request: ");
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < r->errlen)
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int get(struct rbuf *r, void *v, size_t n, const char *what)
{
	if (n > r->left)
		return rfail(r, "truncated at %s", what);
	memcpy(v, r->p, n);
	r->p += n;
	r->left -= n;
	return 0;
}

/* A length-prefixed string, copied with a terminating NUL. A zero length
 * gives NULL. Embedded NULs are refused: the string would mean something
 * shorter than what was checked. */
static int get_str(struct rbuf *r, size_t n, size_t max, char **out, const char *what)
{
	*out = NULL;
	if (n > max)
		return rfail(r, "%s too long (%zu)", what, n);
	if (n > r->left)
		return rfail(r, "truncated in %s", what);
	if (n == 0)
		return 0;
	if (memchr(r->p, '\0', n))
		return rfail(r, "NUL byte in %s", what);
	if (!(*out = malloc(n + 1)))
		return rfail(r, "out of memory");
	memcpy(*out, r->p, n);
	(*out)[n] = '\0';
	r->p += n;
	r->left -= n;
	return 0;
}

static int get_step(struct rbuf *r, struct step *s)
{
	uint8_t kind = 0, flags = 0;
	uint16_t sl = 0, dl = 0;
	uint32_t arg = 0, datal = 0;
	if (get(r, &kind, 1, "kind") || get(r, &flags, 1, "flags") ||
	    get(r, &arg, 4, "arg") || get(r, &sl, 2, "src length") ||
	    get_str(r, sl, PATH_MAX - 1, &s->src, "src") ||
	    get(r, &dl, 2, "dst length") ||
	    get_str(r, dl, PATH_MAX - 1, &s->dst, "dst") ||
	    get(r, &datal, 4, "data length"))
		return -1;
	if (kind >= STEP__COUNT)
		return rfail(r, "unknown step kind %u", kind);
	if (datal > PLAN_MAX_DATA)
		return rfail(r, "data too long (%u)", datal);
	if (datal > r->left)
		return rfail(r, "truncated in data");
	s->kind = kind;
	s->flags = flags;
	s->arg = arg;
	if (datal) {
		/* Data holds NULs by design; kept as bytes plus a spare NUL. */
		if (!(s->data = malloc(datal + 1)))
			return rfail(r, "out of memory");
		memcpy(s->data, r->p, datal);
		s->data[datal] = '\0';
		s->data_len = datal;
		r->p += datal;
		r->left -= datal;
	}
	return 0;
}

static int decode(struct rbuf *r, size_t len, struct plan *out)
{
	uint32_t magic = 0, total = 0, n = 0;
	uint16_t jl = 0;
	if (len > WIRE_MAX_BYTES)
		return rfail(r, "%zu bytes, more than %u", len, WIRE_MAX_BYTES);
	if (get(r, &magic, 4, "magic") || get(r, &total, 4, "length"))
		return -1;
	if (magic != WIRE_MAGIC)
		return rfail(r, "bad magic %#x", magic);
	if (total != len)
		return rfail(r, "length %u but %zu bytes", total, len);
	if (get(r, &jl, 2, "name length") ||
	    get_str(r, jl, WIRE_MAX_NAME, &out->jail, "jail name") ||
	    get(r, &n, 4, "step count"))
		return -1;
	if (!out->jail && !(out->jail = strdup("")))
		return rfail(r, "out of memory");
	if (n > PLAN_MAX_STEPS)
		return rfail(r, "%u steps, more than %u", n, PLAN_MAX_STEPS);
	/* Each step takes at least 14 bytes: a count the buffer cannot hold is
	 * refused before allocating for it. */
	if (n > r->left / 14)
		return rfail(r, "%u steps cannot fit in %zu bytes", n, r->left);
	if (n && !(out->v = calloc(n, sizeof(*out->v))))
		return rfail(r, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		out->n = i + 1; /* so plan_free releases what was decoded */
		if (get_step(r, &out->v[i]) < 0) {
			size_t m = strlen(r->err);
			snprintf(r->err + m, r->errlen - m, " (step %u)", i + 1);
			return -1;
		}
	}
	if (get(r, &out->tmpfs_size, 8, "tmpfs size") ||
	    get(r, &out->tmpfs_inodes, 8, "tmpfs inodes") ||
	    get(r, &out->isolate, 8, "isolation flags") ||
	    get(r, &out->owner, 4, "owner"))
		return -1;
	if (r->left)
		return rfail(r, "%zu trailing bytes", r->left);
	out->has_root = n > 0 && (out->v[0].kind == STEP_ROOT_DIR ||
				  out->v[0].kind == STEP_ROOT_TMPFS);
	return 0;
}

int wire_decode(const uint8_t *buf, size_t len, struct plan *out,
		char *err, size_t errlen)
{
	char dummy[1];
	struct rbuf r = { buf, len, errlen ? err : dummy, errlen ? errlen : sizeof(dummy) };
	memset(out, 0, sizeof(*out));
	r.err[0] = '\0';
	if (decode(&r, len, out) < 0 || plan_validate(out, r.err, r.errlen) < 0) {
		plan_free(out);
		return -1;
	}
	return 0;
}
