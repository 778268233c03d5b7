#!/usr/bin/python3
# spawn_helper.py HELPER OUTDIR [PRELOAD]: starts nsjail-helper the way a
# hostile caller could: real uid alice's (2001) and effective uid 0, as when
# she runs su herself; her gid (real, effective, saved); her supplementary groups; 1000 extra inherited fds,
# RLIMIT_NOFILE at the kernel's maximum (or the hard limit), SIGALRM ignored
# and blocked, LD_PRELOAD/LD_AUDIT/MALLOC_*/GLIBC_TUNABLES set, the request
# socket on fd 3, and then never sends a request. Writes OUTDIR/pid once started, and OUTDIR/result ("SIGNAL N" or
# "EXIT N", then the seconds it lived) when the helper is gone (or "HUNG"
# after 20 s, when it is killed). Used by t_escape_helper.sh.
import os, resource, signal, socket, sys, time

helper, out = sys.argv[1], sys.argv[2]
preload = sys.argv[3] if len(sys.argv) > 3 else ""
ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
extra = []
for _ in range(1000):
    fd = os.open("/dev/null", os.O_RDONLY)
    os.set_inheritable(fd, True)
    extra.append(fd)
nr_open = int(open("/proc/sys/fs/nr_open").read())
env = {
    "LD_PRELOAD": preload, "LD_AUDIT": preload, "LD_LIBRARY_PATH": "/tmp",
    "MALLOC_CHECK_": "3", "MALLOC_PERTURB_": "85",
    "GLIBC_TUNABLES": "glibc.malloc.check=3:glibc.malloc.perturb=85",
    "PATH": "/tmp", "IFS": "/",
}
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    try:  # needs CAP_SYS_RESOURCE; else as high as the hard limit allows
        resource.setrlimit(resource.RLIMIT_NOFILE, (nr_open, nr_open))
    except (ValueError, OSError):
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM, signal.SIGTERM])
    os.dup2(theirs.fileno(), 3)  # dup2 makes it inheritable
    os.setgroups([2001, 2101])  # alice's and contractors': must not stay
    os.setresgid(2001, 2001, 2001)  # su is setuid, not setgid: her gid throughout
    os.setresuid(2001, 0, 0)
    os.execve(helper, ["nsjail-helper"], env)
theirs.close()
with open(out + "/pid.tmp", "w") as f:
    f.write("%d\n" % pid)
os.rename(out + "/pid.tmp", out + "/pid")
result = "HUNG"
while time.monotonic() - t0 < 20:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        if os.WIFSIGNALED(status):
            result = "SIGNAL %d" % os.WTERMSIG(status)
        else:
            result = "EXIT %d" % os.WEXITSTATUS(status)
        break
    time.sleep(0.05)
else:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
with open(out + "/result", "w") as f:
    f.write("%s\n%.0f\n" % (result, time.monotonic() - t0))
