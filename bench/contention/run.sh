#!/usr/bin/env bash
# Do two processes, each pinned to its own core, slow each other down on this machine? Times a compute-only loop
# and a memory-streaming loop (working sets of 1, 4, 16 and 64 MiB per process) alone on cpu0, alone on cpu1,
# then on both at once, for ROUNDS rounds (default 2). Needs g++ and taskset. Used by the README ("Parallel sweeps").
# With Debian's dataset-fashion-mnist installed it also times training itself the same way: the benchmark project's
# hand-written TorchSharp loop (no exprun code in it; tests/ExperimentRunner.Benchmarks, `--only fmnist-mlp`, one
# torch thread) on the Fashion-MNIST MLP, median ms per epoch of each process; the Release build takes a minute
# the first time.
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
if [ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
    root=$(cd "$here/../.." && pwd)
    dotnet build -c Release "$root/tests/ExperimentRunner.Benchmarks" -v q -nologo > "$bin/build.log" 2>&1 || { cat "$bin/build.log"; exit 1; }
    bench="$root/tests/ExperimentRunner.Benchmarks/bin/Release/net10.0/ExperimentRunner.Benchmarks"
    # The benchmark's summary line of the hand-written path: "fmnist-mlp hand-written <wall ms> <cpu ms> ...", in seconds.
    measure "hand-written TorchSharp loop, Fashion-MNIST MLP, per epoch" sh -c \
        "'$bench' --only fmnist-mlp --reps 10 | awk '\$1 == \"fmnist-mlp\" && \$2 == \"hand-written\" { print \$3 / 1000 }'"
else
    echo "(training skipped: apt-get install dataset-fashion-mnist puts the files in /usr/share/datasets/fashion-mnist)"
fi
