/* A PAM service's session stack, flattened the way Linux-PAM builds it:
 * "@include FILE" and "session include FILE" put FILE's lines in place,
 * "session substack FILE" one level deeper (a jump or "done" inside it stays
 * inside it), a file in the configuration directory replaces the vendor
 * file of the same name. Used by nsjailctl doors. */
#ifndef NSJAILCTL_PAMSTACK_H
#define NSJAILCTL_PAMSTACK_H

#include <stdbool.h>
#include <stddef.h>

/* Linux-PAM's own bound on nested includes and substacks. */
#define PAM_INCLUDE_MAX 16

struct pam_dirs {
	const char *root;   /* "" for "/": prefix of absolute includes */
	const char *etc;    /* /etc/pam.d */
	const char *vendor; /* /usr/lib/pam.d, may not exist */
};

struct pam_entry {
	char *module;  /* as written: "pam_unix.so" or a path */
	char *control; /* "required", "[success=ok default=bad]" */
	char *args;    /* the module's arguments, "" when none */
	char *file;    /* the name it was read as: "su", "common-session" */
	int line;
	int level;     /* substack depth: 0 in the service's own stack */
	bool dash;     /* "-session": skipped silently when not loadable */
	char *via;     /* NULL when in the service's own file, else the name
			* its file includes ("su" in su-l) ... */
	char *via_how; /* ... and how: "session include su" */
};

struct pam_stack {
	char *service;
	char *path;         /* the file read for it */
	char *vendor_path;  /* the vendor file, whether read or replaced */
	bool from_vendor;   /* path is the vendor file */
	struct pam_entry *v;
	size_t n;
	int nerrors;        /* printed to stderr as FILE:LINE: error: ... */
};

/* Where NAME's file is: ROOT+NAME when absolute, else etc/NAME, else
 * vendor/NAME. Returns a new string, or NULL when none exists; *vendor says
 * which directory it came from. */
char *pam_find(const struct pam_dirs *d, const char *name, bool *vendor);

/* Reads SERVICE's session stack into st (zeroed first). Errors are printed
 * once each, as PATH:LINE: error: MESSAGE, and counted in st->nerrors; the
 * other lines are still read. Returns -1 when SERVICE has no file. */
int pam_stack_load(const struct pam_dirs *d, const char *service,
		   struct pam_stack *st);
void pam_stack_free(struct pam_stack *st);

/* True when MODULE (a name or a path) is pam_nsjail.so. */
bool pam_is_nsjail(const char *module);

/* True when e is pam_nsjail.so's capture_ssh_key line, which builds no
 * jail (it only records sshd's SSH_AUTH_INFO_0 for ssh_keys). */
bool pam_is_capture(const struct pam_entry *e);

/* True when e runs pam_nsjail.so to build a jail. */
bool pam_is_builder(const struct pam_entry *e);

/* What a bracketed or simple CONTROL does with return value VALUE
 * ("session_err", "success"): "ok", "bad", "die", "done", "ignore", "reset"
 * or a jump count ("1"), Linux-PAM's defaults applied. Writes into buf. */
const char *pam_action(const char *control, const char *value, char *buf,
		       size_t size);

#endif
