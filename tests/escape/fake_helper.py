#!/usr/bin/python3
# fake_helper.py MODE: stands in for nsjail-helper (the module's helper=)
# and answers the module's request with a reply the real helper never
# sends, to check that the module trusts only what it verified
# (lib/jail/build.c). Reads the whole request from fd 3, then replies:
#   ok          status 0, a new mount namespace (a control)
#   netns       status 0, a network namespace where the mount one belongs
#   mnt-own     status 0, our own (the caller's) mount namespace
#   failed      status -1 "fake helper: failed on purpose", yet a mount namespace
#   pids-child  status 0, mount + a new PID namespace below ours (a control)
#   pids-own    status 0, mount + our own PID namespace (not a new one)
#   pids-none   status 0, mount only, for a private_pids plan
# Used by t_escape_helper_reply.sh.
import array, os, socket, struct, subprocess, sys, time

mode = sys.argv[1]
sock = socket.socket(fileno=3)
hdr = b""
while len(hdr) < 8:
    hdr += sock.recv(8 - len(hdr))
total = struct.unpack("=II", hdr)[1]
left = total - 8
while left > 0:
    left -= len(sock.recv(left))

def ns(name, pid="self"):
    return os.open("/proc/%s/ns/%s" % (pid, name), os.O_RDONLY | os.O_CLOEXEC)

def new_ns(flag, name):
    """A namespace that is not ours (the module refuses the caller's own),
    kept alive by an unshare'd sleep."""
    child = subprocess.Popen(["unshare", flag, "sleep", "30"])
    own = os.stat("/proc/self/ns/" + name).st_ino
    for _ in range(200):
        if os.stat("/proc/%d/ns/%s" % (child.pid, name)).st_ino != own:
            break
        time.sleep(0.01)
    return ns(name, child.pid)

status, msg, fds = 0, b"", [new_ns("--mount", "mnt")]
if mode == "netns":
    fds = [ns("net")]
elif mode == "mnt-own":
    fds = [ns("mnt")]
elif mode == "failed":
    status, msg = -1, b"fake helper: failed on purpose"
elif mode == "pids-own":
    fds.append(ns("pid"))
elif mode == "pids-child":
    # "unshare --pid --fork": the unshare process's pid_for_children is a
    # new PID namespace below ours, kept alive by its sleep (PID 1 there).
    child = subprocess.Popen(["unshare", "--pid", "--fork", "sleep", "30"])
    own = os.stat("/proc/self/ns/pid").st_ino
    for _ in range(200):
        if os.stat("/proc/%d/ns/pid_for_children" % child.pid).st_ino != own:
            break
        time.sleep(0.01)
    fds.append(ns("pid_for_children", child.pid))
elif mode not in ("ok", "pids-none"):
    sys.exit("fake_helper.py: unknown mode " + mode)
reply = struct.pack("=ii1024si", status, 0, msg, 0)
sock.sendmsg([reply], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
