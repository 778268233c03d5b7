#include "expand.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "util.h"

/* The value a token stands for, or NULL with err set. */
static const char *token_value(char tok, const struct user_info *u,
			       char *num, size_t numlen, char *err,
			       size_t errlen)
{
	switch (tok) {
	case 'u':
		if (!name_is_safe(u->name))
			break;
		return u->name;
	case 'g':
		if (!u->group || !name_is_safe(u->group))
			break;
		return u->group;
	case 'U':
		snprintf(num, numlen, "%u", (unsigned)u->uid);
		return num;
	case 'G':
		snprintf(num, numlen, "%u", (unsigned)u->gid);
		return num;
	case 'h':
		if (!u->home || !path_is_normal(u->home))
			break;
		return u->home;
	case '%':
		return "%";
	default:
		snprintf(err, errlen, "unknown token '%%%c'", tok ? tok : ' ');
		return NULL;
	}
	snprintf(err, errlen, "%%%c: the %s of user '%s' is not safe in a path",
		 tok, tok == 'h' ? "home directory" : "name", u->name);
	return NULL;
}

int expand_path(const char *tmpl, const struct user_info *u, char **out,
		char *err, size_t errlen)
{
	char buf[PATH_MAX];
	size_t len = 0;

	*out = NULL;
	for (const char *p = tmpl; *p; p++) {
		char num[24];
		const char *val = (char[2]){ *p, '\0' };
		if (*p == '%') {
			val = token_value(p[1], u, num, sizeof(num), err, errlen);
			if (!val)
				return -1;
			p++;
		}
		size_t n = strlen(val);
		if (len + n >= sizeof(buf)) {
			snprintf(err, errlen, "path too long (over %d bytes)", PATH_MAX - 1);
			return -1;
		}
		memcpy(buf + len, val, n);
		len += n;
	}
	buf[len] = '\0';
	if (!path_is_normal(buf)) {
		snprintf(err, errlen,
			 "'%s' expands to '%s', which is not an absolute normalised path",
			 tmpl, buf);
		return -1;
	}
	*out = strdup(buf);
	if (!*out) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

bool template_uses(const char *tmpl, char tok)
{
	for (const char *p = tmpl; *p; p++)
		if (*p == '%' && *++p == tok)
			return true;
		else if (!*p)
			break;
	return false;
}
