/* nsjailctl doors: every PAM service of the host, whether its session stack
 * runs pam_nsjail (last, once, failing closed), then the doors outside PAM.
 * Exit 1 when a door does not run the module, so that CI can run it. */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "doors.h"
#include "json.h"
#include "workers.h"

/* Files that are not doors, though they may have a session stack. */
static const char *const fragments[] = {
	/* included by services, never a service themselves (Debian, Fedora) */
	"common-*", "system-auth", "password-auth", "smartcard-auth",
	"fingerprint-auth", "postlogin",
};
static const char *const no_session[] = {
	/* programs that authenticate or change passwords, open no session */
	"chfn", "chsh", "chpasswd", "chage", "newusers", "passwd", "polkit-1",
};

static bool in(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(list[i]);
		if (list[i][len - 1] == '*' ? strncmp(name, list[i], len - 1) == 0
					    : strcmp(name, list[i]) == 0)
			return true;
	}
	return false;
}
#define IN(name, list) in(name, list, sizeof(list) / sizeof(list[0]))

/* Left behind by package managers and editors: never a service name. */
static bool backup(const char *name)
{
	static const char *const sfx[] = { "~", ".dpkg-old", ".dpkg-dist",
		".dpkg-new", ".dpkg-bak", ".dpkg-tmp", ".ucf-old", ".ucf-dist",
		".ucf-new", ".rpmsave", ".rpmnew", ".orig", ".bak", ".swp" };
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		size_t m = strlen(sfx[i]);
		if (n > m && strcmp(name + n - m, sfx[i]) == 0)
			return true;
	}
	return name[0] == '.';
}

struct names {
	char **v;
	size_t n;
};

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the service files of dir; -1 when it cannot be read. */
static int list_dir(const char *dir, struct names *s)
{
	DIR *dp = opendir(dir);
	if (!dp)
		return -1;
	for (struct dirent *de; (de = readdir(dp));) {
		char *p;
		struct stat sb;
		if (backup(de->d_name) || asprintf(&p, "%s/%s", dir, de->d_name) < 0)
			continue;
		bool reg = stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
		free(p);
		if (!reg)
			continue;
		char **n = realloc(s->v, (s->n + 1) * sizeof(*n));
		if (!n || !(n[s->n] = strdup(de->d_name)))
			err(1, "out of memory");
		s->v = n;
		s->n++;
	}
	closedir(dp);
	return 0;
}

struct row {
	struct pam_stack st;
	struct door_verdict v;
	bool door;
	const char *worker; /* shared_worker(): why, or NULL */
};

/* The verdict and the notes of one service; *door when it counts. */
static void judge(const struct pam_dirs *d, const char *name,
		  const struct names *ignore, struct row *r)
{
	pam_stack_load(d, name, &r->st);
	door_check(d, &r->st, &r->v);
	struct door_verdict *v = &r->v;
	char kind[256] = "";
	if (IN(name, fragments))
		snprintf(kind, sizeof(kind), "included file, not a service");
	else if (IN(name, no_session))
		snprintf(kind, sizeof(kind), "not a door: its program opens no session");
	else if (strcmp(name, "other") == 0)
		snprintf(kind, sizeof(kind), "fallback of services without a file: not counted");
	for (size_t i = 0; !*kind && i < ignore->n; i++)
		if (strcmp(name, ignore->v[i]) == 0)
			snprintf(kind, sizeof(kind), "ignored (--ignore)");
	r->door = !*kind && v->session;

	char notes[sizeof(v->note)];
	snprintf(notes, sizeof(notes), "%s", v->note);
	*v->note = '\0';
	if (*kind)
		door_note(v, "%s", kind);
	if (r->door && !v->nsjail) {
		/* su-l: "session include su" -- the line belongs in su. */
		const struct pam_entry *from = NULL;
		for (size_t i = 0; i < r->st.n; i++)
			if (r->st.v[i].via && strncmp(r->st.v[i].via_how, "session ", 8) == 0)
				from = &r->st.v[i];
		if (from)
			door_note(v, "door without the module: add 'session required pam_nsjail.so' last in %s (through '%s')",
				  from->via, from->via_how);
		else
			door_note(v, "door without the module: add 'session required pam_nsjail.so' as its last session line");
	}
	if (*notes)
		door_note(v, "%s", notes);
	/* Its session is opened in a process that serves every user: the
	 * module refuses the jailed ones, and no jail reaches the others. */
	r->worker = shared_worker(name);
	if (r->door && v->nsjail && r->worker) {
		door_note(v, "shared worker: %s; the module refuses its jailed users: "
			  "remove the line and keep jailed users out of this service",
			  r->worker);
		v->covered = false;
	}
	if (r->door && v->nsjail && strcmp(name, SSH_KEYS_SERVICE) == 0)
		door_ssh_keys(&r->st, v);
	if (r->st.from_vendor && r->door && !r->v.covered)
		door_note(v, "vendor file %s: copy it to %s/%s and change the copy (it replaces the vendor file)",
			  r->st.vendor_path, d->etc, name);
	else if (r->st.from_vendor)
		door_note(v, "vendor file %s", r->st.vendor_path);
	else if (r->st.vendor_path)
		door_note(v, "replaces the vendor file %s", r->st.vendor_path);
}

