/* The mount table as data (/proc/PID/mountinfo, proc(5)) and the other
 * names it gives one file: a hidden path must be covered under each of
 * them, or a second mount of the same file system (a bind the host made)
 * shows it. Parsing and name arithmetic only, no syscalls: the helper and
 * nsjailctl read the file and check each name on the object itself. */
#ifndef NSJAIL_MOUNTINFO_H
#define NSJAIL_MOUNTINFO_H

#include <stddef.h>

struct mount_entry {
	unsigned id;
	unsigned major, minor; /* the file system: st_dev of its objects */
	char *root;            /* the path inside the file system it shows */
	char *point;           /* where it is mounted */
};

struct mount_table {
	struct mount_entry *v;
	size_t n;
};

/* Parses the text of a mountinfo file (octal escapes undone). Lines it
 * cannot read (and entries whose root or mount point is not a normal path,
 * such as a deleted root) are left out: they name nothing a path can reach.
 * Returns 0, or -1 (out of memory) with *t empty. */
int mount_table_parse(const char *text, size_t len, struct mount_table *t);
void mount_table_free(struct mount_table *t);

/* The other names of PATH, an absolute normal path in mount ID of t (as
 * the kernel names the object: no symlink in it): for each other mount
 * of the same file system whose root holds PATH's place in it, PATH's
 * name below that mount. Returns the number of names put in out[] (at
 * most max, each malloc'd), 0 when ID is not in t or PATH does not lie
 * below its mount point, or -1 (out of memory; out[] freed). The caller
 * checks each name on the object before trusting it: a mount stacked on
 * top can hide the one the table lists. */
int mount_aliases(const struct mount_table *t, unsigned id, const char *path,
		  char **out, size_t max);

#endif
