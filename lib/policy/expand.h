/* Token expansion in path templates: %u %U %g %G %h %%. Pure. */
#ifndef NSJAIL_EXPAND_H
#define NSJAIL_EXPAND_H

#include <stdbool.h>
#include <stddef.h>

#include "user.h"

/* Expands tmpl for u into a malloc'd string that must be an absolute,
 * normalised path. Values that could change the shape of a path are refused:
 * a user or group name that is not a safe file name (contains '/', is "..",
 * has control characters), a home that is not a normal absolute path.
 * Returns 0, or -1 with a message in err. */
int expand_path(const char *tmpl, const struct user_info *u, char **out,
		char *err, size_t errlen);

/* Whether tmpl holds the token %tok (not a literal "%%" followed by tok). */
bool template_uses(const char *tmpl, char tok);

#endif