static const char *yes_no(bool shown, bool value)
{
	return !shown ? "-" : value ? "yes" : "no";
}

/* yes/no, or null where the table shows "-". */
static void tri(struct json *j, const char *k, bool shown, bool value)
{
	json_key(j, k);
	if (shown)
		json_bool(j, value);
	else
		json_null(j);
}

/* --json: the table and the doors outside it as one document. */
static void doors_json(const struct pam_dirs *d, const struct row *rows, size_t n, bool ok)
{
	struct json j;
	json_init(&j, stdout);
	json_object(&j);
	json_kstr(&j, "command", "doors");
	json_kbool(&j, "ok", ok);
	json_kstr(&j, "pam_dir", d->etc);
	json_kstr(&j, "vendor_dir", d->vendor);
	json_key(&j, "services");
	json_array(&j);
	for (size_t i = 0; i < n; i++) {
		const struct door_verdict *v = &rows[i].v;
		json_object(&j);
		json_kstr(&j, "service", rows[i].st.service);
		json_kstr(&j, "path", rows[i].st.path);
		json_kbool(&j, "vendor", rows[i].st.from_vendor);
		json_kbool(&j, "session", v->session);
		tri(&j, "nsjail", v->session, v->nsjail);
		tri(&j, "last", v->nsjail, v->last);
		tri(&j, "once", v->nsjail, v->once);
		json_kstr(&j, "control", v->control);
		json_kbool(&j, "door", rows[i].door);
		json_kbool(&j, "covered", !rows[i].door || v->covered);
		json_kstr(&j, "shared_worker", rows[i].worker);
		json_kint(&j, "errors", rows[i].st.nerrors);
		json_kstr(&j, "note", v->note);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "uncovered");
	json_array(&j);
	for (size_t i = 0; i < n; i++)
		if (rows[i].door && !rows[i].v.covered)
			json_str(&j, rows[i].st.service);
	json_array_end(&j);
	json_key(&j, "outside");
	json_array(&j);
	doors_outside(d, &j);
	json_array_end(&j);
	json_object_end(&j);
	if (json_end(&j) < 0)
		errx(1, "doors: the JSON document is malformed (a bug)");
}

static void usage_error(const char *msg) __attribute__((noreturn));
static void usage_error(const char *msg)
{
	if (msg)
		warnx("doors: %s", msg);
	cli_usage_exit(2);
}

