#!/usr/bin/env python3
"""idle_clients.py - hold many idle SMTP connections open and measure the server meanwhile.

    idle_clients.py --addr 127.0.0.1:2600 --count 10000 --hold 10 --pid PID --jcmd /jdk/bin/jcmd

1. With --pid: baseline = jcmd PID GC.run, then GC.heap_info, and VmRSS from /proc/PID/status.
2. Opens --count TCP connections (source addresses cycled over --sources, so no single
   source runs short of ephemeral ports), at most --inflight waiting for a greeting at once,
   and reads each one's first line; a connection counts when that line starts with "220".
3. Holds them idle --hold seconds, measures again (GC.run first), then counts how many are
   still open (no EOF/reset from the server) and closes them all.
Prints one line: connections_open=N heap_used_mib=X rss_mib=Y, then more key=value details.
Python 3 standard library only; every wait is bounded (--open-timeout, --greet-timeout, jcmd 60 s).
"""
import argparse, errno, os, re, resource, selectors, socket, subprocess, sys, time

IP_BIND_ADDRESS_NO_PORT = 24   # Linux: pick the source port at connect(), not bind()


def measure(pid, jcmd):
    """-> dict(heap_used_mib, heap_committed_mib, rss_mib, threads); NA where unknown."""
    out = {"heap_used_mib": "NA", "heap_committed_mib": "NA", "rss_mib": "NA", "threads": "NA"}
    if not pid:
        return out
    if jcmd:
        try:
            subprocess.run([jcmd, str(pid), "GC.run"], capture_output=True, timeout=60, check=True)
            info = subprocess.run([jcmd, str(pid), "GC.heap_info"], capture_output=True, text=True,
                                  timeout=60, check=True).stdout
            used = committed = 0.0
            unit = {"B": 1 / 1024, "K": 1, "M": 1024, "G": 1024 * 1024}
            # heap lines come before "Metaspace"; sum every "used N<unit>" / "committed N<unit>"
            # (one line for G1 and ZGC, young + old lines for Serial and Parallel)
            for line in info.split("Metaspace")[0].splitlines():
                for n, u in re.findall(r"\bused (\d+)([BKMG])", line):
                    used += int(n) * unit[u]
                for n, u in re.findall(r"\bcommitted (\d+)([BKMG])", line):
                    committed += int(n) * unit[u]
                for n, u in re.findall(r"(?<!max )capacity (\d+)([BKMG])", line):   # ZGC's word
                    committed += int(n) * unit[u]
            if used:
                out["heap_used_mib"] = f"{used / 1024:.1f}"
            if committed:
                out["heap_committed_mib"] = f"{committed / 1024:.1f}"
        except (OSError, subprocess.SubprocessError) as e:
            print(f"idle_clients: jcmd failed: {e}", file=sys.stderr)
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    out["rss_mib"] = f"{int(line.split()[1]) / 1024:.1f}"
                elif line.startswith("Threads:"):
                    out["threads"] = line.split()[1]
    except OSError as e:
        print(f"idle_clients: cannot read /proc/{pid}/status: {e}", file=sys.stderr)
    return out


def open_connections(host, port, count, sources, inflight, greet_timeout, open_timeout):
    """-> (greeted sockets, failures dict reason->count)"""
    sel = selectors.DefaultSelector()
    pending = {}            # socket -> [buffer, start time]
    greeted, failures = [], {}
    deadline = time.monotonic() + open_timeout

    def bump(reason):
        failures[reason] = failures.get(reason, 0) + 1

    def fail(s, reason):
        bump(reason)
        if s in pending:
            sel.unregister(s)
            del pending[s]
        s.close()

    started = 0
    while (started < count or pending) and time.monotonic() < deadline:
        while started < count and len(pending) < inflight:
            src = sources[started % len(sources)]
            started += 1
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            try:
                s.setsockopt(socket.SOL_IP, IP_BIND_ADDRESS_NO_PORT, 1)
                s.bind((src, 0))
                err = s.connect_ex((host, port))
            except OSError as e:
                err = e.errno
            if err not in (0, errno.EINPROGRESS):
                bump(f"connect:{errno.errorcode.get(err, err)}")
                s.close()
                continue
            pending[s] = [b"", time.monotonic()]
            sel.register(s, selectors.EVENT_READ)
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            try:
                data = s.recv(1024)
            except BlockingIOError:
                continue
            except OSError as e:
                fail(s, f"recv:{errno.errorcode.get(e.errno, e.errno)}")
                continue
            if not data:
                fail(s, "closed_before_greeting")
                continue
            pending[s][0] += data
            if b"\n" in pending[s][0]:
                ok = pending[s][0].startswith(b"220")
                if ok:
                    sel.unregister(s)
                    del pending[s]
                    greeted.append(s)
                else:
                    fail(s, "greeting:" + pending[s][0][:3].decode("ascii", "replace"))
        now = time.monotonic()
        for s, (_, t0) in list(pending.items()):
            if now - t0 > greet_timeout:
                fail(s, "greeting_timeout")
    for s in list(pending):
        fail(s, "open_timeout")
    if started < count:
        failures["not_started_open_timeout"] = count - started
    sel.close()
    return greeted, failures


