/* libFuzzer target: wire_decode, the helper's whole input (SPEC §2: it
 * "reads one plan from its socket, checks it again"). Arbitrary bytes must
 * give a plan or an error, never a crash; a plan that decodes must pass
 * plan_validate and encode back to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "plan.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan p;
	char err[512];

	if (size > WIRE_MAX_BYTES)
		return 0;
	/* An exact-size heap copy, so ASan sees any read past the end. */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	memset(&p, 0xa5, sizeof(p)); /* decode must not rely on a zeroed plan */
	if (wire_decode(buf, size, &p, err, sizeof(err)) == 0) {
		int r = plan_validate(&p, err, sizeof(err));
		if (r < 0)
			fprintf(stderr, "plan_validate after wire_decode: %s\n", err);
		FZ_CHECK(r == 0);
		uint8_t *again = NULL;
		size_t len = 0;
		FZ_CHECK(wire_encode(&p, &again, &len) == 0);
		FZ_CHECK(len == size && !memcmp(again, buf, size));
		free(again);
		fz_round_trip(&p);
		plan_free(&p);
	} else {
		FZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL);
	}
	free(buf);
	return 0;
}
