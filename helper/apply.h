/* nsjail-helper layer 4, the driver (apply.c): one plan into namespaces. */
#ifndef NSJAIL_HELPER_APPLY_H
#define NSJAIL_HELPER_APPLY_H

#include "steps.h"

/* Builds the namespace(s) (the others into ns); returns the mnt ns fd or
 * -1 with e filled in. *at is the index of the failing step (or -1). */
int apply_plan(const struct plan *p, struct jail_ns *ns, struct herr *e, long *at);

#endif
