#!/usr/bin/env bash
# Stops the daemons start-local-slurm.sh started, by their pid files.
set -u
for f in /tmp/slurm/slurmd.pid /tmp/slurm/slurmctld.pid; do
  if [ -f "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; fi
done
