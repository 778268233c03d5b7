/* pambench: session cost of PAM modules and of whole sandboxing commands,
 * side by side.
 *
 *   pambench [-n N] [-w N] [-c LIST] [-i] [-o FILE] [-t TAG] [-v] CONTENDER...
 *
 *   LABEL=pam:SERVICE:USER[:EXPECT]   a PAM session of USER on SERVICE;
 *                                      EXPECT is jail (the session must end
 *                                      in another mount namespace or root),
 *                                      free (it must not) or any (default).
 *                                      USER may be a pool, NAME%N: the users
 *                                      NAME0..NAME<N-1>, taken in turn, each
 *                                      again only after POOL_REST_MS (a
 *                                      shared jail's keeper is gone by then:
 *                                      every session of the pool builds)
 *   LABEL=cmd:PROG ARG...             a command (argv split on spaces);
 *                                      one ARG may be a user pool NAME%N
 *                                      (as for pam), replaced per run
 *
 * What is measured (the same for every contender):
 *   - a PAM iteration is one forked child doing pam_start, pam_open_session,
 *     pam_close_session, pam_end and _exit, as an sshd session process
 *     does. A fresh child each time, because a successful jail moves the
 *     process into it. The child times pam_open_session + pam_close_session
 *     around the calls ("session" column); the parent times fork to reap
 *     ("total": adds fork, pam_start with its dlopen, pam_end, exit and the
 *     teardown of the namespace when its last process exits).
 *   - a command iteration is fork + exec + wait, timed in the parent
 *     ("total" only).
 * Contenders are interleaved round-robin (the starting contender rotates
 * every round) so drift of the machine hits all of them equally; warm-up
 * rounds are not counted. Results: median, p10, p90 in milliseconds.
 *
 * -c 1,8,64  concurrency: per round start C sessions at once and wait for
 *            all; reports the wall time of the round and every failure.
 * -i         in-process: pam_start once, then time open+close in this
 *            process, no fork. Only for sessions that do not jail (an
 *            unmatched user, pam_permit): the cost of saying "not for you".
 * -o FILE    append tab-separated results: tag mode label metric n fails
 *            median p10 p90 (milliseconds).
 *
 * Exit status: 0 when every iteration succeeded as expected, 1 otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>

#include "sample.h"

enum kind { K_PAM, K_CMD };
enum expect { E_ANY, E_JAIL, E_FREE };

struct series {
	double *v;
	size_t n, cap;
};

struct contender {
	char *label;
	enum kind kind;
	const char *service, *user;
	unsigned pool, next;  /* USER is NAME%N: N users, the next one */
	double *used;         /* when each pool user was last started, ms */
	char cur[64];         /* the user of the session being started */
	enum expect expect;
	char **argv;
	struct series session, total;
	unsigned fails;
	unsigned jailed, runs;
	char why[200]; /* the first failure */
};

/* What a PAM child reports through its pipe. */
struct sample {
	int idx;       /* contender */
	int stage;     /* 0 ok, 1 pam_start, 2 open, 3 close */
	int pam;       /* PAM return value of the failing stage */
	int jailed;
	double session_ms;
};

static struct {
	unsigned iters, warmup;
	bool inproc, verbose;
	const char *out, *tag;
	unsigned conc[16];
	size_t nconc;
} opt = { .iters = 50, .warmup = 3, .tag = "-" };

static struct stat host_ns, host_root;

/* A shared jail's keeper leaves at its next tick (1 s) after the jail's
 * last process: a pool user rests longer than that. */
#define POOL_REST_MS 1500.0

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "pambench: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static void push(struct series *s, double v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			die("%s", "out of memory");
	}
	s->v[s->n++] = v;
}

/* Linear interpolation between closest ranks; NAN when empty. */
static double quantile(struct series *s, double q)
{
	if (!s->n)
		return NAN;
	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
	double pos = q * (double)(s->n - 1);
	size_t lo = (size_t)pos;
	if (lo + 1 >= s->n)
		return s->v[s->n - 1];
	return s->v[lo] + (pos - (double)lo) * (s->v[lo + 1] - s->v[lo]);
}

static int conv(int n, const struct pam_message **msg,
		struct pam_response **resp, void *data)
{
	(void)n, (void)msg, (void)resp, (void)data;
	return PAM_CONV_ERR;
}

static bool is_jailed(void)
{
	struct stat ns, root;
	if (stat("/proc/self/ns/mnt", &ns) < 0 || stat("/", &root) < 0)
		return true; /* no /proc or no "/": certainly not the host's */
	return ns.st_ino != host_ns.st_ino || ns.st_dev != host_ns.st_dev ||
	       root.st_ino != host_root.st_ino || root.st_dev != host_root.st_dev;
}

static struct pam_conv pconv = { conv, NULL };

