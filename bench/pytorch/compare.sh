#!/bin/bash
# exprun against Debian's PyTorch on the Fashion-MNIST shapes, one torch thread each, same rows, batch,
# optimizer and epochs, runs alternating (exprun first in odd rounds, PyTorch first in even ones).
#
#   apt-get install dataset-fashion-mnist python3-torch libopenblas0-pthread   # without OpenBLAS PyTorch is ~13x slower
#   dotnet build -c Release
#   bench/pytorch/compare.sh [-r ROUNDS] [-c CPU] [-e EPOCHS] [-n LIMIT] [SHAPE...]   # SHAPE: mlp wide cnn (default: all)
#
# Compared: train_seconds, the pass over the training batches (metrics.csv's column; the script prints the same),
# median over the epochs after the first (the first pays for warm-up); and, when /usr/bin/time exists (Debian's
# `time`), each whole process's CPU seconds (user + system: data loading and start-up included, but unlike wall
# time not inflated when other processes share the cores). Printed per round and as the median (min-max) over
# rounds of exprun / PyTorch; below 1 means exprun is faster. -c pins both to one CPU (taskset): on a machine whose
# cores differ in speed, compare on one core.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=3 cpu= epochs=3 limit=12000
while getopts "r:c:e:n:" o; do
  case $o in r) rounds=$OPTARG ;; c) cpu=$OPTARG ;; e) epochs=$OPTARG ;; n) limit=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
shapes=${*:-mlp wide cnn}
exprun=$root/src/ExperimentRunner.Cli/bin/Release/net10.0/exprun
[ -x "$exprun" ] || { echo "build first: dotnet build -c Release ($exprun missing)" >&2; exit 2; }
python=/usr/bin/python3
$python -c 'import torch' 2>/dev/null || { echo "needs Debian's python3-torch (and libopenblas0-pthread)" >&2; exit 2; }
pin=(); [ -n "$cpu" ] && pin=(taskset -c "$cpu")
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# median of the train_seconds column of a CSV (header row; epochs after the first)
median_train() { $python - "$1" <<'EOF'
import csv, statistics, sys
rows = list(csv.DictReader(line for line in open(sys.argv[1]) if not line.startswith("#")))
print(statistics.median(float(r["train_seconds"]) for r in rows[1:]))
EOF
}

# CPU seconds (user + system) of the command, into $2.cpu; "nan" without /usr/bin/time
timed() { local out=$1; shift
  if [ -x /usr/bin/time ]; then /usr/bin/time -f '%U %S' -o "$out.cpu" "$@"; awk '{print $1 + $2}' "$out.cpu" > "$out.cpu.s"
  else "$@"; echo nan > "$out.cpu.s"; fi
}
run_exprun() { # shape out.csv
  local dir=$work/exprun-$RANDOM
  timed "$2" "${pin[@]}" "$exprun" run "$here/$1.yaml" -o "$dir" --set training.epochs=$epochs --set dataset.limit=$limit >/dev/null
  cp "$dir"/*/trials/*/metrics.csv "$2"; rm -rf "$dir"
}
run_pytorch() { timed "$2" "${pin[@]}" $python "$here/fashion_mnist.py" "$1" --epochs $epochs --limit $limit > "$2"; }

echo "exprun vs PyTorch $($python -c 'import torch; print(torch.__version__)'), $limit images (90% train), $epochs epochs, $rounds rounds${cpu:+, pinned to cpu $cpu}"
printf '%-5s %5s %12s %12s %8s %12s %12s %8s\n' shape round exprun_s pytorch_s ratio exprun_cpu pytorch_cpu cpu_ratio
for shape in $shapes; do
  ratios=() cpu_ratios=()
  for r in $(seq "$rounds"); do
    if (( r % 2 )); then run_exprun "$shape" "$work/e.csv"; run_pytorch "$shape" "$work/p.csv"
    else run_pytorch "$shape" "$work/p.csv"; run_exprun "$shape" "$work/e.csv"; fi
    e=$(median_train "$work/e.csv"); p=$(median_train "$work/p.csv")
    ratio=$($python -c "print(f'{$e / $p:.3f}')")
    ec=$(cat "$work/e.csv.cpu.s"); pc=$(cat "$work/p.csv.cpu.s")
    cpu_ratio=$($python -c "print(f'{float(\"$ec\") / float(\"$pc\"):.3f}')")
    ratios+=("$ratio") cpu_ratios+=("$cpu_ratio")
    printf '%-5s %5d %12.4f %12.4f %8s %12s %12s %8s\n' "$shape" "$r" "$e" "$p" "$ratio" "$ec" "$pc" "$cpu_ratio"
  done
  summary="import statistics,sys; v=[float(x) for x in sys.argv[3:]]; print(f'{sys.argv[1]}: exprun / PyTorch {sys.argv[2]}, median {statistics.median(v):.3f} (min {min(v):.3f}, max {max(v):.3f}) over {len(v)} rounds')"
  $python -c "$summary" "$shape" "train_seconds per epoch" "${ratios[@]}"
  $python -c "$summary" "$shape" "process CPU seconds" "${cpu_ratios[@]}"
done
