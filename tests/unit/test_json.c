/* nsjailctl's JSON writer (cli/json.c): what a string becomes (quotes,
 * backslashes, control characters, valid UTF-8 kept, every byte that is not
 * UTF-8 as \u00XX), commas and nesting, and misuse reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

/* s written as a JSON string. */
static char *str(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	json_write_string(f, s);
	assert_int_equal(fclose(f), 0);
	return buf;
}

#define STR_IS(in, want)                                                       \
	do {                                                                   \
		char *got_ = str(in);                                          \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

static void test_escapes(void **state)
{
	(void)state;
	STR_IS("", "\"\"");
	STR_IS("/home/alice", "\"/home/alice\"");
	STR_IS("a\"b", "\"a\\\"b\"");
	STR_IS("a\\b", "\"a\\\\b\"");
	STR_IS("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	STR_IS("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	STR_IS("\x1b[31m", "\"\\u001b[31m\""); /* no terminal escapes through */
	STR_IS("/", "\"/\"");
}

static void test_utf8(void **state)
{
	(void)state;
	/* valid: kept as is (2, 3 and 4 bytes) */
	STR_IS("caf\xc3\xa9", "\"caf\xc3\xa9\"");
	STR_IS("\xe2\x82\xac", "\"\xe2\x82\xac\"");
	STR_IS("\xf0\x9f\x94\x92", "\"\xf0\x9f\x94\x92\"");
	STR_IS("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\""); /* U+10FFFF */
	/* not UTF-8: each byte on its own */
	STR_IS("\xff", "\"\\u00ff\"");
	STR_IS("a\x80z", "\"a\\u0080z\"");         /* lone continuation */
	STR_IS("\xc3", "\"\\u00c3\"");             /* truncated at the end */
	STR_IS("\xc3(", "\"\\u00c3(\"");           /* bad continuation */
	STR_IS("\xc0\xaf", "\"\\u00c0\\u00af\"");  /* overlong "/" */
	STR_IS("\xe0\x80\xaf", "\"\\u00e0\\u0080\\u00af\""); /* overlong */
	STR_IS("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\""); /* surrogate */
	STR_IS("\xf4\x90\x80\x80", "\"\\u00f4\\u0090\\u0080\\u0080\""); /* > U+10FFFF */
	STR_IS("\xf5\x80\x80\x80", "\"\\u00f5\\u0080\\u0080\\u0080\"");
	STR_IS("\xe2\x82", "\"\\u00e2\\u0082\"");  /* truncated 3-byte */
	STR_IS("\xe2\x82\"", "\"\\u00e2\\u0082\\\"\""); /* then a quote */
}

/* A document built by fn, and json_end's result. */
static char *doc(void (*fn)(struct json *), int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	struct json j;
	json_init(&j, f);
	fn(&j);
	*rc = json_end(&j);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void nested(struct json *j)
{
	json_object(j);
	json_kstr(j, "a", "x");
	json_kint(j, "n", -3);
	json_kbool(j, "t", true);
	json_key(j, "l");
	json_array(j);
	json_int(j, 1);
	json_str(j, NULL);
	json_object(j);
	json_object_end(j);
	json_array(j);
	json_array_end(j);
	json_array_end(j);
	json_key(j, "z");
	json_null(j);
	json_object_end(j);
}

static void test_document(void **state)
{
	(void)state;
	int rc;
	char *s = doc(nested, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "{\"a\":\"x\",\"n\":-3,\"t\":true,\"l\":[1,null,{},[]],\"z\":null}\n");
	free(s);
}

static void unclosed(struct json *j) { json_object(j); json_kint(j, "a", 1); }
static void keyless(struct json *j) { json_object(j); json_int(j, 1); json_object_end(j); }
static void key_in_array(struct json *j) { json_array(j); json_key(j, "a"); json_int(j, 1); json_array_end(j); }
static void two_docs(struct json *j) { json_int(j, 1); json_int(j, 2); }
static void dangling_key(struct json *j) { json_object(j); json_key(j, "a"); json_object_end(j); }
static void mismatched(struct json *j) { json_object(j); json_array_end(j); }
static void empty(struct json *j) { (void)j; }
static void too_deep(struct json *j)
{
	for (int i = 0; i < JSON_MAX_DEPTH + 1; i++)
		json_array(j);
	for (int i = 0; i < JSON_MAX_DEPTH + 1; i++)
		json_array_end(j);
}

static void test_misuse(void **state)
{
	(void)state;
	void (*bad[])(struct json *) = { unclosed, keyless, key_in_array, two_docs,
					 dangling_key, mismatched, empty, too_deep };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc;
		free(doc(bad[i], &rc));
		assert_int_equal(rc, -1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_misuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
