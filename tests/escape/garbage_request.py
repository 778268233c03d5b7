#!/usr/bin/python3
# garbage_request.py HELPER KIND: sends nsjail-helper a hostile request on
# its socket (fd 3) and prints how it answered: "status=S fds=N msg=..." or
# "no reply". KIND: garbage (random bytes), huge (a header announcing 4 GiB),
# truncated (a header announcing 4 KiB, then 10 bytes and a hang-up).
# Used by t_escape_helper.sh; bounded by a 15 s timeout.
import os, socket, struct, sys

helper, kind = sys.argv[1], sys.argv[2]
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
pid = os.fork()
if pid == 0:
    os.dup2(b.fileno(), 3)
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.execv(helper, ["nsjail-helper"])
b.close()
a.settimeout(15)
magic = 0x314a534e
if kind == "garbage":
    a.sendall(bytes((i * 37 + 11) % 256 for i in range(4096)))
elif kind == "huge":
    a.sendall(struct.pack("<II", magic, 0xffffffff))
elif kind == "truncated":
    a.sendall(struct.pack("<II", magic, 4096) + b"\x01" * 10)
    a.shutdown(socket.SHUT_WR)
data, fds = b"", 0
try:
    while len(data) < 1032:
        msg, anc, flags, _ = a.recvmsg(1032 - len(data), socket.CMSG_SPACE(4 * 4))
        for level, typ, payload in anc:
            if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
                fds += len(payload) // 4
        if not msg:
            break
        data += msg
except socket.timeout:
    pass
os.waitpid(pid, 0)
if len(data) < 8:
    print("no reply fds=%d" % fds)
else:
    status, err = struct.unpack("<ii", data[:8])
    text = data[8:].split(b"\0")[0].decode(errors="replace")
    print("status=%d fds=%d msg=%s" % (status, fds, text))
