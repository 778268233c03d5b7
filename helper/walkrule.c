/* The resolver's pure rules: see walkrule.h. */
#include "walkrule.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

int lex_append(char *out, size_t outlen, const char *in)
{
	size_t len = strlen(out);
	if (len == 1)
		len = 0; /* "/" -> "" while building */
	for (const char *c = in; *c;) {
		const char *end = strchrnul(c, '/');
		size_t n = (size_t)(end - c);
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			while (len > 0 && out[--len] != '/')
				;
		} else if (n > 0 && !(n == 1 && c[0] == '.')) {
			if (len + 1 + n + 1 > outlen)
				return -1;
			out[len++] = '/';
			memcpy(out + len, c, n);
			len += n;
		}
		c = *end ? end + 1 : end;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

int link_rewrite(char *path, size_t pathlen, const char *comp, const char *target,
		 const char *rest)
{
	char tail[PATH_MAX];
	snprintf(tail, sizeof(tail), "%s", rest); /* rest may lie in path */
	/* path becomes dirname(comp), then target, then the rest. */
	snprintf(path, pathlen, "%s", comp);
	if (target[0] == '/')
		snprintf(path, pathlen, "/");
	else
		lex_append(path, pathlen, "..");
	if (lex_append(path, pathlen, target) < 0 || lex_append(path, pathlen, tail) < 0)
		return -1;
	return 0;
}

enum link_verdict link_verdict(const struct stat *lst, const struct stat *dirst)
{
	if (lst->st_uid != 0)
		return LINK_USER_LINK;
	if (dirst->st_uid != 0 || (dirst->st_mode & 022))
		return LINK_USER_DIR;
	return LINK_FOLLOW;
}

bool chain_ok(const struct stat *st)
{
	return S_ISDIR(st->st_mode) && st->st_uid == 0 && !(st->st_mode & 022);
}
