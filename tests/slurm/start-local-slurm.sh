#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (as root): slurmctld and slurmd on localhost, munge for auth.
# Installs slurm-wlm and munge with apt-get when missing. Idempotent: a running cluster is left alone.
# Stop it with stop-local-slurm.sh (by the PIDs in the pid files, never by name).
set -euo pipefail

if [ "$(id -u)" != 0 ]; then echo "start-local-slurm: needs root" >&2; exit 1; fi
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

base=/tmp/slurm
if [ -f $base/slurmctld.pid ] && kill -0 "$(cat $base/slurmctld.pid)" 2>/dev/null && sinfo >/dev/null 2>&1; then
  echo "start-local-slurm: already running"; exit 0
fi

mkdir -p $base/{state,spool,log} /run/munge /etc/slurm
[ -f /etc/munge/munge.key ] || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 400 /etc/munge/munge.key
if ! pgrep -u munge munged >/dev/null 2>&1; then su -s /bin/sh munge -c /usr/sbin/munged; fi

host=$(hostname)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) - 1024 ))
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool
SlurmctldPidFile=$base/slurmctld.pid
SlurmdPidFile=$base/slurmd.pid
SlurmctldLogFile=$base/log/slurmctld.log
SlurmdLogFile=$base/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

/usr/sbin/slurmctld
/usr/sbin/slurmd
for _ in $(seq 1 30); do
  if sinfo -h -o %t 2>/dev/null | grep -qE '^idle'; then echo "start-local-slurm: node idle"; exit 0; fi
  sleep 1
done
echo "start-local-slurm: node did not become idle" >&2
sinfo >&2 || true
exit 1
