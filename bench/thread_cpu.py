#!/usr/bin/env python3
"""CPU seconds of a command, per thread name, for the command's process and (apart) its child processes.

    bench/thread_cpu.py exprun run bench/configs/fmnist-mlp-sweep.yaml -o /tmp/p2 --parallel 2

Linux only. Polls /proc/PID/task/*/stat of the command and of its children (a sweep's workers) every 20 ms
while they run and prints, for each (process kind, thread name), the CPU time (user + system) its threads had
used when last seen. Threads that start and end between two polls are missed, so the sums are lower bounds.
.NET names its helper threads (".NET Tiered Com" is the background re-JIT of hot code, ".NET Finalizer",
".NET BGC" the background GC); the thread that trains is the one named after the executable.
"""
import os
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    command = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = {}
    started = time.monotonic()
    while command.poll() is None:
        for pid in [command.pid] + children(command.pid):
            try:
                for tid in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{tid}/stat") as f:
                        stat = f.read()
                    name = stat[stat.index("(") + 1:stat.rindex(")")]
                    fields = stat[stat.rindex(")") + 2:].split()
                    seen[(pid, tid)] = ("command" if pid == command.pid else "children", name, int(fields[11]) + int(fields[12]))
            except (OSError, ValueError):
                pass  # a thread or process that ended between listing and reading
        time.sleep(0.02)
    totals = {}
    for kind, name, ticks in seen.values():
        totals[(kind, name)] = totals.get((kind, name), 0) + ticks
    print(f"exit {command.returncode}, {time.monotonic() - started:.2f} s wall")
    for (kind, name), ticks in sorted(totals.items(), key=lambda t: -t[1]):
        if ticks:
            print(f"{kind:9} {name:18} {ticks / TICKS:8.2f} s cpu")


if __name__ == "__main__":
    main()
