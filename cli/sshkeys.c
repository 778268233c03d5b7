/* ssh_keys in nsjailctl: check's warnings and the note of doors' sshd row.
 * A jail with ssh_keys needs the module's capture_ssh_key line FIRST in
 * sshd's session stack: sshd puts SSH_AUTH_INFO_0 in the PAM environment
 * just before pam_open_session, and a module before the capture (Debian's
 * pam_env user_readenv=1) can replace it with the user's own text. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "doors.h"
#include "pamstack.h"

/* The first capture line of st (NULL when none); *pos its index in the
 * flattened stack. */
static const struct pam_entry *capture_line(const struct pam_stack *st, size_t *pos)
{
	for (size_t i = 0; i < st->n; i++)
		if (pam_is_capture(&st->v[i])) {
			*pos = i;
			return &st->v[i];
		}
	return NULL;
}

static const char add_line[] = "add 'session required pam_nsjail.so capture_ssh_key' "
			       "as the first session line of sshd's PAM stack";

void door_ssh_keys(const struct pam_stack *st, struct door_verdict *v)
{
	size_t pos;
	const struct pam_entry *c = capture_line(st, &pos);
	if (!c)
		door_note(v, "no capture_ssh_key line: jails with ssh_keys refuse its logins "
			  "(%s)", add_line);
	else if (pos > 0)
		door_note(v, "capture_ssh_key (%s:%d) is not the first session line: %s "
			  "(%s:%d) before it can change SSH_AUTH_INFO_0", c->file, c->line,
			  st->v[0].module, st->v[0].file, st->v[0].line);
	else
		door_note(v, "captures the ssh key first (%s:%d) for ssh_keys", c->file, c->line);
}

void lint_ssh_keys(const struct policy *p, struct diags *d)
{
	const struct jail *first = NULL;
	for (size_t k = 0; k < p->njails; k++) {
		const struct jail *j = &p->jails[k];
		if (!j->ssh_keys.n)
			continue;
		first = first ? first : j;
		if (j->has_services && !strlist_contains(&j->services, SSH_KEYS_SERVICE))
			diags_add(d, DIAG_WARNING, j->file, j->line,
				  "jail '%s' never applies: ssh_keys match only service "
				  SSH_KEYS_SERVICE ", which its 'services' leaves out", j->name);
	}
	if (!first)
		return;

	struct pam_dirs dirs = { .root = "", .etc = "/etc/pam.d",
				 .vendor = "/usr/lib/pam.d" };
	struct pam_stack st;
	if (pam_stack_load(&dirs, SSH_KEYS_SERVICE, &st) < 0) {
		diags_add(d, DIAG_WARNING, first->file, first->line,
			  "jail '%s' names ssh_keys, but there is no PAM service "
			  SSH_KEYS_SERVICE " in %s", first->name, dirs.etc);
		pam_stack_free(&st);
		return;
	}
	size_t pos;
	const struct pam_entry *c = capture_line(&st, &pos);
	if (!c)
		diags_add(d, DIAG_WARNING, first->file, first->line,
			  "jail '%s' names ssh_keys, but %s has no capture_ssh_key line: "
			  "sshd logins it applies to are refused; %s", first->name,
			  st.path, add_line);
	else if (pos > 0)
		diags_add(d, DIAG_WARNING, first->file, first->line,
			  "jail '%s' names ssh_keys, but capture_ssh_key (%s:%d) is not the "
			  "first session line: %s (%s:%d) runs before it and can change "
			  "SSH_AUTH_INFO_0 (pam_env user_readenv=1 lets the user forge it); "
			  "make it the first", first->name, c->file, c->line,
			  st.v[0].module, st.v[0].file, st.v[0].line);
	pam_stack_free(&st);
}
