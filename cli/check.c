/* nsjailctl check: the module's own loader (every error, FILE:LINE), each
 * jail compiled (overlaps, entries on a root jail's automatic mounts),
 * plus warnings about a policy that loads but probably does not do what
 * its author meant. Warnings change the exit status only with --strict. */
#include <err.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "check_install.h"
#include "cli.h"
#include "pamstack.h"
#include "paths.h"
#include "util.h"

static bool services_cover(const struct jail *a, const struct jail *b)
{
	/* A jail with ssh_keys takes only the logins made with its keys. */
	if (a->ssh_keys.n)
		return false;
	if (!a->has_services)
		return true;
	if (!b->has_services)
		return false;
	for (size_t i = 0; i < b->services.n; i++)
		if (!strlist_contains(&a->services, b->services.v[i]))
			return false;
	return true;
}

static bool services_overlap(const struct jail *a, const struct jail *b)
{
	if (!a->has_services || !b->has_services)
		return true;
	for (size_t i = 0; i < b->services.n; i++)
		if (strlist_contains(&a->services, b->services.v[i]))
			return true;
	return false;
}

/* By gid, as the module matches (lib/policy/match.c). */
static bool any_group_in(struct user_info *u, const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *name = group_entry_name(l->v[i]);
		const struct group_ref *g = user_resolve_group(u, name) == 0
						    ? user_group_ref(u, name)
						    : NULL;
		if (!g || g->state != GROUP_FOUND)
			continue;
		if (g->lists_user || g->gid == u->gid)
			return true;
		for (size_t k = 0; k < u->ngroups; k++)
			if (u->gids[k] == g->gid)
				return true;
	}
	return false;
}

/* Is every session user NAME could open, for every service jail j filters
 * on, caught before jail number k? Exemption counts; NSS group membership
 * counts as NSS answers today. */
static bool user_caught_before(const struct policy *p, size_t k, const char *name)
{
	const struct jail *j = &p->jails[k];
	struct user_info u = { 0 };
	struct diags d = { 0 };
	bool known = user_lookup(name, &u, &d) == 0;
	diags_free(&d);

	bool caught = strlist_contains(&p->exempt_users, name) ||
		      (known && any_group_in(&u, &p->exempt_groups));
	for (size_t i = 0; i < k && !caught; i++) {
		const struct jail *e = &p->jails[i];
		if (!services_cover(e, j))
			continue;
		caught = strlist_contains(&e->users, name) ||
			 (known && any_group_in(&u, &e->groups));
	}
	if (known)
		user_info_free(&u);
	return caught;
}

static bool group_caught_before(const struct policy *p, size_t k, const char *name)
{
	const struct jail *j = &p->jails[k];
	if (strlist_contains(&p->exempt_groups, name))
		return true;
	for (size_t i = 0; i < k; i++)
		if (services_cover(&p->jails[i], j) &&
		    strlist_contains(&p->jails[i].groups, name))
			return true;
	return false;
}

static void lint_shadowed(const struct policy *p, size_t k, struct diags *d)
{
	const struct jail *j = &p->jails[k];
	if (j->users.n + j->groups.n == 0)
		return;
	for (size_t i = 0; i < j->users.n; i++)
		if (!user_caught_before(p, k, j->users.v[i]))
			return;
	for (size_t i = 0; i < j->groups.n; i++)
		if (!group_caught_before(p, k, j->groups.v[i]))
			return;
	diags_add(d, DIAG_WARNING, j->file, j->line,
		  "jail '%s' never applies: every user and group it names is "
		  "exempt or matched by an earlier jail", j->name);
}

/* NAME listed in list `which` of jail k and of an earlier jail whose
 * services overlap: only the first one applies there. */
static void lint_listed_twice(const struct policy *p, size_t k, bool groups,
			      struct diags *d)
{
	const struct jail *j = &p->jails[k];
	const struct strlist *l = groups ? &j->groups : &j->users;
	const struct strlist *exempt = groups ? &p->exempt_groups : &p->exempt_users;
	const char *what = groups ? "group" : "user";

