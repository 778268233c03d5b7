/* The resolver's pure rules (resolve.c): lexical path joining and the
 * owner/mode checks. No syscalls, no state: unit-tested on their own
 * (tests/unit/test_walkrule.c). */
#ifndef NSJAIL_WALKRULE_H
#define NSJAIL_WALKRULE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* Appends the components of IN to the normal absolute path OUT, applying
 * "." and ".." lexically; ".." never rises above "/". 0, or -1 (OUT
 * unchanged in meaning but cut) when it does not fit in OUTLEN. */
int lex_append(char *out, size_t outlen, const char *in);

/* Where the walk goes on after the symlink COMP (a normal absolute path)
 * whose target is TARGET, with REST (may point into PATH) not yet walked:
 * PATH becomes dirname(COMP) + TARGET + REST, or TARGET + REST for an
 * absolute TARGET, lexically. 0, or -1 when too long for PATHLEN. */
int link_rewrite(char *path, size_t pathlen, const char *comp, const char *target,
		 const char *rest);

/* May the walk follow a symlink with stat LST in a directory with stat
 * DIRST? Only when root owns both and the directory is not
 * group/world-writable: nobody else can have planted or replaced it. */
enum link_verdict {
	LINK_FOLLOW = 0,
	LINK_USER_LINK,  /* the link is not root's */
	LINK_USER_DIR,   /* its directory is not root's, or g/o-writable */
};
enum link_verdict link_verdict(const struct stat *lst, const struct stat *dirst);

/* sshd's ChrootDirectory rule for every component of a jail root: a
 * directory, root's, not group/world-writable. */
bool chain_ok(const struct stat *st);

#endif
