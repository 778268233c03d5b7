/* tiocsti: a terminal-injection probe (issue 10 item 4). Pushes TEXT and a
 * newline into the input of its controlling terminal (fd 0) with
 * ioctl(TIOCSTI), one byte at a time, through one of the kernel's doors:
 *   plain  ioctl(0, TIOCSTI, &c)
 *   high   the same with bits above 32 set in cmd (0x100005412): the
 *          kernel takes cmd as an unsigned int, a filter comparing all
 *          64 bits would let it through (flatpak, CVE-2019-10063)
 *   i386   the 32-bit ABI from this 64-bit program (int $0x80, ioctl = 54)
 *   x32    the x32 ABI (syscall 0x40000000 | 514)
 *   linux  ioctl(0, TIOCLINUX, TIOCL_GETSHIFTSTATE) (TEXT unused): refused
 *          by the filter with EPERM, ENOTTY/EINVAL on a pty when allowed
 * Prints "tiocsti MODE: ok" or "tiocsti MODE: ERRNO-NAME" and exits 0 when
 * the ioctl worked, 1 on EPERM, 2 on any other error.
 * Build: cc -static tiocsti.c -o tiocsti */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define TIOCL_GETSHIFTSTATE 6

#if defined(__x86_64__)
/* The i386 system call door of a 64-bit process. */
static long int80(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory");
	return ret;
}
#endif

/* One byte through MODE: 0, or an errno. */
static int push(const char *mode, char *c)
{
	long r;
	if (strcmp(mode, "plain") == 0)
		r = ioctl(0, TIOCSTI, c);
	else if (strcmp(mode, "high") == 0)
		r = syscall(SYS_ioctl, 0, 0x100000000UL | TIOCSTI, c);
#if defined(__x86_64__)
	else if (strcmp(mode, "i386") == 0) {
		r = int80(54 /* i386 ioctl */, 0, TIOCSTI, (long)(unsigned long)c);
		if (r < 0 && r > -4096) {
			errno = (int)-r;
			r = -1;
		}
	} else if (strcmp(mode, "x32") == 0)
		r = syscall(0x40000000L | 514 /* x32 ioctl */, 0, TIOCSTI, c);
#endif
	else if (strcmp(mode, "linux") == 0) {
		*c = TIOCL_GETSHIFTSTATE;
		r = ioctl(0, TIOCLINUX, c);
	} else {
		fprintf(stderr, "tiocsti: unknown mode %s\n", mode);
		return EINVAL;
	}
	return r < 0 ? errno : 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: tiocsti plain|high|i386|x32|linux TEXT\n");
		return 2;
	}
	/* Below 4 GiB: the i386 door takes a 32-bit pointer. */
	char *buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (buf == MAP_FAILED) {
		perror("tiocsti: mmap");
		return 2;
	}
	snprintf(buf, 4096, "%s\n", argv[2]);
	int err = 0;
	size_t n = strcmp(argv[1], "linux") == 0 ? 1 : strlen(buf);
	for (size_t i = 0; i < n && !err; i++)
		err = push(argv[1], &buf[i]);
	printf("tiocsti %s: %s\n", argv[1], err ? strerrorname_np(err) : "ok");
	fflush(stdout);
	return err == 0 ? 0 : err == EPERM ? 1 : 2;
}
