/* mkmounts COUNT DIR: adds small tmpfs mounts under DIR (DIR/N) until this
 * mount namespace holds COUNT mounts, for the host-mount-count scale runs
 * of run.sh (one process instead of a mount(8) per mount). Run it only in
 * a private mount namespace. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

static long count_mounts(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	long n = 0;
	int c;
	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: mkmounts COUNT DIR\n");
		return 2;
	}
	long want = strtol(argv[1], NULL, 10), have = count_mounts();
	if (have < 0) {
		perror("/proc/self/mountinfo");
		return 1;
	}
	for (long i = have; i < want; i++) {
		char p[4096];
		snprintf(p, sizeof(p), "%s/%ld", argv[2], i);
		if ((mkdir(p, 0755) < 0 && errno != EEXIST) ||
		    mount("nsjbench-m", p, "tmpfs", MS_NOSUID | MS_NODEV, "size=4k") < 0) {
			fprintf(stderr, "mkmounts: %s: %s\n", p, strerror(errno));
			return 1;
		}
	}
	return 0;
}