static void nss_warm(const char *user)
{
	struct passwd *pw = getpwnam(user);
	gid_t g[256];
	int n = 256;
	if (pw)
		getgrouplist(user, pw->pw_gid, g, &n);
}

/* One session, in a child that then exits. */
static void pam_child(const struct contender *c, int idx, int wfd)
{
	struct sample s = { .idx = idx };
	pam_handle_t *h = NULL;
	int r = pam_start(c->service, c->cur, &pconv, &h);
	/* Every PAM application has looked the user and its groups up before
	 * it opens a session (sshd, su, login: getpwnam, initgroups): NSS is
	 * loaded by then, not the cost of a session module. */
	nss_warm(c->cur);
	if (r != PAM_SUCCESS) {
		s.stage = 1, s.pam = r;
	} else {
		double t0 = now_ms();
		r = pam_open_session(h, 0);
		double t1 = now_ms();
		s.jailed = is_jailed();
		if (r != PAM_SUCCESS) {
			s.stage = 2, s.pam = r;
		} else {
			double t2 = now_ms();
			r = pam_close_session(h, 0);
			double t3 = now_ms();
			s.session_ms = (t1 - t0) + (t3 - t2);
			if (r != PAM_SUCCESS)
				s.stage = 3, s.pam = r;
		}
		pam_end(h, r);
	}
	if (write(wfd, &s, sizeof(s)) != sizeof(s))
		_exit(99);
	_exit(s.stage ? 10 + s.stage : 0);
}

static void cmd_child(struct contender *c)
{
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		if (!opt.verbose)
			dup2(null, 2);
	}
	for (size_t i = 0; c->pool && c->argv[i]; i++)
		if (c->argv[i] == c->user)
			c->argv[i] = (char *)c->cur; /* our copy after fork */
	execv(c->argv[0], c->argv);
	_exit(127);
}

