/* A growable list of owned strings. */
#ifndef NSJAIL_STRLIST_H
#define NSJAIL_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

struct strlist {
	char **v;
	int *line; /* source line of each entry, 0 when not from a file */
	size_t n;
};

/* Appends a copy of s; returns 0 or -ENOMEM. */
int strlist_add(struct strlist *l, const char *s, int line);
bool strlist_contains(const struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

#endif