	for (size_t x = 0; x < l->n; x++) {
		const char *name = l->v[x];
		if (strlist_contains(exempt, name)) {
			diags_add(d, DIAG_WARNING, j->file, l->line[x],
				  "%s '%s' is exempt (settings.exempt_%ss) and "
				  "never jailed", what, name, what);
			continue;
		}
		for (size_t i = 0; i < k; i++) {
			const struct jail *e = &p->jails[i];
			if (!strlist_contains(groups ? &e->groups : &e->users, name) ||
			    !services_overlap(e, j) || e->ssh_keys.n)
				continue;
			diags_add(d, DIAG_WARNING, j->file, l->line[x],
				  "%s '%s' is also in jail '%s' (%s:%d), which "
				  "comes first", what, name, e->name, e->file, e->line);
			break;
		}
	}
}

static bool exists(const char *prefix, const char *path)
{
	char buf[8192];
	struct stat st;
	snprintf(buf, sizeof(buf), "%s%s", prefix, path);
	return lstat(buf, &st) == 0 || errno != ENOENT;
}

/* Created by the jail itself: under one of its tmpfs mounts or /tmp. */
static bool made_by_jail(const struct jail *j, const char *path)
{
	if (j->private_tmp &&
	    (path_is_under(path, "/tmp") || path_is_under(path, "/var/tmp")))
		return true;
	const struct strlist *t = &j->paths[PL_TMPFS];
	for (size_t i = 0; i < t->n; i++) {
		const char *tp = t->v[i] + (t->v[i][0] == '-');
		if (path_is_under(path, tp) && strcmp(path, tp) != 0)
			return true;
	}
	return false;
}

/* Whether the first component of PATH exists below ROOT: in a directory
 * root a missing one is made in the jail's tmpfs "/". */
static bool top_exists(const char *root, const char *path)
{
	char top[4096];
	snprintf(top, sizeof(top), "%s", path);
	char *slash = strchr(top + 1, '/');
	if (slash)
		*slash = '\0';
	return exists(root, top);
}

static void lint_paths(const struct jail *j, struct diags *d)
{
	/* Where paths inside the jail can be looked at now: the host for a
	 * jail without root, the root directory for a fixed one; a tmpfs
	 * root or a root with tokens only shows up at login. */
	const char *inside = "";
	bool look_inside = true;
	if (j->root) {
		look_inside = strcmp(j->root, "tmpfs") != 0 && !strchr(j->root, '%');
		inside = j->root;
		if (look_inside && !exists("", j->root)) {
			diags_add(d, DIAG_WARNING, j->file, j->root_line,
				  "jail '%s': root '%s' does not exist", j->name, j->root);
			look_inside = false;
		}
		/* Its missing top-level mount points (/proc, /dev, a bind
		 * target such as /usr) are made in the jail's tmpfs "/"
		 * (helper/rootfs.c root_dir): only one missing below an
		 * entry of the directory is an error. */
	}

	for (int l = 0; l < PL__COUNT; l++) {
		const struct strlist *sl = &j->paths[l];
		bool bind = l == PL_BIND || l == PL_BIND_RO;
		for (size_t i = 0; i < sl->n; i++) {
			const char *e = sl->v[i];
			if (e[0] == '-' || strchr(e, '%'))
				continue; /* optional, or only known at login */
			char src[4096];
			snprintf(src, sizeof(src), "%s", e);
			char *colon = bind ? strchr(src, ':') : NULL;
			const char *dst = colon ? colon + 1 : src;
			if (colon)
				*colon = '\0';
			if (bind && !exists("", src)) {
				diags_add(d, DIAG_WARNING, j->file, sl->line[i],
					  "jail '%s': %s source '%s' does not exist: every "
					  "session of this jail is refused (prefix it with "
					  "'-' if it is optional)",
					  j->name, path_list_key[l], src);
				continue;
			}
			if (!look_inside || made_by_jail(j, dst) || exists(inside, dst) ||
			    (j->root && !top_exists(inside, dst)))
				continue;
			diags_add(d, DIAG_WARNING, j->file, sl->line[i],
				  "jail '%s': %s path '%s%s' does not exist: every "
				  "session of this jail is refused (prefix it with '-' "
				  "if it is optional)",
				  j->name, path_list_key[l], inside, dst);
		}
	}
}

