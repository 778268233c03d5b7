/* A small JSON writer for nsjailctl's --json output: one document, written
 * as it is built, on one line. Strings are bytes (paths, user names, file
 * contents): valid UTF-8 passes through; '"', '\\' and every control
 * character are escaped; a byte that is not part of valid UTF-8 is written
 * as \u00XX (U+0080..U+00FF, the code point of the same value), so that
 * the output is always valid UTF-8 JSON whatever the input.
 *
 * The writer places the commas and checks the nesting; writes go to f and
 * their errors stay in f's error flag (out_close() checks stdout's). */
#ifndef NSJAILCTL_JSON_H
#define NSJAILCTL_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool bad;                     /* misuse: nesting or a key misplaced */
	/* per open container, outermost first: */
	bool need_comma[JSON_MAX_DEPTH]; /* it has a member: a comma next */
	bool in_object[JSON_MAX_DEPTH];  /* an object, not an array */
	bool after_key;               /* a key written, its value not yet */
	bool done;                    /* the top-level value was begun */
};

void json_init(struct json *j, FILE *f);

void json_object(struct json *j);     /* { */
void json_object_end(struct json *j); /* } */
void json_array(struct json *j);      /* [ */
void json_array_end(struct json *j);  /* ] */

/* In an object: the next value's name. */
void json_key(struct json *j, const char *k);

void json_str(struct json *j, const char *s); /* NULL: null */
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* Shorthands for a member: json_key then the value. */
void json_kstr(struct json *j, const char *k, const char *s);
void json_kint(struct json *j, const char *k, long long v);
void json_kbool(struct json *j, const char *k, bool v);

/* Ends the document (a newline). 0, or -1 when it is not complete or was
 * misused (a bug: the caller reports it). */
int json_end(struct json *j);

/* Writes s as a JSON string, quotes included (the escaping above). */
void json_write_string(FILE *f, const char *s);

#endif