/* The table, the uncovered doors, then the doors outside PAM. */
static void doors_table(const struct pam_dirs *d, const struct row *rows, size_t n,
			int wname, int wctl, int uncovered)
{
	out("%-*s  %-7s  %-6s  %-4s  %-4s  %-*s  NOTE\n", wname, "SERVICE",
	    "SESSION", "NSJAIL", "LAST", "ONCE", wctl, "CONTROL");
	for (size_t i = 0; i < n; i++) {
		const struct door_verdict *v = &rows[i].v;
		out("%-*s  %-7s  %-6s  %-4s  %-4s  %-*s  %s\n", wname,
		    rows[i].st.service, v->session ? "yes" : "no",
		    yes_no(v->session, v->nsjail), yes_no(v->nsjail, v->last),
		    yes_no(v->nsjail, v->once), wctl, v->control ? v->control : "-",
		    v->note);
	}
	if (uncovered) {
		out("\nuncovered doors:");
		for (size_t i = 0; i < n; i++)
			if (rows[i].door && !rows[i].v.covered)
				out(" %s", rows[i].st.service);
		out("\n");
	} else {
		out("\nevery door with a session stack runs the module\n");
	}
	out("\n");
	doors_outside(d, NULL);
}

int cmd_doors(int argc, char **argv)
{
	enum { OPT_ROOT = 0x100, OPT_PAM_DIR, OPT_VENDOR_DIR, OPT_IGNORE, OPT_JSON };
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "pam-dir", required_argument, NULL, OPT_PAM_DIR },
		{ "vendor-dir", required_argument, NULL, OPT_VENDOR_DIR },
		{ "ignore", required_argument, NULL, OPT_IGNORE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root = "", *etc = NULL, *vendor = NULL;
	struct names ignore = { 0 };
	bool json = false;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: root = optarg; break;
		case OPT_PAM_DIR: etc = optarg; break;
		case OPT_VENDOR_DIR: vendor = optarg; break;
		case OPT_JSON: json = true; break;
		case OPT_IGNORE: {
			char **n = realloc(ignore.v, (ignore.n + 1) * sizeof(*n));
			if (!n)
				err(1, "realloc");
			ignore.v = n;
			ignore.v[ignore.n++] = optarg;
			break;
		}
		case 'h': cli_usage_exit(0);
		default: usage_error(NULL);
		}
	}
	if (optind != argc)
		usage_error("no operand expected");

	/* "/" and "/x/" as prefixes: "" and "/x". */
	char *r = strdup(root), *e = NULL, *vd = NULL;
	if (!r)
		err(1, "strdup");
	while (*r && r[strlen(r) - 1] == '/')
		r[strlen(r) - 1] = '\0';
	if ((!etc && asprintf(&e, "%s/etc/pam.d", r) < 0) ||
	    (!vendor && asprintf(&vd, "%s/usr/lib/pam.d", r) < 0))
		err(1, "asprintf");
	struct pam_dirs d = { .root = r, .etc = etc ? etc : e,
			      .vendor = vendor ? vendor : vd };

	struct names s = { 0 };
	if (list_dir(d.etc, &s) != 0) {
		warn("doors: %s", d.etc);
		cli_usage_exit(2);
	}
	if (list_dir(d.vendor, &s) != 0 && errno != ENOENT)
		warn("doors: %s", d.vendor);
	qsort(s.v, s.n, sizeof(*s.v), cmp);

	struct row *rows = calloc(s.n ? s.n : 1, sizeof(*rows));
	if (!rows)
		err(1, "calloc");
	int wname = 7, wctl = 7, errors = 0, uncovered = 0;
	size_t n = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (i && strcmp(s.v[i], s.v[i - 1]) == 0)
			continue; /* in both directories: /etc replaces vendor */
		judge(&d, s.v[i], &ignore, &rows[n]);
		const struct row *w = &rows[n++];
		if ((int)strlen(s.v[i]) > wname)
			wname = strlen(s.v[i]);
		if (w->v.control && (int)strlen(w->v.control) > wctl)
			wctl = strlen(w->v.control);
		errors += w->st.nerrors > 0;
		uncovered += w->door && !w->v.covered;
	}

	if (json)
		doors_json(&d, rows, n, !uncovered && !errors);
	else
		doors_table(&d, rows, n, wname, wctl, uncovered);

	for (size_t i = 0; i < n; i++)
		pam_stack_free(&rows[i].st);
	for (size_t i = 0; i < s.n; i++)
		free(s.v[i]);
	free(rows);
	free(s.v);
	free(ignore.v);
	free(r);
	free(e);
	free(vd);
	return uncovered || errors ? 1 : 0;
}
