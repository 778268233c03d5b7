/* ssh_keys: the fingerprint of a key sshd reports (SHA-256, base64), the
 * parse of SSH_AUTH_INFO_0, and matching jails by key (match.h). */
#include "testutil.h"

#include "match.h"
#include "sshkey.h"

/* Keys made with ssh-keygen and the fingerprints `ssh-keygen -l -E sha256`
 * printed for them. */
#define ED_BLOB "AAAAC3NzaC1lZDI1NTE5AAAAIDFOQ2/OqPv38fa4rgh567QLtP0KNP/YBLIUPg3jo2wf"
#define ED_FP "SHA256:dX+ZrBAWlDjILEK0GIaK7kTkr4brkpWlJ78xfUkjibA"
#define RSA_BLOB "AAAAB3NzaC1yc2EAAAADAQABAAAAgQDzwZGYTEtHgKkPoXok0qh7nWCz1gBME69pNwxtSiA/" \
	"pEz/v6eD6MlZgb2xc+EXsOeEPgyzAMiFMt18X8i2z6GFcT+y0MfXmleYq0L1NuEE2ruA/mI8N+bbbKRH7eMH" \
	"bQp7MhjZr1kCvhzFOf2nWvy3jFqYfXlmDeBPpKjM/3yjJQ=="
#define RSA_FP "SHA256:XqNlnZcmfVRVQUgPymSdHT8OZZEweQZjtpZ3hzNXrc0"

static void hex(const uint8_t *d, char *out)
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void sha256_vectors(void **state)
{
	(void)state;
	static const struct { const char *in; const char *out; } v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
		  "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	uint8_t d[32];
	char h[65];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sha256(v[i].in, strlen(v[i].in), d);
		hex(d, h);
		assert_string_equal(h, v[i].out);
	}
	/* A million 'a': many blocks. */
	char *m = malloc(1000000);
	memset(m, 'a', 1000000);
	sha256(m, 1000000, d);
	free(m);
	hex(d, h);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* Every tail length around the 55/56/64-byte padding edges. */
	static const char *const edge[] = {
		[55] = "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
		[56] = "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
		[64] = "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
	};
	char buf[64];
	memset(buf, 'a', sizeof(buf));
	for (size_t n = 55; n <= 64; n++) {
		if (!edge[n])
			continue;
		sha256(buf, n, d);
		hex(d, h);
		assert_string_equal(h, edge[n]);
	}
}

static void base64(void **state)
{
	(void)state;
	uint8_t out[16];
	assert_int_equal(base64_decode("TWFu", 4, out, sizeof(out)), 3);
	assert_memory_equal(out, "Man", 3);
	assert_int_equal(base64_decode("TWE=", 4, out, sizeof(out)), 2);
	assert_int_equal(base64_decode("TWE", 3, out, sizeof(out)), 2);
	assert_int_equal(base64_decode("TQ==", 4, out, sizeof(out)), 1);
	assert_memory_equal(out, "M", 1);
	assert_int_equal(base64_decode("", 0, out, sizeof(out)), 0);
	assert_int_equal(base64_decode("T", 1, out, sizeof(out)), -1);
	assert_int_equal(base64_decode("TW=u", 4, out, sizeof(out)), -1);
	assert_int_equal(base64_decode("TW u", 4, out, sizeof(out)), -1);
	assert_int_equal(base64_decode("TWFuTWFu", 8, out, 5), -1);
}

static void fingerprints_as_ssh_keygen(void **state)
{
	(void)state;
	char fp[SSHKEY_FP_LEN + 1];
	assert_int_equal(sshkey_fingerprint(ED_BLOB, strlen(ED_BLOB), fp), 0);
	assert_string_equal(fp, ED_FP);
	assert_int_equal(sshkey_fingerprint(RSA_BLOB, strlen(RSA_BLOB), fp), 0);
	assert_string_equal(fp, RSA_FP);
	assert_int_equal(sshkey_fingerprint("AA!A", 4, fp), -1);
}

