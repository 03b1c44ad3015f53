#!/usr/bin/env bash
# Do two processes, each pinned to its own core, slow each other down on this machine? Times a compute-only loop
# and a memory-streaming loop (working sets of 1, 4, 16 and 64 MiB per process) alone on cpu0, alone on cpu1,
# then on both at once, for ROUNDS rounds (default 2). Needs g++ and taskset. Used by the README ("Parallel sweeps").
set -euo pipefail
rounds=${1:-2}
here=$(cd "$(dirname "$0")" && pwd)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
g++ -O2 -march=native -o "$bin/spin" "$here/spin.cpp"
g++ -O2 -march=native -o "$bin/stream" "$here/stream.cpp"
measure() {
    local label=$1; shift
    for r in $(seq "$rounds"); do
        local a b
        a=$(taskset -c 0 "$@" | cut -d' ' -f1)
        b=$(taskset -c 1 "$@" | cut -d' ' -f1)
        taskset -c 0 "$@" > "$bin/c0" &
        taskset -c 1 "$@" > "$bin/c1"
        wait
        echo "$label: alone cpu0 $a s, cpu1 $b s; together cpu0 $(cut -d' ' -f1 "$bin/c0") s, cpu1 $(cut -d' ' -f1 "$bin/c1") s"
    done
}
measure "compute only" "$bin/spin" 1000000000
for kib in 1024 4096 16384 65536; do measure "streaming $((kib / 1024)) MiB" "$bin/stream" "$kib" 40; done