static void fail(struct contender *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail(struct contender *c, const char *fmt, ...)
{
	c->fails++;
	if (c->why[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
}

static const char *const stage_name[] = { "ok", "pam_start", "pam_open_session",
					  "pam_close_session" };

/* Accounts one finished PAM child's sample. */
static void account(struct contender *c, const struct sample *s, bool record)
{
	c->runs++;
	c->jailed += s->jailed ? 1 : 0;
	if (s->stage) {
		fail(c, "%s: %s", stage_name[s->stage], pam_strerror(NULL, s->pam));
		return;
	}
	if ((c->expect == E_JAIL && !s->jailed) || (c->expect == E_FREE && s->jailed)) {
		fail(c, "session %s jailed, expected %s", s->jailed ? "was" : "was not",
		     c->expect == E_JAIL ? "jail" : "free");
		return;
	}
	if (record)
		push(&c->session, s->session_ms);
}

/* The user of the next session: USER, or the pool's next user once it has
 * rested (the wait is outside every timed span). */
static void pick_user(struct contender *c)
{
	if (!c->pool) {
		snprintf(c->cur, sizeof(c->cur), "%s", c->user ? c->user : "");
		return;
	}
	unsigned i = c->next++ % c->pool;
	double rest = c->used[i] + POOL_REST_MS - now_ms();
	if (rest > 0)
		nanosleep(&(struct timespec){ (time_t)(rest / 1e3),
					      (long)(fmod(rest, 1e3) * 1e6) }, NULL);
	c->used[i] = now_ms();
	snprintf(c->cur, sizeof(c->cur), "%.*s%u", (int)strcspn(c->user, "%"), c->user, i);
}

static pid_t start(struct contender *c, int idx, int wfd)
{
	pick_user(c);
	pid_t pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (c->kind == K_PAM)
			pam_child(c, idx, wfd);
		cmd_child(c);
	}
	return pid;
}

static void check_status(struct contender *c, int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (c->kind == K_CMD || !WIFEXITED(status) || WEXITSTATUS(status) == 99)
		fail(c, "child %s %d", WIFEXITED(status) ? "exited" : "killed by signal",
		     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

/* One sequential iteration of contender idx. */
static void run_once(struct contender *cs, int idx, bool record)
{
	struct contender *c = &cs[idx];
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	double t0 = now_ms();
	pid_t pid = start(c, idx, p[1]);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid: %s", strerror(errno));
	double t1 = now_ms();
	close(p[1]);
	struct sample s;
	if (c->kind == K_PAM) {
		if (read(p[0], &s, sizeof(s)) == sizeof(s))
			account(c, &s, record);
		else
			fail(c, "child reported nothing");
	}
	close(p[0]);
	check_status(c, status);
	if (c->kind == K_CMD)
		c->runs++;
	if (record && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		push(&c->total, t1 - t0);
}

/* C sessions of contender idx at once; the round's wall time goes to
 * total, each session's open+close to session. */
static void run_concurrent(struct contender *cs, int idx, unsigned conc, bool record)
{
	struct contender *c = &cs[idx];
	pid_t pids[1024];
	int p[2];
	if (conc > 1024)
		die("%s", "at most 1024 concurrent sessions");
	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	/* Room for every sample, so no child blocks on a full pipe. */
	fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
	double t0 = now_ms();
	for (unsigned i = 0; i < conc; i++)
		pids[i] = start(c, idx, p[1]);
	bool ok = true;
	for (unsigned i = 0; i < conc; i++) {
		int status;
		while (waitpid(pids[i], &status, 0) < 0)
			if (errno != EINTR)
				die("waitpid: %s", strerror(errno));
		unsigned before = c->fails;
		check_status(c, status);
		ok &= c->fails == before && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	double t1 = now_ms();
	close(p[1]);
	struct sample s;
	unsigned got = 0;
	while (c->kind == K_PAM && read(p[0], &s, sizeof(s)) == sizeof(s)) {
		unsigned before = c->fails;
		account(c, &s, record);
		ok &= c->fails == before;
		got++;
	}
	close(p[0]);
	if (c->kind == K_PAM && got != conc) {
		fail(c, "%u of %u sessions reported nothing", conc - got, conc);
		ok = false;
	}
	if (c->kind == K_CMD)
		c->runs += conc;
	if (record && ok)
		push(&c->total, t1 - t0);
}

/* In this process: pam_start once, then open+close per iteration. */
static void run_inproc(struct contender *cs, size_t n)
{
	pam_handle_t *h[64];
	if (n > 64)
		die("%s", "too many contenders");
	for (size_t i = 0; i < n; i++) {
		if (cs[i].kind != K_PAM)
			die("-i: '%s' is not a PAM contender", cs[i].label);
		if (cs[i].pool)
			die("-i: '%s': no user pool in-process", cs[i].label);
		int r = pam_start(cs[i].service, cs[i].user, &pconv, &h[i]);
		nss_warm(cs[i].user);
		if (r != PAM_SUCCESS)
			die("pam_start: %s", pam_strerror(NULL, r));
	}
	unsigned rounds = opt.warmup + opt.iters;
	for (unsigned round = 0; round < rounds; round++) {
		for (size_t k = 0; k < n; k++) {
			size_t i = (k + round) % n;
			struct sample s = { .idx = (int)i };
			double t0 = now_ms();
			int r = pam_open_session(h[i], 0);
			double t1 = now_ms();
			if (is_jailed())
				die("-i: '%s' jailed this process; use it without -i",
				    cs[i].label);
			if (r != PAM_SUCCESS) {
				s.stage = 2, s.pam = r;
			} else {
				double t2 = now_ms();
				r = pam_close_session(h[i], 0);
				s.session_ms = (t1 - t0) + (now_ms() - t2);
				if (r != PAM_SUCCESS)
					s.stage = 3, s.pam = r;
			}
			account(&cs[i], &s, round >= opt.warmup);
		}
	}
	for (size_t i = 0; i < n; i++)
		pam_end(h[i], PAM_SUCCESS);
}

static void parse_contender(struct contender *c, char *spec)
{
	char *eq = strchr(spec, '=');
	if (!eq || eq == spec)
		die("bad contender '%s' (LABEL=pam:... or LABEL=cmd:...)", spec);
	*eq = '\0';
	c->label = spec;
	char *what = eq + 1;
	if (strncmp(what, "pam:", 4) == 0) {
		c->kind = K_PAM;
		c->service = strtok(what + 4, ":");
		c->user = strtok(NULL, ":");
		const char *e = strtok(NULL, ":");
		if (!c->service || !c->user)
			die("'%s': pam:SERVICE:USER[:EXPECT]", c->label);
		c->expect = !e || strcmp(e, "any") == 0 ? E_ANY :
			    strcmp(e, "jail") == 0 ? E_JAIL :
			    strcmp(e, "free") == 0 ? E_FREE : E_ANY;
		if (e && c->expect == E_ANY && strcmp(e, "any") != 0)
			die("bad EXPECT '%s'", e);
	} else if (strncmp(what, "cmd:", 4) == 0) {
		c->kind = K_CMD;
		size_t n = 0;
		c->argv = calloc(strlen(what) + 1, sizeof(char *));
		for (char *t = strtok(what + 4, " "); t; t = strtok(NULL, " ")) {
			c->argv[n++] = t;
			if (n > 1 && strchr(t, '%') && !c->user)
				c->user = t; /* the user pool (below) */
		}
		if (!n || c->argv[0][0] != '/')
			die("'%s': cmd: needs an absolute program path", c->label);
	} else {
		die("bad contender kind in '%s'", what);
	}
	const char *pct = c->user ? strchr(c->user, '%') : NULL;
	if (pct) {
		c->pool = (unsigned)strtoul(pct + 1, NULL, 10);
		if (!c->pool || c->pool > 100000 || pct - c->user > 40)
			die("'%s': USER pool NAME%%N, 1 <= N <= 100000", c->label);
		/* an earlier run's sessions may have used the pool: all of it
		 * rests once, before the first session */
		c->used = calloc(c->pool, sizeof(double));
		for (unsigned i = 0; c->used && i < c->pool; i++)
			c->used[i] = now_ms();
		if (!c->used)
			die("%s", "out of memory");
	}
}

static void report(FILE *f, struct contender *c, const char *mode, const char *metric,
		   struct series *s)
{
	double med = quantile(s, 0.5), p10 = quantile(s, 0.1), p90 = quantile(s, 0.9);
	printf("  %-24s %-14s %5zu %5u %10.3f %10.3f %10.3f\n", c->label, metric, s->n,
	       c->fails, med, p10, p90);
	if (f)
		fprintf(f, "%s\t%s\t%s\t%s\t%zu\t%u\t%.4f\t%.4f\t%.4f\n", opt.tag, mode,
			c->label, metric, s->n, c->fails, med, p10, p90);
}

static void usage(void)
{
	fputs("usage: pambench [-n N] [-w N] [-c 1,8,64] [-i] [-o FILE] [-t TAG] [-v] "
	      "LABEL=pam:SERVICE:USER[:jail|free|any] | LABEL=cmd:PROG ARG...\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	int ch;
	while ((ch = getopt(argc, argv, "n:w:c:io:t:vh")) != -1) {
		switch (ch) {
		case 'n': opt.iters = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'w': opt.warmup = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'c':
			for (char *t = strtok(optarg, ","); t && opt.nconc < 16; t = strtok(NULL, ","))
				opt.conc[opt.nconc++] = (unsigned)strtoul(t, NULL, 10);
			break;
		case 'i': opt.inproc = true; break;
		case 'o': opt.out = optarg; break;
		case 't': opt.tag = optarg; break;
		case 'v': opt.verbose = true; break;
		default: usage();
		}
	}
	size_t n = (size_t)(argc - optind);
	if (!n || !opt.iters)
		usage();
	if (stat("/proc/self/ns/mnt", &host_ns) < 0 || stat("/", &host_root) < 0)
		die("stat /proc/self/ns/mnt: %s", strerror(errno));
	signal(SIGPIPE, SIG_IGN);

	struct contender *cs = calloc(n, sizeof(*cs));
	for (size_t i = 0; i < n; i++)
		parse_contender(&cs[i], argv[optind + (int)i]);
	FILE *out = opt.out ? fopen(opt.out, "a") : NULL;
	if (opt.out && !out)
		die("%s: cannot open", opt.out);

	unsigned bad = 0;
	size_t levels = opt.nconc ? opt.nconc : 1;
	for (size_t l = 0; l < levels; l++) {
		unsigned conc = opt.nconc ? opt.conc[l] : 0;
		for (size_t i = 0; i < n; i++) {
			free(cs[i].session.v), free(cs[i].total.v);
			cs[i].session = cs[i].total = (struct series){ 0 };
			cs[i].fails = cs[i].jailed = cs[i].runs = 0;
			cs[i].why[0] = '\0';
		}
		if (opt.inproc) {
			run_inproc(cs, n);
		} else {
			for (unsigned round = 0; round < opt.warmup + opt.iters; round++)
				for (size_t k = 0; k < n; k++) {
					size_t i = (k + round) % n;
					bool record = round >= opt.warmup;
					if (conc)
						run_concurrent(cs, (int)i, conc, record);
					else
						run_once(cs, (int)i, record);
				}
		}
		const char *mode = opt.inproc ? "inproc" : conc ? "concurrent" : "session";
		printf("%s%s%.0u  (ms)\n  %-24s %-14s %5s %5s %10s %10s %10s\n", mode,
		       conc ? " x" : "", conc, "contender", "metric", "n", "fails", "median",
		       "p10", "p90");
		for (size_t i = 0; i < n; i++) {
			struct contender *c = &cs[i];
			char metric[32];
			if (conc) {
				snprintf(metric, sizeof(metric), "wall@%u", conc);
				report(out, c, mode, metric, &c->total);
				if (c->kind == K_PAM) {
					snprintf(metric, sizeof(metric), "session@%u", conc);
					report(out, c, mode, metric, &c->session);
				}
			} else {
				if (c->kind == K_PAM)
					report(out, c, mode, "session", &c->session);
				if (!opt.inproc)
					report(out, c, mode, "total", &c->total);
			}
			if (c->fails) {
				fprintf(stderr, "pambench: %s: %u of %u failed; first: %s\n",
					c->label, c->fails, c->runs, c->why);
				bad++;
			}
		}
	}
	if (out)
		fclose(out);
	return bad ? 1 : 0;
}