static void fingerprint_syntax(void **state)
{
	(void)state;
	assert_true(sshkey_fp_valid(ED_FP));
	assert_true(sshkey_fp_valid(RSA_FP));
	assert_false(sshkey_fp_valid("SHA256:dX+ZrBAWlDjILEK0GIaK7kTkr4brkpWlJ78xfUkjibA="));
	assert_false(sshkey_fp_valid("sha256:dX+ZrBAWlDjILEK0GIaK7kTkr4brkpWlJ78xfUkjibA"));
	assert_false(sshkey_fp_valid("MD5:dX+ZrBAWlDjILEK0GIaK7kTkr4brkpWlJ78xfUkjibA"));
	assert_false(sshkey_fp_valid("SHA256:dX+ZrBAWlDjILEK0GIaK7kTkr4brkpWlJ78xfUkjib"));
	/* The same digest spelt with the spare bits set: not canonical. */
	assert_false(sshkey_fp_valid("SHA256:dX+ZrBAWlDjILEK0GIaK7kTkr4brkpWlJ78xfUkjibB"));
	assert_false(sshkey_fp_valid("SHA256:dX+ZrBAWlDjILEK0GIaK7kTkr4brkpWlJ78xfUkji-A"));
}

static void auth_info_lines(void **state)
{
	(void)state;
	struct ssh_auth a;
	ssh_auth_parse("publickey ssh-ed25519 " ED_BLOB "\n", &a);
	assert_true(a.known);
	assert_int_equal(a.nkeys, 1);
	assert_string_equal(a.keys[0], ED_FP);

	ssh_auth_parse("publickey ssh-ed25519 " ED_BLOB "\npassword\n", &a);
	assert_true(a.known);
	assert_int_equal(a.nkeys, 1);

	ssh_auth_parse("publickey ssh-rsa " RSA_BLOB "\npublickey ssh-ed25519 " ED_BLOB "\n", &a);
	assert_true(a.known);
	assert_int_equal(a.nkeys, 2);
	assert_string_equal(a.keys[0], RSA_FP);
	assert_string_equal(a.keys[1], ED_FP);

	ssh_auth_parse("password\n", &a);
	assert_true(a.known);
	assert_int_equal(a.nkeys, 0);
	ssh_auth_parse("keyboard-interactive/pam\n", &a);
	assert_true(a.known);
	assert_int_equal(a.nkeys, 0);

	/* A method named like publickey is not publickey. */
	ssh_auth_parse("publickeyx ssh-ed25519 " ED_BLOB "\n", &a);
	assert_true(a.known);
	assert_int_equal(a.nkeys, 0);

	ssh_auth_parse("", &a);
	assert_false(a.known);
	ssh_auth_parse(NULL, &a);
	assert_false(a.known);
	ssh_auth_parse("publickey ssh-ed25519-cert-v01@openssh.com " ED_BLOB "\n", &a);
	assert_false(a.known);
	assert_int_equal(a.nkeys, 0);
	ssh_auth_parse("publickey ssh-ed25519\n", &a);
	assert_false(a.known);
	ssh_auth_parse("publickey ssh-ed25519 AA!A\n", &a);
	assert_false(a.known);
}

/* ---------------------------------------------------------- matching */

static const char *const conf =
	"version = 1;\n"
	"jails = (\n"
	"  { name = \"deploy\"; users = [ \"alice\" ]; ssh_keys = [ \"" RSA_FP "\" ];\n"
	"    read_only = [ \"/\" ]; },\n"
	"  { name = \"person\"; users = [ \"alice\" ]; ssh_keys = [ \"" ED_FP "\" ];\n"
	"    tmpfs = [ \"/srv\" ]; },\n"
	"  { name = \"rest\"; users = [ \"alice\", \"bob\" ]; tmpfs = [ \"/home\" ]; }\n"
	");\n";

static struct match run(const char *user, const char *service, const char *info,
			bool captured)
{
	struct policy *p = parse_ok(conf);
	struct user_info u = fake_user(user, 3000, "/home/x", user, 3000, 0, NULL);
	static struct ssh_auth a;
	ssh_auth_parse(info, &a);
	struct match m = policy_match_auth(p, &u, service, captured ? &a : NULL);
	/* The jail lives in p: keep its name. */
	static char name[32];
	static struct jail copy = { .name = name };
	snprintf(name, sizeof(name), "%s", m.jail ? m.jail->name : "");
	policy_free(p);
	user_info_free(&u);
	if (m.jail)
		m.jail = &copy;
	return m;
}