/* The PAM services a login tool opens under two names: a jail that names
 * one and not the other leaves the other way in unjailed. */
static const struct {
	const char *a, *b, *b_how; /* b_how: the command that opens b */
	const char *a_how;
} service_pairs[] = {
	{ "su", "su-l", "su - (su -l, su --login)", "su without '-'" },
	{ "sudo", "sudo-i", "sudo -i (sudo --login)", "sudo without -i" },
	{ "runuser", "runuser-l", "runuser -l", "runuser without -l" },
};

static void lint_services(const struct jail *j, struct diags *d)
{
	const struct pam_dirs dirs = { "", "/etc/pam.d", "/usr/lib/pam.d" };
	const struct strlist *sv = &j->services;
	for (size_t i = 0; i < sv->n; i++) {
		bool vendor;
		char *f = pam_find(&dirs, sv->v[i], &vendor);
		if (!f)
			diags_add(d, DIAG_WARNING, j->file, sv->line[i],
				  "jail '%s': unknown PAM service '%s' (no %s/%s or "
				  "%s/%s): no login runs under that name, so this "
				  "entry never matches; services are PAM file names "
				  "(sshd, su, su-l, login, cron, sudo, sudo-i)", j->name,
				  sv->v[i], dirs.etc, sv->v[i], dirs.vendor, sv->v[i]);
		free(f);
	}
	for (size_t k = 0; k < sizeof(service_pairs) / sizeof(service_pairs[0]); k++) {
		const char *a = service_pairs[k].a, *b = service_pairs[k].b;
		for (int flip = 0; flip < 2; flip++) {
			const char *has = flip ? b : a, *lacks = flip ? a : b;
			const char *how = flip ? service_pairs[k].a_how
					       : service_pairs[k].b_how;
			for (size_t i = 0; i < sv->n; i++)
				if (!strcmp(sv->v[i], has) && !strlist_contains(sv, lacks))
					diags_add(d, DIAG_WARNING, j->file, sv->line[i],
						  "jail '%s': services has '%s' but not '%s': "
						  "%s opens its session under '%s', which this "
						  "jail does not match; list both", j->name,
						  has, lacks, how, lacks);
		}
	}
}

/* The path an entry names: '-' dropped, a bind's SOURCE or TARGET. */
static void entry_split(const char *e, bool bind, char *src, char *dst, size_t len)
{
	e += e[0] == '-';
	const char *colon = bind ? strchr(e, ':') : NULL;
	snprintf(src, len, "%.*s", colon ? (int)(colon - e) : (int)strlen(e), e);
	snprintf(dst, len, "%s", colon ? colon + 1 : e);
}

/* The compiler matches a hidden path to the binds that show it by the paths
 * as written. Where a symbolic link on the host makes a bind's source
 * contain the hidden path under another spelling, the hidden path shows
 * through the bind: say where. */
