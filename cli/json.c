/* The JSON writer of json.h. */
#include "json.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or 0 when s[0] does not start one.
 * Reads no further than a NUL: a NUL is never a continuation byte. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		lo = c == 0xe0 ? 0xa0 : lo; /* overlong */
		hi = c == 0xed ? 0x9f : hi; /* surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		lo = c == 0xf0 ? 0x90 : lo; /* overlong */
		hi = c == 0xf4 ? 0x8f : hi; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void json_write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	fputc('"', f);
	while (*s) {
		unsigned char c = *s;
		size_t n = c >= 0x80 ? utf8_len(s) : 1;
		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c == '\r') {
			fputs("\\r", f);
		} else if (c < 0x20 || c == 0x7f || n == 0) {
			/* a control character, or a byte that is not UTF-8 */
			fprintf(f, "\\u%04x", c);
			n = 1;
		} else {
			fwrite(s, 1, n, f);
		}
		s += n;
	}
	fputc('"', f);
}

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

/* Before any value: the comma, and whether a value may come here (after a
 * key in an object, anywhere in an array, once at the top). */
static void before_value(struct json *j)
{
	bool key = j->after_key;
	j->after_key = false;
	if (j->depth == 0) {
		j->bad |= j->done; /* a second document */
		j->done = true;
		return;
	}
	int l = j->depth - 1;
	if (j->in_object[l] && !key)
		j->bad = true; /* a member without a name */
	if (!j->in_object[l] && j->need_comma[l])
		fputc(',', j->f);
	j->need_comma[l] = true;
}

static void open_(struct json *j, char c, bool object)
{
	before_value(j);
	if (j->depth >= JSON_MAX_DEPTH) {
		j->bad = true;
		return;
	}
	fputc(c, j->f);
	j->in_object[j->depth] = object;
	j->need_comma[j->depth] = false;
	j->depth++;
}

static void close_(struct json *j, char c, bool object)
{
	if (j->depth == 0 || j->in_object[j->depth - 1] != object || j->after_key) {
		j->bad = true;
		return;
	}
	j->depth--;
	fputc(c, j->f);
}

void json_object(struct json *j) { open_(j, '{', true); }
void json_object_end(struct json *j) { close_(j, '}', true); }
void json_array(struct json *j) { open_(j, '[', false); }
void json_array_end(struct json *j) { close_(j, ']', false); }

void json_key(struct json *j, const char *k)
{
	if (j->depth == 0 || !j->in_object[j->depth - 1] || j->after_key) {
		j->bad = true;
		return;
	}
	if (j->need_comma[j->depth - 1])
		fputc(',', j->f);
	json_write_string(j->f, k);
	fputc(':', j->f);
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	before_value(j);
	if (s)
		json_write_string(j->f, s);
	else
		fputs("null", j->f);
}

void json_int(struct json *j, long long v)
{
	before_value(j);
	fprintf(j->f, "%lld", v);
}

void json_bool(struct json *j, bool v)
{
	before_value(j);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j)
{
	before_value(j);
	fputs("null", j->f);
}

void json_kstr(struct json *j, const char *k, const char *s)
{
	json_key(j, k);
	json_str(j, s);
}

void json_kint(struct json *j, const char *k, long long v)
{
	json_key(j, k);
	json_int(j, v);
}

void json_kbool(struct json *j, const char *k, bool v)
{
	json_key(j, k);
	json_bool(j, v);
}

int json_end(struct json *j)
{
	if (j->depth != 0 || !j->done || j->after_key)
		j->bad = true;
	fputc('\n', j->f);
	return j->bad ? -1 : 0;
}
