/* Which ssh keys a login was authenticated with, from the text sshd puts
 * into the PAM environment as SSH_AUTH_INFO_0, as fingerprints in the form
 * `ssh-keygen -l -E sha256` prints: "SHA256:" and the unpadded base64 of
 * the SHA-256 of the key blob. Pure functions, no syscalls: a small
 * SHA-256 and base64 of our own rather than a libcrypto dependency for
 * thirty bytes of hashing per login. */
#ifndef NSJAIL_SSHKEY_H
#define NSJAIL_SSHKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strlist.h"

#define SSHKEY_FP_PREFIX "SHA256:"
#define SSHKEY_FP_LEN 50 /* "SHA256:" + 43 base64 characters, no NUL */
#define SSH_AUTH_MAX_KEYS 8

void sha256(const void *data, size_t len, uint8_t out[32]);

/* Standard-alphabet base64 with optional '=' padding at the end only.
 * Returns the number of bytes written to out (at most cap), or -1 on a
 * character outside the alphabet, misplaced padding, or overflow. */
long base64_decode(const char *in, size_t len, uint8_t *out, size_t cap);

/* The fingerprint of the key whose blob is the base64 text b64[0..len):
 * 0 with out NUL-terminated, or -1 when b64 does not decode. */
int sshkey_fingerprint(const char *b64, size_t len, char out[SSHKEY_FP_LEN + 1]);

/* s is a fingerprint exactly as ssh-keygen prints one: the prefix and 43
 * characters that decode to 32 bytes (the last one's spare bits zero), so
 * that comparing strings is comparing digests. */
bool sshkey_fp_valid(const char *s);

/* What the module knows of how an sshd login authenticated. */
struct ssh_auth {
	/* false: nothing trustworthy was captured, or a key was used whose
	 * fingerprint cannot be computed here; then why says which. */
	bool known;
	const char *why;  /* static text */
	size_t nkeys;     /* the "publickey" lines, in sshd's order */
	char keys[SSH_AUTH_MAX_KEYS][SSHKEY_FP_LEN + 1];
};

/* Reads SSH_AUTH_INFO_0 ("publickey ssh-ed25519 AAAA...\npassword\n"):
 * one line per method that succeeded. Any "publickey" line adds its key;
 * other methods (password, keyboard-interactive, hostbased) add none.
 * Unknown (known = false): info empty or NULL, a certificate (its plain
 * key's fingerprint is not computed), a blob that does not decode, more
 * than SSH_AUTH_MAX_KEYS keys. */
void ssh_auth_parse(const char *info, struct ssh_auth *a);

/* The first of a's keys that l lists (exact string comparison), or NULL. */
const char *ssh_auth_listed(const struct ssh_auth *a, const struct strlist *l);

#endif
