/* Lexical path rules shared by the core and the helper (no syscalls). */
#ifndef NSJAIL_PATHS_H
#define NSJAIL_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* Absolute, normalised: starts with '/', no empty, "." or ".." component,
 * no trailing '/' (except "/" itself), no control characters, shorter than
 * PATH_MAX. */
bool path_is_normal(const char *p);

/* true when child == parent or child lies below parent ("/a" is a parent of
 * "/a/b" but not of "/ab"). */
bool path_is_under(const char *child, const char *parent);

/* A single file name: not empty, not "." or "..", no '/', no control
 * characters, at most NAME_MAX bytes. */
bool name_is_safe(const char *s);

/* The name of a login terminal: a pseudo-terminal of the host's devpts
 * ("/dev/pts/N"), a virtual console ("/dev/ttyN") or a serial line
 * ("/dev/ttySN"), N a decimal number. */
bool terminal_path_ok(const char *p);

#endif
