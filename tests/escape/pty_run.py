#!/usr/bin/python3
"""pty_run.py SECONDS CMD...: runs CMD as the session leader of a new pty
(its controlling terminal, as a terminal emulator would start a shell), never
types into it, copies everything the terminal shows to stdout and exits with
CMD's status (124 when SECONDS pass first, after SIGKILL)."""
import os, pty, select, signal, sys, time

limit = float(sys.argv[1])
pid, master = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
deadline = time.monotonic() + limit
out = sys.stdout.buffer
status = None
while True:
    left = deadline - time.monotonic()
    if left <= 0:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        out.write(b"\npty_run: timed out\n")
        sys.exit(124)
    r, _, _ = select.select([master], [], [], min(left, 0.2))
    if r:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: every slave fd is closed
            data = b""
        if data:
            out.write(data.replace(b"\r", b""))
            out.flush()
            continue
    if status is None:
        p, st = os.waitpid(pid, os.WNOHANG)
        if p:
            status = st
    if status is not None and not r:
        break
    if status is not None and r and not data:
        break
sys.exit(os.waitstatus_to_exitcode(status) if os.waitstatus_to_exitcode(status) >= 0
         else 128 - os.waitstatus_to_exitcode(status))