static void lint_hidden_reachable(const struct jail *j, struct diags *d)
{
	const struct strlist *hide = &j->paths[PL_INACCESSIBLE];
	for (size_t i = 0; i < hide->n; i++) {
		char h[4096], unused[4096];
		entry_split(hide->v[i], false, h, unused, sizeof(h));
		cleanup_free char *rh = strchr(h, '%') ? NULL : realpath(h, NULL);
		if (!rh)
			continue;
		for (int l = PL_BIND; l <= PL_BIND_RO; l++) {
			const struct strlist *b = &j->paths[l];
			for (size_t k = 0; k < b->n; k++) {
				char src[4096], dst[4096];
				entry_split(b->v[k], true, src, dst, sizeof(src));
				if (strchr(src, '%') || path_is_under(h, src))
					continue; /* the compiler's own alias hide */
				cleanup_free char *rs = realpath(src, NULL);
				if (!rs || !path_is_under(rh, rs))
					continue;
				const char *rel = strcmp(rs, "/") ? rh + strlen(rs) : rh;
				diags_add(d, DIAG_WARNING, j->file, b->line[k],
					  "jail '%s': hidden '%s' (%s:%d) shows at '%s%s' "
					  "through %s '%s': its source reaches it through a "
					  "symbolic link, which the automatic hide does not "
					  "follow; write the real paths ('%s', '%s')",
					  j->name, h, j->file, hide->line[i],
					  strcmp(dst, "/") ? dst : "", rel, path_list_key[l],
					  b->v[k], rh, rs);
			}
		}
	}
}

static bool has_user_token(const char *p)
{
	return strstr(p, "%u") || strstr(p, "%U") || strstr(p, "%h");
}

/* Can a user other than root write directory P of the host (P: no tokens)?
 * A sticky directory lets a user rename only her own entries. */
static bool user_can_write(const char *p)
{
	struct stat st;
	if (lstat(p, &st) < 0 || !S_ISDIR(st.st_mode))
		return false;
	if (st.st_uid != 0)
		return true;
	if (st.st_mode & S_ISVTX)
		return false;
	return (st.st_mode & S_IWOTH) || ((st.st_mode & S_IWGRP) && st.st_gid != 0);
}

/* A read_only path is a mount on one directory entry. Inside a session the
 * entry cannot be renamed (a mount point: EBUSY), but wherever the jail
 * does not apply (another door, a service it does not name) a user who can
 * write the parent can rename it away and make her own in its place, which
 * the next session then shows. */
static void lint_rename_around(const struct jail *j, struct diags *d)
{
	const struct strlist *ro = &j->paths[PL_READ_ONLY];
	for (size_t i = 0; i < ro->n; i++) {
		char r[4096], unused[4096];
		entry_split(ro->v[i], false, r, unused, sizeof(r));
		char *slash = strrchr(r, '/');
		if (!slash || slash == r)
			continue; /* "/" or a top-level path: the parent is root's "/" */
		char parent[4096];
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - r), r);

		/* The deepest entry over the parent decides what it shows. */
		int best = -1;
		size_t best_len = 0;
		char host[4096] = "";
		for (int l = 0; l < PL__COUNT; l++) {
			const struct strlist *sl = &j->paths[l];
			bool bind = l == PL_BIND || l == PL_BIND_RO;
			for (size_t k = 0; k < sl->n; k++) {
				char src[4096], dst[4096];
				entry_split(sl->v[k], bind, src, dst, sizeof(src));
				size_t n = strlen(dst);
				if (!path_is_under(parent, dst) || n < best_len ||
				    (n == best_len && (best == PL_READ_ONLY ||
						       best == PL_BIND_RO ||
						       best == PL_INACCESSIBLE)))
					continue; /* on one path the restrictive entry wins */
				best = l, best_len = n;
				if (bind)
					snprintf(host, sizeof(host), "%s%s", src,
						 parent + (strcmp(dst, "/") ? n : 0));
			}
		}
		if (best == PL_READ_ONLY || best == PL_BIND_RO ||
		    best == PL_INACCESSIBLE || best == PL_TMPFS)
			continue; /* not writable, or a root-owned tmpfs */
		if (j->private_tmp && (path_is_under(parent, "/tmp") ||
				       path_is_under(parent, "/var/tmp")))
			continue; /* sticky: her own entries only */
		if (best != PL_BIND) {
			if (j->root && !(strcmp(j->root, "tmpfs") && !strchr(j->root, '%')))
				continue; /* only known at login */
			snprintf(host, sizeof(host), "%s%s", j->root ? j->root : "", parent);
		}
		if (!has_user_token(host) && (strchr(host, '%') || !user_can_write(host)))
			continue;
		diags_add(d, DIAG_WARNING, j->file, ro->line[i],
			  "jail '%s': read_only '%s' lies in '%s', which the user can "
			  "write: wherever this jail does not apply (another service, "
			  "a door without the module) she can rename it away and make "
			  "her own in its place (mv .ssh x; mkdir .ssh), which later "
			  "sessions show read-only; make the parent read-only too",
			  j->name, r, parent);
	}
}

