/* nsjailctl check's installation checks: the helpers the PAM lines name
 * (or --helper, or the compiled-in default) are safe to run as root and
 * speak this build's protocol; and --selftest, a throw-away jail built end
 * to end. Separate from the policy checks of check.c. */
#ifndef NSJAILCTL_CHECK_INSTALL_H
#define NSJAILCTL_CHECK_INSTALL_H

#include <stdbool.h>
#include <stddef.h>

#define HELPER_MAX_PROBLEMS 8

struct helper_report {
	char *path;         /* as named */
	char from[512];     /* "--helper", "/etc/pam.d/sshd:12", "default" */
	char protocol[16];  /* what it answered to --version, "" if nothing */
	char problems[HELPER_MAX_PROBLEMS][512];
	size_t nproblems;
};

struct install_report {
	struct helper_report *v;
	size_t n;
};

/* The helpers to check: HELPER when given, else every helper= of the
 * pam_nsjail.so lines of /etc/pam.d and /usr/lib/pam.d, and the default
 * when a line names none or there is no line. Each checked: present, a
 * regular file, root's, not writable by group or others, nor is any
 * directory above it (of the path as named and of the file it resolves
 * to), executable; only then run as `HELPER --version` (empty
 * environment, no fds but stdout, 2 s) and its protocol compared with
 * WIRE_MAGIC. Returns the number of helpers with a problem. */
size_t install_check(const char *helper, struct install_report *r);
void install_report_free(struct install_report *r);

/* This build's protocol as the helper prints it: "NSJ4". */
void install_protocol(char buf[8]);

/* Builds a throw-away jail with HELPER for user nobody (a tmpfs, a
 * read-only path and a hidden one in a scratch directory), runs a probe in
 * it as nobody that checks each effect, and checks that the caller's mount
 * namespace and the host's view of the scratch directory did not change.
 * 0, or -1 with the reason in why. Needs root. */
int selftest(const char *helper, char *why, size_t len);

/* What check found, for its report (check_out.c). */
struct policy;
struct diags;
struct check_result {
	const char *file;
	const struct policy *policy;        /* NULL: did not load */
	const struct diags *diags;
	bool strict, ok;
	const struct install_report *install; /* NULL: not checked */
	const char *selftest_helper;          /* NULL: no --selftest */
	bool selftest_ok;
	const char *selftest_why;
};

/* "helper PATH: ok (protocol NSJ4)" on stdout, each problem on stderr. */
void check_install_print(const struct install_report *inst);

/* The whole result as one JSON document on stdout. */
void check_json(const struct check_result *c);

#endif
