/* The sequence of enter.h. */
#include "enter.h"

#include "count.h"
#include "nsj_error.h"

/* Without shared, with a limit: her lock (held until the caller is in the
 * new jail: two logins never both see room for one), then the count. */
static int check_limit(struct jail_entry *je, uid_t uid, unsigned max, struct nsj_error *e)
{
	if (shared_lock(&je->sh, uid, 0, e) < 0)
		return -1;
	int n = jail_count_user(uid, (int)max, e);
	if (n >= 0 && (unsigned)n >= max) {
		je->over_limit = n;
		nsj_error_set(e, 0, "max_jails_per_user: %d live jails of this user already "
			      "(processes left behind keep them; the limit is %u)", n, max);
	}
	if (n < 0 || je->over_limit) {
		shared_unlock(&je->sh);
		return -1;
	}
	return 0;
}

int jail_entry_open(struct jail_entry *je, const char *helper, const struct plan *p,
		    uid_t uid, unsigned max_jails, struct nsj_error *e)
{
	*je = (struct jail_entry){
		.ns = { .mnt = -1, .pid = -1, .net = -1, .ipc = -1, .keeper = -1 },
		.sh = { .dir = -1, .lock = -1 },
		.shared = p->isolate & PLAN_ISO_SHARED,
		.kstart = -1,
	};
	if (je->shared) {
		/* The policy generation: the plan without the terminal, which
		 * differs between the logins that share the jail. */
		uint64_t gen = shared_gen(p);
		if (!gen)
			return nsj_error_set(e, 0, "shared: no policy generation");
		if (shared_lock(&je->sh, uid, gen, e) < 0)
			return -1;
		int found = shared_find(&je->sh, helper, p, &je->ns, e);
		if (found < 0) {
			shared_unlock(&je->sh);
			return -1;
		}
		je->joined = found == 1;
	}
	if (je->joined)
		return 0;
	if (!je->shared && max_jails > 0 && check_limit(je, uid, max_jails, e) < 0)
		return -1;
	if (jail_build_ns(helper, p, NSJAIL_HELPER_TIMEOUT_MS, &je->ns, e) < 0) {
		shared_unlock(&je->sh);
		return -1;
	}
	/* Read on the host's /proc, before anyone joins. */
	if (je->shared)
		je->kstart = shared_keeper_start(je->ns.keeper, &je->kexe);
	return 0;
}

int jail_entry_register(struct jail_entry *je, const char *user, const char *jail,
			struct nsj_error *e)
{
	if (!je->shared || je->joined)
		return 0;
	return shared_register(&je->sh, user, jail, je->ns.keeper, je->kstart, &je->kexe,
			       je->ns.mnt, e);
}

const char *jail_entry_how(const struct jail_entry *je)
{
	return !je->shared ? "" : je->joined ? " shared=joined" : " shared=built";
}

void jail_entry_close(struct jail_entry *je)
{
	shared_unlock(&je->sh);
	jail_ns_close(&je->ns);
}