static void each_key_its_jail(void **state)
{
	(void)state;
	struct match m = run("alice", "sshd", "publickey ssh-rsa " RSA_BLOB "\n", true);
	assert_int_equal(m.kind, MATCH_USER);
	assert_string_equal(m.jail->name, "deploy");
	assert_string_equal(m.key, RSA_FP);
	m = run("alice", "sshd", "publickey ssh-ed25519 " ED_BLOB "\n", true);
	assert_string_equal(m.jail->name, "person");
	assert_string_equal(m.key, ED_FP);
	/* Two keys (AuthenticationMethods publickey,publickey): order decides. */
	m = run("alice", "sshd", "publickey ssh-ed25519 " ED_BLOB "\npublickey ssh-rsa "
		RSA_BLOB "\n", true);
	assert_string_equal(m.jail->name, "deploy");
}

static void no_listed_key_later_entries(void **state)
{
	(void)state;
	/* A password login, a key that is not listed: the entries without
	 * ssh_keys decide. */
	struct match m = run("alice", "sshd", "password\n", true);
	assert_int_equal(m.kind, MATCH_USER);
	assert_string_equal(m.jail->name, "rest");
	assert_null(m.key);
	m = run("alice", "sshd", "publickey ssh-ed25519 "
		"AAAAC3NzaC1lZDI1NTE5AAAAIHo+S+TJlkT+v6oLe1Gkob2I5+z9fz22UYa15g2vDmy2\n", true);
	assert_string_equal(m.jail->name, "rest");
	/* Other services never match by key, captured or not. */
	m = run("alice", "su", "publickey ssh-ed25519 " ED_BLOB "\n", true);
	assert_string_equal(m.jail->name, "rest");
	m = run("alice", "su", NULL, false);
	assert_string_equal(m.jail->name, "rest");
	/* A user no keyed entry names is untouched by an unknown key. */
	m = run("bob", "sshd", NULL, false);
	assert_int_equal(m.kind, MATCH_USER);
	assert_string_equal(m.jail->name, "rest");
}

static void unknown_key_refused(void **state)
{
	(void)state;
	struct match m = run("alice", "sshd", NULL, false);
	assert_int_equal(m.kind, MATCH_REFUSED);
	assert_string_equal(m.jail->name, "deploy");
	assert_non_null(strstr(m.key_why, "capture_ssh_key"));
	m = run("alice", "sshd", "publickey ssh-ed25519-cert-v01@openssh.com " ED_BLOB "\n", true);
	assert_int_equal(m.kind, MATCH_REFUSED);
	assert_non_null(strstr(m.key_why, "certificate"));
	m = run("alice", "sshd", "", true);
	assert_int_equal(m.kind, MATCH_REFUSED);
}

static void config_checks_fingerprints(void **state)
{
	(void)state;
	struct diags d = { 0 };
	struct policy *p = policy_new("test.conf");
	int n = config_parse_buffer("test.conf",
		"version = 1;\njails = ( { name = \"a\"; users = [ \"x\" ];\n"
		"  ssh_keys = [ \"SHA256:nope\" ]; },\n"
		"  { name = \"b\"; users = [ \"x\" ]; ssh_keys = [ ]; } );\n",
		false, p, &d);
	assert_int_equal(n, 2);
	assert_non_null(strstr(d.v[0].msg, "ssh-keygen -l"));
	assert_int_equal(d.v[0].line, 3);
	assert_non_null(strstr(d.v[1].msg, "'ssh_keys' is empty"));
	diags_free(&d);
	policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_vectors),
		cmocka_unit_test(base64),
		cmocka_unit_test(fingerprints_as_ssh_keygen),
		cmocka_unit_test(fingerprint_syntax),
		cmocka_unit_test(auth_info_lines),
		cmocka_unit_test(each_key_its_jail),
		cmocka_unit_test(no_listed_key_later_entries),
		cmocka_unit_test(unknown_key_refused),
		cmocka_unit_test(config_checks_fingerprints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
