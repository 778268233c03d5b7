#include "strlist.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int strlist_add(struct strlist *l, const char *s, int line)
{
	char *copy = strdup(s);
	char **v = copy ? realloc(l->v, (l->n + 1) * sizeof(*v)) : NULL;
	if (!v) {
		free(copy);
		return -ENOMEM;
	}
	l->v = v;
	int *lines = realloc(l->line, (l->n + 1) * sizeof(*lines));
	if (!lines) {
		free(copy);
		return -ENOMEM;
	}
	l->line = lines;
	l->v[l->n] = copy;
	l->line[l->n] = line;
	l->n++;
	return 0;
}

bool strlist_contains(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->line);
	l->v = NULL;
	l->line = NULL;
	l->n = 0;
}
