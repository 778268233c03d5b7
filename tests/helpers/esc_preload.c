/* esc_preload: a library that betrays being loaded, for t_escape_helper.sh.
 * Its constructor creates ESC_PRELOAD_MARK.COMM (COMM: the process's name,
 * fixed path at compile time), so a test can tell which programs ran it.
 * Build: cc -shared -fPIC -DESC_PRELOAD_MARK='"/path/mark"' esc_preload.c */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef ESC_PRELOAD_MARK
#error "define ESC_PRELOAD_MARK"
#endif

__attribute__((constructor)) static void mark(void)
{
	char comm[64] = "", path[4200];
	int fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, comm, sizeof(comm) - 1);
	if (fd >= 0)
		close(fd);
	comm[n > 0 ? n : 0] = '\0';
	comm[strcspn(comm, "\n/")] = '\0';
	snprintf(path, sizeof(path), "%s.%s", ESC_PRELOAD_MARK, comm);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
}
