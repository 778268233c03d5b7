#include "paths.h"

#include <limits.h>
#include <string.h>

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

bool path_is_normal(const char *p)
{
	size_t len = strlen(p);
	if (len == 0 || len >= PATH_MAX || p[0] != '/' || has_control(p))
		return false;
	if (len == 1)
		return true;
	if (p[len - 1] == '/')
		return false;
	for (const char *c = p + 1;;) {
		const char *end = strchr(c, '/');
		size_t n = end ? (size_t)(end - c) : strlen(c);
		if (n == 0 || n > NAME_MAX || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		if (!end)
			return true;
		c = end + 1;
	}
}

bool path_is_under(const char *child, const char *parent)
{
	size_t n = strlen(parent);
	if (strcmp(parent, "/") == 0)
		return child[0] == '/';
	return strncmp(child, parent, n) == 0 &&
	       (child[n] == '\0' || child[n] == '/');
}

bool name_is_safe(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && n <= NAME_MAX && strcmp(s, ".") != 0 &&
	       strcmp(s, "..") != 0 && !strchr(s, '/') && !has_control(s);
}

bool terminal_path_ok(const char *p)
{
	static const char *const prefixes[] = { "/dev/pts/", "/dev/ttyS", "/dev/tty" };
	for (size_t i = 0; p && i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t l = strlen(prefixes[i]);
		if (strncmp(p, prefixes[i], l) != 0)
			continue;
		size_t n = strspn(p + l, "0123456789");
		return n > 0 && n <= 10 && p[l + n] == '\0';
	}
	return false;
}
