# netprobe.py: what a session can reach, for the isolation tests.
#   netprobe.py serve TCP-PORT ABSTRACT-NAME   host services (as root): each
#                                              answers HOST-TCP / HOST-ABS
#   netprobe.py tcp HOST:PORT | abs NAME       prints the first line the
#                                              service sends, or the errno
#                                              name (ECONNREFUSED...)
#   netprobe.py loopback                       listens on 127.0.0.1 and
#                                              connects to itself: LOOPBACK-OK
import errno
import socket
import sys
import threading


def serve(s, msg):
    while True:
        c, _ = s.accept()
        c.sendall(msg)
        c.close()


def connect(kind, addr):
    if kind == "abs":
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(5)
        s.connect("\0" + addr)
    else:
        h, p = addr.rsplit(":", 1)
        s = socket.create_connection((h, int(p)), timeout=5)
    s.settimeout(5)
    return s.recv(100).decode().strip() or "closed"


def main():
    kind = sys.argv[1]
    if kind == "serve":
        t = socket.socket()
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind(("127.0.0.1", int(sys.argv[2])))
        t.listen(8)
        u = socket.socket(socket.AF_UNIX)
        u.bind("\0" + sys.argv[3])
        u.listen(8)
        threading.Thread(target=serve, args=(u, b"HOST-ABS\n"), daemon=True).start()
        serve(t, b"HOST-TCP\n")
    try:
        if kind == "loopback":
            t = socket.socket()
            t.bind(("127.0.0.1", 0))
            t.listen(1)
            threading.Thread(target=serve, args=(t, b"LOOPBACK-OK\n"), daemon=True).start()
            print(connect("tcp", "127.0.0.1:%d" % t.getsockname()[1]))
        else:
            print(connect(kind, sys.argv[2]))
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e)))


main()
