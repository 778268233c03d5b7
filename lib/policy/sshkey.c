#include "sshkey.h"

#include <string.h>

/* ------------------------------------------------------------ SHA-256
 * FIPS 180-4, one shot over a buffer in memory (keys are a few hundred
 * bytes). Checked against the standard's vectors in test_sshkey. */

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5],
		 g = h[6], k = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
			      ((e & f) ^ (~e & g)) + K[i] + w[i];
		uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
			      ((a & b) ^ (a & c) ^ (b & c));
		k = g, g = f, f = e, e = d + t1;
		d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d;
	h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

void sha256(const void *data, size_t len, uint8_t out[32])
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	const uint8_t *p = data;
	size_t n = len;
	for (; n >= 64; n -= 64, p += 64)
		block(h, p);
	/* The tail, 0x80, zeros, and the length in bits: one or two blocks. */
	uint8_t last[128] = { 0 };
	memcpy(last, p, n);
	last[n] = 0x80;
	size_t tail = n < 56 ? 64 : 128;
	uint64_t bits = (uint64_t)len * 8;
	for (int i = 0; i < 8; i++)
		last[tail - 1 - i] = (uint8_t)(bits >> (8 * i));
	block(h, last);
	if (tail == 128)
		block(h, last + 64);
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (uint8_t)(h[i] >> (24 - 8 * j));
}

/* ------------------------------------------------------------ base64 */

static const char B64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_value(char c)
{
	const char *p = c ? strchr(B64, c) : NULL;
	return p ? (int)(p - B64) : -1;
}

long base64_decode(const char *in, size_t len, uint8_t *out, size_t cap)
{
	size_t pad = 0;
	while (pad < 2 && len > pad && in[len - 1 - pad] == '=')
		pad++;
	if (pad && (len % 4) != 0)
		return -1;
	size_t n = len - pad, o = 0;
	uint32_t acc = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64_value(in[i]);
		if (v < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		if (i % 4 == 3) {
			if (o + 3 > cap)
				return -1;
			out[o++] = (uint8_t)(acc >> 16);
			out[o++] = (uint8_t)(acc >> 8);
			out[o++] = (uint8_t)acc;
			acc = 0;
		}
	}
	size_t rest = n % 4; /* 2 or 3 characters: 1 or 2 more bytes */
	if (rest == 1 || o + rest - (rest > 0) > cap)
		return -1;
	if (rest == 2)
		out[o++] = (uint8_t)(acc >> 4);
	else if (rest == 3) {
		out[o++] = (uint8_t)(acc >> 10);
		out[o++] = (uint8_t)(acc >> 2);
	}
	return (long)o;
}

/* Unpadded, as ssh-keygen prints digests. */
static void base64_nopad(const uint8_t *in, size_t len, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		size_t chars = len - i >= 3 ? 4 : len - i + 1;
		for (size_t k = 0; k < chars; k++)
			out[o++] = B64[(v >> (18 - 6 * k)) & 63];
	}
	out[o] = '\0';
}

/* ------------------------------------------------------------ keys */

/* Keys sshd accepts are at most a few KiB (RSA 16384 bits: ~2 KiB). */
#define BLOB_MAX 16384

int sshkey_fingerprint(const char *b64, size_t len, char out[SSHKEY_FP_LEN + 1])
{
	uint8_t blob[BLOB_MAX];
	long n = base64_decode(b64, len, blob, sizeof(blob));
	if (n <= 0)
		return -1;
	uint8_t d[32];
	sha256(blob, (size_t)n, d);
	memcpy(out, SSHKEY_FP_PREFIX, strlen(SSHKEY_FP_PREFIX));
	base64_nopad(d, sizeof(d), out + strlen(SSHKEY_FP_PREFIX));
	return 0;
}

bool sshkey_fp_valid(const char *s)
{
	size_t pl = strlen(SSHKEY_FP_PREFIX);
	if (strncmp(s, SSHKEY_FP_PREFIX, pl) != 0 || strlen(s) != SSHKEY_FP_LEN)
		return false;
	uint8_t d[33];
	/* 43 characters carry 258 bits: the last one's low 2 bits are spare
	 * and must be zero, or two spellings would name one digest. */
	return base64_decode(s + pl, SSHKEY_FP_LEN - pl, d, sizeof(d)) == 32 &&
	       (b64_value(s[SSHKEY_FP_LEN - 1]) & 3) == 0;
}

static void unknown(struct ssh_auth *a, const char *why)
{
	a->known = false;
	a->why = why;
}

/* One line of SSH_AUTH_INFO_0: "METHOD[/SUBMETHOD] [KEYTYPE BLOB [INFO]]". */
static void parse_line(const char *l, size_t len, struct ssh_auth *a)
{
	const char *end = l + len, *sp = memchr(l, ' ', len);
	size_t mlen = sp ? (size_t)(sp - l) : len;
	if (mlen != 9 || memcmp(l, "publickey", 9) != 0)
		return; /* no user key in this method */
	if (!sp) {
		unknown(a, "sshd reported a public key login without its key");
		return;
	}
	const char *type = sp + 1, *tend = memchr(type, ' ', (size_t)(end - type));
	if (!tend) {
		unknown(a, "sshd reported a public key login without its key");
		return;
	}
	const char *blob = tend + 1, *bend = memchr(blob, ' ', (size_t)(end - blob));
	if (!bend)
		bend = end;
	/* A certificate's line carries the certificate, whose hash is not the
	 * fingerprint of the key inside it that ssh-keygen -l prints. */
	if (memmem(type, (size_t)(tend - type), "-cert-", 6)) {
		unknown(a, "the login used a certificate: its key's fingerprint is not computed");
		return;
	}
	if (a->nkeys == SSH_AUTH_MAX_KEYS) {
		unknown(a, "sshd reported more public keys than the module reads");
		return;
	}
	if (sshkey_fingerprint(blob, (size_t)(bend - blob), a->keys[a->nkeys]) < 0) {
		unknown(a, "sshd reported a key blob that does not decode");
		return;
	}
	a->nkeys++;
}

void ssh_auth_parse(const char *info, struct ssh_auth *a)
{
	*a = (struct ssh_auth){ .known = true };
	if (!info || !*info) {
		unknown(a, "sshd gave no authentication information (SSH_AUTH_INFO_0)");
		return;
	}
	for (const char *l = info; *l && a->known;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		parse_line(l, len, a);
		l += len + (nl != NULL);
	}
	if (!a->known)
		a->nkeys = 0;
}

const char *ssh_auth_listed(const struct ssh_auth *a, const struct strlist *l)
{
	for (size_t i = 0; a->known && i < a->nkeys; i++)
		if (strlist_contains(l, a->keys[i]))
			return a->keys[i];
	return NULL;
}
