/* Ownership of fds and memory, header-only, for every part (the helper,
 * lib/, the module, nsjailctl): cleanup attributes in the style of
 * bubblewrap's utils.h (cleanup_free, cleanup_fd), so error paths cannot
 * leak fds or memory; steal_pointer and steal_fd to hand ownership out of
 * such a variable; ARRAY_SIZE. Nothing else belongs here. */
#ifndef NSJAIL_UTIL_H
#define NSJAIL_UTIL_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}

static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

#define cleanup_free __attribute__((cleanup(cleanup_freep)))
#define cleanup_fd __attribute__((cleanup(cleanup_closep)))

/* Hand ownership out of a cleanup-scoped pointer: *PP, of *PP's own type
 * (assigning it to another type is a compiler warning), with *PP set to
 * NULL. PP is evaluated once. */
#define steal_pointer(pp)                                   \
	__extension__({                                     \
		__typeof__(pp) steal_pp_ = (pp);            \
		__typeof__(*steal_pp_) steal_v_ = *steal_pp_; \
		*steal_pp_ = NULL;                          \
		steal_v_;                                   \
	})

static inline int steal_fd(int *fd)
{
	int v = *fd;
	*fd = -1;
	return v;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
