/* /etc/nsjail.conf (libconfig syntax) -> struct policy.
 * Pure parsing and validation: the only syscalls are open/fstat/read of the
 * files themselves. Every problem is reported as FILE:LINE in diags, and
 * parsing goes on after an error so `nsjailctl check` can list them all. */
#ifndef NSJAIL_CONFIG_H
#define NSJAIL_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag.h"
#include "strlist.h"

#define NSJAIL_DEFAULT_CONFIG "/etc/nsjail.conf"
#define NSJAIL_CONFIG_MAX_BYTES (16u << 20)
/* settings.max_jails_per_user: live non-shared jails of one user (each
 * holds up to its tmpfs caps of memory); 0 is unlimited. */
#define NSJAIL_MAX_JAILS_DEFAULT 16u
#define NSJAIL_MAX_JAILS_MAX 65536u

/* The path lists of a jail, in the order of SPEC §3. Entries are kept as
 * written (tokens unexpanded, optional leading '-', "src:dst" for binds). */
enum path_list {
	PL_INACCESSIBLE,
	PL_BIND,
	PL_BIND_RO,
	PL_TMPFS,
	PL_READ_ONLY,
	PL_READ_WRITE,
	PL__COUNT
};

/* Config key of each list, e.g. "read_only". */
extern const char *const path_list_key[PL__COUNT];

struct jail {
	char *name;
	char *file; /* where the jail was defined */
	int line;
	struct strlist users;
	struct strlist groups; /* as written: "-name" may be absent (group_entry_name) */
	struct strlist services; /* empty and !has_services: all services */
	bool has_services;
	/* ssh_keys: fingerprints "SHA256:..."; non-empty: the entry matches
	 * only sshd logins made with one of them (match.h) */
	struct strlist ssh_keys;
	struct strlist paths[PL__COUNT];
	bool private_tmp;
	bool nosuid;      /* mount the whole jail nosuid */
	bool private_pids; /* a PID namespace of its own, /proc showing only it */
	bool private_network; /* a network namespace of its own, loopback only */
	bool private_ipc;     /* an IPC namespace of its own (SysV, mqueue) */
	bool shared;          /* one set of namespaces for all of a user's sessions */
	bool no_new_privileges; /* PR_SET_NO_NEW_PRIVS on the session */
	bool restrict_namespaces; /* no new namespaces, no setns (seccomp) */
	bool scope_ipc;           /* Landlock: abstract sockets, signals scoped */
	/* Root jails: host pieces of /etc added to the synthesized /etc
	 * ("[-]/etc/PATH", no tokens) or removed from the default set. */
	struct strlist etc_add;
	struct strlist etc_remove;
	char *root;       /* NULL, "tmpfs", or an absolute path template */
	int root_line;
	int private_tmp_line; /* where private_tmp was set (provenance of its mounts) */
	/* Caps of each tmpfs the jail makes: the jail's own keys, else
	 * settings' (filled in once the file is parsed). */
	uint64_t tmpfs_size;
	uint64_t tmpfs_inodes;
};

struct policy {
	char *file;
	struct strlist exempt_users;  /* default: "root" */
	struct strlist exempt_groups;
	char *include_dir;            /* NULL: no drop-ins */
	/* include_dir could not be read (config_opts.partial): the jails of
	 * its drop-ins are unknown, so every session the file does not exempt
	 * or jail first is refused (policy_match: MATCH_INCOMPLETE). */
	bool include_unread;
	uint64_t tmpfs_size;          /* settings.tmpfs_size, default PLAN_TMPFS_SIZE_DEFAULT */
	uint64_t tmpfs_inodes;        /* settings.tmpfs_inodes, default PLAN_TMPFS_INODES_DEFAULT */
	unsigned max_jails_per_user;  /* settings.max_jails_per_user; 0: unlimited */
	struct jail *jails;
	size_t njails;
};

struct config_opts {
	/* Files and include_dir must be owned by this uid and not group or
	 * world writable. 0 in production; unit tests pass getuid(). */
	uid_t owner;
	/* Skip the ownership check entirely (fuzzing only). */
	bool skip_owner_check;
	/* The module: a valid main file whose include_dir cannot be read
	 * (missing, unlistable, unsafe) comes back anyway, with
	 * include_unread set, so its exempt lists still hold. */
	bool partial;
};

/* A group entry of groups or exempt_groups: "name", or "-name" for a group
 * that may be absent (then it matches nobody, and check only warns). */
static inline const char *group_entry_name(const char *entry)
{
	return entry + (entry[0] == '-');
}
static inline bool group_entry_optional(const char *entry)
{
	return entry[0] == '-';
}

/* Loads FILE and its drop-ins. Returns 0 and sets *out when diags holds no
 * error; otherwise returns -1 with *out NULL and every error in diags
 * (with opts->partial and only include_dir unreadable: -1 with *out set
 * and (*out)->include_unread). A missing include_dir is an error.
 * Warnings (never fatal) may be added either way. */
int config_load(const char *file, const struct config_opts *opts,
		struct policy **out, struct diags *d);

/* Parses one buffer as if it were FILE. dropin: only a `jails` list is
 * allowed and its jails are appended to p. Used by config_load and the
 * fuzzer. Returns the number of errors added. */
int config_parse_buffer(const char *file, const char *text, bool dropin,
			struct policy *p, struct diags *d);

/* A policy with defaults (exempt_users = ["root"], no jails). */
struct policy *policy_new(const char *file);
void policy_free(struct policy *p);

#endif
