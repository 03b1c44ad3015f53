#!/usr/bin/env python3
"""Times two or three shell commands in turn (A B [C] A B [C] ...) and prints medians, ranges and pair-by-pair ratios.

    bench/alternate.py -n 6 \\
      -a 'rm -rf /tmp/p1 && exprun run bench/configs/fmnist-mlp-sweep.yaml -o /tmp/p1 --parallel 1 >/dev/null' \\
      -b 'rm -rf /tmp/p2 && exprun run bench/configs/fmnist-mlp-sweep.yaml -o /tmp/p2 --parallel 2 >/dev/null'

This machine's speed drifts from minute to minute, so a timing means something only next to the other
command's, taken right before or after it: each round runs A then B (then C), and the ratios are taken pair by
pair (round i's A over round i's B; with C also A/C and B/C), then summarized. A third command is the yardstick
when two are compared against what the machine allows, e.g. C = two independent pinned `--shard` processes
started together (README, "Parallel sweeps"). One warm-up run of each is not counted (disk cache, JIT
caches of the SDK). Wall time is the command's; CPU is user + system of it and everything it waited for
(a sweep's workers too); peak MiB is the largest resident set among them (at least the ~15 MiB of the
forked Python that execs the shell). --pin CPUS runs every command under
`taskset -c CPUS`. A command that fails stops the series: its timings would not be of the same work.
Linux only (os.wait4).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def run(command, pin):
    argv = ["sh", "-c", command]
    if pin:
        argv = ["taskset", "-c", pin] + argv
    started = time.monotonic()
    process = subprocess.Popen(argv)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"alternate: exit {code} from: {command}")
    return {"wall s": wall, "cpu s": usage.ru_utime + usage.ru_stime, "peak MiB": usage.ru_maxrss / 1024}


def summary(values):
    return f"{statistics.median(values):9.3f}  ({min(values):.3f}-{max(values):.3f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-a", required=True, metavar="CMD", help="the first command (the baseline)")
    parser.add_argument("-b", required=True, metavar="CMD", help="the second command")
    parser.add_argument("-c", metavar="CMD", help="an optional third command (a yardstick for both)")
    parser.add_argument("-n", type=int, default=5, metavar="ROUNDS", help="counted rounds (default 5)")
    parser.add_argument("--warmup", type=int, default=1, metavar="RUNS", help="uncounted runs of each first (default 1)")
    parser.add_argument("--pin", metavar="CPUS", help="run every command under taskset -c CPUS")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("-n: give 1 or more rounds")
    commands = {"A": args.a, "B": args.b}
    if args.c is not None:
        commands["C"] = args.c

    for _ in range(args.warmup):
        for command in commands.values():
            run(command, args.pin)
    times = {label: [] for label in commands}
    for i in range(args.n):
        for label, command in commands.items():
            times[label].append(run(command, args.pin))
        walls = ", ".join(f"{label} {times[label][-1]['wall s']:.3f} s" for label in commands)
        print(f"round {i + 1}: {walls}", file=sys.stderr, flush=True)

    labels = list(commands)
    for label, command in commands.items():
        print(f"{label} = {command}")
    print(f"{args.n} rounds {' '.join(labels)} in turn after {args.warmup} warm-up each; {'pinned to ' + args.pin if args.pin else 'not pinned'}")
    print(f"{'':12}{'median':>9}  (min-max)")
    for key in ("wall s", "cpu s", "peak MiB"):
        for label in labels:
            print(f"{label} {key:10}{summary([r[key] for r in times[label]])}")
    pairs = [(x, y) for i, x in enumerate(labels) for y in labels[i + 1:]]
    for key in ("wall s", "cpu s"):
        for x, y in pairs:
            print(f"{x}/{y} {key:8}{summary([p[key] / q[key] for p, q in zip(times[x], times[y])])}   pair by pair")


if __name__ == "__main__":
    main()
