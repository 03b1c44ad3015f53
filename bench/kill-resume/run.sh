#!/usr/bin/env bash
# Kills a `--parallel 2` sweep (SIGKILL to the sweep process; its workers stop by themselves) at a random moment
# 1.0-2.5 s in, then runs it again with --resume, ROUNDS times (default 30), and counts the resumes that do not end
# with exit 0. A failed resume's folder is kept under $OUT/fail-N with its stderr. Uses the Release build:
#   dotnet build -c Release src/ExperimentRunner.Cli && bench/kill-resume/run.sh 30
set -u
here=$(cd "$(dirname "$0")" && pwd)
exprun=${EXPRUN:-$here/../../src/ExperimentRunner.Cli/bin/Release/net10.0/exprun}
out=${OUT:-$(mktemp -d)}
rounds=${1:-30}
fails=0
for i in $(seq 1 "$rounds"); do
  rm -rf "$out/run"
  "$exprun" run "$here/sweep.yaml" -o "$out/run" --parallel 2 >/dev/null 2>&1 &
  pid=$!
  sleep "$(python3 -c 'import random; print(random.uniform(1.0, 2.5))')"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  sleep 1.5
  if ! "$exprun" run "$here/sweep.yaml" -o "$out/run" --resume >/dev/null 2>"$out/resume.err"; then
    fails=$((fails + 1))
    echo "round $i: resume failed:"
    tail -3 "$out/resume.err"
    cp -r "$out/run" "$out/fail-$i" && cp "$out/resume.err" "$out/fail-$i/"
  fi
done
echo "$fails of $rounds resumes failed (folders under $out)"