def still_open(socks):
    """Count sockets the server has not closed: drain whatever it sent, look for EOF/reset."""
    n = 0
    for s in socks:
        try:
            while True:
                if not s.recv(4096):
                    break          # EOF: the server closed it
        except BlockingIOError:
            n += 1                 # nothing more to read, still connected
        except OSError:
            pass                   # reset
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--addr", default="127.0.0.1:2600")
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--hold", type=float, default=10.0, help="idle seconds before measuring")
    ap.add_argument("--sources", default="127.0.0.2-127.0.0.9", help="a.b.c.X-a.b.c.Y or comma list")
    ap.add_argument("--inflight", type=int, default=500, help="connections awaiting a greeting at once")
    ap.add_argument("--greet-timeout", type=float, default=15.0)
    ap.add_argument("--open-timeout", type=float, default=180.0, help="cap on opening them all")
    ap.add_argument("--pid", type=int, help="server process to measure")
    ap.add_argument("--jcmd", help="jcmd of the JDK the server runs on")
    a = ap.parse_args()
    if not 1 <= a.count <= 60000:
        sys.exit("idle_clients: --count must be 1..60000")
    host, port = a.addr.rsplit(":", 1)
    if "-" in a.sources:
        lo, hi = a.sources.split("-")
        base, first = lo.rsplit(".", 1)
        sources = [f"{base}.{i}" for i in range(int(first), int(hi.rsplit(".", 1)[1]) + 1)]
    else:
        sources = a.sources.split(",")
    if not all(x.startswith("127.") for x in sources + [host]):
        sys.exit("idle_clients: loopback (127.0.0.0/8) addresses only")

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = a.count + 256
    if soft < want:
        if hard != resource.RLIM_INFINITY and hard < want:
            sys.exit(f"idle_clients: open-file limit {hard} < {want}: raise it (ulimit -n) or lower --count")
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

    base = measure(a.pid, a.jcmd)
    t0 = time.monotonic()
    socks, failures = open_connections(host, int(port), a.count, sources, a.inflight,
                                       a.greet_timeout, a.open_timeout)
    open_secs = time.monotonic() - t0
    print(f"idle_clients: {len(socks)} of {a.count} greeted in {open_secs:.1f}s"
          + (f"; failures: {failures}" if failures else "") + f"; holding {a.hold:.0f}s", file=sys.stderr)
    time.sleep(a.hold)
    m = measure(a.pid, a.jcmd)
    n_open = still_open(socks)
    for s in socks:
        s.close()

    def per_conn(after, before):   # KiB per open connection
        try:
            return f"{(float(after) - float(before)) * 1024 / n_open:.1f}" if n_open else "NA"
        except ValueError:
            return "NA"
    print(f"connections_open={n_open} heap_used_mib={m['heap_used_mib']} rss_mib={m['rss_mib']}"
          f" requested={a.count} greeted={len(socks)} failed={sum(failures.values())} open_secs={open_secs:.1f}"
          f" hold_secs={a.hold:.0f} heap_committed_mib={m['heap_committed_mib']} threads={m['threads']}"
          f" base_heap_used_mib={base['heap_used_mib']} base_rss_mib={base['rss_mib']}"
          f" heap_kib_per_conn={per_conn(m['heap_used_mib'], base['heap_used_mib'])}"
          f" rss_kib_per_conn={per_conn(m['rss_mib'], base['rss_mib'])}")
    return 0 if n_open == a.count else 1


if __name__ == "__main__":
    sys.exit(main())
