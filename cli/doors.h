/* nsjailctl doors: which ways into the host run pam_nsjail. */
#ifndef NSJAILCTL_DOORS_H
#define NSJAILCTL_DOORS_H

#include <stdbool.h>

#include "pamstack.h"

/* What a service's flattened session stack does with the module. */
struct door_verdict {
	bool session;  /* it has a session stack */
	bool nsjail;   /* pam_nsjail.so is in it */
	bool last;     /* no other module after its first run */
	bool once;     /* it runs once */
	bool covered;  /* runs it, cannot skip it, fails closed, no error */
	const char *control;
	char note[2048]; /* the findings, "; " between them */
};

/* Fills v from st; root is where module files are looked for. */
void door_check(const struct pam_dirs *d, const struct pam_stack *st,
		struct door_verdict *v);

/* Appends "; "-separated text to v->note. */
void door_note(struct door_verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Notes on st, sshd's stack, whether it captures the ssh key first for
 * jails with ssh_keys (sshkeys.c). */
void door_ssh_keys(const struct pam_stack *st, struct door_verdict *v);

struct json;
/* Prints the doors outside PAM found under d->root (second section): a
 * table, or with j the array of {door, state, note} objects. */
void doors_outside(const struct pam_dirs *d, struct json *j);

#endif