/* An optional path, or one with a user's token, under a directory every
 * user can write: another user can create it (or a link in its place)
 * before the session looks at it, and decide what the jail shows. Only
 * the directories before the first token can be looked at now. */
static void lint_plantable(const struct jail *j, struct diags *d)
{
	for (int l = 0; l < PL__COUNT; l++) {
		const struct strlist *sl = &j->paths[l];
		bool bind = l == PL_BIND || l == PL_BIND_RO;
		if (j->root && !bind)
			continue; /* inside the root: its owner's business */
		for (size_t i = 0; i < sl->n; i++) {
			const char *e = sl->v[i];
			if (e[0] != '-' && !strchr(e, '%'))
				continue;
			char src[4096], dst[4096];
			entry_split(e, bind, src, dst, sizeof(src));
			const char *p = bind ? src : dst;
			if (!bind && made_by_jail(j, p))
				continue;
			char dir[4096];
			snprintf(dir, sizeof(dir), "%s", p);
			char *tok = strchr(dir, '%');
			if (tok)
				*tok = '\0';
			/* dir's last component is the path itself or holds a
			 * token: look at its ancestors only. */
			for (char *s = strrchr(dir, '/'); s; s = strrchr(dir, '/')) {
				*s = '\0';
				struct stat st;
				const char *dd = dir[0] ? dir : "/";
				if (stat(dd, &st) == 0 && S_ISDIR(st.st_mode) &&
				    (st.st_mode & S_IWOTH)) {
					diags_add(d, DIAG_WARNING, j->file, sl->line[i],
						  "jail '%s': %s %s '%s' lies in world-writable "
						  "'%s': another user can create it, or a link in "
						  "its place, before the session does",
						  j->name, path_list_key[l], bind ? "source" : "path",
						  p, dd);
					break;
				}
			}
		}
	}
}

/* A hidden path is a mount on one directory entry: a host program that
 * renames a new file over a hidden file uncovers it in every session open
 * at that time, and a hidden file with other hard links is readable
 * through them (SECURITY.md, Known limits). */
