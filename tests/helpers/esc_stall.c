/* esc_stall: a stand-in for nsjail-helper that never answers, for
 * t_escape_helper.sh. Started by pam_nsjail (helper=PATH) exactly as the real
 * helper is, it writes what it was given into ESC_STALL_OUT (a path fixed at
 * compile time: the module passes no environment) and then hangs, so the test
 * can see that the module gives up in bounded time:
 *   fd N -> TARGET     every open fd
 *   env: VAR=VALUE     every environment variable
 *   argv: ARG          its arguments
 *   uid: R E S         real, effective, saved uid
 * Build: cc -DESC_STALL_OUT='"/path"' esc_stall.c -o esc_stall */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef ESC_STALL_OUT
#error "define ESC_STALL_OUT"
#endif

extern char **environ;

int main(int argc, char **argv)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", ESC_STALL_OUT);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return 1;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int self = d ? dirfd(d) : -1;
	while (d && (de = readdir(d))) {
		char path[300], target[4096];
		int fd = atoi(de->d_name);
		if (de->d_name[0] == '.' || fd == self || fd == fileno(f))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		fprintf(f, "fd %d -> %s\n", fd, target);
	}
	if (d)
		closedir(d);
	for (char **e = environ; e && *e; e++)
		fprintf(f, "env: %s\n", *e);
	for (int i = 0; i < argc; i++)
		fprintf(f, "argv: %s\n", argv[i]);
	uid_t r, e, s;
	getresuid(&r, &e, &s);
	fprintf(f, "uid: %u %u %u\n", (unsigned)r, (unsigned)e, (unsigned)s);
	fclose(f);
	rename(tmp, ESC_STALL_OUT);
	for (;;)
		pause();
}