static void lint_hidden_files(const struct jail *j, struct diags *d)
{
	const struct strlist *hide = &j->paths[PL_INACCESSIBLE];
	if (j->root)
		return; /* the root's files are not the host's */
	for (size_t i = 0; i < hide->n; i++) {
		char h[4096], unused[4096];
		entry_split(hide->v[i], false, h, unused, sizeof(h));
		struct stat st;
		if (strchr(h, '%') || lstat(h, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (st.st_nlink > 1)
			diags_add(d, DIAG_WARNING, j->file, hide->line[i],
				  "jail '%s': inaccessible '%s' has %ju hard links: its "
				  "content stays readable under its other names; hide a "
				  "directory that holds every link, or remove the others",
				  j->name, h, (uintmax_t)st.st_nlink);
		diags_add(d, DIAG_WARNING, j->file, hide->line[i],
			  "jail '%s': inaccessible '%s' is a file: when the host "
			  "replaces it by renaming a new file over it (an editor, "
			  "sed -i, a package upgrade), sessions open at that time see the new "
			  "content; hide the directory that holds it", j->name, h);
	}
}

/* A group the policy names must resolve: at login an unknown one refuses
 * every session whose jail could depend on it (a typo, or a group deleted
 * in the directory, would lock out every such user). "-name" may be
 * absent: then it matches nobody, and is only a warning. */
static void lint_group(const char *entry, const char *file, int line,
		       const char *where, struct diags *d)
{
	const char *name = group_entry_name(entry);
	char buf[16384];
	struct group gr, *res = NULL;
	int r = getgrnam_r(name, &gr, buf, sizeof(buf), &res);
	if (res)
		return;
	if (r == 0 && group_entry_optional(entry))
		diags_add(d, DIAG_WARNING, file, line, "%s: optional group '%s' does "
			  "not exist (NSS has no such group): it matches nobody",
			  where, name);
	else if (r == 0)
		diags_add(d, DIAG_ERROR, file, line, "%s: unknown group '%s' (NSS has "
			  "no such group): sessions whose jail could depend on it would "
			  "be refused; write \"-%s\" if it may be absent", where, name, name);
	else
		diags_add(d, DIAG_ERROR, file, line, "%s: group '%s' cannot be "
			  "resolved: getgrnam_r: %s", where, name, strerror(r));
}

static void lint_names(const struct strlist *l, bool groups, const char *file,
		       const char *where, struct diags *d)
{
	for (size_t i = 0; i < l->n; i++) {
		if (groups) {
			lint_group(l->v[i], file, l->line[i], where, d);
			continue;
		}
		if (!getpwnam(l->v[i]))
			diags_add(d, DIAG_WARNING, file, l->line[i],
				  "%s: unknown user '%s' (NSS has no such user)",
				  where, l->v[i]);
	}
}

/* Compiles jail j as a login would, for a stand-in user whose tokens stay
 * readable (%u is "%u", %g "%g", %h "/%h"; %U and %G are 4294967294 and
 * 4294967293): the compiler's overlap warnings and errors (two contents
 * on one path, an entry on a root jail's automatic mount) for every entry,
 * without a real user. Identical templates ("/home/%u" twice) meet here;
 * overlaps that exist only for some user ("%h" and "/home/%u") are shown
 * by `nsjailctl explain USER`, which compiles for that user. */
static void lint_compile(const struct jail *j, struct diags *d)
{
	gid_t gid = 4294967293u;
	char *gname = "%g";
	struct user_info u = { .name = "%u", .uid = 4294967294u, .gid = gid,
			       .group = "%g", .home = "/%h", .shell = "/bin/sh",
			       .groups_loaded = true, .ngroups = 1, .gids = &gid,
			       .group_names = &gname };
	struct host_links links = { 0 };
	if (j->root && host_links_read("/", &links) < 0)
		links = (struct host_links){ 0 };
	struct plan plan;
	if (plan_compile(j, &u, &(struct compile_env){ .links = &links, .tty_gid = 5 },
			 &plan, d) == 0)
		plan_free(&plan);
	host_links_free(&links);
}

/* private_network without private_pids: the jail's /proc still shows
 * processes outside it (the user's own, and every one in a jail without
 * root), and /proc/PID/net of each lists the host's sockets (abstract
 * names, listening ports). Not a way out, but not what the key says. */
static void lint_isolation(const struct jail *j, struct diags *d)
{
	if (j->private_network && !j->private_pids)
		diags_add(d, DIAG_WARNING, j->file, j->line,
			  "jail '%s': private_network without private_pids: "
			  "/proc/PID/net of processes outside the jail still lists "
			  "the host's sockets", j->name);
}

void policy_lint(const struct policy *p, struct diags *d)
{
	lint_names(&p->exempt_users, false, p->file, "settings.exempt_users", d);
	lint_names(&p->exempt_groups, true, p->file, "settings.exempt_groups", d);
	for (size_t k = 0; k < p->njails; k++) {
		const struct jail *j = &p->jails[k];
		char where[512];
		snprintf(where, sizeof(where), "jail '%s'", j->name);
		lint_names(&j->users, false, j->file, where, d);
		lint_names(&j->groups, true, j->file, where, d);
		lint_listed_twice(p, k, false, d);
		lint_listed_twice(p, k, true, d);
		lint_shadowed(p, k, d);
		lint_services(j, d);
		lint_paths(j, d);
		lint_hidden_reachable(j, d);
		lint_rename_around(j, d);
		lint_plantable(j, d);
		lint_hidden_files(j, d);
		lint_isolation(j, d);
		lint_compile(j, d);
	}
	lint_ssh_keys(p, d);
}

/* The installation too when the installed policy is checked (no -c), or
 * when --helper or --selftest asks: `check -c FILE` alone validates a file
 * before it is installed (config management), wherever that runs. */
static bool check_installation(const struct cli_opts *o)
{
	return !o->file_given || o->helper_given || o->selftest;
}

int cmd_check(int argc, char **argv)
{
	struct cli_opts o;
	int argi = cli_parse(argc, argv, CLI_STRICT | CLI_JSON | CLI_HELPER | CLI_SELFTEST |
					 CLI_EXIT2, &o);
	const char *file = o.file;
	if (argi != argc) {
		warnx("check: unexpected argument '%s'", argv[argi]);
		cli_usage_exit(2);
	}

	struct config_opts opts = { .owner = 0 };
	struct diags d = { 0 };
	struct policy *p = NULL;
	int r = config_load(file, &opts, &p, &d);
	if (r == 0 && p && !d.nerrors)
		policy_lint(p, &d); /* may add errors: compiling each jail */
	if (!o.json)
		print_diags(&d, NULL, NULL);

	size_t nwarn = 0;
	for (size_t i = 0; i < d.n; i++)
		nwarn += d.v[i].level == DIAG_WARNING;
	bool loaded = r == 0 && p && !d.nerrors;
	bool file_ok = loaded && !(o.strict && nwarn);
	if (!loaded && p) {
		policy_free(p);
		p = NULL;
	}
	if (!o.json && loaded && !file_ok)
		warnx("%s: %zu warning%s, failing (--strict)", file, nwarn,
		      nwarn == 1 ? "" : "s");
	else if (!o.json && file_ok)
		out("%s: ok (%zu jail%s)\n", file, p->njails, p->njails == 1 ? "" : "s");

	struct install_report inst = { 0 };
	bool install = check_installation(&o);
	size_t bad_helpers = install ? install_check(o.helper_given ? o.helper : NULL, &inst) : 0;
	if (install && !o.json)
		check_install_print(&inst);

	/* The self-test runs the helper it was given, or the one the PAM
	 * lines name, once that one passed its checks. */
	const char *st_helper = !o.selftest ? NULL
				: o.helper_given || inst.n == 0 ? o.helper : inst.v[0].path;
	char why[1024] = "";
	bool st_ok = false;
	if (st_helper && bad_helpers)
		snprintf(why, sizeof(why), "not run: the helper failed its checks");
	else if (st_helper)
		st_ok = selftest(st_helper, why, sizeof(why)) == 0;
	if (st_helper && !o.json && st_ok)
		out("selftest: ok (a jail built by %s for user nobody: a tmpfs, a "
		    "read-only and a hidden path work; the host unchanged)\n", st_helper);
	else if (st_helper && !o.json)
		warnx("selftest: failed: %s", why);

	bool ok = file_ok && !bad_helpers && (!st_helper || st_ok);
	if (o.json)
		check_json(&(struct check_result){ .file = file, .policy = p, .diags = &d,
						   .strict = o.strict, .ok = ok,
						   .install = install ? &inst : NULL,
						   .selftest_helper = st_helper,
						   .selftest_ok = st_ok, .selftest_why = why });
	install_report_free(&inst);
	if (p)
		policy_free(p);
	diags_free(&d);
	return ok ? 0 : 1;
}
